// SPDX-License-Identifier: MIT
#pragma once

#include "EngineTypes.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace llmops::ui {

class EmbedderBox;
class EngineController;
class ErrorBanner;
class ModelTableModel;

// The Models page: lists the workspace's model endpoints, edits them in a form with inline
// checks, saves the whole settings through the engine and tests one endpoint's connection.
//
// Edits stay in the table until Save, which sends the workspace settings with the edited
// endpoints to the engine. When the engine rejects them (for example because a routing rule
// names a removed model), its message shows in the banner and the stored settings stay as they
// were. API keys never reach the workspace: an endpoint names the environment variable or the
// keychain entry that holds its key, and Store key writes a typed key to the keychain only.
// The Embedder box edits the workspace's embedder, saved with the endpoints.
class ModelsPanel : public QWidget {
    Q_OBJECT

public:
    explicit ModelsPanel(EngineController* controller, QWidget* parent = nullptr);

    void showError(const QString& message);

    // Sends the settings with the edited endpoints to the engine.
    void save();

    // Tests the endpoint described by the form on the engine thread.
    void testConnection();

    ModelTableModel* model() const { return m_model; }
    ErrorBanner* banner() const { return m_banner; }
    QTableView* table() const { return m_table; }
    QLineEdit* nameEdit() const { return m_nameEdit; }
    QComboBox* kindCombo() const { return m_kindCombo; }
    QLineEdit* baseUrlEdit() const { return m_baseUrlEdit; }
    QLineEdit* modelIdEdit() const { return m_modelIdEdit; }
    QLineEdit* apiKeyVariableEdit() const { return m_apiKeyVariableEdit; }
    QLabel* keyStatusLabel() const { return m_keyStatusLabel; }
    QLineEdit* keychainEntryEdit() const { return m_keychainEntryEdit; }
    QPushButton* storeKeyButton() const { return m_storeKeyButton; }
    QLabel* keychainStatusLabel() const { return m_keychainStatusLabel; }
    QSpinBox* timeoutSpin() const { return m_timeoutSpin; }
    QSpinBox* retriesSpin() const { return m_retriesSpin; }
    QLineEdit* inputPriceEdit() const { return m_inputPriceEdit; }
    QLineEdit* outputPriceEdit() const { return m_outputPriceEdit; }
    QLabel* formProblemLabel() const { return m_formProblemLabel; }
    QPushButton* addButton() const { return m_addButton; }
    QPushButton* updateButton() const { return m_updateButton; }
    QPushButton* removeButton() const { return m_removeButton; }
    QPushButton* saveButton() const { return m_saveButton; }
    QPushButton* testButton() const { return m_testButton; }
    QLabel* testResultLabel() const { return m_testResultLabel; }
    EmbedderBox* embedderBox() const { return m_embedderBox; }
    QLabel* saveStateLabel() const { return m_saveStateLabel; }

    bool isTesting() const { return m_pendingTestId != 0; }
    bool hasUnsavedChanges() const { return m_unsaved; }

    // Returns the endpoint the form describes, or nothing with the first problem in *problem.
    // editedRow is the table row the form replaces, or -1 for a new endpoint.
    std::optional<llmops::ModelEndpoint> endpointFromForm(int editedRow, QString* problem) const;

signals:
    void settingsSaved();
    void saveFailed(const QString& message);
    void connectionTested(bool ok);

private:
    void setupWidgets();
    QWidget* createTableBox();
    QWidget* createFormBox();
    QWidget* createButtonRow();
    void setupConnections();

    int selectedRow() const;
    void fillForm(int row);
    void checkForm();
    void showKeyStatus();
    void storeKeyInKeychain();
    void addEndpoint();
    void updateEndpoint();
    void removeEndpoint();
    void markUnsaved();
    void updateButtons();

    void showSettings(const llmops::PipelineSettings& settings);
    void showSaved(const llmops::PipelineSettings& settings);
    void showSaveFailure(const QString& message);
    void showConnectionResult(const QString& name, bool ok, double latencyMs, const QString& replyOrError);

    EngineController* m_controller = nullptr;
    ModelTableModel* m_model = nullptr;
    // The settings last loaded from or saved to the workspace; Save replaces only their models.
    std::optional<llmops::PipelineSettings> m_settings;

    ErrorBanner* m_banner = nullptr;
    EmbedderBox* m_embedderBox = nullptr;
    QTableView* m_table = nullptr;
    QLineEdit* m_nameEdit = nullptr;
    QComboBox* m_kindCombo = nullptr;
    QLineEdit* m_baseUrlEdit = nullptr;
    QLineEdit* m_modelIdEdit = nullptr;
    QLineEdit* m_apiKeyVariableEdit = nullptr;
    QLabel* m_keyStatusLabel = nullptr;
    QLineEdit* m_keychainEntryEdit = nullptr;
    QPushButton* m_storeKeyButton = nullptr;
    QLabel* m_keychainStatusLabel = nullptr;
    QSpinBox* m_timeoutSpin = nullptr;
    QSpinBox* m_retriesSpin = nullptr;
    QLineEdit* m_inputPriceEdit = nullptr;
    QLineEdit* m_outputPriceEdit = nullptr;
    QLabel* m_formProblemLabel = nullptr;
    QPushButton* m_addButton = nullptr;
    QPushButton* m_updateButton = nullptr;
    QPushButton* m_removeButton = nullptr;
    QPushButton* m_saveButton = nullptr;
    QPushButton* m_testButton = nullptr;
    QLabel* m_testResultLabel = nullptr;
    QLabel* m_saveStateLabel = nullptr;

    bool m_formValid = false;
    bool m_unsaved = false;
    bool m_saving = false;
    quint64 m_pendingTestId = 0;
};

} // namespace llmops::ui
