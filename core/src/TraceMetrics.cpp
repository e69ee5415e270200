// SPDX-License-Identifier: MIT
// Dashboard figures over the traces table: per-bucket counts, costs and latency percentiles.
#include "TraceMetrics.h"

#include "MetricRollups.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <tuple>

namespace llmops {
namespace {

constexpr std::int64_t kMinBucketMs = 1000;

double share(std::int64_t part, std::int64_t whole)
{
    return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// The samples gathered for one bucket (or period) before its percentiles are taken.
struct Accumulator {
    MetricsFigures figures;
    std::vector<std::int64_t> latencies;
    std::vector<std::int64_t> firstTokens;
};

void merge(Accumulator& target, const TraceSamples& samples)
{
    MetricsFigures& figures = target.figures;
    figures.queries += samples.figures.queries;
    figures.blocked += samples.figures.blocked;
    figures.cached += samples.figures.cached;
    figures.errors += samples.figures.errors;
    figures.answered += samples.figures.answered;
    figures.unsupported += samples.figures.unsupported;
    figures.costUsd += samples.figures.costUsd;
    target.latencies.insert(target.latencies.end(), samples.latencies.begin(), samples.latencies.end());
    target.firstTokens.insert(target.firstTokens.end(), samples.firstTokens.begin(), samples.firstTokens.end());
}

// The value of nearest rank ceil(p/100 * n) without sorting everything: nth_element is linear,
// which matters for the totals of a month of traces.
std::int64_t percentileOf(std::vector<std::int64_t>& values, double p)
{
    if (values.empty())
        return 0;
    const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
    const auto index = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(rank, 1.0)), 1, values.size()) - 1;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
    return values[index];
}

MetricsFigures finish(Accumulator& accumulator)
{
    LatencyFigures& latency = accumulator.figures.latency;
    latency.p50Us = percentileOf(accumulator.latencies, 50.0);
    latency.p95Us = percentileOf(accumulator.latencies, 95.0);
    latency.firstTokenP50Us = percentileOf(accumulator.firstTokens, 50.0);
    latency.firstTokenP95Us = percentileOf(accumulator.firstTokens, 95.0);
    accumulator.latencies = {};
    accumulator.firstTokens = {};
    return accumulator.figures;
}

Status checkQuery(const MetricsQuery& query)
{
    if (query.bucketMs < kMinBucketMs)
        return Status::invalidArgument("bucket size " + std::to_string(query.bucketMs) +
                                       " ms is below one second; choose a bucket of 1 s or more");
    if (query.toMs <= query.fromMs)
        return Status::invalidArgument("the range ends at " + std::to_string(query.toMs) + " ms, not after its start " +
                                       std::to_string(query.fromMs) + " ms; choose an end after the start");
    if ((query.toMs - query.fromMs) / query.bucketMs >= kMaxMetricsBuckets)
        return Status::invalidArgument("the range has more than " + std::to_string(kMaxMetricsBuckets) +
                                       " buckets of " + std::to_string(query.bucketMs) +
                                       " ms; choose larger buckets or a shorter range");
    return Status::ok();
}

// Floors towards minus infinity, so buckets before 1970 line up too.
std::int64_t bucketStart(std::int64_t timeMs, std::int64_t bucketMs)
{
    const std::int64_t remainder = timeMs % bucketMs;
    return remainder < 0 ? timeMs - remainder - bucketMs : timeMs - remainder;
}

// Adds each cost of samples to the bucket's entries, keyed by model and route.
void addCosts(std::map<std::tuple<std::int64_t, std::string, std::string>, ModelRouteCost>& costs,
              std::int64_t bucketStartMs, const TraceSamples& samples)
{
    for (const ModelRouteCost& cost : samples.costs) {
        ModelRouteCost& entry = costs[{bucketStartMs, cost.model, cost.route}];
        entry = {bucketStartMs, cost.model, cost.route, entry.costUsd + cost.costUsd, entry.queries + cost.queries};
    }
}

} // namespace

double MetricsFigures::hallucinationRate() const
{
    return share(unsupported, answered);
}

double MetricsFigures::cacheHitRate() const
{
    return share(cached, queries - blocked);
}

double MetricsFigures::blockRate() const
{
    return share(blocked, queries);
}

std::int64_t nearestRankPercentile(const std::vector<std::int64_t>& sortedValues, double p)
{
    if (sortedValues.empty())
        return 0;
    const double rank = std::ceil(p / 100.0 * static_cast<double>(sortedValues.size()));
    const auto index = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(rank, 1.0)), 1, sortedValues.size());
    return sortedValues[index - 1];
}

Result<MetricsReport> aggregateMetrics(Database& database, const MetricsQuery& requested,
                                       const std::atomic<bool>* cancel)
{
    if (Status status = checkQuery(requested); !status.isOk())
        return status;

    MetricsReport report;
    report.query = requested;
    report.query.fromMs = bucketStart(requested.fromMs, requested.bucketMs);
    const MetricsQuery& query = report.query;
    const std::int64_t length = query.toMs - query.fromMs;
    const auto bucketCount = static_cast<std::size_t>((length + query.bucketMs - 1) / query.bucketMs);
    // Whole hours come from the rollups; shorter buckets and the partial hours at either end
    // of the range are read from the traces.
    const bool hourly = query.bucketMs % kRollupMs == 0;
    const std::int64_t pieceMs = hourly ? kRollupMs : query.bucketMs;

    // One transaction: the rollups written for hours read the first time commit together.
    Transaction transaction(database);
    if (!transaction.beginStatus().isOk())
        return transaction.beginStatus();

    std::vector<Accumulator> buckets(bucketCount);
    Accumulator total;
    Accumulator previous;
    std::map<std::tuple<std::int64_t, std::string, std::string>, ModelRouteCost> costs;
    for (std::int64_t at = query.fromMs - length; at < query.toMs;) {
        if (cancel != nullptr && cancel->load())
            return Status::cancelled("the dashboard refresh was cancelled");
        const std::int64_t pieceStart = bucketStart(at, pieceMs);
        const std::int64_t pieceEnd = std::min(pieceStart + pieceMs, query.toMs);
        const bool wholeHour = hourly && at == pieceStart && pieceEnd == pieceStart + kRollupMs;
        Result<TraceSamples> samples =
            wholeHour ? readHourSamples(database, pieceStart) : readTraceSamples(database, at, pieceEnd);
        if (!samples.isOk())
            return samples.status();

        if (at < query.fromMs) {
            merge(previous, samples.value());
        } else {
            const std::size_t index = static_cast<std::size_t>((at - query.fromMs) / query.bucketMs);
            merge(buckets[index], samples.value());
            merge(total, samples.value());
            addCosts(costs, query.fromMs + static_cast<std::int64_t>(index) * query.bucketMs, samples.value());
        }
        at = pieceEnd;
    }
    if (Status status = transaction.commit(); !status.isOk())
        return status;

    for (std::size_t i = 0; i < buckets.size(); ++i)
        report.buckets.push_back({query.fromMs + static_cast<std::int64_t>(i) * query.bucketMs, finish(buckets[i])});
    report.totals = finish(total);
    report.previousTotals = finish(previous);
    for (auto& [key, cost] : costs)
        report.costs.push_back(std::move(cost));
    return report;
}

std::int64_t firstTokenUs(const std::vector<Span>& spans)
{
    // The attempt that produced the answer is the last successful generator span.
    static constexpr std::string_view kMarker = ", first token ";
    for (auto span = spans.rbegin(); span != spans.rend(); ++span) {
        if (span->name != "generator" || span->status != "ok")
            continue;
        const std::size_t at = span->detail.find(kMarker);
        if (at == std::string::npos)
            return 0;
        const double milliseconds = std::strtod(span->detail.c_str() + at + kMarker.size(), nullptr);
        return span->startUs + static_cast<std::int64_t>(std::llround(milliseconds * 1000.0));
    }
    return 0;
}

} // namespace llmops
