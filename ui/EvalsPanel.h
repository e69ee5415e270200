// SPDX-License-Identifier: MIT
#pragma once

#include <QThread>
#include <QWidget>

#include "EvalTableModels.h"

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

class QChartView;

namespace llmops::ui {

class ErrorBanner;

// The Evals page: import a data set, run it against the current pipeline settings with progress,
// estimates and Cancel, resume an unfinished run, read each item's result, compare two selected
// runs, and follow each metric across the runs of a data set in a chart. The work runs on an
// EvalWorker thread owned by the panel.
class EvalsPanel : public QWidget {
    Q_OBJECT

public:
    explicit EvalsPanel(QWidget* parent = nullptr);
    ~EvalsPanel() override;

    // The workspace the page works on; reloads the data sets and runs.
    void setWorkspace(const QString& path);
    void importFile(const QString& file, const QString& name);
    void startRun();
    void cancelRun();
    // Compares the two selected runs: the older one is the baseline.
    void compareSelected();

    EvalRunTableModel* runModel() { return &m_runs; }
    EvalResultTableModel* resultModel() { return &m_results; }
    EvalComparisonModel* comparisonModel() { return &m_comparison; }
    QTableView* runView() const { return m_runView; }
    QListWidget* itemChanges() const { return m_itemChanges; }
    bool isRunning() const { return m_running; }

signals:
    // The number of stored alerts, for the badge on the page's tab.
    void alertCountChanged(int alerts);
    // A run ended (done, cancelled or failed) and the tables were reloaded.
    void runEnded(qint64 runId);
    void comparisonShown();

private:
    void buildLayout();
    void connectWorker();
    void reload();
    void showLoaded(const EvalDatasets& datasets, const EvalRuns& runs, int alerts);
    void showProgress(const llmops::EvalProgress& progress);
    void showComparison(const llmops::EvalComparison& comparison);
    void updateChart();
    void runSelectionChanged();
    void setRunning(bool running);

    QThread m_thread;
    EvalWorker* m_worker = nullptr;
    QString m_workspace;
    bool m_running = false;
    qint64 m_pendingReloadRun = 0;

    EvalRunTableModel m_runs;
    EvalResultTableModel m_results;
    EvalComparisonModel m_comparison;

    ErrorBanner* m_banner = nullptr;
    QComboBox* m_datasets = nullptr;
    QSpinBox* m_concurrency = nullptr;
    QPushButton* m_importButton = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_resumeButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_compareButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_estimate = nullptr;
    QTableView* m_runView = nullptr;
    QTableView* m_resultView = nullptr;
    QTableView* m_comparisonView = nullptr;
    QLabel* m_comparisonSummary = nullptr;
    QListWidget* m_itemChanges = nullptr;
    QChartView* m_chart = nullptr;
};

} // namespace llmops::ui
