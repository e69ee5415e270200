// SPDX-License-Identifier: MIT
#include "Retriever.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "llmops/text.h"

namespace llmops {

std::vector<FusedCandidate> fuseRankings(const std::vector<std::int64_t>& vectorRanking,
                                         const std::vector<std::int64_t>& keywordRanking,
                                         const RetrievalSettings& settings)
{
    std::unordered_map<std::int64_t, FusedCandidate> byId;
    for (std::size_t i = 0; i < vectorRanking.size(); ++i) {
        FusedCandidate& candidate = byId[vectorRanking[i]];
        candidate.chunkId = vectorRanking[i];
        candidate.vectorRank = static_cast<int>(i) + 1;
        candidate.score += settings.vectorWeight / (settings.rrfK + static_cast<double>(i + 1));
    }
    for (std::size_t i = 0; i < keywordRanking.size(); ++i) {
        FusedCandidate& candidate = byId[keywordRanking[i]];
        candidate.chunkId = keywordRanking[i];
        candidate.keywordRank = static_cast<int>(i) + 1;
        candidate.score += settings.keywordWeight / (settings.rrfK + static_cast<double>(i + 1));
    }

    std::vector<FusedCandidate> fused;
    fused.reserve(byId.size());
    for (const auto& [id, candidate] : byId)
        fused.push_back(candidate);
    std::sort(fused.begin(), fused.end(), [](const FusedCandidate& a, const FusedCandidate& b) {
        return a.score != b.score ? a.score > b.score : a.chunkId < b.chunkId;
    });
    return fused;
}

std::string Retriever::matchExpression(const std::string& query)
{
    // Raw words, not stems: the FTS5 porter tokenizer stems both sides itself.
    std::set<std::string> seen;
    std::string expression;
    for (const std::string& word : tokenizeWords(query)) {
        if (isStopWord(word) || !seen.insert(word).second)
            continue;
        if (!expression.empty())
            expression += " OR ";
        expression += '"' + word + '"';
    }
    return expression;
}

Result<std::vector<RetrievalHit>> Retriever::retrieve(const std::string& query, const RetrievalSettings& settings)
{
    Result<std::vector<std::vector<float>>> embedded = m_embedder.embed({query});
    if (!embedded.isOk())
        return embedded.status();

    std::vector<std::int64_t> vectorRanking;
    std::unordered_map<std::int64_t, double> similarity;
    for (const auto& [chunkId, score] : m_index.search(embedded.value().front(), settings.candidates)) {
        vectorRanking.push_back(chunkId);
        similarity[chunkId] = score;
    }

    std::vector<std::int64_t> keywordRanking;
    if (const std::string expression = matchExpression(query); !expression.empty()) {
        Result<std::vector<std::int64_t>> keyword = m_store.keywordSearch(expression, settings.candidates);
        if (!keyword.isOk())
            return keyword.status();
        keywordRanking = std::move(keyword.value());
    }

    std::vector<FusedCandidate> fused = fuseRankings(vectorRanking, keywordRanking, settings);
    if (fused.size() > static_cast<std::size_t>(settings.topK))
        fused.resize(static_cast<std::size_t>(settings.topK));

    std::vector<std::int64_t> ids;
    for (const FusedCandidate& candidate : fused)
        ids.push_back(candidate.chunkId);
    Result<std::vector<RetrievalHit>> hits = m_store.loadHits(ids);
    if (!hits.isOk())
        return hits;

    for (RetrievalHit& hit : hits.value()) {
        const auto candidate = std::find_if(fused.begin(), fused.end(),
                                            [&](const FusedCandidate& c) { return c.chunkId == hit.chunk.id; });
        hit.vectorRank = candidate->vectorRank;
        hit.keywordRank = candidate->keywordRank;
        hit.fusedScore = candidate->score;
        hit.vectorSimilarity = similarity.contains(hit.chunk.id) ? similarity[hit.chunk.id] : 0.0;
    }
    return hits;
}

} // namespace llmops
