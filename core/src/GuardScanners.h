// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <string>
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

// The cue table (InjectionCues.cpp).
std::span<const InjectionCue> injectionCues();

// One sentence of the input in which at least one cue matched.
struct InjectionSentence {
    std::size_t begin = 0; // byte span in the original text
    std::size_t end = 0;
    std::vector<const InjectionCue*> cues;
    double score = 0.0;
    // Empty for plain text, else how the sentence was hidden, such as "base64" or
    // "URL encoding, then base64"; the span is then the encoded token's.
    std::string encoding;
};

struct InjectionScan {
    double score = 0.0; // combined over the distinct cues of the whole text, 0 to 1
    std::vector<InjectionSentence> sentences;
};

// Scores text against the English and German cue table after foldForScanning(), and scores
// the text of base64, hex and URL-encoded tokens the same way (two levels deep at most).
// Evidence combines as 1 - prod(1 - weight) over distinct cues. A cue match that lies within
// an occurrence of an allowed phrase (compared word by word, case-folded) does not count.
InjectionScan scanInjection(std::string_view text, const std::vector<std::string>& allowedPhrases = {});

// The input as the injection scanner reads it: invisible and bidi controls removed, fullwidth
// forms, ligatures, mathematical and enclosed letters and tag characters folded to ASCII,
// combining marks dropped (a diaeresis composes an umlaut), Cyrillic and Greek look-alikes
// folded to Latin inside words that also contain Latin letters, invalid UTF-8 and control
// bytes read as blanks, and white space runs collapsed to one space or line break.
struct FoldedText {
    std::string text;
    std::vector<std::size_t> sourceBegin; // per byte of text: where its source character starts
    std::vector<std::size_t> sourceEnd;   // and one past where it ends
};
FoldedText foldForScanning(std::string_view text);

// A token of the input that decoded to text.
struct DecodedPayload {
    std::size_t begin = 0; // byte span of the encoded token
    std::size_t end = 0;
    const char* encoding;  // "base64", "hex" or "URL encoding"
    std::string text;
};

// Finds tokens of at least 16 characters that decode as base64 (standard or URL-safe), hex
// (plain, 0x or \x prefixed) or URL escapes (two or more %XX) into valid UTF-8 text, and runs
// of at least 8 separate hex byte pairs that do. Runs in time linear in the input size.
std::vector<DecodedPayload> findEncodedPayloads(std::string_view text);

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
