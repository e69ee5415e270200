// SPDX-License-Identifier: MIT
// Dashboard figures over the traces table: per-bucket counts, costs and latency percentiles,
// and the filtered trace list.
#include "TraceMetrics.h"

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

// The raw values of one bucket before its percentiles are taken.
struct BucketSamples {
    MetricsFigures figures;
    std::vector<std::int64_t> latencies;
    std::vector<std::int64_t> firstTokens;
};

void addRow(BucketSamples& samples, const std::string& status, double cost, std::int64_t totalUs,
            std::int64_t firstToken, bool unsupported)
{
    MetricsFigures& figures = samples.figures;
    ++figures.queries;
    figures.costUsd += cost;
    figures.blocked += status == "blocked" ? 1 : 0;
    figures.cached += status == "cached" ? 1 : 0;
    figures.errors += status == "error" ? 1 : 0;
    if (status != "blocked" && status != "error") {
        ++figures.answered;
        figures.unsupported += unsupported ? 1 : 0;
    }
    samples.latencies.push_back(totalUs);
    if (firstToken > 0)
        samples.firstTokens.push_back(firstToken);
}

// Sorts the samples and fills the latency figures; the samples are released afterwards.
void finishSamples(BucketSamples& samples)
{
    std::sort(samples.latencies.begin(), samples.latencies.end());
    std::sort(samples.firstTokens.begin(), samples.firstTokens.end());
    LatencyFigures& latency = samples.figures.latency;
    latency.p50Us = nearestRankPercentile(samples.latencies, 50.0);
    latency.p95Us = nearestRankPercentile(samples.latencies, 95.0);
    latency.firstTokenP50Us = nearestRankPercentile(samples.firstTokens, 50.0);
    latency.firstTokenP95Us = nearestRankPercentile(samples.firstTokens, 95.0);
    samples.latencies = {};
    samples.firstTokens = {};
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

// Reads every trace of [fromMs, toMs) once; rows before query.fromMs go to the previous period.
Status scanTraces(Database& database, const MetricsQuery& query, std::int64_t previousFromMs,
                  std::vector<BucketSamples>& buckets, BucketSamples& total, BucketSamples& previous,
                  const std::atomic<bool>* cancel)
{
    Statement scan(database, R"sql(
        SELECT started_at, status, cost_usd, total_us, first_token_us, instr(flags, 'unsupported_claim') > 0
        FROM traces INDEXED BY traces_metrics WHERE started_at >= ? AND started_at < ?)sql");
    scan.bind(1, previousFromMs).bind(2, query.toMs);
    std::int64_t rows = 0;
    while (scan.step()) {
        if (cancel != nullptr && (++rows & 0xFFFF) == 0 && cancel->load())
            return Status::cancelled("the dashboard refresh was cancelled");
        const std::int64_t startedAt = scan.columnInt(0);
        const std::string status = scan.columnText(1);
        const double cost = scan.columnDouble(2);
        const std::int64_t totalUs = scan.columnInt(3);
        const std::int64_t firstToken = scan.columnInt(4);
        const bool unsupported = scan.columnInt(5) != 0;
        if (startedAt < query.fromMs) {
            addRow(previous, status, cost, totalUs, firstToken, unsupported);
            continue;
        }
        const auto index = static_cast<std::size_t>((startedAt - query.fromMs) / query.bucketMs);
        addRow(buckets[index], status, cost, totalUs, firstToken, unsupported);
        addRow(total, status, cost, totalUs, firstToken, unsupported);
    }
    return scan.status();
}

Result<std::vector<ModelRouteCost>> costsByModelRoute(Database& database, const MetricsQuery& query)
{
    Statement group(database, R"sql(
        SELECT (started_at - ?1) / ?3, model, route, SUM(cost_usd), COUNT(*)
        FROM traces INDEXED BY traces_metrics WHERE started_at >= ?1 AND started_at < ?2
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3)sql");
    group.bind(1, query.fromMs).bind(2, query.toMs).bind(3, query.bucketMs);
    std::vector<ModelRouteCost> costs;
    while (group.step()) {
        costs.push_back({query.fromMs + group.columnInt(0) * query.bucketMs, group.columnText(1), group.columnText(2),
                         group.columnDouble(3), group.columnInt(4)});
    }
    if (!group.status().isOk())
        return group.status();
    return costs;
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

    std::vector<BucketSamples> buckets(bucketCount);
    BucketSamples total;
    BucketSamples previous;
    Status status = scanTraces(database, query, query.fromMs - length, buckets, total, previous, cancel);
    if (!status.isOk())
        return status;

    for (std::size_t i = 0; i < buckets.size(); ++i) {
        finishSamples(buckets[i]);
        report.buckets.push_back({query.fromMs + static_cast<std::int64_t>(i) * query.bucketMs, buckets[i].figures});
    }
    finishSamples(total);
    finishSamples(previous);
    report.totals = total.figures;
    report.previousTotals = previous.figures;

    Result<std::vector<ModelRouteCost>> costs = costsByModelRoute(database, query);
    if (!costs.isOk())
        return costs.status();
    report.costs = std::move(costs.value());
    return report;
}

std::int64_t firstTokenUs(const std::vector<Span>& spans)
{
    // The answering attempt is the last successful generator span.
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
