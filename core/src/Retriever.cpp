// SPDX-License-Identifier: MIT
#include "Retriever.h"

#include <algorithm>
#include <chrono>
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

namespace {

// The distinct content words of a query, raw rather than stemmed: the FTS5 porter tokenizer
// stems both sides itself.
std::vector<std::string> keywordCandidates(const std::string& query)
{
    std::set<std::string> seen;
    std::vector<std::string> words;
    for (const std::string& word : tokenizeWords(query)) {
        if (!isStopWord(word) && seen.insert(word).second)
            words.push_back(word);
    }
    return words;
}

std::string orExpression(const std::vector<std::string>& words)
{
    std::string expression;
    for (const std::string& word : words) {
        if (!expression.empty())
            expression += " OR ";
        expression += '"' + word + '"';
    }
    return expression;
}

} // namespace

std::string Retriever::matchExpression(const std::string& query)
{
    return orExpression(keywordCandidates(query));
}

std::vector<std::string> Retriever::selectKeywordTerms(const std::vector<std::string>& words,
                                                       const std::unordered_map<std::string, std::int64_t>& counts,
                                                       std::int64_t chunkCount, double maxShare)
{
    const auto limit = std::max<std::int64_t>(kCommonTermMinChunks,
                                              static_cast<std::int64_t>(maxShare * static_cast<double>(chunkCount)));
    std::vector<std::string> kept;
    std::string rarest;
    std::int64_t rarestCount = -1;
    for (const std::string& word : words) {
        const auto found = counts.find(word);
        const std::int64_t count = found == counts.end() ? 0 : found->second;  // unknown: keep
        if (count <= limit)
            kept.push_back(word);
        if (rarestCount < 0 || count < rarestCount) {
            rarest = word;
            rarestCount = count;
        }
    }
    if (kept.empty() && !rarest.empty())
        kept.push_back(rarest);
    return kept;
}

namespace {

std::int64_t microsecondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

Result<std::vector<RetrievalHit>> Retriever::retrieve(const std::string& query, const RetrievalSettings& settings)
{
    auto start = std::chrono::steady_clock::now();
    // A remote embedder that fails costs the question its nearest-neighbour list, not its
    // answer: BM25 still ranks, and the span and a flag say what was skipped.
    Result<std::vector<std::vector<float>>> embedded = m_embedder.embed({query});
    std::vector<std::int64_t> vectorRanking;
    std::unordered_map<std::int64_t, double> similarity;
    if (embedded.isOk()) {
        for (const auto& [chunkId, score] : m_index.search(embedded.value().front(), settings.candidates)) {
            vectorRanking.push_back(chunkId);
            similarity[chunkId] = score;
        }
    } else {
        m_timings.vectorProblem = embedded.status().message();
    }

    m_timings.vectorUs = microsecondsSince(start);

    start = std::chrono::steady_clock::now();
    std::vector<std::int64_t> keywordRanking;
    std::vector<std::string> words = keywordCandidates(query);
    if (m_chunkCount > kCommonTermMinChunks)
        words = selectKeywordTerms(words, m_store.termDocumentCounts(words), m_chunkCount,
                                   settings.maxKeywordShare);
    if (const std::string expression = orExpression(words); !expression.empty()) {
        Result<std::vector<std::int64_t>> keyword = m_store.keywordSearch(expression, settings.candidates);
        if (!keyword.isOk())
            return keyword.status();
        keywordRanking = std::move(keyword.value());
    }

    m_timings.keywordUs = microsecondsSince(start);

    start = std::chrono::steady_clock::now();
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
    m_timings.loadUs = microsecondsSince(start);
    return hits;
}

} // namespace llmops
