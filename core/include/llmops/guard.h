// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
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

// One PII entity found by findPii().
struct PiiEntity {
    std::string type;             // the flag kind: "pii.email", "pii.phone", "pii.card", "pii.aadhaar",
                                  // "pii.pan", "pii.gstin", "pii.iban", "pii.ssn" or "pii.ip"
    std::size_t begin = 0;        // byte span in the text
    std::size_t end = 0;
    std::size_t beginCodePoint = 0; // the same span counted in Unicode code points
    std::size_t endCodePoint = 0;
    // Set for the types a checksum validates (card: Luhn, aadhaar: Verhoeff, gstin: mod-36
    // check character, iban: mod-97) and empty for the others. A number that fails its checksum
    // is not reported, so a set value is always true.
    std::optional<bool> validChecksum;
};

// First version of the input guard: English and German prompt-injection cues scored per
// sentence, and the PII that findPii() reports replaced by typed placeholders such as
// "[EMAIL]", "[IBAN]" or "[IP]". Runs in time linear in the input size.
InputGuardVerdict checkInput(std::string_view text, const InputGuardOptions& options);

// Finds e-mail addresses, phone numbers (international, North American, Indian mobile and
// national forms with a trunk 0), payment cards, Aadhaar numbers, Indian PAN and GSTIN, IBANs,
// US SSNs and IPv4 and IPv6 addresses. Returns the entities ordered by begin and never
// overlapping. Offsets of text that is not valid UTF-8 count each non-continuation byte as one
// code point. Runs in time linear in the input size.
std::vector<PiiEntity> findPii(std::string_view text);

} // namespace llmops
