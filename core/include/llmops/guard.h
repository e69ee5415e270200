// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "llmops/types.h"

namespace llmops {

struct InputGuardOptions {
    bool blockInjection = true;   // a detected prompt injection stops the query
    double injectionThreshold = 0.5;
    bool redactPii = true;        // PII spans are replaced before retrieval, generation and tracing
};

// What the input guard decided about one question.
struct InputGuardVerdict {
    bool blocked = false;
    double injectionScore = 0.0;   // 0 to 1
    std::vector<Flag> findings;    // spans refer to the original text
    std::string sanitizedText;     // the text after redaction (equal to the input when none)
};

// First version of the input guard: English and German prompt-injection cues scored per
// sentence, and PII (e-mail addresses, phone numbers, payment cards that pass the Luhn check)
// replaced by typed placeholders such as "[EMAIL]". Runs in time linear in the input size.
InputGuardVerdict checkInput(std::string_view text, const InputGuardOptions& options);

} // namespace llmops
