// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>
#include <vector>

#include "llmops/types.h"

namespace llmops {

struct ValidationOptions {
    double supportThreshold = 0.5;  // a claim scoring below this is unsupported
};

struct ValidationReport {
    std::vector<ClaimVerdict> claims;
    std::vector<Flag> flags;   // one "unsupported_claim" flag per unsupported sentence
};

// Splits the answer into sentences (citation markers such as "[2]" removed) and scores each
// against every retrieved chunk: the share of the sentence's content terms found in the chunk,
// so 1.0 means every content word appears there. Sentences without content words are skipped.
ValidationReport validateAnswer(std::string_view answer, const std::vector<RetrievalHit>& context,
                                const ValidationOptions& options);

} // namespace llmops
