// SPDX-License-Identifier: MIT
#pragma once

#include <regex>
#include <string>
#include <vector>

#include "llmops/settings.h"

namespace llmops {

struct RouteDecision {
    std::string rule;    // name of the rule that fired
    std::string model;   // ModelEndpoint::name
    std::vector<std::string> fallbacks;  // tried in order when model fails
    std::string reason;  // which condition matched, for the trace
};

// Evaluates routing rules in order; the first rule whose conditions all hold wins. Patterns
// are compiled once, so construct a Router when the settings change, not per query.
class Router {
public:
    // The rules must have passed validateSettings.
    explicit Router(const std::vector<RoutingRule>& rules);

    RouteDecision route(const std::string& query) const;

private:
    struct CompiledRule {
        RoutingRule rule;
        std::vector<std::string> lowerKeywords;
        bool hasPattern = false;
        std::regex pattern;
    };
    std::vector<CompiledRule> m_rules;
};

} // namespace llmops
