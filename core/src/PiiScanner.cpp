// SPDX-License-Identifier: MIT
#include "GuardScanners.h"

#include "llmops/guard.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

namespace llmops::guard {
namespace {

// RFC 5321 limits. Scanning never goes further from an '@' than these, which keeps the e-mail
// scan linear even on text made of '@' and address characters.
constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxDomain = 253;

bool isLocalPartChar(char c)
{
    return isAsciiLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool isDomainChar(char c)
{
    return isAsciiLetter(c) || isDigit(c) || c == '.' || c == '-';
}

// Accepts "example.co.uk": at least two labels, no empty label, no label starting or ending
// with '-', and a top-level label of at least two letters or in punycode ("xn--p1ai").
bool isValidDomain(std::string_view domain)
{
    std::size_t labels = 0;
    std::string_view last;
    std::size_t start = 0;
    while (start <= domain.size()) {
        const std::size_t dot = std::min(domain.find('.', start), domain.size());
        const std::string_view label = domain.substr(start, dot - start);
        if (label.empty() || label.front() == '-' || label.back() == '-')
            return false;
        last = label;
        ++labels;
        start = dot + 1;
    }
    const bool letters = std::all_of(last.begin(), last.end(), isAsciiLetter);
    return labels >= 2 && last.size() >= 2 && (letters || last.starts_with("xn--"));
}

std::optional<Flag> emailAt(std::string_view text, std::size_t at)
{
    std::size_t begin = at;
    while (begin > 0 && at - begin < kMaxLocalPart && isLocalPartChar(text[begin - 1]))
        --begin;
    while (begin < at && text[begin] == '.')
        ++begin;

    std::size_t end = at + 1;
    while (end < text.size() && end - at - 1 < kMaxDomain && isDomainChar(text[end]))
        ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-'))
        --end;

    if (begin == at || !isValidDomain(text.substr(at + 1, end - at - 1)))
        return std::nullopt;
    return Flag{"pii.email", piiType("pii.email").description, begin, end};
}

} // namespace

std::vector<Flag> scanEmails(std::string_view text)
{
    std::vector<Flag> found;
    for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        std::optional<Flag> email = emailAt(text, at);
        if (email && (found.empty() || email->begin >= found.back().end))
            found.push_back(*email);
    }
    return found;
}

namespace {

constexpr std::array kPiiTypes = {
    PiiType{"pii.email", "[EMAIL]", "e-mail address", false},
    PiiType{"pii.phone", "[PHONE]", "phone number", false},
    PiiType{"pii.card", "[CARD]", "payment card number (Luhn check passed)", true},
    PiiType{"pii.aadhaar", "[AADHAAR]", "Aadhaar number (Verhoeff check passed)", true},
    PiiType{"pii.pan", "[PAN]", "Indian PAN", false},
    PiiType{"pii.gstin", "[GSTIN]", "GSTIN (check character passed)", true},
    PiiType{"pii.iban", "[IBAN]", "IBAN (mod-97 check passed)", true},
    PiiType{"pii.ssn", "[SSN]", "US social security number", false},
    PiiType{"pii.ip", "[IP]", "IP address", false},
};

// Converts sorted byte offsets to code point offsets in one pass: a code point starts at every
// byte that is not a UTF-8 continuation byte (10xxxxxx).
class CodePointCounter {
public:
    explicit CodePointCounter(std::string_view text) : m_text(text) {}

    // `offset` must not be smaller than in the previous call.
    std::size_t codePointsBefore(std::size_t offset)
    {
        for (; m_byte < offset && m_byte < m_text.size(); ++m_byte)
            m_codePoints += (static_cast<unsigned char>(m_text[m_byte]) & 0xC0) != 0x80;
        return m_codePoints;
    }

private:
    std::string_view m_text;
    std::size_t m_byte = 0;
    std::size_t m_codePoints = 0;
};

} // namespace

const PiiType& piiType(std::string_view kind)
{
    for (const PiiType& type : kPiiTypes) {
        if (kind == type.kind)
            return type;
    }
    return kPiiTypes.front();
}

std::vector<Flag> scanPii(std::string_view text)
{
    std::vector<Flag> candidates = scanEmails(text);
    for (auto scan : {scanNumbers, scanIndianTaxIds, scanIbans, scanIpAddresses}) {
        std::vector<Flag> found = scan(text);
        candidates.insert(candidates.end(), std::make_move_iterator(found.begin()),
                          std::make_move_iterator(found.end()));
    }

    // Scanners overlap where one entity contains another's shape, as the digits of
    // "9876543210@example.com" or the IPv4 tail of "::ffff:192.0.2.1". The earliest start
    // wins, then the longest span, then the scanner listed first above.
    std::stable_sort(candidates.begin(), candidates.end(), [](const Flag& a, const Flag& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
    std::vector<Flag> kept;
    for (Flag& candidate : candidates) {
        if (kept.empty() || candidate.begin >= kept.back().end)
            kept.push_back(std::move(candidate));
    }
    return kept;
}

} // namespace llmops::guard

namespace llmops {

std::vector<PiiEntity> findPii(std::string_view text)
{
    std::vector<PiiEntity> entities;
    guard::CodePointCounter counter(text);
    for (const Flag& flag : guard::scanPii(text)) {
        PiiEntity entity;
        entity.type = flag.kind;
        entity.begin = flag.begin;
        entity.end = flag.end;
        entity.beginCodePoint = counter.codePointsBefore(flag.begin);
        entity.endCodePoint = counter.codePointsBefore(flag.end);
        if (guard::piiType(flag.kind).hasChecksum)
            entity.validChecksum = true;
        entities.push_back(std::move(entity));
    }
    return entities;
}

} // namespace llmops
