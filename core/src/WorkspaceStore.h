// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "Sqlite.h"
#include "llmops/engine.h"
#include "llmops/ingest.h"
#include "llmops/status.h"
#include "llmops/types.h"

namespace llmops {

// The newest schema this build writes; migrations bring older workspaces up to it.
constexpr int kSchemaVersion = 6;

// Applies migrations 1..targetVersion that the database has not seen yet, each in its own
// transaction. Exposed so that tests can build an older workspace.
Status migrateSchema(Database& database, int targetVersion);

// A document as stored before re-indexing it.
struct StoredDocument {
    std::int64_t id = 0;
    std::string contentHash;
    std::string status;
};

// A document ready to be written: its parsed form, chunks and one vector per chunk.
struct DocumentWrite {
    std::string path;
    std::string title;
    std::string metadataJson;
    std::string contentHash;
    std::int64_t mtime = 0;
    std::int64_t size = 0;
    std::vector<ChunkDraft> chunks;
    std::vector<std::vector<float>> vectors;
    std::string embedderId;
};

// A rule set version as stored, with its rules as JSON (rulesToJson).
struct StoredRuleSet {
    int version = 0;
    std::string rulesJson;
    std::string note;
    std::int64_t createdAtMs = 0;
};

// What replay reads of one stored trace.
struct ReplayTrace {
    std::int64_t id = 0;
    std::int64_t startedAtMs = 0;
    std::string query;
    std::string model;
    std::string flags;         // comma-separated flag kinds
    std::string metadataJson;  // a JSON object of strings
    TokenUsage usage;
};

// SQL access to one workspace file. Methods return Status values naming the workspace path.
class WorkspaceStore {
public:
    // Opens the file, refusing one that is not an SQLite database or not a workspace, turns on
    // WAL and foreign keys, and migrates the schema forward.
    Status open(const std::string& path);
    const std::string& path() const { return m_path; }
    Database& database() { return m_database; }

    std::optional<std::string> setting(const std::string& key);
    Status setSetting(const std::string& key, const std::string& value);

    // Bumped in the same transaction as every change to documents, so caches keyed by it and
    // the saved vector index can tell whether they are stale.
    std::int64_t indexVersion();

    std::optional<StoredDocument> findDocument(const std::string& path);

    // Replaces the document's chunks and embeddings in one transaction. removedChunkIds gets
    // the ids that disappeared, addedChunkIds the new ids in chunk order.
    Status writeDocument(const DocumentWrite& document, std::vector<std::int64_t>* removedChunkIds,
                         std::vector<std::int64_t>* addedChunkIds);

    // Paths of the stored documents whose path starts with folder (which ends with '/').
    std::vector<std::string> documentsUnder(const std::string& folder);

    // Deletes a document with its chunks, embeddings and full-text rows in one transaction,
    // bumping the index version; removedChunkIds gets the chunk ids that were deleted.
    Status removeDocument(const std::string& path, std::vector<std::int64_t>* removedChunkIds);

    // Marks a document failed with the reason; chunks stored for it earlier stay searchable.
    Status recordFailure(const std::string& path, const std::string& error);

    // Calls visit for every stored embedding of the given embedder.
    Status forEachEmbedding(const std::function<void(std::int64_t, const std::vector<float>&)>& visit);
    std::int64_t embeddingCount();

    // The number of chunks each of the given terms occurs in, from the full-text index's
    // vocabulary. Terms are looked up as given (the index stores porter stems), so a word whose
    // stem differs is missing from the result.
    std::unordered_map<std::string, std::int64_t> termDocumentCounts(const std::vector<std::string>& terms);
    std::int64_t chunkCount();

    // Chunk ids ranked by BM25 for an FTS5 MATCH expression, best first.
    Result<std::vector<std::int64_t>> keywordSearch(const std::string& matchExpression, int limit);

    // Loads chunks with their document path and title, in the order of ids.
    Result<std::vector<RetrievalHit>> loadHits(const std::vector<std::int64_t>& chunkIds);

    // Every chunk's id and text, for re-embedding after the embedder changed.
    Status forEachChunk(const std::function<void(std::int64_t, const std::string&)>& visit);
    Status replaceEmbedding(std::int64_t chunkId, const std::vector<float>& vector, const std::string& embedderId);

    std::optional<std::string> cachedResult(const std::string& key);
    Status storeCachedResult(const std::string& key, const std::string& resultJson);

    // Stores a trace and its spans in one transaction and returns the trace id. finishWriterSpan
    // is called after the other rows are written and returns the trace writer's own span,
    // which is stored last so that its duration covers the writing.
    Result<std::int64_t> insertTrace(const QueryResult& result, const std::string& status,
                                     const std::string& resultJson, std::int64_t startedAtMs,
                                     const std::function<Span()>& finishWriterSpan);
    Result<std::vector<TraceSummary>> recentTraces(int limit);
    // The claim verdicts stored with a trace, in answer order; empty for traces stored before
    // verdicts had their own table.
    Result<std::vector<ClaimVerdict>> traceClaims(std::int64_t traceId);
    Result<std::string> traceResultJson(std::int64_t traceId);
    Result<std::vector<Span>> traceSpans(std::int64_t traceId);

    // Review queue, see Engine's review methods. insertReviewItem runs inside the caller's
    // transaction when there is one.
    Result<std::int64_t> insertReviewItem(const std::string& kind, std::int64_t traceId, const std::string& evalRef,
                                          const std::string& detail);
    Result<std::vector<ReviewItem>> reviewItems(const ReviewFilter& filter);
    Result<ReviewCounts> reviewCounts(const ReviewFilter& filter);
    Result<ReviewItem> reviewItem(std::int64_t id);
    Status setReviewVerdict(std::int64_t id, const std::string& verdict, const std::string& note,
                            const std::string& correctedAnswer);
    bool hasTrace(std::int64_t traceId);

    // Rule set versions, oldest first; the active version number lives in the settings table.
    Result<std::vector<StoredRuleSet>> ruleSets();
    Result<int> insertRuleSet(const std::string& rulesJson, const std::string& note);
    int activeRuleSetVersion();
    Status setActiveRuleSetVersion(int version);

    // Calls visit for the newest `limit` traces that were not blocked, newest first.
    Status forEachReplayTrace(int limit, const std::function<void(const ReplayTrace&)>& visit);

    Result<std::vector<Engine::DocumentRow>> documents();
    WorkspaceStats stats();

private:
    Status checkIsWorkspace(const std::string& path);
    Status bumpIndexVersion();

    Database m_database;
    std::string m_path;
};

} // namespace llmops
