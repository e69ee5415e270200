// SPDX-License-Identifier: MIT
#include "EvalsPanel.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

#include "EngineTypes.h"
#include "ErrorBanner.h"

namespace llmops::ui {
namespace {

QTableView* tableFor(QAbstractItemModel* model, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

QString itemLine(const llmops::ItemDelta& item)
{
    return QStringLiteral("%1%2  %3")
        .arg(item.delta >= 0.0 ? QStringLiteral("+") : QString())
        .arg(item.delta, 0, 'f', 3)
        .arg(fromUtf8(item.question));
}

} // namespace

EvalsPanel::EvalsPanel(QWidget* parent) : QWidget(parent), m_worker(new EvalWorker)
{
    registerEvalMetaTypes();
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("eval-worker"));
    m_thread.start();
    buildLayout();
    connectWorker();
    setRunning(false);
}

EvalsPanel::~EvalsPanel()
{
    // A run in progress stops after the items in flight; their rows are lost, the rest resume.
    m_worker->cancel = true;
    m_thread.quit();
    m_thread.wait();
}

void EvalsPanel::buildLayout()
{
    m_banner = new ErrorBanner(this);
    m_datasets = new QComboBox(this);
    m_datasets->setMinimumWidth(180);
    m_concurrency = new QSpinBox(this);
    m_concurrency->setRange(1, 64);
    m_concurrency->setValue(4);
    m_concurrency->setPrefix(tr("threads "));
    m_importButton = new QPushButton(tr("Import..."), this);
    m_runButton = new QPushButton(tr("Run"), this);
    m_resumeButton = new QPushButton(tr("Resume"), this);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_compareButton = new QPushButton(tr("Compare selected"), this);
    m_progress = new QProgressBar(this);
    m_estimate = new QLabel(this);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Data set"), this));
    for (QWidget* widget : std::initializer_list<QWidget*>{m_datasets, m_importButton, m_concurrency, m_runButton,
                                                           m_resumeButton, m_cancelButton, m_progress, m_estimate,
                                                           m_compareButton})
        bar->addWidget(widget);

    m_runView = tableFor(&m_runs, this);
    m_runView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_resultView = tableFor(&m_results, this);
    m_resultView->setWordWrap(false);
    m_resultView->horizontalHeader()->setDefaultSectionSize(90);
    m_resultView->setColumnWidth(0, 230);
    m_resultView->setColumnWidth(1, 230);
    m_comparisonView = tableFor(&m_comparison, this);
    m_comparisonSummary = new QLabel(this);
    m_comparisonSummary->setWordWrap(false);
    m_comparisonSummary->setMinimumHeight(2 * m_comparisonSummary->fontMetrics().lineSpacing() + 6);
    m_comparisonSummary->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_itemChanges = new QListWidget(this);
    m_chart = new QChartView(new QChart, this);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(180);

    auto* comparison = new QWidget(this);
    auto* comparisonLayout = new QVBoxLayout(comparison);
    comparisonLayout->setContentsMargins(0, 0, 0, 0);
    comparisonLayout->addWidget(m_comparisonSummary);
    comparisonLayout->addWidget(m_comparisonView, 2);
    comparisonLayout->addWidget(m_itemChanges, 3);

    auto* lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(m_resultView);
    lower->addWidget(comparison);
    auto* upper = new QSplitter(Qt::Horizontal, this);
    upper->addWidget(m_runView);
    upper->addWidget(m_chart);
    upper->setSizes({700, 500});
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(upper);
    split->addWidget(lower);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
}

void EvalsPanel::connectWorker()
{
    connect(m_worker, &EvalWorker::loaded, this, &EvalsPanel::showLoaded);
    connect(m_worker, &EvalWorker::progress, this, &EvalsPanel::showProgress);
    connect(m_worker, &EvalWorker::runFinished, this, [this](qint64 runId, const QString& outcome) {
        setRunning(false);
        m_estimate->setText(outcome);
        m_pendingReloadRun = runId;
        reload();
    });
    connect(m_worker, &EvalWorker::resultsLoaded, this,
            [this](qint64, const EvalResults& results) { m_results.setResults(results); });
    connect(m_worker, &EvalWorker::compared, this, &EvalsPanel::showComparison);
    connect(m_worker, &EvalWorker::failed, m_banner, &ErrorBanner::showError);

    connect(m_importButton, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Import data set"), {},
                                                          tr("Data sets (*.jsonl *.json *.csv *.yaml *.yml)"));
        if (file.isEmpty())
            return;
        const QString name = QInputDialog::getText(this, tr("Data set name"), tr("Name"), QLineEdit::Normal,
                                                   QFileInfo(file).baseName());
        if (!name.isEmpty())
            importFile(file, name);
    });
    connect(m_runButton, &QPushButton::clicked, this, &EvalsPanel::startRun);
    connect(m_cancelButton, &QPushButton::clicked, this, &EvalsPanel::cancelRun);
    connect(m_compareButton, &QPushButton::clicked, this, &EvalsPanel::compareSelected);
    connect(m_resumeButton, &QPushButton::clicked, this, [this] {
        const auto rows = m_runView->selectionModel()->selectedRows();
        const llmops::EvalRun* run = rows.isEmpty() ? nullptr : m_runs.runAt(rows.front().row());
        if (!run || run->status == "done")
            return;
        setRunning(true);
        m_worker->cancel = false;
        QMetaObject::invokeMethod(m_worker, "resume", Q_ARG(QString, m_workspace), Q_ARG(qint64, run->id),
                                  Q_ARG(int, m_concurrency->value()));
    });
    connect(m_datasets, &QComboBox::currentTextChanged, this, [this] {
        if (!m_running)
            reload();
    });
    connect(m_runView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &EvalsPanel::runSelectionChanged);
}

void EvalsPanel::setWorkspace(const QString& path)
{
    m_workspace = path;
    reload();
}

void EvalsPanel::reload()
{
    if (m_workspace.isEmpty())
        return;
    QMetaObject::invokeMethod(m_worker, "load", Q_ARG(QString, m_workspace), Q_ARG(QString, m_datasets->currentText()));
}

void EvalsPanel::importFile(const QString& file, const QString& name)
{
    m_banner->clear();
    QMetaObject::invokeMethod(m_worker, "importFile", Q_ARG(QString, m_workspace), Q_ARG(QString, file),
                              Q_ARG(QString, name));
}

void EvalsPanel::startRun()
{
    if (m_running || m_datasets->currentText().isEmpty())
        return;
    m_banner->clear();
    setRunning(true);
    m_worker->cancel = false;
    QMetaObject::invokeMethod(m_worker, "run", Q_ARG(QString, m_workspace), Q_ARG(QString, m_datasets->currentText()),
                              Q_ARG(int, m_concurrency->value()));
}

void EvalsPanel::cancelRun()
{
    m_worker->cancel = true;  // atomic: read by the run's threads between items
    m_estimate->setText(tr("cancelling..."));
}

void EvalsPanel::compareSelected()
{
    const auto rows = m_runView->selectionModel()->selectedRows();
    if (rows.size() != 2) {
        m_banner->showError(tr("Select two runs to compare (Ctrl+click the second)."));
        return;
    }
    const llmops::EvalRun* first = m_runs.runAt(rows[0].row());
    const llmops::EvalRun* second = m_runs.runAt(rows[1].row());
    const qint64 baseline = std::min<qint64>(first->id, second->id);
    const qint64 candidate = std::max<qint64>(first->id, second->id);
    QMetaObject::invokeMethod(m_worker, "compare", Q_ARG(QString, m_workspace), Q_ARG(qint64, baseline),
                              Q_ARG(qint64, candidate));
}

void EvalsPanel::showLoaded(const EvalDatasets& datasets, const EvalRuns& runs, int alerts)
{
    const QString current = m_datasets->currentText();
    {
        const QSignalBlocker blocker(m_datasets);
        m_datasets->clear();
        for (const llmops::EvalDatasetInfo& dataset : datasets)
            m_datasets->addItem(fromUtf8(dataset.name));
        const int index = m_datasets->findText(current);
        m_datasets->setCurrentIndex(index >= 0 ? index : 0);
    }
    emit alertCountChanged(alerts);
    if (!current.isEmpty() && current != m_datasets->currentText()) {
        reload();  // the data set is gone, so the runs listed were those of another one
        return;
    }
    m_runs.setRuns(runs);
    m_runView->resizeColumnsToContents();
    updateChart();
    if (m_pendingReloadRun != 0) {
        const qint64 runId = m_pendingReloadRun;
        m_pendingReloadRun = 0;
        QMetaObject::invokeMethod(m_worker, "loadResults", Q_ARG(QString, m_workspace), Q_ARG(qint64, runId));
        emit runEnded(runId);
    }
}

void EvalsPanel::showProgress(const llmops::EvalProgress& progress)
{
    m_progress->setMaximum(static_cast<int>(progress.total));
    m_progress->setValue(static_cast<int>(progress.done));
    m_estimate->setText(tr("about %1 s and $%2 left").arg(progress.remainingSeconds, 0, 'f', 0)
                            .arg(progress.remainingCostUsd, 0, 'f', 4));
}

void EvalsPanel::showComparison(const llmops::EvalComparison& comparison)
{
    m_comparison.setComparison(comparison);
    m_comparisonView->resizeColumnsToContents();
    m_comparisonSummary->setText(
        tr("Run %1 (baseline) against run %2: %3 paired items, %4 bootstrap resamples.\n"
           "Change per item: cost %5 $, latency %6 ms.")
            .arg(comparison.runA).arg(comparison.runB).arg(comparison.pairedItems).arg(comparison.resamples)
            .arg(comparison.meanCostDeltaUsd, 0, 'f', 6).arg(comparison.meanLatencyDeltaMs, 0, 'f', 1));
    m_itemChanges->clear();
    m_itemChanges->addItem(tr("Worse (%1)").arg(comparison.regressed.size()));
    for (const llmops::ItemDelta& item : comparison.regressed)
        m_itemChanges->addItem(itemLine(item));
    m_itemChanges->addItem(tr("Better (%1)").arg(comparison.improved.size()));
    for (const llmops::ItemDelta& item : comparison.improved)
        m_itemChanges->addItem(itemLine(item));
    emit comparisonShown();
}

void EvalsPanel::updateChart()
{
    // One line per metric over the runs of the data set, oldest run on the left.
    auto* chart = new QChart;
    chart->setTitle(tr("Metric means by run"));
    auto* xAxis = new QValueAxis;
    xAxis->setTitleText(tr("run"));
    xAxis->setLabelFormat(QStringLiteral("%d"));
    auto* yAxis = new QValueAxis;
    yAxis->setRange(0.0, 1.0);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    std::int64_t lowest = 0;
    std::int64_t highest = 1;
    for (int m = 0; m < kEvalMetricCount; ++m) {
        auto* series = new QLineSeries;
        series->setName(QString::fromLatin1(evalMetricName(m)));
        for (int row = m_runs.rowCount() - 1; row >= 0; --row) {
            const llmops::EvalRun* run = m_runs.runAt(row);
            if (run->means[static_cast<std::size_t>(m)])
                series->append(static_cast<double>(run->id), *run->means[static_cast<std::size_t>(m)]);
            lowest = lowest == 0 ? run->id : std::min(lowest, run->id);
            highest = std::max(highest, run->id);
        }
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    xAxis->setRange(static_cast<double>(lowest), static_cast<double>(std::max(highest, lowest + 1)));
    xAxis->setTickCount(static_cast<int>(std::clamp<std::int64_t>(highest - lowest + 1, 2, 10)));
    QChart* old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
}

void EvalsPanel::runSelectionChanged()
{
    const auto rows = m_runView->selectionModel()->selectedRows();
    const llmops::EvalRun* run = rows.size() == 1 ? m_runs.runAt(rows.front().row()) : nullptr;
    m_resumeButton->setEnabled(!m_running && run && run->status != "done");
    m_compareButton->setEnabled(rows.size() == 2);
    if (run)
        QMetaObject::invokeMethod(m_worker, "loadResults", Q_ARG(QString, m_workspace), Q_ARG(qint64, run->id));
}

void EvalsPanel::setRunning(bool running)
{
    m_running = running;
    m_runButton->setEnabled(!running);
    m_importButton->setEnabled(!running);
    m_cancelButton->setEnabled(running);
    m_resumeButton->setEnabled(false);
    if (running) {
        m_progress->setValue(0);
        m_estimate->setText(tr("starting..."));
    }
}

} // namespace llmops::ui
