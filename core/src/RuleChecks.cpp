// SPDX-License-Identifier: MIT
// Validation of routing rules: models, patterns, condition shapes and shadowed rules.
#include "llmops/routing.h"

#include <algorithm>
#include <set>

#include "RoutingPattern.h"

namespace llmops {
namespace {

using Kind = RoutingCondition::Kind;

constexpr std::size_t kMaxPatternBytes = 512;

std::string ruleLabel(const std::vector<RoutingRule>& rules, std::size_t index)
{
    const std::string& name = rules[index].name;
    std::string label = "routing rule ";
    label += std::to_string(index + 1);
    label += name.empty() ? std::string(" (unnamed)") : " \"" + name + "\"";
    return label;
}

std::string checkCondition(const RoutingCondition& c)
{
    static const std::set<std::string> languages = {"en", "de", "other"};
    switch (c.kind) {
    case Kind::All:
    case Kind::Any:
        if (c.children.empty())
            return "an \"and\"/\"or\" condition has no parts";
        break;
    case Kind::Not:
        if (c.children.size() != 1)
            return "a \"not\" condition needs exactly one part";
        break;
    case Kind::Tier:
        if (!tierFromName(c.text).isOk())
            return "tier \"" + c.text + "\" is unknown; use simple, medium or complex";
        break;
    case Kind::Language:
        if (!languages.contains(c.text))
            return "language \"" + c.text + "\" is unknown; use en, de or other";
        break;
    case Kind::Regex:
        if (Status status = checkRoutingPattern(c.text); !status.isOk())
            return status.message();
        break;
    case Kind::Keywords:
        if (c.values.empty() || std::any_of(c.values.begin(), c.values.end(), [](const auto& v) { return v.empty(); }))
            return "keywords needs at least one word and no empty ones";
        break;
    case Kind::GuardFlag:
        if (c.text.empty())
            return "flag needs a flag kind such as pii or prompt_injection";
        break;
    case Kind::Metadata:
        if (c.text.empty() || c.values.empty())
            return "meta needs a key and at least one value";
        break;
    default:
        break;
    }
    for (const RoutingCondition& child : c.children) {
        if (std::string problem = checkCondition(child); !problem.empty())
            return problem;
    }
    return {};
}

// The "and" terms of a condition, with nested "and"s flattened.
void collectTerms(const RoutingCondition& c, std::vector<RoutingCondition>* terms)
{
    if (c.kind == Kind::All) {
        for (const RoutingCondition& child : c.children)
            collectTerms(child, terms);
    } else if (c.kind != Kind::Always) {
        terms->push_back(c);
    }
}

// The "or" branches of a condition, each as its "and" terms.
std::vector<std::vector<RoutingCondition>> branches(const RoutingCondition& c)
{
    std::vector<std::vector<RoutingCondition>> result;
    const std::vector<RoutingCondition> single{c};
    for (const RoutingCondition& branch : c.kind == Kind::Any ? c.children : single) {
        result.emplace_back();
        collectTerms(branch, &result.back());
    }
    return result;
}

bool isSubset(const std::vector<std::string>& small, const std::vector<std::string>& large)
{
    return std::all_of(small.begin(), small.end(),
                       [&](const std::string& v) { return std::find(large.begin(), large.end(), v) != large.end(); });
}

// True when every query that satisfies later also satisfies earlier.
bool implies(const RoutingCondition& later, const RoutingCondition& earlier)
{
    if (later.kind == earlier.kind) {
        switch (later.kind) {
        case Kind::Keywords:
            return isSubset(later.values, earlier.values);
        case Kind::Metadata:
            return later.text == earlier.text && isSubset(later.values, earlier.values);
        case Kind::MinTokens:
        case Kind::MinWords:
            return later.number >= earlier.number;
        case Kind::MaxTokens:
            return later.number <= earlier.number;
        default:
            break;
        }
    }
    return conditionToText(later) == conditionToText(earlier);
}

bool branchCovers(const std::vector<RoutingCondition>& earlier, const std::vector<RoutingCondition>& later)
{
    return std::all_of(earlier.begin(), earlier.end(), [&](const RoutingCondition& term) {
        return std::any_of(later.begin(), later.end(), [&](const RoutingCondition& t) { return implies(t, term); });
    });
}

bool shadows(const RoutingCondition& earlier, const RoutingCondition& later)
{
    const auto earlierBranches = branches(earlier);
    const auto laterBranches = branches(later);
    return std::all_of(laterBranches.begin(), laterBranches.end(), [&](const auto& laterBranch) {
        return std::any_of(earlierBranches.begin(), earlierBranches.end(),
                           [&](const auto& earlierBranch) { return branchCovers(earlierBranch, laterBranch); });
    });
}

void checkModels(const std::vector<RoutingRule>& rules, std::size_t i, const std::set<std::string>& models,
                 std::vector<RuleIssue>* issues)
{
    const RoutingRule& rule = rules[i];
    const int index = static_cast<int>(i);
    if (!models.contains(rule.model))
        issues->push_back({index, true, ruleLabel(rules, i) + " sends queries to unknown model \"" + rule.model +
                                            "\"; add that model or pick one of the configured models"});
    for (const std::string& fallback : rule.fallbacks) {
        if (!models.contains(fallback))
            issues->push_back({index, true, ruleLabel(rules, i) + " falls back to unknown model \"" + fallback +
                                                "\"; add that model or remove it from fallbacks"});
    }
}

void checkDuplicateName(const std::vector<RoutingRule>& rules, std::size_t j, std::vector<RuleIssue>* issues)
{
    for (std::size_t i = 0; i < j; ++i) {
        if (!rules[j].name.empty() && rules[i].name == rules[j].name) {
            issues->push_back({static_cast<int>(j), false,
                               ruleLabel(rules, j) + " has the same name as rule " + std::to_string(i + 1) +
                                   "; traces and replays tell rules apart by name, so rename one"});
            return;
        }
    }
}

void checkShadowing(const std::vector<RoutingRule>& rules, std::size_t j, std::vector<RuleIssue>* issues)
{
    const RoutingCondition later = effectiveCondition(rules[j]);
    for (std::size_t i = 0; i < j; ++i) {
        if (shadows(effectiveCondition(rules[i]), later)) {
            issues->push_back({static_cast<int>(j), false,
                               ruleLabel(rules, j) + " never fires: every query it matches is taken by the earlier " +
                                   ruleLabel(rules, i) + "; move it up or narrow the earlier rule"});
            return;
        }
    }
}

} // namespace

Status checkRoutingPattern(const std::string& pattern)
{
    if (pattern.size() > kMaxPatternBytes)
        return Status::invalidArgument("the pattern is " + std::to_string(pattern.size()) + " bytes, over the " +
                                       std::to_string(kMaxPatternBytes) + "-byte limit; split it into several rules");
    const auto compiled = compileRoutingPattern(pattern);
    if (!compiled->ok())
        return Status::invalidArgument("the pattern \"" + pattern + "\" is not a valid regular expression (RE2 syntax, " +
                                       "without back-references or look-around): " + compiled->error());
    return Status::ok();
}

RoutingCondition effectiveCondition(const RoutingRule& rule)
{
    RoutingCondition all;
    all.kind = Kind::All;
    if (!rule.keywords.empty())
        all.children.push_back({Kind::Keywords, {}, {}, rule.keywords, 0});
    if (!rule.pattern.empty())
        all.children.push_back({Kind::Regex, {}, rule.pattern, {}, 0});
    if (rule.minQueryWords > 0)
        all.children.push_back({Kind::MinWords, {}, {}, {}, rule.minQueryWords});
    if (rule.when.kind != Kind::Always)
        all.children.push_back(rule.when);
    if (all.children.empty())
        return {};
    if (all.children.size() == 1)
        return all.children.front();
    return all;
}

std::vector<RuleIssue> checkRules(const std::vector<RoutingRule>& rules, const std::vector<std::string>& models)
{
    std::vector<RuleIssue> issues;
    if (rules.empty()) {
        issues.push_back({0, true, "the rule set is empty; add a final rule without conditions as the default"});
        return issues;
    }
    const std::set<std::string> known(models.begin(), models.end());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        checkModels(rules, i, known, &issues);
        if (!rules[i].pattern.empty()) {
            if (Status status = checkRoutingPattern(rules[i].pattern); !status.isOk())
                issues.push_back({static_cast<int>(i), true, ruleLabel(rules, i) + ", field pattern: " + status.message()});
        }
        if (std::string problem = checkCondition(rules[i].when); !problem.empty())
            issues.push_back({static_cast<int>(i), true, ruleLabel(rules, i) + ", condition: " + problem});
        checkShadowing(rules, i, &issues);
        checkDuplicateName(rules, i, &issues);
    }
    if (rules.back().hasCondition())
        issues.push_back({static_cast<int>(rules.size() - 1), true,
                          "the last " + ruleLabel(rules, rules.size() - 1) +
                              " has conditions; end the rule set with a default rule without any"});
    return issues;
}

} // namespace llmops
