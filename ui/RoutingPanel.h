// SPDX-License-Identifier: MIT
#pragma once

#include "EngineTypes.h"
#include "llmops/routing.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QUndoStack;

namespace llmops::ui {

class EngineController;
class ErrorBanner;
class ReplayResultView;
class RuleTableModel;

// The Routing page. It shows the draft rule set as an ordered table with an editor, undo and
// redo, and inline problems (unknown model, invalid pattern, shadowed rule). A preview names the
// rule that fires for a typed question, a what-if replay of stored traces runs on the engine
// thread, and the stored versions can be saved and activated.
//
// The draft starts as the active rule set and changes only here; Save stores it as a new
// version. The preview runs on the GUI thread because routing one question is pure CPU work
// of well under a millisecond (bench_routing).
class RoutingPanel : public QWidget {
    Q_OBJECT

public:
    explicit RoutingPanel(EngineController* controller, QWidget* parent = nullptr);
    ~RoutingPanel() override;

    // Takes the models and input guard options of settings. Replaces the draft with the active
    // rules and clears the undo history, unless the draft has edits since it was last loaded.
    void setSettings(const llmops::PipelineSettings& settings);

    // Edits of the draft, each one undoable: loadDraft replaces every rule.
    void loadDraft(const std::vector<llmops::RoutingRule>& rules);
    void addRuleFromForm();
    void applyFormToSelectedRule();
    void deleteSelectedRule();
    void moveSelectedRule(int offset);

    void startReplay();
    void saveDraft(bool activate);
    void activateSelectedVersion();
    // Copies the selected version's rules into the draft, so that Replay compares that version
    // with the active one before either is activated.
    void loadSelectedVersionIntoDraft();

    // The rule the form describes, or nothing with the problem in *problem.
    std::optional<llmops::RoutingRule> ruleFromForm(QString* problem) const;

    RuleTableModel* model() const { return m_model; }
    QUndoStack* undoStack() const { return m_undoStack; }
    QTableView* table() const { return m_table; }
    ErrorBanner* banner() const { return m_banner; }
    QLineEdit* nameEdit() const { return m_nameEdit; }
    QLineEdit* conditionEdit() const { return m_conditionEdit; }
    QComboBox* modelCombo() const { return m_modelCombo; }
    QLineEdit* fallbacksEdit() const { return m_fallbacksEdit; }
    QLabel* formProblemLabel() const { return m_formProblemLabel; }
    QLineEdit* previewEdit() const { return m_previewEdit; }
    QLineEdit* metadataEdit() const { return m_metadataEdit; }
    QLabel* previewLabel() const { return m_previewLabel; }
    QPushButton* replayButton() const { return m_replayButton; }
    QLabel* replayStatusLabel() const { return m_replayStatusLabel; }
    ReplayResultView* replayView() const { return m_replayView; }
    QComboBox* versionCombo() const { return m_versionCombo; }
    QPushButton* loadVersionButton() const { return m_loadVersionButton; }
    QLineEdit* noteEdit() const { return m_noteEdit; }
    int activeVersion() const { return m_activeVersion; }
    bool isReplaying() const { return m_pendingReplayId != 0; }

signals:
    void replayFinished();
    void replayFailed(const QString& message);
    void versionsChanged();

private:
    void setupWidgets();
    QWidget* setupRuleEditor();
    QWidget* setupPreview();
    QWidget* setupReplay();
    void setupConnections();

    void pushEdit(const QString& text, std::vector<llmops::RoutingRule> rules, int selectRow);
    int selectedRow() const;
    void selectRow(int row);
    void showSelectedRuleInForm();
    void checkForm();
    void rebuildPreviewRouter();
    void updatePreview();
    void showVersions(const RuleSetVersions& versions, int activeVersion);
    void showReplay(quint64 replayId, const llmops::ReplayReport& report);
    void showReplayFailure(quint64 replayId, const QString& message);

    EngineController* m_controller;
    llmops::PipelineSettings m_settings;
    RuleTableModel* m_model = nullptr;
    QUndoStack* m_undoStack = nullptr;
    std::unique_ptr<llmops::Router> m_previewRouter;
    quint64 m_pendingReplayId = 0;
    int m_activeVersion = 0;

    ErrorBanner* m_banner = nullptr;
    QComboBox* m_versionCombo = nullptr;
    QPushButton* m_activateButton = nullptr;
    QPushButton* m_loadVersionButton = nullptr;
    RuleSetVersions m_versions;
    QLabel* m_activeLabel = nullptr;
    QTableView* m_table = nullptr;
    QPushButton* m_addButton = nullptr;
    QPushButton* m_applyButton = nullptr;
    QPushButton* m_deleteButton = nullptr;
    QPushButton* m_upButton = nullptr;
    QPushButton* m_downButton = nullptr;
    QPushButton* m_undoButton = nullptr;
    QPushButton* m_redoButton = nullptr;
    QLineEdit* m_nameEdit = nullptr;
    QLineEdit* m_conditionEdit = nullptr;
    QComboBox* m_modelCombo = nullptr;
    QLineEdit* m_fallbacksEdit = nullptr;
    QLabel* m_formProblemLabel = nullptr;
    QLineEdit* m_previewEdit = nullptr;
    QLineEdit* m_metadataEdit = nullptr;
    QLabel* m_previewLabel = nullptr;
    QLineEdit* m_noteEdit = nullptr;
    QPushButton* m_saveButton = nullptr;
    QPushButton* m_saveActivateButton = nullptr;
    QSpinBox* m_lastSpin = nullptr;
    QPushButton* m_replayButton = nullptr;
    QPushButton* m_cancelReplayButton = nullptr;
    QLabel* m_replayStatusLabel = nullptr;
    ReplayResultView* m_replayView = nullptr;
};

} // namespace llmops::ui
