// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "Sqlite.h"
#include "llmops/metrics.h"
#include "llmops/status.h"
#include "llmops/types.h"

namespace llmops {

// Counts, sums and nearest-rank latency percentiles per bucket of query's range, read from the
// traces_metrics index. Fails with InvalidArgument for an empty or reversed range, a bucket
// size below one second, or more than kMaxMetricsBuckets buckets, and with Cancelled when
// cancel is set between rows.
constexpr std::int64_t kMaxMetricsBuckets = 20000;
Result<MetricsReport> aggregateMetrics(Database& database, const MetricsQuery& query,
                                       const std::atomic<bool>* cancel);

// The traces matching filter, sorted as it asks.
Result<std::vector<TraceRow>> listTraces(Database& database, const TraceFilter& filter);

// Microseconds from the start of the trace to the first streamed token of the model that
// answered, read from its generator span; 0 when that model did not stream.
std::int64_t firstTokenUs(const std::vector<Span>& spans);

} // namespace llmops
