// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <unordered_map>
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
    // chunkCount is the number of chunks in the workspace, used to spot very common terms.
    Retriever(WorkspaceStore& store, VectorIndex& index, Embedder& embedder, std::int64_t chunkCount)
        : m_store(store), m_index(index), m_embedder(embedder), m_chunkCount(chunkCount) {}

    Result<std::vector<RetrievalHit>> retrieve(const std::string& query, const RetrievalSettings& settings);

    // Microseconds the last retrieve() spent in each list and in loading the chunks.
    struct Timings {
        std::int64_t vectorUs = 0;
        std::int64_t keywordUs = 0;
        std::int64_t loadUs = 0;
        // Why the nearest-neighbour list was skipped (the embedder failed), or empty.
        std::string vectorProblem;
    };
    const Timings& timings() const { return m_timings; }

    // Builds an FTS5 MATCH expression that ORs the query's quoted content words, so any
    // punctuation in the query is inert. Returns an empty string when nothing is left.
    static std::string matchExpression(const std::string& query);

    // The query's content words minus those known to occur in more than maxShare of the
    // chunks (and in more than kCommonTermMinChunks of them): BM25 scores every chunk that
    // contains a term, so one very common word costs tens of milliseconds at 100,000 chunks
    // while adding little to the ranking. The rarest word is always kept.
    static std::vector<std::string> selectKeywordTerms(const std::vector<std::string>& words,
                                                       const std::unordered_map<std::string, std::int64_t>& counts,
                                                       std::int64_t chunkCount, double maxShare);
    static constexpr std::int64_t kCommonTermMinChunks = 2000;

private:
    WorkspaceStore& m_store;
    VectorIndex& m_index;
    Embedder& m_embedder;
    std::int64_t m_chunkCount;
    Timings m_timings;
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
