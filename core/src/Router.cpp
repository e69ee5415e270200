// SPDX-License-Identifier: MIT
// Routing: rule conditions compiled once and evaluated over the features of each query.
#include "Router.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "RoutingPattern.h"
#include "llmops/text.h"

namespace llmops {
namespace {

using Kind = RoutingCondition::Kind;

std::string lowerAscii(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// The start of text up to kMaxRegexInputBytes, cut at the start of a UTF-8 sequence.
std::string_view regexInput(const std::string& text)
{
    if (text.size() <= kMaxRegexInputBytes)
        return text;
    std::size_t cut = kMaxRegexInputBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    return std::string_view(text).substr(0, cut);
}

struct Node {
    RoutingCondition source;  // children are in `children` below, not here
    std::vector<Node> children;
    std::vector<std::string> lowerValues;
    std::shared_ptr<const re2::RE2> regex;
};

Node compile(const RoutingCondition& condition)
{
    Node node;
    node.source = condition;
    node.source.children.clear();
    for (const RoutingCondition& child : condition.children)
        node.children.push_back(compile(child));
    for (const std::string& value : condition.values)
        node.lowerValues.push_back(lowerAscii(value));
    if (condition.kind == Kind::Regex && checkRoutingPattern(condition.text).isOk())
        node.regex = compileRoutingPattern(condition.text);
    return node;
}

// The query and its features, as conditions read them.
struct Subject {
    const QueryFeatures& features;
    const std::string& query;
    const std::string& lowered;
};

std::string percent(double share)
{
    char buffer[16];
    std::snprintf(buffer, sizeof(buffer), "%.0f%%", share * 100.0);
    return buffer;
}

bool flagMatches(const std::vector<std::string>& flags, const std::string& wanted)
{
    return std::any_of(flags.begin(), flags.end(), [&](const std::string& kind) {
        return kind == wanted || (kind.size() > wanted.size() && kind.starts_with(wanted) && kind[wanted.size()] == '.');
    });
}

// Evaluates a leaf. When reason is given, appends the condition and the value it saw, such as `tier=complex (81%)`.
bool evaluateLeaf(const Node& node, const Subject& s, std::string* reason)
{
    const RoutingCondition& c = node.source;
    const QueryFeatures& f = s.features;
    bool matched = false;
    std::string seen;
    switch (c.kind) {
    case Kind::Tier: {
        const auto tier = static_cast<std::size_t>(f.tier);
        matched = c.text == tierName(f.tier);
        seen = std::string("tier=") + tierName(f.tier) + " (" + percent(f.tierProbabilities[tier]) + ")";
        break;
    }
    case Kind::MinTokens:
    case Kind::MaxTokens:
        matched = c.kind == Kind::MinTokens ? f.inputTokens >= c.number : f.inputTokens <= c.number;
        seen = "tokens=" + std::to_string(f.inputTokens);
        break;
    case Kind::MinWords:
        matched = f.words >= c.number;
        seen = "words=" + std::to_string(f.words);
        break;
    case Kind::Regex: {
        const std::string_view input = regexInput(s.query);
        matched = node.regex != nullptr && node.regex->ok() &&
                  re2::RE2::PartialMatch(re2::StringPiece(input.data(), input.size()), *node.regex);
        seen = matched ? "pattern found" : "pattern not found";
        break;
    }
    case Kind::Keywords: {
        const auto found = std::find_if(node.lowerValues.begin(), node.lowerValues.end(),
                                        [&](const std::string& k) { return s.lowered.find(k) != std::string::npos; });
        matched = found != node.lowerValues.end();
        seen = matched ? "found \"" + *found + "\"" : "none found";
        break;
    }
    case Kind::GuardFlag:
        matched = flagMatches(f.guardFlags, c.text);
        seen = f.guardFlags.empty() ? std::string("no flags") : "flags=" + std::to_string(f.guardFlags.size());
        break;
    case Kind::Language:
        matched = f.language == c.text;
        seen = "language=" + f.language;
        break;
    case Kind::HasCode:
        matched = f.hasCode;
        seen = f.hasCode ? "code found" : "no code";
        break;
    case Kind::Metadata: {
        const auto value = f.metadata.find(c.text);
        matched = value != f.metadata.end() &&
                  std::find(c.values.begin(), c.values.end(), value->second) != c.values.end();
        seen = value == f.metadata.end() ? c.text + " not set" : c.text + "=" + value->second;
        break;
    }
    default:
        matched = true;
        seen = "no condition";
        break;
    }
    if (reason != nullptr)
        *reason += conditionToText(c) + " [" + seen + (matched ? ": yes]" : ": no]");
    return matched;
}

bool evaluate(const Node& node, const Subject& s, std::string* reason)
{
    const Kind kind = node.source.kind;
    if (kind == Kind::Not) {
        if (reason != nullptr)
            *reason += "not ";
        return !evaluate(node.children.front(), s, reason);
    }
    if (kind != Kind::All && kind != Kind::Any)
        return evaluateLeaf(node, s, reason);

    // Without an explanation, stop at the first part that decides; with one, show every part.
    const bool wanted = kind == Kind::Any;
    bool result = !wanted;
    if (reason != nullptr)
        *reason += "(";
    for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (reason != nullptr && i > 0)
            *reason += kind == Kind::All ? " and " : " or ";
        if (evaluate(node.children[i], s, reason) == wanted) {
            result = wanted;
            if (reason == nullptr)
                break;
        }
    }
    if (reason != nullptr)
        *reason += ")";
    return result;
}

} // namespace

struct Router::Compiled {
    struct Rule {
        RoutingRule rule;
        Node condition;
    };
    std::vector<Rule> rules;
    ComplexityClassifier classifier;
};

Router::Router(const std::vector<RoutingRule>& rules, ComplexityClassifier classifier)
    : m_compiled(std::make_unique<Compiled>(Compiled{{}, classifier}))
{
    for (const RoutingRule& rule : rules)
        m_compiled->rules.push_back({rule, compile(effectiveCondition(rule))});
}

Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

QueryFeatures Router::features(const std::string& query, const std::vector<std::string>& guardFlags,
                               const std::map<std::string, std::string>& metadata) const
{
    return queryFeatures(query, guardFlags, metadata, m_compiled->classifier);
}

RouteDecision Router::route(const QueryFeatures& features, const std::string& query) const
{
    const std::string lowered = lowerAscii(query);
    const Subject subject{features, query, lowered};
    for (std::size_t i = 0; i < m_compiled->rules.size(); ++i) {
        const Compiled::Rule& compiled = m_compiled->rules[i];
        if (!evaluate(compiled.condition, subject, nullptr))
            continue;
        std::string reason;
        if (compiled.condition.source.kind == Kind::Always)
            reason = "default rule";
        else
            evaluate(compiled.condition, subject, &reason);
        return {compiled.rule.name, static_cast<int>(i), compiled.rule.model, compiled.rule.fallbacks, reason};
    }
    return {"none", -1, "local-extractive", {}, "no rule matched"};
}

RouteDecision Router::route(const std::string& query) const
{
    return route(features(query, {}, {}), query);
}

RouteExplanation Router::explain(const std::string& query, const std::vector<std::string>& guardFlags,
                                 const std::map<std::string, std::string>& metadata) const
{
    RouteExplanation explanation;
    explanation.features = features(query, guardFlags, metadata);
    const std::string lowered = lowerAscii(query);
    const Subject subject{explanation.features, query, lowered};
    for (const Compiled::Rule& compiled : m_compiled->rules) {
        RuleEvaluation evaluation;
        evaluation.rule = compiled.rule.name;
        evaluation.matched = evaluate(compiled.condition, subject, &evaluation.detail);
        explanation.rules.push_back(std::move(evaluation));
        if (explanation.rules.back().matched)
            break;
    }
    explanation.decision = route(explanation.features, query);
    return explanation;
}

} // namespace llmops
