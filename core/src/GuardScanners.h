// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>
#include <vector>

#include "llmops/types.h"

// Scanners behind checkInput() and findPii(), private to the core library. All of them run in
// time linear in the input size and report byte offsets into the text they were given.
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

// A PII entity type: the flag kind, its redaction placeholder and whether a checksum
// validates it.
struct PiiType {
    const char* kind;        // "pii.email", "pii.card", ...
    const char* placeholder; // "[EMAIL]", "[CARD]", ...
    const char* description; // the Flag detail, such as "IBAN (mod-97 check passed)"
    bool hasChecksum;
};

// Returns the type of a flag kind produced by scanPii(), or the e-mail type for an unknown kind.
const PiiType& piiType(std::string_view kind);

// Finds every PII entity: e-mail addresses, phone numbers, payment cards (Luhn), Aadhaar
// numbers (Verhoeff), PAN, GSTIN (mod-36 check character), IBAN (mod-97), US SSN, IPv4 and
// IPv6 addresses. Returns flags ordered by begin and never overlapping; where candidates
// overlap, the one that starts first wins, then the longer one.
std::vector<Flag> scanPii(std::string_view text);

// The scanners scanPii() combines. Each returns flags ordered by begin.
std::vector<Flag> scanEmails(std::string_view text);
std::vector<Flag> scanNumbers(std::string_view text);     // cards, Aadhaar, SSN, phones
std::vector<Flag> scanIndianTaxIds(std::string_view text); // PAN and GSTIN
std::vector<Flag> scanIbans(std::string_view text);
std::vector<Flag> scanIpAddresses(std::string_view text);  // IPv4 and IPv6

// Checksums. Each returns false for an empty input or a character outside its alphabet.
bool passesLuhn(std::string_view digits);
bool passesVerhoeff(std::string_view digits);
// `gstin` is the 15-character upper-case form; its last character is the check character.
bool passesGstinCheck(std::string_view gstin);
// `iban` is the compact upper-case form without spaces.
bool passesIbanMod97(std::string_view iban);

// Character classes shared by the scanners; ASCII only, whatever the locale.
inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

inline bool isUpper(char c)
{
    return c >= 'A' && c <= 'Z';
}

inline bool isAsciiLetter(char c)
{
    return isUpper(c) || (c >= 'a' && c <= 'z');
}

inline bool isAsciiAlnum(char c)
{
    return isAsciiLetter(c) || isDigit(c);
}

} // namespace llmops::guard
