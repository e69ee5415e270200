// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "Sqlite.h"
#include "llmops/cost.h"
#include "llmops/metrics.h"
#include "llmops/status.h"

namespace llmops {

// Writes options.count synthetic traces with their spans, in transactions of a few thousand,
// and returns the number written. Costs come from prices. Fails with InvalidArgument for a
// count or day count out of range and with Cancelled (keeping the batches already committed)
// when options.cancel is set.
Result<std::int64_t> generateSyntheticTraces(Database& database, const PriceTable& prices,
                                             const SyntheticTraceOptions& options);

} // namespace llmops
