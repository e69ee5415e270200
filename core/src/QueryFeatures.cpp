// SPDX-License-Identifier: MIT
// The features of a query that routing conditions test: language, code, token estimate, tier.
#include "llmops/routing.h"

#include <algorithm>
#include <set>

#include "llmops/text.h"

namespace llmops {
namespace {

// Frequent function words that rarely occur in the other language. Words common to both, such
// as "in", "was" and "will", are left out because they would count for both.
const std::set<std::string>& englishWords()
{
    static const std::set<std::string> words = {
        "the", "is", "are", "how", "what", "why", "where", "when", "can", "do", "does", "my", "you", "your",
        "to", "of", "and", "with", "for", "this", "that", "it", "i", "we", "our", "should", "would", "not",
        "there", "which", "from", "have", "has", "be", "on", "at", "a", "an", "or", "if"};
    return words;
}

const std::set<std::string>& germanWords()
{
    static const std::set<std::string> words = {
        "der", "die", "das", "ist", "sind", "wie", "warum", "wo", "wann", "kann", "ich", "mein",
        "meine", "sie", "ihr", "und", "mit", "für", "nicht", "ein", "eine", "einen", "den", "dem", "zu",
        "auf", "bei", "wir", "unser", "unsere", "werden", "wird", "haben", "hat", "oder", "wenn", "welche",
        "können", "kein", "keine", "bitte", "noch", "auch", "sich", "über"};
    return words;
}

int countGermanLetters(const std::string& text)
{
    // ä ö ü Ä Ö Ü ß in UTF-8: C3 A4, C3 B6, C3 BC, C3 84, C3 96, C3 9C, C3 9F.
    static const std::set<unsigned char> seconds = {0xA4, 0xB6, 0xBC, 0x84, 0x96, 0x9C, 0x9F};
    int count = 0;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (static_cast<unsigned char>(text[i]) == 0xC3 && seconds.contains(static_cast<unsigned char>(text[i + 1])))
            ++count;
    }
    return count;
}

bool containsAny(const std::string& text, std::initializer_list<const char*> needles)
{
    return std::any_of(needles.begin(), needles.end(),
                       [&](const char* needle) { return text.find(needle) != std::string::npos; });
}

int countOccurrences(const std::string& text, std::initializer_list<const char*> needles)
{
    int count = 0;
    for (const char* needle : needles) {
        const std::string_view token(needle);
        for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + token.size()))
            ++count;
    }
    return count;
}

bool hasIndentedLine(const std::string& text)
{
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) {
        if (text.compare(at + 1, 4, "    ") == 0 || text.compare(at + 1, 1, "\t") == 0)
            return true;
    }
    return false;
}

} // namespace

const char* tierName(ComplexityTier tier)
{
    switch (tier) {
    case ComplexityTier::Simple:
        return "simple";
    case ComplexityTier::Medium:
        return "medium";
    case ComplexityTier::Complex:
        return "complex";
    }
    return "simple";
}

Result<ComplexityTier> tierFromName(const std::string& name)
{
    for (int i = 0; i < kTierCount; ++i) {
        if (name == tierName(static_cast<ComplexityTier>(i)))
            return static_cast<ComplexityTier>(i);
    }
    return Status::invalidArgument("unknown complexity tier \"" + name + "\"; use simple, medium or complex");
}

std::string detectLanguage(const std::string& query)
{
    int english = 0;
    int german = 2 * countGermanLetters(query);
    for (const std::string& word : tokenizeWords(query)) {
        english += englishWords().contains(word) ? 1 : 0;
        german += germanWords().contains(word) ? 1 : 0;
    }
    if (english == 0 && german == 0)
        return "other";
    return german > english ? "de" : "en";
}

bool containsCode(const std::string& query)
{
    if (containsAny(query, {"```", "#include", "curl -", "def ", "function(", "=> {"}) || hasIndentedLine(query))
        return true;
    const int tokens = countOccurrences(query, {"();", "{", "}", "=>", "::", "$ ", "\":", "`", "</", "==", "!=", "->"});
    return tokens >= 2;
}

std::int64_t estimateTokens(const std::string& text)
{
    return static_cast<std::int64_t>((text.size() + 3) / 4);
}

QueryFeatures queryFeatures(const std::string& query, const std::vector<std::string>& guardFlags,
                            const std::map<std::string, std::string>& metadata,
                            const ComplexityClassifier& classifier)
{
    QueryFeatures features;
    features.tierProbabilities = classifier.probabilities(complexityFeatures(query));
    const auto best = std::max_element(features.tierProbabilities.begin(), features.tierProbabilities.end());
    features.tier = static_cast<ComplexityTier>(best - features.tierProbabilities.begin());
    features.inputTokens = estimateTokens(query);
    features.words = static_cast<int>(tokenizeWords(query).size());
    features.language = detectLanguage(query);
    features.hasCode = containsCode(query);
    features.guardFlags = guardFlags;
    features.metadata = metadata;
    return features;
}

} // namespace llmops
