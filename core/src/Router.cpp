// SPDX-License-Identifier: MIT
#include "Router.h"

#include <algorithm>
#include <cctype>

#include "llmops/text.h"

namespace llmops {
namespace {

std::string lowerAscii(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

} // namespace

Router::Router(const std::vector<RoutingRule>& rules)
{
    for (const RoutingRule& rule : rules) {
        CompiledRule compiled{rule, {}, !rule.pattern.empty(), {}};
        for (const std::string& keyword : rule.keywords)
            compiled.lowerKeywords.push_back(lowerAscii(keyword));
        if (compiled.hasPattern)
            compiled.pattern = std::regex(rule.pattern, std::regex::ECMAScript | std::regex::icase);
        m_rules.push_back(std::move(compiled));
    }
}

RouteDecision Router::route(const std::string& query) const
{
    const std::string lowered = lowerAscii(query);
    const auto wordCount = static_cast<int>(tokenizeWords(query).size());

    for (const CompiledRule& compiled : m_rules) {
        std::string reason;
        if (!compiled.lowerKeywords.empty()) {
            const auto match = std::find_if(compiled.lowerKeywords.begin(), compiled.lowerKeywords.end(),
                                            [&](const std::string& k) { return lowered.find(k) != std::string::npos; });
            if (match == compiled.lowerKeywords.end())
                continue;
            reason += "keyword \"" + *match + "\" ";
        }
        if (compiled.hasPattern) {
            if (!std::regex_search(query, compiled.pattern))
                continue;
            reason += "pattern /" + compiled.rule.pattern + "/ ";
        }
        if (compiled.rule.minQueryWords > 0) {
            if (wordCount < compiled.rule.minQueryWords)
                continue;
            reason += std::to_string(wordCount) + " words >= " + std::to_string(compiled.rule.minQueryWords) + " ";
        }
        if (reason.empty())
            reason = "default rule";
        return {compiled.rule.name, compiled.rule.model, compiled.rule.fallbacks, std::string(trimmed(reason))};
    }
    return {"none", "local-extractive", {}, "no rule matched"};
}

} // namespace llmops
