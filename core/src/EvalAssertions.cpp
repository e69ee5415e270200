// SPDX-License-Identifier: MIT
// promptfoo assertions checked against a stored answer. They depend on the answer alone, so
// they are evaluated when results are read rather than stored.
#include "llmops/eval_metrics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>

#include <re2/re2.h>

#include "llmops/embedder.h"
#include "llmops/text.h"

namespace llmops {
namespace {

using Json = nlohmann::json;

constexpr double kDefaultSimilarThreshold = 0.75;  // promptfoo's default for "similar"

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::optional<bool> matchesRegex(const std::string& pattern, const std::string& answer)
{
    // RE2 matches in linear time, so a pattern from an imported file cannot stall reading the
    // results. One RE2 cannot compile (look-around, back-references) is left unchecked.
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(8 << 20);
    const re2::RE2 compiled(pattern, options);
    if (!compiled.ok())
        return std::nullopt;
    return re2::RE2::PartialMatch(answer, compiled);
}

bool isSimilar(const std::string& expected, const std::string& answer, double threshold)
{
    const HashingEmbedder embedder;
    const std::vector<float> a = embedder.embedOne(expected);
    const std::vector<float> b = embedder.embedOne(answer);
    return std::inner_product(a.begin(), a.end(), b.begin(), 0.0) >= threshold;
}

// The outcome of one assertion; nothing when it cannot be checked offline.
std::optional<bool> check(const Json& assertion, const std::string& answer)
{
    const std::string type = assertion.value("type", "");
    const std::string value = assertion.value("value", "");
    if (type == "equals")
        return std::string(trimmed(answer)) == std::string(trimmed(value));
    if (type == "contains")
        return answer.find(value) != std::string::npos;
    if (type == "icontains")
        return lower(answer).find(lower(value)) != std::string::npos;
    if (type == "regex")
        return matchesRegex(value, answer);
    if (type == "similar")
        return isSimilar(value, answer, assertion.value("threshold", kDefaultSimilarThreshold));
    return std::nullopt;  // llm-rubric needs a judge model
}

} // namespace

AssertionOutcome checkAssertions(const std::string& assertionsJson, const std::string& answer)
{
    AssertionOutcome outcome;
    const Json assertions = Json::parse(assertionsJson, nullptr, false);
    if (!assertions.is_array())
        return outcome;
    for (const Json& assertion : assertions) {
        const std::optional<bool> passed = check(assertion, answer);
        if (!passed)
            ++outcome.unchecked;
        else if (*passed)
            ++outcome.passed;
        else
            ++outcome.failed;
    }
    return outcome;
}

} // namespace llmops
