// SPDX-License-Identifier: MIT
#pragma once

// Routing rules as JSON values, shared by the settings and by rule set files. Included only by
// .cpp files that already use nlohmann/json.
#include <nlohmann/json.hpp>

#include "llmops/routing.h"

namespace llmops {

nlohmann::json ruleToJsonValue(const RoutingRule& rule);
nlohmann::json conditionToJsonValue(const RoutingCondition& condition);

// Parses an array of rules. Unknown keys and values of the wrong type fail with a message that
// starts with origin and names the rule (position and name) and the key path.
Result<std::vector<RoutingRule>> rulesFromJsonValue(const nlohmann::json& rules, const std::string& origin);

} // namespace llmops
