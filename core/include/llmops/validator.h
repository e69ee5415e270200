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
// Each verdict carries the sentence's span in the answer and the best chunk's id, document and
// heading.
ValidationReport validateAnswer(std::string_view answer, const std::vector<RetrievalHit>& context,
                                const ValidationOptions& options);

// Finds PII in the answer (as findPii() does) that appears neither in the question nor in any
// retrieved chunk, and returns one "pii_leak" flag per such entity with its span in the answer.
// Values are compared after removing spaces, dashes, dots and parentheses and folding case,
// so "+1 (555) 123-4567" in a chunk covers "+1 555 123 4567" in the answer.
std::vector<Flag> findPiiLeaks(std::string_view answer, std::string_view question,
                               const std::vector<RetrievalHit>& context);

} // namespace llmops
