// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "llmops/cost.h"
#include "llmops/metrics.h"
#include "llmops/replay.h"
#include "llmops/routing.h"
#include "llmops/settings.h"
#include "llmops/status.h"
#include "llmops/types.h"

namespace llmops {

// Progress of an indexing run, reported after each file.
struct IndexProgress {
    int filesDone = 0;
    int filesTotal = 0;
    std::int64_t chunksDone = 0;   // chunks written so far in this run
    std::string currentPath;
};

// The outcome for one file of an indexing run.
struct FileOutcome {
    std::string path;
    // Removed: the file was indexed before but is no longer in a folder that was indexed again,
    // so its chunks were deleted.
    enum class Kind { Indexed, Unchanged, Failed, Removed } kind = Kind::Indexed;
    int chunks = 0;
    std::string error;  // set when kind is Failed: what was wrong and what to do
};

struct IndexReport {
    std::vector<FileOutcome> files;
    bool cancelled = false;
    int indexed() const;
    int unchanged() const;
    int failed() const;
    int removed() const;
    std::int64_t chunks() const;
};

struct WorkspaceStats {
    std::int64_t documents = 0;
    std::int64_t chunks = 0;
    std::int64_t failedDocuments = 0;
    std::int64_t traces = 0;
};

// A flagged response waiting for, or given, a reviewer's verdict.
struct ReviewItem {
    std::int64_t id = 0;
    // "guardrail_block", "unsupported_claim", "pii_leak", "eval_regression" or "alert"
    std::string kind;
    std::int64_t traceId = 0;  // 0 when the item refers to an eval item instead
    std::string evalRef;       // the eval item reference; empty for trace items
    std::string detail;        // why the item was queued, such as the flag details
    std::string status = "open";  // "open", or "done" once a verdict is set
    std::string verdict;          // "", "correct", "hallucination" or "false_alarm"
    std::string note;             // the reviewer's note
    std::string correctedAnswer;  // the reviewer's answer; empty keeps the original
    std::int64_t createdAtMs = 0; // Unix time in milliseconds
    std::int64_t updatedAtMs = 0;
    // Copied from the trace; empty for items without one.
    std::string query;
    std::string answer;
    std::string route;
    std::string model;
};

// Which review items to list or count; empty strings and zero times match everything.
struct ReviewFilter {
    std::string kind;
    std::string status;
    std::string route;
    std::string model;
    std::int64_t fromMs = 0;  // created at or after, Unix milliseconds
    std::int64_t toMs = 0;    // created before, Unix milliseconds
    int limit = 1000;         // newest items first
};

// Review items matching a filter, by verdict.
struct ReviewCounts {
    std::int64_t open = 0;       // no verdict yet
    std::int64_t correct = 0;
    std::int64_t hallucination = 0;
    std::int64_t falseAlarm = 0;
    std::int64_t total = 0;
};

enum class ReviewExportFormat {
    Items,    // every field of each matching item, one JSON object per line
    Dataset,  // {"question", "answer", "contexts"} per reviewed item, for an eval data set
};

struct AskOptions {
    bool useCache = true;
    const std::atomic<bool>* cancel = nullptr;
    // Called with each piece of answer text as a remote model streams it, on the calling
    // thread; may be empty. A fallback model's text follows a failed model's pieces.
    std::function<void(std::string_view)> onToken;
    // Request metadata that routing conditions can test with meta(KEY, VALUE), such as
    // {"user_tier", "enterprise"}. Stored with the trace.
    std::map<std::string, std::string> metadata = {};
};

// The pipeline engine over one workspace file: indexing, querying and traces.
//
// Not thread-safe: one thread at a time may call an Engine. Cancellation flags passed in
// options may be set from any thread. The workspace is a SQLite file in WAL mode; the
// nearest-neighbour index lives beside it in "<workspace>.hnsw" and is rebuilt from the stored
// embeddings whenever it is missing, unreadable or out of date.
class Engine {
public:
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Opens or creates the workspace at path and migrates its schema forward. Fails with
    // Corruption when the file exists but is not a workspace database, and with IoError when
    // it cannot be created; the file is left untouched in both cases.
    static Result<std::unique_ptr<Engine>> open(const std::string& path);

    const std::string& path() const;
    const PipelineSettings& settings() const;

    // Validates and stores new settings; on failure the stored settings are unchanged.
    Status updateSettings(const PipelineSettings& settings);

    // The price table that costs model calls: the one imported into this workspace, else the
    // table bundled with the program.
    const PriceTable& priceTable() const;

    // Reads a price map in LiteLLM's format (see PriceTable::fromJson), stores its chat-model
    // prices in the workspace and prices later questions with it. On failure the workspace and
    // the current table are unchanged.
    Status importPriceTable(const std::string& path);

    // Collects the supported files under each path (folders are walked recursively; hidden
    // entries are skipped) in a stable order. Unreadable paths are reported as failed files.
    static std::vector<std::string> collectFiles(const std::vector<std::string>& paths,
                                                 std::vector<FileOutcome>* unreadable);

    // Indexes files and folders. Paths are stored in canonical form, so a folder reached
    // through a symbolic link is not indexed twice. Each file is committed in its own
    // transaction: a file whose content hash is unchanged is skipped, a changed file replaces
    // its chunks, a file that fails leaves what was stored for it before. Documents stored
    // under an indexed folder whose files are gone are removed. Progress is called on the
    // calling thread after every file. When cancel becomes true the run stops after the
    // current file (and removes nothing).
    IndexReport indexPaths(const std::vector<std::string>& paths,
                           const std::function<void(const IndexProgress&)>& progress = {},
                           const std::atomic<bool>* cancel = nullptr);

    // Runs one question through the pipeline and stores its trace. Rejects an empty question
    // and one longer than settings().maxQueryBytes. A question blocked by the input guard is a
    // successful result with blocked set.
    Result<QueryResult> ask(const std::string& question, const AskOptions& options = {});

    // Every stored rule set version, oldest first. The active one routes new questions; each
    // trace records its version.
    Result<std::vector<RuleSetVersion>> ruleSetVersions();
    int activeRuleSetVersion() const;

    // Stores rules as a new version with the author's note and returns its number; with
    // activate the version routes later questions. Fails with InvalidArgument, storing nothing,
    // when checkRules finds an error against the configured models.
    Result<int> saveRuleSet(const std::vector<RoutingRule>& rules, const std::string& note, bool activate);

    // Makes a stored version the active rule set. Fails with NotFound for an unknown version
    // and with InvalidArgument when its rules are invalid for the current models (a model
    // removed since it was saved); the active rule set is unchanged on failure.
    Status activateRuleSet(int version);

    // Explains which rule of the active set fires for question and why. The question goes
    // through the input guard first, as in ask(), so guard flags are set. Nothing is stored.
    RouteExplanation explainRoute(const std::string& question,
                                  const std::map<std::string, std::string>& metadata = {}) const;

    // Routes stored trace queries (or a list of questions) through draft and through the active
    // rules without calling any model, and projects the monthly cost of both. Fails with
    // InvalidArgument when draft has errors, NotFound when there is nothing to replay, and
    // Cancelled when options.cancel is set.
    Result<ReplayReport> replay(const std::vector<RoutingRule>& draft, const ReplayOptions& options);

    // The newest traces first.
    Result<std::vector<TraceSummary>> recentTraces(int limit);

    // The stored result of one trace, including its spans.
    Result<QueryResult> trace(std::int64_t traceId);

    // Review queue. The pipeline queues a trace once per flag kind it raised: "guardrail_block"
    // for a blocked question, "unsupported_claim" and "pii_leak" from the output validator.
    // Answers served from the cache are not queued again.
    Result<std::vector<ReviewItem>> reviewItems(const ReviewFilter& filter);
    Result<ReviewCounts> reviewCounts(const ReviewFilter& filter);
    Result<ReviewItem> reviewItem(std::int64_t id);

    // Queues an item by hand, for other components (eval runs, alerts). kind must be one of
    // ReviewItem::kind's values; traceId, when not 0, must name a stored trace.
    Result<std::int64_t> addReviewItem(const std::string& kind, std::int64_t traceId, const std::string& evalRef,
                                       const std::string& detail);

    // Stores a verdict ("correct", "hallucination" or "false_alarm"), the note and the
    // corrected answer, and marks the item done. Fails with InvalidArgument for another
    // verdict and NotFound for an unknown id; the item is then unchanged.
    Status setReviewVerdict(std::int64_t id, const std::string& verdict, const std::string& note,
                            const std::string& correctedAnswer);

    // Adds a phrase to the input guard's allow-list (InputGuardOptions::allowList) and stores
    // the settings. Rejects an empty phrase and one over 64 words; adding a phrase twice is a
    // no-op.
    Status addToAllowList(const std::string& phrase);

    // Appends one reviewed item to the named eval data set as its newest version: the question,
    // the corrected answer (or the original one for the verdict "correct") as the reference,
    // and the retrieved passages as reference contexts. Creates the data set when it does not
    // exist. Rejects items without a trace or without an answer to trust. Returns the new
    // version's number.
    Result<int> addReviewItemToDataset(std::int64_t reviewItemId, const std::string& datasetName);

    // Writes the matching items to path as JSON lines in the given format and returns the
    // number of lines written. The Dataset format takes items with the verdict "correct"
    // (the original answer, or the corrected one when set) and items with a corrected answer
    // whatever their verdict, with the contexts the trace retrieved; other items are skipped.
    Result<std::int64_t> exportReview(const std::string& path, ReviewExportFormat format,
                                      const ReviewFilter& filter);

    // Dashboard figures of a time range in buckets (see metrics.h); cancel may be set from
    // another thread.
    Result<MetricsReport> metrics(const MetricsQuery& query, const std::atomic<bool>* cancel = nullptr);

    // The stored traces that match filter, for the Traces panel.
    Result<std::vector<TraceRow>> listTraces(const TraceFilter& filter);

    // Writes synthetic traces marked as such, priced with the workspace's price table, and
    // returns how many were written.
    Result<std::int64_t> generateSyntheticTraces(const SyntheticTraceOptions& options);

    // The selected traces as an OTLP/JSON ExportTraceServiceRequest. Fails with NotFound when
    // there is no trace to export.
    // NOTE: the whole document is built in memory, a few kilobytes per trace, so exports of
    // hundreds of thousands of traces need that much memory at once.
    Result<std::string> otlpExport(const OtlpExportOptions& options);

    // Writes otlpExport to path through a temporary file and returns the number of traces.
    Result<std::int64_t> exportOtlpFile(const std::string& path, const OtlpExportOptions& options);

    // POSTs otlpExport to an OTLP/HTTP traces endpoint such as http://127.0.0.1:4318/v1/traces.
    // Fails with IoError naming the endpoint (without user info or query) when the collector
    // answers with a status other than 2xx.
    Result<std::int64_t> sendOtlp(const std::string& endpointUrl, const OtlpExportOptions& options);

    // Documents with their status, for the Documents panel.
    struct DocumentRow {
        std::int64_t id = 0;
        std::string path;
        std::string title;
        std::string status;  // "indexed" or "failed"
        std::string error;
        int chunks = 0;
        std::int64_t indexedAtMs = 0;
    };
    Result<std::vector<DocumentRow>> documents();

    WorkspaceStats stats();

private:
    struct Impl;
    explicit Engine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Where a workspace lives when none is named: $LLMOPS_WORKSPACE, else
// $XDG_DATA_HOME/llmops/workspace.llmops, else ~/.local/share/llmops/workspace.llmops.
std::string defaultWorkspacePath();

// Serialises a query result as the JSON object printed by `llmops ask --json`.
std::string queryResultToJson(const QueryResult& result);

} // namespace llmops
