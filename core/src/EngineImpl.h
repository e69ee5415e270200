// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>

#include "HttpEmbedder.h"
#include "ModelCalls.h"
#include "Router.h"
#include "SpanRecorder.h"
#include "VectorIndex.h"
#include "WorkspaceStore.h"
#include "llmops/cost.h"
#include "llmops/embedder.h"
#include "llmops/engine.h"

namespace llmops {

// What the vector index and the re-embedding check see of a chunk: its heading path and text
// on two lines, so that a section title helps a chunk that never repeats it.
inline std::string embeddingText(const std::string& headingPath, const std::string& text)
{
    return headingPath + "\n" + text;
}

struct Engine::Impl {
    WorkspaceStore store;
    PipelineSettings settings = PipelineSettings::defaults();
    std::unique_ptr<Embedder> embedder = std::make_unique<HashingEmbedder>();
    VectorIndex index{embedder->dimension()};
    // Set when the configured embedder could not embed the workspace at open: queries then
    // use keyword search alone and indexing is refused, so no vectors of two spaces mix.
    std::string embedderProblem;
    std::unique_ptr<Router> router;
    int activeRuleSet = 0;    // the rule set version the router was built from
    ModelCaller modelCaller;  // keeps each endpoint's failure count for cooldowns
    PriceTable prices;

    // Vectors of chunks stored in this indexing run but not yet in the graph: inserting them in
    // batches lets every core work on the graph at once.
    static constexpr std::size_t kVectorBatchSize = 4096;
    std::vector<std::pair<std::int64_t, std::vector<float>>> pendingVectors;
    Status pendingStatus;

    std::string indexPath() const { return store.path() + ".hnsw"; }

    // The number of chunks, counted again only when the index version changed.
    std::int64_t chunkCount()
    {
        const std::int64_t version = store.indexVersion();
        if (version != countedVersion) {
            cachedChunkCount = store.chunkCount();
            countedVersion = version;
        }
        return cachedChunkCount;
    }
    std::int64_t cachedChunkCount = 0;
    std::int64_t countedVersion = -1;

    Status loadSettings();

    // Replaces the settings and what is derived from them: the router and the JSON text that
    // every cache key includes, serialised once here rather than per question.
    void applySettings(PipelineSettings newSettings);
    std::string settingsJson;
    Status loadPrices();
    // Makes the embedder that `wanted` describes the workspace's embedder. Stored vectors stay
    // when they came from the same embedder; otherwise every chunk is embedded again and the
    // vector index rebuilt. On failure the current embedder and vectors stay.
    // With probe, an embedder that keeps the stored vectors must still answer one text, so a
    // settings change to a dead URL is rejected at once rather than degrading every question.
    Status useEmbedder(const EmbedderSettings& wanted, bool probe = false);
    Status reembedAll(Embedder& candidate);

    // Records the settings' rules as version 1 in a workspace that has no rule set yet.
    Status loadRuleSet();
    // Stores settings whose rules replace the active rule set: a new version when the rules
    // changed or newVersion is set (with note), then the settings, in one transaction.
    Status storeSettingsWithRules(const PipelineSettings& newSettings, const std::string& note,
                                  bool newVersion = false);
    Status loadOrRebuildIndex();
    Status rebuildIndex();
    Status saveIndex();

    // Indexes one file and returns its outcome; the workspace and the vector index change
    // only when the whole file succeeded.
    FileOutcome indexFile(const std::string& path);
    void replaceVectors(const std::vector<std::int64_t>& removed, const std::vector<std::int64_t>& added,
                        std::vector<std::vector<float>> vectors);
    Status flushPendingVectors();

    // Removes the stored documents under the given folders whose files no longer exist.
    void removeVanishedDocuments(const std::vector<std::string>& paths, IndexReport* report);

    // Stores the trace (and, when cacheKey is set, the cache entry) and returns the result
    // with its trace id and the trace writer's span.
    Result<QueryResult> finishQuery(QueryResult result, SpanRecorder& spans, std::int64_t startedAtMs,
                                    const std::string& status, const std::string& cacheKey);
    Result<QueryResult> finishCachedQuery(QueryResult stored, QueryResult current, SpanRecorder& spans,
                                          std::int64_t startedAtMs);
};

} // namespace llmops
