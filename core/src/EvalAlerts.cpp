// SPDX-License-Identifier: MIT
// Alert rules over eval runs and reviewer verdicts; a firing alert is stored and queued for review.
#include "llmops/eval_alerts.h"

#include <chrono>
#include <cstdio>

#include "llmops/engine.h"

namespace llmops {
namespace {

std::string fixed(double value, int digits)
{
    char text[64];
    std::snprintf(text, sizeof(text), "%.*f", digits, value);
    return text;
}

Result<FiredAlert> fire(Engine& engine, EvalStore& store, EvalStore::Alert alert)
{
    Result<std::int64_t> stored = store.saveAlert(alert);
    if (!stored.isOk())
        return stored.status();
    std::string reference = "run ";
    reference += std::to_string(alert.runId);
    Result<std::int64_t> queued = engine.addReviewItem("alert", 0, reference, alert.rule + ": " + alert.detail);
    if (!queued.isOk())
        return queued.status();
    return FiredAlert{stored.value(), alert.rule, alert.detail, {queued.value()}};
}

} // namespace

Result<std::vector<FiredAlert>> raiseDropAlerts(Engine& engine, EvalStore& store, const EvalComparison& comparison,
                                                double threshold)
{
    std::vector<FiredAlert> fired;
    for (const MetricDelta& drop : metricDrops(comparison, threshold)) {
        const std::string metric = evalMetricName(drop.metric);
        EvalStore::Alert alert;
        alert.rule = metric + " mean drops by more than " + fixed(threshold, 3) + " against run " +
                     std::to_string(comparison.runA);
        alert.detail = metric + " " + fixed(drop.meanA, 3) + " -> " + fixed(drop.meanB, 3) + " over " +
                       std::to_string(drop.pairs) + " paired items, 95% CI of the change [" +
                       fixed(drop.interval.low, 3) + ", " + fixed(drop.interval.high, 3) + "]";
        alert.runId = comparison.runB;
        alert.baselineRunId = comparison.runA;
        Result<FiredAlert> result = fire(engine, store, alert);
        if (!result.isOk())
            return result.status();

        // The items whose metric fell go to the review queue, where a reviewer can judge them.
        for (const ItemDelta& item : comparison.regressed) {
            const auto& change = item.deltas[static_cast<int>(drop.metric)];
            if (!change || *change >= 0.0)
                continue;
            std::string reference = "run " + std::to_string(comparison.runB);
            reference += " item ";
            reference += std::to_string(item.itemId);
            Result<std::int64_t> queued = engine.addReviewItem(
                "eval_regression", 0, reference, metric + " fell by " + fixed(-*change, 3) + ": " + item.question);
            if (!queued.isOk())
                return queued.status();
            result.value().reviewItemIds.push_back(queued.value());
        }
        fired.push_back(std::move(result).value());
    }
    return fired;
}

Result<std::vector<FiredAlert>> checkHallucinationRate(Engine& engine, EvalStore& store, double maxShare,
                                                       std::int64_t windowMs, std::int64_t runId)
{
    using namespace std::chrono;
    const std::int64_t now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    ReviewFilter filter;
    filter.fromMs = now - windowMs;
    Result<ReviewCounts> counts = engine.reviewCounts(filter);
    if (!counts.isOk())
        return counts.status();
    const std::int64_t judged = counts.value().correct + counts.value().hallucination + counts.value().falseAlarm;
    if (judged == 0)
        return std::vector<FiredAlert>{};
    const double share = static_cast<double>(counts.value().hallucination) / static_cast<double>(judged);
    if (share <= maxShare)
        return std::vector<FiredAlert>{};

    EvalStore::Alert alert;
    alert.rule = "hallucination rate above " + fixed(maxShare * 100.0, 1) + "% over the last " +
                 fixed(static_cast<double>(windowMs) / 3600000.0, 1) + " h";
    alert.detail = std::to_string(counts.value().hallucination) + " of " + std::to_string(judged) +
                   " judged items (" + fixed(share * 100.0, 1) + "%)";
    alert.runId = runId;
    Result<FiredAlert> result = fire(engine, store, alert);
    if (!result.isOk())
        return result.status();
    return std::vector<FiredAlert>{std::move(result).value()};
}

} // namespace llmops
