// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/routing.h"

namespace llmops {

// Weights of the shipped complexity classifier, one row per tier (simple, medium, complex) and
// one column per ComplexityFeatures name. Trained with ComplexityClassifier::train (defaults)
// on all of tests/data/complexity-queries.tsv; regenerate with `llmops route train FILE`.
inline constexpr ComplexityClassifier::Weights kShippedComplexityWeights = {{
    {{8.5810, -7.5674, -0.2881, 1.7675, -1.2689, -1.0474, -1.4723, -0.0310, -1.2936, -1.2107, 1.3205}},
    {{-0.7449, 1.1520, 0.0291, 0.9099, -0.5817, -0.2839, 0.2174, -0.4198, 0.4159, 0.0986, -0.0076}},
    {{-7.8361, 6.4153, 0.2589, -2.6774, 1.8506, 1.3313, 1.2549, 0.4508, 0.8777, 1.1121, -1.3129}},
}};

} // namespace llmops
