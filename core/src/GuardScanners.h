// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>
#include <vector>

#include "llmops/types.h"

// Scanners behind checkInput(), private to the core library. Both run in time linear in the
// input size and report byte offsets into the text they were given.
namespace llmops::guard {

// A weighted phrase that suggests a prompt injection, such as "ignore previous instructions".
struct InjectionCue {
    const char* label;   // the phrase shown in findings
    const char* pattern; // the word pattern, see InjectionScanner.cpp
    double weight;       // 0 to 1, the probability-like evidence one match adds
};

// One sentence of the input in which at least one cue matched.
struct InjectionSentence {
    std::size_t begin = 0; // byte span in the original text
    std::size_t end = 0;
    std::vector<const InjectionCue*> cues;
    double score = 0.0;
};

struct InjectionScan {
    double score = 0.0; // combined over the distinct cues of the whole text, 0 to 1
    std::vector<InjectionSentence> sentences;
};

// Scores text against the English and German cue table after removing invisible characters
// and folding case. Evidence combines as 1 - prod(1 - weight) over distinct cues.
InjectionScan scanInjection(std::string_view text);

// Finds e-mail addresses, phone numbers and Luhn-valid payment card numbers. Returns flags of
// kind "pii.email", "pii.phone" and "pii.card", ordered by begin and never overlapping.
std::vector<Flag> scanPii(std::string_view text);

// Returns true when the decimal digits pass the Luhn checksum.
bool passesLuhn(std::string_view digits);

} // namespace llmops::guard
