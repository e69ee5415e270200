// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "llmops/eval.h"

namespace llmops {

// What the metrics read of one answered item. Contexts are the retrieved chunk texts, best
// first. docs/METRICS.md gives each formula.
struct MetricInput {
    std::string question;
    std::string answer;
    std::vector<std::string> contexts;
    std::string reference;                       // empty: reference contexts stand in for it
    std::vector<std::string> referenceContexts;
};

// Offline estimators, built on the output validator's claim splitter and support score and on
// the hashing embedder. Each returns a score in [0, 1], or nothing when it cannot be measured.
std::optional<double> offlineFaithfulness(const MetricInput& input, double supportThreshold = 0.5);
std::optional<double> offlineAnswerRelevancy(const MetricInput& input);
std::optional<double> offlineContextRecall(const MetricInput& input, double supportThreshold = 0.5);
std::optional<double> offlineContextPrecision(const MetricInput& input, double supportThreshold = 0.5);
EvalScores offlineScores(const MetricInput& input, double supportThreshold = 0.5);

// The rank-aware precision of context precision: the mean of precision@k over the ranks k whose
// chunk is relevant, 0 when none is.
double rankAwarePrecision(const std::vector<bool>& relevant);

class Generator;

// The system prompt of every judge call, recorded with the run.
extern const char* const kJudgeSystemPrompt;

// Scores with a judge model by RAGAS's method: statements extracted and checked against the
// context (faithfulness), questions written back from the answer (relevancy, cosine on the
// hashing embedder), reference sentences attributed to the context (recall) and chunks marked
// useful (precision). A score whose reply is missing or malformed stays unmeasured.
EvalScores judgeScores(Generator& judge, const MetricInput& input, const std::atomic<bool>* cancel = nullptr);

// promptfoo assertions (EvalItem::assertionsJson) checked against an answer: equals (after
// trimming), contains, icontains, regex (patterns limited as routing patterns are) and similar
// (hashing-embedder cosine at least the threshold, 0.75 by default). llm-rubric and patterns
// that fail the check are counted as unchecked.
struct AssertionOutcome {
    int passed = 0;
    int failed = 0;
    int unchecked = 0;
};
AssertionOutcome checkAssertions(const std::string& assertionsJson, const std::string& answer);

// The mean of one metric over a run and the number of items it could not measure.
struct MetricSummary {
    double mean = 0.0;
    std::int64_t measured = 0;
    std::int64_t unmeasured = 0;
};
MetricSummary summarise(const std::vector<EvalResult>& results, EvalMetric metric);

// Percentile bootstrap confidence interval of the mean of values: `resamples` means of
// samples drawn with replacement from a std::mt19937_64 seeded with seed.
struct ConfidenceInterval {
    double low = 0.0;
    double high = 0.0;
};
ConfidenceInterval bootstrapMeanInterval(const std::vector<double>& values, int resamples, std::uint64_t seed,
                                         double level = 0.95);

// One metric of run B against run A over the items both runs measured.
struct MetricDelta {
    EvalMetric metric = EvalMetric::Faithfulness;
    std::int64_t pairs = 0;
    double meanA = 0.0;
    double meanB = 0.0;
    double delta = 0.0;         // mean of B - A over the pairs
    ConfidenceInterval interval;
    bool significant = false;   // the interval excludes zero
};

// One item whose scores changed: delta is the mean change over the metrics both runs measured.
struct ItemDelta {
    std::int64_t itemId = 0;
    std::string question;
    double delta = 0.0;
    EvalScores deltas;
};

struct EvalComparison {
    std::int64_t runA = 0;
    std::int64_t runB = 0;
    std::vector<MetricDelta> metrics;  // one per metric, in EvalMetric order
    std::vector<ItemDelta> regressed;  // worst first
    std::vector<ItemDelta> improved;   // best first
    std::int64_t pairedItems = 0;
    double meanCostDeltaUsd = 0.0;     // per item, B - A
    double meanLatencyDeltaMs = 0.0;   // per item, B - A
    int resamples = 0;
    std::uint64_t seed = 0;
};

// Pairs the results of two runs by question and compares them; runA is the baseline.
constexpr int kBootstrapResamples = 2000;
constexpr std::uint64_t kBootstrapSeed = 20260701;
EvalComparison compareRuns(std::int64_t runA, const std::vector<EvalResult>& a, std::int64_t runB,
                           const std::vector<EvalResult>& b, int resamples = kBootstrapResamples,
                           std::uint64_t seed = kBootstrapSeed);

// The metrics whose mean dropped by more than threshold from A to B.
std::vector<MetricDelta> metricDrops(const EvalComparison& comparison, double threshold);

} // namespace llmops
