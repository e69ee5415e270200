// SPDX-License-Identifier: MIT
// Paired comparison of two eval runs with bootstrap confidence intervals.
#include "llmops/eval_metrics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace llmops {
namespace {

double mean(const std::vector<double>& values)
{
    if (values.empty())
        return 0.0;
    double sum = 0.0;
    for (double value : values)
        sum += value;
    return sum / static_cast<double>(values.size());
}

// The value at quantile q of sorted values, interpolating between neighbours.
double quantile(const std::vector<double>& sorted, double q)
{
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double weight = position - static_cast<double>(below);
    return sorted[below] * (1.0 - weight) + sorted[above] * weight;
}

MetricDelta compareMetric(EvalMetric metric, const std::vector<std::pair<const EvalResult*, const EvalResult*>>& pairs,
                          int resamples, std::uint64_t seed)
{
    MetricDelta delta;
    delta.metric = metric;
    std::vector<double> a;
    std::vector<double> b;
    std::vector<double> differences;
    for (const auto& [left, right] : pairs) {
        const auto& scoreA = left->scores[static_cast<int>(metric)];
        const auto& scoreB = right->scores[static_cast<int>(metric)];
        if (!scoreA || !scoreB)
            continue;
        a.push_back(*scoreA);
        b.push_back(*scoreB);
        differences.push_back(*scoreB - *scoreA);
    }
    delta.pairs = static_cast<std::int64_t>(differences.size());
    delta.meanA = mean(a);
    delta.meanB = mean(b);
    delta.delta = mean(differences);
    // Each metric gets its own stream, so adding a metric leaves the others' intervals alone.
    delta.interval = bootstrapMeanInterval(differences, resamples, seed + static_cast<std::uint64_t>(metric));
    delta.significant = delta.pairs > 1 && (delta.interval.low > 0.0 || delta.interval.high < 0.0);
    return delta;
}

ItemDelta itemDelta(const EvalResult& a, const EvalResult& b)
{
    ItemDelta item;
    item.itemId = b.itemId;
    item.question = b.question;
    int counted = 0;
    for (int m = 0; m < kEvalMetricCount; ++m) {
        if (!a.scores[m] || !b.scores[m])
            continue;
        item.deltas[m] = *b.scores[m] - *a.scores[m];
        item.delta += *item.deltas[m];
        ++counted;
    }
    if (counted > 0)
        item.delta /= counted;
    return item;
}

} // namespace

ConfidenceInterval bootstrapMeanInterval(const std::vector<double>& values, int resamples, std::uint64_t seed,
                                         double level)
{
    if (values.empty() || resamples <= 0)
        return {};
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<std::size_t> pick(0, values.size() - 1);
    std::vector<double> means(static_cast<std::size_t>(resamples));
    for (double& resampledMean : means) {
        double sum = 0.0;
        for (std::size_t i = 0; i < values.size(); ++i)
            sum += values[pick(random)];
        resampledMean = sum / static_cast<double>(values.size());
    }
    std::sort(means.begin(), means.end());
    const double tail = (1.0 - level) / 2.0;
    return {quantile(means, tail), quantile(means, 1.0 - tail)};
}

EvalComparison compareRuns(std::int64_t runA, const std::vector<EvalResult>& a, std::int64_t runB,
                           const std::vector<EvalResult>& b, int resamples, std::uint64_t seed)
{
    EvalComparison comparison;
    comparison.runA = runA;
    comparison.runB = runB;
    comparison.resamples = resamples;
    comparison.seed = seed;

    // Items pair by question, so runs of two versions of a data set compare on what they share.
    std::map<std::string, const EvalResult*> byQuestion;
    for (const EvalResult& result : a)
        byQuestion.emplace(result.question, &result);
    std::vector<std::pair<const EvalResult*, const EvalResult*>> pairs;
    for (const EvalResult& result : b) {
        const auto found = byQuestion.find(result.question);
        if (found != byQuestion.end())
            pairs.emplace_back(found->second, &result);
    }
    comparison.pairedItems = static_cast<std::int64_t>(pairs.size());

    for (int m = 0; m < kEvalMetricCount; ++m)
        comparison.metrics.push_back(compareMetric(static_cast<EvalMetric>(m), pairs, resamples, seed));

    double cost = 0.0;
    double latency = 0.0;
    for (const auto& [left, right] : pairs) {
        cost += right->costUsd - left->costUsd;
        latency += static_cast<double>(right->latencyUs - left->latencyUs) / 1000.0;
        const ItemDelta item = itemDelta(*left, *right);
        if (item.delta < 0.0)
            comparison.regressed.push_back(item);
        else if (item.delta > 0.0)
            comparison.improved.push_back(item);
    }
    if (!pairs.empty()) {
        comparison.meanCostDeltaUsd = cost / static_cast<double>(pairs.size());
        comparison.meanLatencyDeltaMs = latency / static_cast<double>(pairs.size());
    }
    std::stable_sort(comparison.regressed.begin(), comparison.regressed.end(),
                     [](const ItemDelta& x, const ItemDelta& y) { return x.delta < y.delta; });
    std::stable_sort(comparison.improved.begin(), comparison.improved.end(),
                     [](const ItemDelta& x, const ItemDelta& y) { return x.delta > y.delta; });
    return comparison;
}

std::vector<MetricDelta> metricDrops(const EvalComparison& comparison, double threshold)
{
    std::vector<MetricDelta> drops;
    for (const MetricDelta& delta : comparison.metrics) {
        if (delta.pairs > 0 && delta.meanA - delta.meanB > threshold)
            drops.push_back(delta);
    }
    return drops;
}

} // namespace llmops
