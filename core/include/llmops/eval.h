// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llmops/status.h"

namespace llmops {

// One question of an evaluation data set.
struct EvalItem {
    std::int64_t id = 0;                        // 0 until stored
    std::string question;
    std::string reference;                      // the expected answer; may be empty
    std::vector<std::string> referenceContexts; // passages that hold the answer; may be empty
    std::vector<std::string> documentIds;       // document paths that hold the answer; may be empty
    std::vector<std::string> tags;
    std::string assertionsJson = "[]";          // promptfoo assertions: [{"type", "value"}, ...]
    std::string response;                       // a recorded answer from the file, kept for export
};

// A stored data set version.
struct EvalDatasetInfo {
    std::int64_t id = 0;
    std::string name;
    int version = 0;
    std::string source;  // the file it was imported from
    std::int64_t itemCount = 0;
    std::int64_t createdAtMs = 0;
};

// Reads a data set file: JSON lines (.jsonl, .json), CSV (.csv) with a header row, or a
// promptfoo configuration (.yaml, .yml) whose tests become items. Columns may use the RAGAS
// names (user_input, retrieved_contexts, response, reference, reference_contexts) or the older
// ones (question, contexts, answer, ground_truth). Fails with a message naming the file, line
// and field of the first problem; nothing is returned then.
Result<std::vector<EvalItem>> readDatasetFile(const std::string& path);

// Writes items in the format the extension names (.jsonl, .csv, .yaml), with the RAGAS column
// names, or the promptfoo layout for YAML.
Status writeDatasetFile(const std::string& path, const std::vector<EvalItem>& items);

// The four scores of one answer. A score that cannot be determined (no claims in the answer, no
// reference) is empty: it is left out of means and counted separately.
enum class EvalMetric { Faithfulness = 0, AnswerRelevancy, ContextRecall, ContextPrecision };
constexpr int kEvalMetricCount = 4;
using EvalScores = std::array<std::optional<double>, kEvalMetricCount>;

// "faithfulness", "answer_relevancy", "context_recall", "context_precision".
const char* evalMetricName(EvalMetric metric);
const char* evalMetricName(int metric);

// A run of one data set version against the pipeline settings at the time it started.
struct EvalRun {
    std::int64_t id = 0;
    std::int64_t datasetId = 0;
    std::string datasetName;
    int datasetVersion = 0;
    std::string status;  // "running" (also after a crash, until resumed), "cancelled", "done"
    int concurrency = 1;
    std::string settingsJson;       // the pipeline settings the run used
    std::string priceTableVersion;
    int ruleSetVersion = 0;
    std::string judgeModel;         // empty: the offline estimators scored the run
    std::string judgePrompt;
    std::int64_t createdAtMs = 0;
    std::int64_t finishedAtMs = 0;
    std::int64_t itemsTotal = 0;
    std::int64_t itemsDone = 0;
    double costUsd = 0.0;           // sum over the finished items
    EvalScores means;               // means over the measured items
};

// The outcome of one item in one run.
struct EvalResult {
    std::int64_t itemId = 0;
    std::string question;
    std::string reference;
    std::string answer;
    std::vector<std::string> contexts;  // the retrieved chunk texts, best first
    std::int64_t traceId = 0;
    std::int64_t latencyUs = 0;
    double costUsd = 0.0;
    std::string error;  // set when the pipeline failed for this item
    EvalScores scores;
    std::string assertionsJson = "[]";  // the item's promptfoo assertions
};

struct EvalProgress {
    std::int64_t done = 0;   // items finished, including those of an earlier attempt
    std::int64_t total = 0;
    double costUsd = 0.0;    // spent so far in this attempt
    double elapsedSeconds = 0.0;
    double remainingSeconds = 0.0;  // estimate from the mean time per item so far
    double remainingCostUsd = 0.0;  // estimate from the mean cost per item so far
};

struct EvalRunOptions {
    int concurrency = 4;  // worker threads, each with its own engine on the workspace
    const std::atomic<bool>* cancel = nullptr;
    // Called after each item from a worker thread, one call at a time.
    std::function<void(const EvalProgress&)> progress;
};

// Access to the evaluation tables of a workspace, through its own connection. Not
// thread-safe; the runner guards the store it writes with a mutex.
class EvalStore {
public:
    ~EvalStore();
    EvalStore(const EvalStore&) = delete;
    EvalStore& operator=(const EvalStore&) = delete;

    // Opens the workspace file and migrates it as Engine::open does.
    static Result<std::unique_ptr<EvalStore>> open(const std::string& path);

    // Stores items as a new version of the named data set, in one transaction, and returns it.
    // Rejects an empty name, an empty list and an item without a question.
    Result<EvalDatasetInfo> importDataset(const std::string& name, const std::vector<EvalItem>& items,
                                          const std::string& source);
    // The newest version of every data set, by name.
    Result<std::vector<EvalDatasetInfo>> datasets();
    // The named data set at version (0: the newest).
    Result<EvalDatasetInfo> dataset(const std::string& name, int version = 0);
    Result<std::vector<EvalItem>> items(std::int64_t datasetId);

    // Records a run with the settings and price table version it uses, status "running".
    Result<std::int64_t> createRun(std::int64_t datasetId, int concurrency, const std::string& settingsJson,
                                   const std::string& priceTableVersion, int ruleSetVersion,
                                   const std::string& judgeModel, const std::string& judgePrompt);
    Result<EvalRun> run(std::int64_t runId);
    // Newest first; an empty name lists the runs of every data set.
    Result<std::vector<EvalRun>> runs(const std::string& datasetName = {});
    Status finishRun(std::int64_t runId, const std::string& status);

    // Stores one item's result in its own transaction; storing an item twice is an error.
    Status saveResult(std::int64_t runId, const EvalResult& result);
    Result<std::vector<EvalResult>> results(std::int64_t runId);

    // Alerts: each stored alert names its rule, the run and the baseline.
    struct Alert {
        std::int64_t id = 0;
        std::string rule;
        std::int64_t runId = 0;
        std::int64_t baselineRunId = 0;
        std::string detail;
        std::int64_t createdAtMs = 0;
    };
    Result<std::int64_t> saveAlert(const Alert& alert);
    Result<std::vector<Alert>> alerts(int limit = 100);

private:
    struct Impl;
    explicit EvalStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Runs every item of the run's data set that has no result yet through the pipeline, with
// options.concurrency engines on the workspace at path, scores each answer and stores its row
// as soon as it finishes, so a crash loses only the items in flight. Finishes the run as
// "done", or "cancelled" when options.cancel was set; a cancelled or crashed run is resumed by
// calling this again with the same run id.
Status runEval(const std::string& path, std::int64_t runId, const EvalRunOptions& options);

// Starts a run of the newest version of the named data set with the workspace's current
// settings and returns its id. judgeModel, when not empty, names the settings' model that scores
// the answers (judgeScores) instead of the offline estimators; it is recorded with its prompt.
Result<std::int64_t> startEvalRun(const std::string& path, const std::string& datasetName, int concurrency,
                                  const std::string& judgeModel = {});

} // namespace llmops
