// SPDX-License-Identifier: MIT
// Finds base64, hex and URL-encoded tokens in a prompt and decodes those that turn out to be
// text, so the injection scanner can read instructions hidden that way.
#include "GuardScanners.h"

#include "llmops/text.h"

#include <array>

namespace llmops::guard {
namespace {

// Shorter tokens decode to a few bytes at most, too little to carry an instruction, and
// ordinary words and ids of that length would be decoded for nothing.
constexpr std::size_t kMinEncodedChars = 16;

int hexValue(char c)
{
    if (isDigit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int base64Value(char c)
{
    if (isUpper(c))
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (isDigit(c))
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

// Decoded bytes count as text when they are valid UTF-8 without control characters other than
// tab and line breaks, and at least a quarter of them are letters or spaces.
bool looksLikeText(std::string_view bytes)
{
    if (bytes.empty() || findInvalidUtf8(bytes) != std::string_view::npos)
        return false;
    std::size_t wordish = 0;
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7F)
            return false;
        wordish += isAsciiLetter(c) || c == ' ' || byte >= 0x80 ? 1 : 0;
    }
    return wordish * 4 >= bytes.size();
}

std::string decodeBase64(std::string_view token)
{
    while (!token.empty() && token.back() == '=')
        token.remove_suffix(1);
    std::string decoded;
    decoded.reserve(token.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : token) {
        const int value = base64Value(c);
        if (value < 0)
            return {};
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            decoded.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return decoded;
}

// Accepts "696e...", "0x696e..." and "\x69\x6e...".
std::string decodeHex(std::string_view token)
{
    if (token.starts_with("0x") || token.starts_with("0X"))
        token.remove_prefix(2);
    std::string digits;
    digits.reserve(token.size());
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '\\' && i + 1 < token.size() && token[i + 1] == 'x') {
            ++i;
            continue;
        }
        if (hexValue(token[i]) < 0)
            return {};
        digits.push_back(token[i]);
    }
    if (digits.size() % 2 != 0)
        return {};
    std::string decoded;
    decoded.reserve(digits.size() / 2);
    for (std::size_t i = 0; i < digits.size(); i += 2)
        decoded.push_back(static_cast<char>(hexValue(digits[i]) * 16 + hexValue(digits[i + 1])));
    return decoded;
}

// Decodes "%XX" escapes and "+" as a space; returns empty when the token has fewer than two
// escapes, because a single escape is common in ordinary links.
std::string decodeUrl(std::string_view token)
{
    std::string decoded;
    decoded.reserve(token.size());
    int escapes = 0;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '%' && i + 2 < token.size() && hexValue(token[i + 1]) >= 0 && hexValue(token[i + 2]) >= 0) {
            decoded.push_back(static_cast<char>(hexValue(token[i + 1]) * 16 + hexValue(token[i + 2])));
            i += 2;
            ++escapes;
            continue;
        }
        decoded.push_back(token[i] == '+' ? ' ' : token[i]);
    }
    return escapes >= 2 ? decoded : std::string();
}

bool isTokenBoundary(char c)
{
    switch (c) {
    case ' ': case '\t': case '\n': case '\r': case '"': case '\'': case '`':
    case '(': case ')': case '[': case ']': case '{': case '}': case '<': case '>': case ',': case ';':
        return true;
    default:
        return false;
    }
}

// Removes a sentence's closing punctuation, which is not part of the encoded token.
std::string_view withoutTrailingPunctuation(std::string_view token)
{
    while (!token.empty() && (token.back() == '.' || token.back() == ':' || token.back() == '!' || token.back() == '?'))
        token.remove_suffix(1);
    return token;
}

void decodeToken(std::string_view token, std::size_t begin, std::vector<DecodedPayload>* payloads)
{
    using Decoder = std::string (*)(std::string_view);
    static constexpr std::array<std::pair<const char*, Decoder>, 3> kDecoders = {
        {{"URL encoding", decodeUrl}, {"hex", decodeHex}, {"base64", decodeBase64}}};

    if (token.size() < kMinEncodedChars)
        return;
    // The first decoder that yields text wins: a hex token is also valid base64, and a URL
    // escape sequence is never valid hex or base64.
    for (const auto& [encoding, decode] : kDecoders) {
        std::string decoded = decode(token);
        if (looksLikeText(decoded)) {
            payloads->push_back({begin, begin + token.size(), encoding, std::move(decoded)});
            return;
        }
    }
}

// Collects hex written as separate byte pairs ("69 67 6e ..."), which the per-token decoders
// never see whole because every pair is a token of its own.
class HexPairRun {
public:
    // Takes the next token; returns false when the token ended the run.
    bool add(std::string_view token, std::size_t begin)
    {
        if (token.size() != 2 || hexValue(token[0]) < 0 || hexValue(token[1]) < 0)
            return false;
        if (m_digits.empty())
            m_begin = begin;
        m_digits.append(token);
        m_end = begin + 2;
        return true;
    }

    // Decodes the run when it is long enough and turns out to be text, then starts a new one.
    void flush(std::vector<DecodedPayload>* payloads)
    {
        if (m_digits.size() >= kMinEncodedChars) {
            std::string decoded = decodeHex(m_digits);
            if (looksLikeText(decoded))
                payloads->push_back({m_begin, m_end, "hex", std::move(decoded)});
        }
        m_digits.clear();
    }

private:
    std::string m_digits;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
};

} // namespace

std::vector<DecodedPayload> findEncodedPayloads(std::string_view text)
{
    std::vector<DecodedPayload> payloads;
    HexPairRun pairs;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && isTokenBoundary(text[i]))
            ++i;
        const std::size_t begin = i;
        while (i < text.size() && !isTokenBoundary(text[i]))
            ++i;
        const std::string_view token = withoutTrailingPunctuation(text.substr(begin, i - begin));
        if (!pairs.add(token, begin))
            pairs.flush(&payloads);
        decodeToken(token, begin, &payloads);
    }
    pairs.flush(&payloads);
    return payloads;
}

} // namespace llmops::guard
