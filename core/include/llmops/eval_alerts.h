// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "llmops/eval_metrics.h"

namespace llmops {

class Engine;

// One alert that fired and was stored, with the review items it queued.
struct FiredAlert {
    std::int64_t alertId = 0;
    std::string rule;    // such as "faithfulness drop > 0.03 against run 4"
    std::string detail;  // the values that made it fire
    std::vector<std::int64_t> reviewItemIds;
};

// Rule "METRIC mean drops by more than threshold against the baseline run": for each metric of
// comparison that dropped that much, stores an alert, queues one "alert" review item for it and
// one "eval_regression" item per regressed item (reference "run B item ID"), and returns them.
Result<std::vector<FiredAlert>> raiseDropAlerts(Engine& engine, EvalStore& store, const EvalComparison& comparison,
                                                double threshold);

// Rule "hallucination rate above maxShare over the last windowMs": the share of review items
// judged "hallucination" among those judged at all, created in the window. Fires (stores an
// alert and queues an "alert" review item) when the share is above maxShare; returns nothing
// otherwise. runId names the run that checked it, 0 for none.
Result<std::vector<FiredAlert>> checkHallucinationRate(Engine& engine, EvalStore& store, double maxShare,
                                                       std::int64_t windowMs, std::int64_t runId);

} // namespace llmops
