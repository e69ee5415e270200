// SPDX-License-Identifier: MIT
// Offline estimators of the four RAG metrics; the formulas are in docs/METRICS.md.
#include "llmops/eval_metrics.h"

#include <algorithm>
#include <numeric>

#include "llmops/embedder.h"
#include "llmops/text.h"
#include "llmops/validator.h"

namespace llmops {
namespace {

std::vector<RetrievalHit> hitsOf(const std::vector<std::string>& texts)
{
    std::vector<RetrievalHit> hits(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
        hits[i].chunk.text = texts[i];
    return hits;
}

// The reference the recall and precision metrics compare against: the reference answer, else
// the reference contexts joined as sentences.
std::string referenceText(const MetricInput& input)
{
    if (!trimmed(input.reference).empty())
        return input.reference;
    std::string joined;
    for (const std::string& context : input.referenceContexts) {
        joined += context;
        joined += "\n";
    }
    return joined;
}

// Share of claims whose best support in contexts reaches the threshold; nothing without claims.
std::optional<double> supportedShare(const std::string& text, const std::vector<std::string>& contexts,
                                     double threshold)
{
    const ValidationReport report = validateAnswer(text, hitsOf(contexts), ValidationOptions{threshold});
    if (report.claims.empty())
        return std::nullopt;
    const auto supported = std::count_if(report.claims.begin(), report.claims.end(),
                                         [](const ClaimVerdict& claim) { return claim.supported; });
    return static_cast<double>(supported) / static_cast<double>(report.claims.size());
}

double cosine(const std::vector<float>& a, const std::vector<float>& b)
{
    return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

} // namespace

std::optional<double> offlineFaithfulness(const MetricInput& input, double supportThreshold)
{
    return supportedShare(input.answer, input.contexts, supportThreshold);
}

std::optional<double> offlineAnswerRelevancy(const MetricInput& input)
{
    // Without a model to write questions back from the answer, the answer itself replaces
    // them. The hashing embedder's vectors are unit length, so their product is the cosine.
    const HashingEmbedder embedder;
    const std::vector<float> question = embedder.embedOne(input.question);
    const std::vector<float> answer = embedder.embedOne(input.answer);
    const bool empty = std::all_of(answer.begin(), answer.end(), [](float v) { return v == 0.0f; });
    if (empty)
        return std::nullopt;
    return std::clamp(cosine(question, answer), 0.0, 1.0);
}

std::optional<double> offlineContextRecall(const MetricInput& input, double supportThreshold)
{
    const std::string reference = referenceText(input);
    const std::optional<double> share = supportedShare(reference, input.contexts, supportThreshold);
    if (!share)
        return std::nullopt;
    return input.contexts.empty() ? 0.0 : *share;
}

std::optional<double> offlineContextPrecision(const MetricInput& input, double supportThreshold)
{
    const std::string reference = referenceText(input);
    if (!supportedShare(reference, {}, supportThreshold))
        return std::nullopt;  // no reference claims to judge relevance by

    // A chunk is relevant when it supports at least one reference claim on its own.
    std::vector<bool> relevant;
    for (const std::string& context : input.contexts) {
        const std::optional<double> share = supportedShare(reference, {context}, supportThreshold);
        relevant.push_back(share && *share > 0.0);
    }
    return rankAwarePrecision(relevant);
}

double rankAwarePrecision(const std::vector<bool>& relevant)
{
    // Precision at each relevant rank is averaged, so relevant chunks ranked low count less.
    double sum = 0.0;
    int found = 0;
    for (std::size_t k = 0; k < relevant.size(); ++k) {
        if (!relevant[k])
            continue;
        ++found;
        sum += static_cast<double>(found) / static_cast<double>(k + 1);
    }
    return found == 0 ? 0.0 : sum / found;
}

EvalScores offlineScores(const MetricInput& input, double supportThreshold)
{
    EvalScores scores;
    scores[static_cast<int>(EvalMetric::Faithfulness)] = offlineFaithfulness(input, supportThreshold);
    scores[static_cast<int>(EvalMetric::AnswerRelevancy)] = offlineAnswerRelevancy(input);
    scores[static_cast<int>(EvalMetric::ContextRecall)] = offlineContextRecall(input, supportThreshold);
    scores[static_cast<int>(EvalMetric::ContextPrecision)] = offlineContextPrecision(input, supportThreshold);
    return scores;
}

const char* evalMetricName(EvalMetric metric)
{
    switch (metric) {
    case EvalMetric::Faithfulness: return "faithfulness";
    case EvalMetric::AnswerRelevancy: return "answer_relevancy";
    case EvalMetric::ContextRecall: return "context_recall";
    case EvalMetric::ContextPrecision: return "context_precision";
    }
    return "";
}

const char* evalMetricName(int metric)
{
    return evalMetricName(static_cast<EvalMetric>(metric));
}

MetricSummary summarise(const std::vector<EvalResult>& results, EvalMetric metric)
{
    MetricSummary summary;
    double sum = 0.0;
    for (const EvalResult& result : results) {
        const std::optional<double>& score = result.scores[static_cast<int>(metric)];
        if (!score) {
            ++summary.unmeasured;
            continue;
        }
        sum += *score;
        ++summary.measured;
    }
    summary.mean = summary.measured > 0 ? sum / static_cast<double>(summary.measured) : 0.0;
    return summary;
}

} // namespace llmops
