// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace llmops {

// A time range split into buckets for the dashboard. Times are Unix milliseconds (UTC). Bucket
// starts are multiples of bucketMs counted from the Unix epoch, so hourly and daily buckets
// start on UTC hour and UTC midnight whatever the local time zone; the console converts them
// to local time only for display.
struct MetricsQuery {
    std::int64_t fromMs = 0;       // inclusive; rounded down to a bucket start
    std::int64_t toMs = 0;         // exclusive
    std::int64_t bucketMs = 3600000;
};

// Latency figures of one set of traces, in microseconds, by the nearest-rank method
// (nearestRankPercentile). Zero when the set is empty.
struct LatencyFigures {
    std::int64_t p50Us = 0;
    std::int64_t p95Us = 0;
    std::int64_t firstTokenP50Us = 0;  // over the traces whose model streamed a first token
    std::int64_t firstTokenP95Us = 0;
};

// The counts and sums of one bucket (or of a whole period).
struct MetricsFigures {
    std::int64_t queries = 0;
    std::int64_t blocked = 0;            // status "blocked": stopped by the input guard
    std::int64_t cached = 0;             // status "cached": served from the answer cache
    std::int64_t errors = 0;             // status "error"
    std::int64_t answered = 0;           // neither blocked nor failed: responses a user saw
    std::int64_t unsupported = 0;        // answered with an "unsupported_claim" flag
    double costUsd = 0.0;
    LatencyFigures latency;

    // Shares from 0 to 1; 0 when the denominator is 0.
    double hallucinationRate() const;    // unsupported / answered
    double cacheHitRate() const;         // cached / (queries - blocked)
    double blockRate() const;            // blocked / queries
};

struct MetricsBucket {
    std::int64_t startMs = 0;
    MetricsFigures figures;
};

// Cost of one model under one route in one bucket.
struct ModelRouteCost {
    std::int64_t bucketStartMs = 0;
    std::string model;
    std::string route;
    double costUsd = 0.0;
    std::int64_t queries = 0;
};

// Everything the dashboard draws for one range: every bucket of the range in order (empty ones
// included, with zero figures), the cost per model and route, the totals of the range and of
// the period of the same length just before it.
struct MetricsReport {
    MetricsQuery query;             // as applied: fromMs rounded down to a bucket start
    std::vector<MetricsBucket> buckets;
    std::vector<ModelRouteCost> costs;  // by bucket, then model, then route; only non-empty ones
    MetricsFigures totals;
    MetricsFigures previousTotals;
};

// The value at percentile p (0 < p <= 100) of values sorted ascending, by nearest rank: the
// element at 1-based rank ceil(p / 100 * n). Returns 0 for an empty set.
std::int64_t nearestRankPercentile(const std::vector<std::int64_t>& sortedValues, double p);

// Which traces the trace list shows. Empty strings and zero times match everything.
struct TraceFilter {
    std::int64_t id = 0;       // when not 0, only this trace
    std::int64_t fromMs = 0;   // started at or after
    std::int64_t toMs = 0;     // started before
    std::string route;
    std::string model;
    std::string flag;          // a flag kind the trace must carry, such as "unsupported_claim"
    std::string status;        // "ok", "cached", "blocked" or "error"
    std::string text;          // a substring of the question or the answer
    enum class Sort { Time, Latency, Cost } sort = Sort::Time;
    bool descending = true;
    int limit = 1000;
};

// One row of the trace list.
struct TraceRow {
    std::int64_t id = 0;
    std::int64_t startedAtMs = 0;
    std::string query;
    std::string route;
    std::string model;
    std::int64_t inputTokens = 0;
    std::int64_t outputTokens = 0;
    double costUsd = 0.0;
    std::int64_t totalUs = 0;
    std::int64_t firstTokenUs = 0;  // 0 when no streamed model answered
    std::string flags;              // comma-separated flag kinds
    std::string status;
    bool synthetic = false;
};

// What `llmops dev-generate-traces` writes: count synthetic traces spread over the last
// days, reproducible for a seed. They are marked synthetic in the traces table.
struct SyntheticTraceOptions {
    std::int64_t count = 1000;
    int days = 30;
    std::uint64_t seed = 1;
    std::int64_t nowMs = 0;  // the end of the spread; 0: the current time
    const std::atomic<bool>* cancel = nullptr;
};

// What an OpenTelemetry export contains.
struct OtlpExportOptions {
    int last = 1000;               // the newest N traces
    std::vector<std::int64_t> traceIds;  // when not empty, exactly these traces instead
    bool includeContent = false;   // questions and answers as gen_ai.input/output.messages
    std::string serviceName = "llmops";
};

} // namespace llmops
