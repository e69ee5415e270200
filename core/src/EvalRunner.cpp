// SPDX-License-Identifier: MIT
// Runs eval items through the pipeline on several threads, one engine per thread, and stores
// each item's row as soon as it is scored.
#include "llmops/eval.h"

#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "llmops/engine.h"
#include "llmops/eval_metrics.h"
#include "llmops/generator.h"

namespace llmops {
namespace {

using Clock = std::chrono::steady_clock;

// State shared by the workers. The mutex guards the store and the counters.
struct RunState {
    std::int64_t runId = 0;
    std::vector<EvalItem> pending;
    std::atomic<std::size_t> next{0};
    const EvalRunOptions* options = nullptr;
    double supportThreshold = 0.5;
    std::optional<ModelEndpoint> judge;  // set when the run is scored by a judge model

    std::mutex mutex;
    EvalStore* store = nullptr;
    Status firstError;
    EvalProgress progress;
    std::int64_t doneThisAttempt = 0;
    Clock::time_point started = Clock::now();
};

bool cancelled(const RunState& state)
{
    return state.options->cancel && state.options->cancel->load();
}

EvalResult scoreItem(const EvalItem& item, const Result<QueryResult>& answered, double threshold, Generator* judge,
                     const std::atomic<bool>* cancel)
{
    EvalResult result;
    result.itemId = item.id;
    result.question = item.question;
    if (!answered.isOk()) {
        result.error = answered.status().toString();
        return result;  // every score unmeasured
    }
    const QueryResult& query = answered.value();
    result.answer = query.answer;
    for (const RetrievalHit& hit : query.context)
        result.contexts.push_back(hit.chunk.text);
    result.traceId = query.traceId;
    result.latencyUs = query.totalUs;
    result.costUsd = query.costUsd;
    const MetricInput input{item.question, query.answer, result.contexts, item.reference, item.referenceContexts};
    result.scores = judge ? judgeScores(*judge, input, cancel) : offlineScores(input, threshold);
    return result;
}

// Stores a finished item and reports progress, with estimates from this attempt's pace.
void record(RunState& state, const EvalResult& result)
{
    std::lock_guard lock(state.mutex);
    const Status saved = state.store->saveResult(state.runId, result);
    if (!saved.isOk()) {
        if (state.firstError.isOk())
            state.firstError = saved;
        return;
    }
    ++state.doneThisAttempt;
    EvalProgress& progress = state.progress;
    ++progress.done;
    progress.costUsd += result.costUsd;
    progress.elapsedSeconds = std::chrono::duration<double>(Clock::now() - state.started).count();
    const double left = static_cast<double>(progress.total - progress.done);
    const double perItem = progress.elapsedSeconds / static_cast<double>(state.doneThisAttempt);
    progress.remainingSeconds = perItem * left;
    progress.remainingCostUsd = progress.costUsd / static_cast<double>(state.doneThisAttempt) * left;
    if (state.options->progress)
        state.options->progress(progress);
}

void work(RunState& state, Engine& engine)
{
    AskOptions ask;
    ask.useCache = false;  // every run must reach the models it evaluates
    ask.cancel = state.options->cancel;
    ask.metadata = {{"eval_run", std::to_string(state.runId)}};
    // Each worker has its own judge client, because a generator serves one thread at a time.
    std::unique_ptr<Generator> judge;
    if (state.judge) {
        Result<std::unique_ptr<Generator>> made = makeGenerator(*state.judge);
        if (made.isOk())
            judge = std::move(made).value();
    }
    while (!cancelled(state)) {
        const std::size_t index = state.next.fetch_add(1);
        if (index >= state.pending.size())
            return;
        const EvalItem& item = state.pending[index];
        const Result<QueryResult> answered = engine.ask(item.question, ask);
        if (!answered.isOk() && answered.status().code() == StatusCode::Cancelled)
            return;  // left without a row, so a resume runs it again
        record(state, scoreItem(item, answered, state.supportThreshold, judge.get(), state.options->cancel));
    }
}

Result<std::vector<std::unique_ptr<Engine>>> openEngines(const std::string& path, std::size_t count)
{
    // Opened one after another: the first may rebuild the vector index file the others read.
    // Each engine holds its own copy of the index in memory.
    std::vector<std::unique_ptr<Engine>> engines;
    for (std::size_t i = 0; i < count; ++i) {
        Result<std::unique_ptr<Engine>> engine = Engine::open(path);
        if (!engine.isOk())
            return engine.status();
        engines.push_back(std::move(engine).value());
    }
    return engines;
}

std::optional<ModelEndpoint> findModel(const PipelineSettings& settings, const std::string& name)
{
    for (const ModelEndpoint& endpoint : settings.models) {
        if (endpoint.name == name)
            return endpoint;
    }
    return std::nullopt;
}

} // namespace

Result<std::int64_t> startEvalRun(const std::string& path, const std::string& datasetName, int concurrency,
                                  const std::string& judgeModel)
{
    if (concurrency < 1 || concurrency > 64)
        return Status::invalidArgument("concurrency " + std::to_string(concurrency) + " is out of range; use 1 to 64");
    Result<std::unique_ptr<EvalStore>> store = EvalStore::open(path);
    if (!store.isOk())
        return store.status();
    Result<EvalDatasetInfo> dataset = store.value()->dataset(datasetName);
    if (!dataset.isOk())
        return dataset.status();
    Result<std::unique_ptr<Engine>> engine = Engine::open(path);
    if (!engine.isOk())
        return engine.status();
    const Engine& current = *engine.value();
    if (!judgeModel.empty() && !findModel(current.settings(), judgeModel))
        return Status::invalidArgument("judge model \"" + judgeModel +
                                       "\" is not a configured model; name one of the settings' models");
    return store.value()->createRun(dataset.value().id, concurrency, settingsToJson(current.settings()),
                                    current.priceTable().version(), current.activeRuleSetVersion(), judgeModel,
                                    judgeModel.empty() ? "" : kJudgeSystemPrompt);
}

Status runEval(const std::string& path, std::int64_t runId, const EvalRunOptions& options)
{
    Result<std::unique_ptr<EvalStore>> opened = EvalStore::open(path);
    if (!opened.isOk())
        return opened.status();
    EvalStore& store = *opened.value();
    Result<EvalRun> run = store.run(runId);
    if (!run.isOk())
        return run.status();
    Result<std::vector<EvalItem>> items = store.items(run.value().datasetId);
    Result<std::vector<EvalResult>> done = store.results(runId);
    if (!items.isOk() || !done.isOk())
        return items.isOk() ? done.status() : items.status();

    RunState state;
    state.runId = runId;
    state.options = &options;
    state.store = &store;
    std::set<std::int64_t> finished;
    for (const EvalResult& result : done.value())
        finished.insert(result.itemId);
    for (const EvalItem& item : items.value()) {
        if (!finished.contains(item.id))
            state.pending.push_back(item);
    }
    state.progress.total = static_cast<std::int64_t>(items.value().size());
    state.progress.done = static_cast<std::int64_t>(finished.size());

    const auto workers = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, options.concurrency)),
                                               std::max<std::size_t>(1, state.pending.size()));
    Result<std::vector<std::unique_ptr<Engine>>> engines = openEngines(path, workers);
    if (!engines.isOk())
        return engines.status();
    const std::string settingsNow = settingsToJson(engines.value().front()->settings());
    if (settingsNow != run.value().settingsJson)
        return Status::invalidArgument("the pipeline settings changed since eval run " + std::to_string(runId) +
                                       " started; start a new run, or restore the settings stored with the run");
    state.supportThreshold = engines.value().front()->settings().validation.supportThreshold;
    if (!run.value().judgeModel.empty())
        state.judge = findModel(engines.value().front()->settings(), run.value().judgeModel);

    std::vector<std::thread> threads;
    for (auto& engine : engines.value())
        threads.emplace_back([&state, &engine] { work(state, *engine); });
    for (std::thread& thread : threads)
        thread.join();

    if (!state.firstError.isOk())
        return state.firstError;
    const bool stopped = cancelled(state) && state.progress.done < state.progress.total;
    const Status finishedStatus = store.finishRun(runId, stopped ? "cancelled" : "done");
    if (!finishedStatus.isOk())
        return finishedStatus;
    return stopped ? Status::cancelled("eval run " + std::to_string(runId) + " was cancelled after " +
                                       std::to_string(state.progress.done) + " of " +
                                       std::to_string(state.progress.total) + " items; resume it to finish")
                   : Status::ok();
}

} // namespace llmops
