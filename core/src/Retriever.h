// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "VectorIndex.h"
#include "WorkspaceStore.h"
#include "llmops/embedder.h"
#include "llmops/settings.h"

namespace llmops {

// Hybrid retrieval: nearest neighbours from the vector index and BM25 from FTS5, fused by
// weighted reciprocal rank: score = wv / (k + vector rank) + wk / (k + keyword rank), where a
// list that misses the chunk contributes nothing.
class Retriever {
public:
    Retriever(WorkspaceStore& store, VectorIndex& index, Embedder& embedder)
        : m_store(store), m_index(index), m_embedder(embedder) {}

    Result<std::vector<RetrievalHit>> retrieve(const std::string& query, const RetrievalSettings& settings);

    // Builds an FTS5 MATCH expression that ORs the query's quoted content words, so any
    // punctuation in the query is inert. Returns an empty string when nothing is left.
    static std::string matchExpression(const std::string& query);

private:
    WorkspaceStore& m_store;
    VectorIndex& m_index;
    Embedder& m_embedder;
};

// Fuses two ranked lists of chunk ids; exposed for tests. Returns (chunk id, score, vector
// rank, keyword rank) sorted by score, best first, ties broken by the smaller chunk id.
struct FusedCandidate {
    std::int64_t chunkId = 0;
    double score = 0.0;
    int vectorRank = 0;
    int keywordRank = 0;
};
std::vector<FusedCandidate> fuseRankings(const std::vector<std::int64_t>& vectorRanking,
                                         const std::vector<std::int64_t>& keywordRanking,
                                         const RetrievalSettings& settings);

} // namespace llmops
