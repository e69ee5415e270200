// SPDX-License-Identifier: MIT
#include "llmops/text.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

namespace llmops {
namespace {

bool isAsciiAlnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Length of the UTF-8 sequence starting with lead byte c, or 0 when c cannot start one.
std::size_t utf8SequenceLength(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

bool endsWith(std::string_view word, std::string_view suffix)
{
    return word.size() >= suffix.size() && word.substr(word.size() - suffix.size()) == suffix;
}

} // namespace

std::vector<std::string> tokenizeWords(std::string_view text)
{
    std::vector<std::string> words;
    std::string current;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (isAsciiAlnum(c)) {
            current.push_back(static_cast<char>(std::tolower(c)));
            ++i;
            continue;
        }

        // Non-ASCII letters (accented words, CJK) stay inside the word; ASCII punctuation ends it.
        const std::size_t length = c >= 0x80 ? std::max<std::size_t>(1, utf8SequenceLength(c)) : 0;
        if (length > 0 && i + length <= text.size()) {
            current.append(text.substr(i, length));
            i += length;
            continue;
        }

        // An apostrophe inside a word ("don't") is dropped rather than splitting the word.
        const bool innerApostrophe = c == '\'' && !current.empty() && i + 1 < text.size() &&
                                     isAsciiAlnum(static_cast<unsigned char>(text[i + 1]));
        if (!innerApostrophe && !current.empty()) {
            words.push_back(current);
            current.clear();
        }
        ++i;
    }
    if (!current.empty())
        words.push_back(std::move(current));
    return words;
}

bool isStopWord(std::string_view word)
{
    static const std::unordered_set<std::string_view> stopWords = {
        "a",     "about", "an",    "and",   "are",  "as",    "at",    "be",    "been",  "but",  "by",
        "can",   "could", "do",    "does",  "did",  "for",   "from",  "had",   "has",   "have", "how",
        "i",     "if",    "in",    "into",  "is",   "it",    "its",   "me",    "my",    "no",   "not",
        "of",    "on",    "or",    "our",   "should", "so",  "than",  "that",  "the",   "their", "them",
        "then",  "there", "these", "they",  "this", "those", "to",    "was",   "we",    "were", "what",
        "when",  "where", "which", "who",   "why",  "will",  "with",  "would", "you",   "your", "yours",
        "s",     "t",     "am",    "any",   "all",  "also",  "just",  "only",  "very",  "get",  "got",
        "want",  "need",  "there's", "i'm", "im",   "dont",  "doesnt", "us",   "he",    "she",  "his",
        "her",   "one",   "may",   "might", "must", "shall", "each",  "some",  "such",  "more", "most"};
    return stopWords.contains(word);
}

std::string stemWord(std::string_view word)
{
    // Only the endings that change a word's grammatical form are removed, and only when a
    // stem of at least three letters remains, so "address" and "status" keep their "s".
    if (word.size() > 4 && endsWith(word, "ies"))
        return std::string(word.substr(0, word.size() - 3)) + "y";
    if (word.size() > 5 && endsWith(word, "ing"))
        return std::string(word.substr(0, word.size() - 3));
    if (word.size() > 4 && endsWith(word, "ed") && !endsWith(word, "eed"))
        return std::string(word.substr(0, word.size() - 2));
    if (word.size() > 3 && endsWith(word, "es") && (endsWith(word, "sses") || endsWith(word, "ches") ||
                                                    endsWith(word, "shes") || endsWith(word, "xes")))
        return std::string(word.substr(0, word.size() - 2));
    if (word.size() > 3 && endsWith(word, "s") && !endsWith(word, "ss") && !endsWith(word, "us") &&
        !endsWith(word, "is"))
        return std::string(word.substr(0, word.size() - 1));
    return std::string(word);
}

std::vector<std::string> contentTerms(std::string_view text)
{
    std::vector<std::string> terms;
    for (const std::string& word : tokenizeWords(text)) {
        if (!isStopWord(word))
            terms.push_back(stemWord(word));
    }
    return terms;
}

std::vector<SentenceSpan> splitSentences(std::string_view text)
{
    std::vector<SentenceSpan> sentences;
    std::size_t begin = 0;
    auto emit = [&](std::size_t end) {
        const std::string_view piece = trimmed(text.substr(begin, end - begin));
        if (!piece.empty()) {
            const std::size_t offset = static_cast<std::size_t>(piece.data() - text.data());
            sentences.push_back({offset, offset + piece.size()});
        }
        begin = end;
    };

    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            emit(i + 1);
            continue;
        }
        const bool terminator = c == '.' || c == '!' || c == '?';
        const bool followedBySpace = i + 1 == text.size() || isSpace(text[i + 1]);
        // A period between digits ("2.5") or after a single capital ("e.g. J. Smith") is no end.
        const bool abbreviation = c == '.' && i >= 1 && i + 2 < text.size() &&
                                  std::islower(static_cast<unsigned char>(text[i + 2]));
        if (terminator && followedBySpace && !abbreviation)
            emit(i + 1);
    }
    emit(text.size());
    return sentences;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

std::size_t findInvalidUtf8(std::string_view text)
{
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = utf8SequenceLength(lead);
        if (length == 0 || i + length > text.size())
            return i;
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
                return i;
        }

        // Overlong three- and four-byte forms, UTF-16 surrogates and code points above U+10FFFF.
        const auto second = length > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
            (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F))
            return i;
        i += length;
    }
    return std::string_view::npos;
}

bool looksBinary(std::string_view bytes)
{
    const std::string_view head = bytes.substr(0, 8192);
    return head.find('\0') != std::string_view::npos;
}

std::string sha256Hex(std::string_view bytes)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);

    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0x0F]);
    }
    return out;
}

} // namespace llmops
