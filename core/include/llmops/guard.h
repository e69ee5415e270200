// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmops/types.h"

namespace llmops {

// What the input guard does with a finding: stop the question, replace the finding's span
// before any later stage (and the stored trace) sees it, or only report it.
enum class GuardAction { Block, Redact, Flag };

// "block", "redact" or "flag".
const char* guardActionName(GuardAction action);
// Parses a name written by guardActionName(); returns nullopt for any other text.
std::optional<GuardAction> parseGuardAction(std::string_view name);

struct InputGuardOptions {
    bool blockInjection = true;   // default action for "prompt_injection": block, else flag
    double injectionThreshold = 0.5;  // injection score (0 to 1) at which a finding is reported
    bool redactPii = true;        // default action for "pii.*" kinds: redact, else flag
    // Actions by finding kind. A kind is looked up as written ("pii.card"), then by its group,
    // the part before the first dot ("pii"); kinds found in neither use the defaults above.
    // Redacting a prompt injection replaces each matched sentence (or encoded token) with
    // "[REMOVED]".
    std::map<std::string, GuardAction> actions;
    // Phrases reviewers marked as false alarms. A cue whose match lies within an occurrence of
    // one of them (compared word by word, ignoring case) does not count.
    std::vector<std::string> allowList;
};

// The action options take for a finding kind, as described at InputGuardOptions::actions.
GuardAction guardAction(const InputGuardOptions& options, std::string_view kind);

// What the input guard decided about one question.
struct InputGuardVerdict {
    bool blocked = false;
    std::string blockReason;       // when blocked: the finding kinds whose action is block
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

// Scores English and German prompt-injection cues per sentence and over the whole text, after
// folding the text as described in docs/QUALITY.md (compatibility forms, invisible characters,
// look-alike letters) and decoding base64, hex and URL-encoded tokens. Finds PII with findPii().
// Each finding kind then gets its action from options: blocking sets blocked, redacting
// replaces the span with a typed placeholder such as "[EMAIL]" or "[IBAN]". Runs in time
// linear in the input size.
InputGuardVerdict checkInput(std::string_view text, const InputGuardOptions& options);

// Finds e-mail addresses, phone numbers (international, North American, Indian mobile and
// national forms with a trunk 0), payment cards, Aadhaar numbers, Indian PAN and GSTIN, IBANs,
// US SSNs and IPv4 and IPv6 addresses. Returns the entities ordered by begin and never
// overlapping. Offsets of text that is not valid UTF-8 count each non-continuation byte as one
// code point. Runs in time linear in the input size.
std::vector<PiiEntity> findPii(std::string_view text);

} // namespace llmops
