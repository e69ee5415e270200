// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <vector>

#include <QMetaType>
#include <QObject>
#include <QString>

#include "llmops/eval.h"
#include "llmops/eval_metrics.h"

namespace llmops::ui {

using EvalDatasets = std::vector<llmops::EvalDatasetInfo>;
using EvalRuns = std::vector<llmops::EvalRun>;
using EvalResults = std::vector<llmops::EvalResult>;

// Eval work for the Evals page on a thread of its own, so a long run never holds up the engine
// thread the other pages use. runEval opens its own engines on the workspace file. Slots run as
// queued calls; each reports with the signals below. cancel is set and cleared from the GUI
// thread: cleared before a run is posted, so a Cancel pressed before it starts still counts.
class EvalWorker : public QObject {
    Q_OBJECT

public:
    std::atomic<bool> cancel{false};

public slots:
    void load(const QString& workspace, const QString& dataset);
    void importFile(const QString& workspace, const QString& file, const QString& name);
    void run(const QString& workspace, const QString& dataset, int concurrency);
    void resume(const QString& workspace, qint64 runId, int concurrency);
    void loadResults(const QString& workspace, qint64 runId);
    void compare(const QString& workspace, qint64 runA, qint64 runB);

signals:
    void loaded(const llmops::ui::EvalDatasets& datasets, const llmops::ui::EvalRuns& runs, int alerts);
    void progress(const llmops::EvalProgress& progress);
    void runFinished(qint64 runId, const QString& outcome);
    void resultsLoaded(qint64 runId, const llmops::ui::EvalResults& results);
    void compared(const llmops::EvalComparison& comparison);
    void failed(const QString& message);

private:
    void execute(const QString& workspace, qint64 runId, int concurrency);
};

void registerEvalMetaTypes();

} // namespace llmops::ui

Q_DECLARE_METATYPE(llmops::ui::EvalDatasets)
Q_DECLARE_METATYPE(llmops::ui::EvalRuns)
Q_DECLARE_METATYPE(llmops::ui::EvalResults)
Q_DECLARE_METATYPE(llmops::EvalProgress)
Q_DECLARE_METATYPE(llmops::EvalComparison)
