// SPDX-License-Identifier: MIT
#pragma once

#include "EngineTypes.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace llmops::ui {

class DocumentTableModel;
class EngineController;
class ErrorBanner;

// The Documents page: indexes dropped or chosen files and folders, shows the progress of the
// run and lists the workspace's documents with their status.
class DocumentsPanel : public QWidget {
    Q_OBJECT

public:
    explicit DocumentsPanel(EngineController* controller, QWidget* parent = nullptr);

    // Starts an indexing run over local files and folders; drops and the Add buttons call it.
    void indexPaths(const QStringList& paths);

    void showError(const QString& message);

    DocumentTableModel* model() const { return m_model; }
    ErrorBanner* banner() const { return m_banner; }
    QString summaryText() const;
    bool isIndexing() const { return m_runningJobs > 0; }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void setupWidgets();
    void setupTable();
    void setupConnections();

    void chooseFiles();
    void chooseFolder();

    void showIndexingStarted(int filesTotal);
    void showIndexingProgress(int filesDone, int filesTotal, qint64 chunksDone, const QString& currentPath);
    void showIndexingFinished(const llmops::IndexReport& report);
    void showIndexingFailed(const QString& message);
    void showDocuments(const llmops::ui::DocumentRows& rows);
    void finishRun();

    EngineController* m_controller = nullptr;
    DocumentTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;

    ErrorBanner* m_banner = nullptr;
    QPushButton* m_addFilesButton = nullptr;
    QPushButton* m_addFolderButton = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QWidget* m_progressRow = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QLabel* m_currentFileLabel = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QLabel* m_summaryLabel = nullptr;
    QTableView* m_table = nullptr;

    int m_runningJobs = 0;
    // Failed files of the last run, added to the table when Engine::documents() has no row for
    // them, as can happen for a path that could not be read at all.
    std::vector<llmops::FileOutcome> m_lastFailures;
};

} // namespace llmops::ui
