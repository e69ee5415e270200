// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "Sqlite.h"
#include "llmops/metrics.h"
#include "llmops/status.h"

namespace llmops {

constexpr std::int64_t kRollupMs = 3600000;

// The raw material of the dashboard figures for one stretch of time: counts and cost (the
// latency fields stay zero), every latency and first-token time in ascending order, and the
// cost per model and route (bucketStartMs unset).
struct TraceSamples {
    MetricsFigures figures;
    std::vector<std::int64_t> latencies;
    std::vector<std::int64_t> firstTokens;
    std::vector<ModelRouteCost> costs;
};

// Reads the samples of the traces in [fromMs, toMs) from the traces_metrics index.
Result<TraceSamples> readTraceSamples(Database& database, std::int64_t fromMs, std::int64_t toMs);

// Reads the samples of the UTC hour starting at hourStartMs from its rollup, or from the traces
// when the hour has none yet, storing the rollup for later reads.
Result<TraceSamples> readHourSamples(Database& database, std::int64_t hourStartMs);

} // namespace llmops
