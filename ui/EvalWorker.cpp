// SPDX-License-Identifier: MIT
#include "EvalWorker.h"

#include "EngineTypes.h"

namespace llmops::ui {

void registerEvalMetaTypes()
{
    qRegisterMetaType<EvalDatasets>();
    qRegisterMetaType<EvalRuns>();
    qRegisterMetaType<EvalResults>();
    qRegisterMetaType<llmops::EvalProgress>();
    qRegisterMetaType<llmops::EvalComparison>();
}

void EvalWorker::load(const QString& workspace, const QString& dataset)
{
    auto store = EvalStore::open(toEnginePath(workspace));
    if (!store.isOk())
        return emit failed(fromUtf8(store.status().message()));
    auto datasets = store.value()->datasets();
    // Without a choice yet, the page shows the first data set, so list that one's runs.
    std::string name = dataset.toStdString();
    if (name.empty() && datasets.isOk() && !datasets.value().empty())
        name = datasets.value().front().name;
    auto runs = store.value()->runs(name);
    auto alerts = store.value()->alerts();
    if (!datasets.isOk() || !runs.isOk() || !alerts.isOk())
        return emit failed(fromUtf8((!datasets.isOk() ? datasets.status() : runs.status()).message()));
    emit loaded(datasets.value(), runs.value(), static_cast<int>(alerts.value().size()));
}

void EvalWorker::importFile(const QString& workspace, const QString& file, const QString& name)
{
    auto items = readDatasetFile(toEnginePath(file));
    if (!items.isOk())
        return emit failed(fromUtf8(items.status().message()));
    auto store = EvalStore::open(toEnginePath(workspace));
    if (!store.isOk())
        return emit failed(fromUtf8(store.status().message()));
    auto stored = store.value()->importDataset(name.toStdString(), items.value(), toEnginePath(file));
    if (!stored.isOk())
        return emit failed(fromUtf8(stored.status().message()));
    load(workspace, name);
}

void EvalWorker::run(const QString& workspace, const QString& dataset, int concurrency)
{
    auto runId = startEvalRun(toEnginePath(workspace), dataset.toStdString(), concurrency);
    if (!runId.isOk())
        return emit failed(fromUtf8(runId.status().message()));
    execute(workspace, runId.value(), concurrency);
}

void EvalWorker::resume(const QString& workspace, qint64 runId, int concurrency)
{
    execute(workspace, runId, concurrency);
}

void EvalWorker::execute(const QString& workspace, qint64 runId, int concurrency)
{
    EvalRunOptions options;
    options.concurrency = concurrency;
    options.cancel = &cancel;
    // Called on the run's threads; the queued signal carries a copy to the GUI thread.
    options.progress = [this](const EvalProgress& value) { emit progress(value); };
    const Status status = runEval(toEnginePath(workspace), runId, options);
    if (!status.isOk() && status.code() != StatusCode::Cancelled)
        emit failed(fromUtf8(status.message()));
    emit runFinished(runId, status.isOk() ? tr("done") : fromUtf8(status.message()));
}

void EvalWorker::loadResults(const QString& workspace, qint64 runId)
{
    auto store = EvalStore::open(toEnginePath(workspace));
    if (!store.isOk())
        return emit failed(fromUtf8(store.status().message()));
    auto results = store.value()->results(runId);
    if (!results.isOk())
        return emit failed(fromUtf8(results.status().message()));
    emit resultsLoaded(runId, results.value());
}

void EvalWorker::compare(const QString& workspace, qint64 runA, qint64 runB)
{
    auto store = EvalStore::open(toEnginePath(workspace));
    if (!store.isOk())
        return emit failed(fromUtf8(store.status().message()));
    auto a = store.value()->results(runA);
    auto b = store.value()->results(runB);
    if (!a.isOk() || !b.isOk())
        return emit failed(fromUtf8((!a.isOk() ? a.status() : b.status()).message()));
    emit compared(compareRuns(runA, a.value(), runB, b.value()));
}

} // namespace llmops::ui
