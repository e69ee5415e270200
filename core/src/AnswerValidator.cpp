// SPDX-License-Identifier: MIT
#include "llmops/validator.h"

#include "llmops/guard.h"
#include "llmops/text.h"

#include <set>
#include <string>

namespace llmops {
namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Returns the length of a citation marker at text[i]: "[3]", "[1, 2]" or "[1,2]", else 0.
std::size_t citationLength(std::string_view text, std::size_t i)
{
    if (text[i] != '[')
        return 0;
    std::size_t k = i + 1;
    bool sawDigit = false;
    while (k < text.size() && (isDigit(text[k]) || text[k] == ',' || text[k] == ' ')) {
        sawDigit = sawDigit || isDigit(text[k]);
        ++k;
    }
    return sawDigit && k < text.size() && text[k] == ']' ? k + 1 - i : 0;
}

// Removes citation markers together with the space before them, so "days [1]." becomes "days.".
std::string withoutCitations(std::string_view text)
{
    std::string cleaned;
    cleaned.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (const std::size_t length = citationLength(text, i)) {
            while (!cleaned.empty() && cleaned.back() == ' ')
                cleaned.pop_back();
            i += length;
            continue;
        }
        cleaned.push_back(text[i++]);
    }
    return cleaned;
}

std::set<std::string> distinctTerms(std::string_view text)
{
    const std::vector<std::string> terms = contentTerms(text);
    return {terms.begin(), terms.end()};
}

double supportScore(const std::set<std::string>& claimTerms, const std::set<std::string>& chunkTerms)
{
    std::size_t found = 0;
    for (const std::string& term : claimTerms)
        found += chunkTerms.contains(term) ? 1 : 0;
    return static_cast<double>(found) / static_cast<double>(claimTerms.size());
}

// Scores one claim against every chunk; the first chunk wins ties so the verdict is stable.
ClaimVerdict judgeClaim(std::string claim, const std::set<std::string>& claimTerms,
                        const std::vector<std::set<std::string>>& chunkTerms, double threshold)
{
    ClaimVerdict verdict;
    verdict.claim = std::move(claim);
    for (std::size_t i = 0; i < chunkTerms.size(); ++i) {
        const double score = supportScore(claimTerms, chunkTerms[i]);
        if (score > verdict.score) {
            verdict.score = score;
            verdict.bestContext = static_cast<int>(i) + 1;
        }
    }
    verdict.supported = !chunkTerms.empty() && verdict.score >= threshold;
    return verdict;
}

} // namespace

ValidationReport validateAnswer(std::string_view answer, const std::vector<RetrievalHit>& context,
                                const ValidationOptions& options)
{
    std::vector<std::set<std::string>> chunkTerms;
    chunkTerms.reserve(context.size());
    for (const RetrievalHit& hit : context)
        chunkTerms.push_back(distinctTerms(hit.chunk.text));

    // Sentences are split on the answer as written, so flag spans point into it. Citation
    // markers are removed from each sentence before its terms are counted.
    ValidationReport report;
    for (const SentenceSpan& span : splitSentences(answer)) {
        const std::string claim(trimmed(withoutCitations(answer.substr(span.begin, span.end - span.begin))));
        const std::set<std::string> claimTerms = distinctTerms(claim);
        if (claimTerms.empty())
            continue;

        ClaimVerdict verdict = judgeClaim(claim, claimTerms, chunkTerms, options.supportThreshold);
        verdict.begin = span.begin;
        verdict.end = span.end;
        if (verdict.bestContext > 0) {
            const RetrievalHit& best = context[static_cast<std::size_t>(verdict.bestContext - 1)];
            verdict.chunkId = best.chunk.id;
            verdict.documentPath = best.documentPath;
            verdict.headingPath = best.chunk.headingPath;
        }
        if (!verdict.supported)
            report.flags.push_back({"unsupported_claim", verdict.claim, span.begin, span.end});
        report.claims.push_back(std::move(verdict));
    }
    return report;
}

namespace {

// The form PII values are compared in, so formatting differences do not count as a new value.
std::string comparableValue(std::string_view value)
{
    std::string comparable;
    for (const char c : value) {
        if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')')
            continue;
        comparable.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return comparable;
}

void collectValues(std::string_view text, std::set<std::string>* values)
{
    for (const PiiEntity& entity : findPii(text))
        values->insert(comparableValue(text.substr(entity.begin, entity.end - entity.begin)));
}

} // namespace

std::vector<Flag> findPiiLeaks(std::string_view answer, std::string_view question,
                               const std::vector<RetrievalHit>& context)
{
    std::vector<Flag> leaks;
    const std::vector<PiiEntity> entities = findPii(answer);
    if (entities.empty())
        return leaks;

    std::set<std::string> known;
    collectValues(question, &known);
    for (const RetrievalHit& hit : context)
        collectValues(hit.chunk.text, &known);

    for (const PiiEntity& entity : entities) {
        const std::string_view value = answer.substr(entity.begin, entity.end - entity.begin);
        if (known.contains(comparableValue(value)))
            continue;
        leaks.push_back({"pii_leak", entity.type + " in the answer is neither in the question nor in the retrieved context",
                         entity.begin, entity.end});
    }
    return leaks;
}

} // namespace llmops
