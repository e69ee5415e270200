// SPDX-License-Identifier: MIT
// IPv4 and IPv6 addresses.
#include "GuardScanners.h"

namespace llmops::guard {
namespace {

constexpr int kIpv6Groups = 8;

bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char at(std::string_view text, std::size_t i)
{
    return i < text.size() ? text[i] : '\0';
}

// Reads a dotted quad at i, each part 0-255 in one to three digits. Returns the end offset,
// or 0. Does not look at the characters around it.
std::size_t ipv4EndAt(std::string_view text, std::size_t i)
{
    std::size_t k = i;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (at(text, k) != '.')
                return 0;
            ++k;
        }
        int value = 0;
        std::size_t digits = 0;
        while (isDigit(at(text, k)) && digits < 4) {
            value = value * 10 + (text[k++] - '0');
            ++digits;
        }
        if (digits == 0 || digits > 3 || value > 255)
            return 0;
    }
    return k;
}

// An address may not be glued to a word or continue as a longer dotted or colon-separated
// token, as in "text192.168.1.1", "1.2.3.4.5" or "fe80::1text". An IPv4 address may be
// followed by a port ("10.0.0.1:8080").
bool endsAddress(std::string_view text, std::size_t end, bool ipv6)
{
    const char next = at(text, end);
    if (isAsciiAlnum(next) || next == '_')
        return false;
    if (next == '.' && isDigit(at(text, end + 1)))
        return false;
    return !(ipv6 && next == ':' && isHexDigit(at(text, end + 1)));
}

// The character before an address may not be part of a word or of a dotted token. An IPv6
// address may not start after a colon either, so "db8::1" is never read out of the middle of
// "x2001:db8::1". An IPv4 address may start after a colon, as in "x::ffff:192.0.2.1".
bool startsAddress(std::string_view text, std::size_t i, bool ipv6)
{
    if (i == 0)
        return true;
    const char previous = text[i - 1];
    if (isAsciiAlnum(previous) || previous == '_' || previous == '.')
        return false;
    return !(ipv6 && previous == ':');
}

std::size_t hexRunLength(std::string_view text, std::size_t k)
{
    std::size_t length = 0;
    while (length < 5 && isHexDigit(at(text, k + length)))
        ++length;
    return length;
}

// Reads an IPv6 address at i (RFC 4291 text forms: eight groups of one to four hex digits, one
// "::" standing for a run of zero groups, and an optional IPv4 tail) plus an optional zone such
// as "%eth0". Returns the end offset, or 0.
std::size_t ipv6EndAt(std::string_view text, std::size_t i)
{
    int groups = 0;
    bool compressed = false;
    bool hasDecimalDigit = false;
    std::size_t k = i;
    if (at(text, k) == ':' && at(text, k + 1) == ':') {
        compressed = true;
        k += 2;
    }

    while (true) {
        const std::size_t hex = hexRunLength(text, k);
        if (hex == 0)
            break;
        // A dotted quad may take the place of the last two groups.
        if (at(text, k + hex) == '.' && groups + 2 <= kIpv6Groups - (compressed ? 1 : 0)) {
            if (const std::size_t end = ipv4EndAt(text, k)) {
                groups += 2;
                hasDecimalDigit = true;
                k = end;
                break;
            }
        }
        if (hex > 4)
            return 0;
        for (std::size_t d = 0; d < hex; ++d)
            hasDecimalDigit = hasDecimalDigit || isDigit(text[k + d]);
        ++groups;
        k += hex;

        if (at(text, k) == ':' && at(text, k + 1) == ':') {
            if (compressed)
                return 0;
            compressed = true;
            k += 2;
        } else if (at(text, k) == ':' && isHexDigit(at(text, k + 1))) {
            ++k;
        } else {
            break;
        }
    }

    // "::" alone is the unspecified address and identifies nobody. Requiring a decimal
    // digit keeps C++ names made of hex letters, such as "Bad::Add", out.
    const bool complete = compressed ? groups < kIpv6Groups : groups == kIpv6Groups;
    if (!complete || groups == 0 || !hasDecimalDigit)
        return 0;
    if (at(text, k) == '%' && isAsciiAlnum(at(text, k + 1))) {
        ++k;
        while (isAsciiAlnum(at(text, k)))
            ++k;
    }
    return k;
}

} // namespace

std::vector<Flag> scanIpAddresses(std::string_view text)
{
    std::vector<Flag> found;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!isHexDigit(c) && c != ':')
            continue;

        std::size_t end = startsAddress(text, i, true) ? ipv6EndAt(text, i) : 0;
        const bool ipv6 = end > 0;
        if (end == 0 && isDigit(c) && startsAddress(text, i, false))
            end = ipv4EndAt(text, i);
        if (end > 0 && endsAddress(text, end, ipv6)) {
            found.push_back({"pii.ip", piiType("pii.ip").description, i, end});
            i = end - 1;
        }
    }
    return found;
}

} // namespace llmops::guard
