// SPDX-License-Identifier: MIT
// Routing rules and their conditions as JSON, with errors that name the rule and the key.
#include "RuleJson.h"

#include <set>

namespace llmops {
namespace {

using nlohmann::json;
using Kind = RoutingCondition::Kind;

// Thrown inside this file only, and turned into a Status by rulesFromJsonValue.
struct RuleJsonError {
    std::string path;     // such as "when.all[1].tier"
    std::string message;  // such as "must be a string, got number"
};

std::string typeMismatch(const char* expected, const json& value)
{
    return std::string("must be ") + expected + ", got " + value.type_name();
}

std::string readString(const json& value, const std::string& path)
{
    if (!value.is_string())
        throw RuleJsonError{path, typeMismatch("a string", value)};
    return value.get<std::string>();
}

std::vector<std::string> readStrings(const json& value, const std::string& path)
{
    if (!value.is_array())
        throw RuleJsonError{path, typeMismatch("an array of strings", value)};
    std::vector<std::string> strings;
    for (std::size_t i = 0; i < value.size(); ++i)
        strings.push_back(readString(value[i], path + "[" + std::to_string(i) + "]"));
    return strings;
}

long long readCount(const json& value, const std::string& path)
{
    if (!value.is_number_integer() || value.get<long long>() < 0)
        throw RuleJsonError{path, typeMismatch("a whole number of 0 or more", value)};
    return value.get<long long>();
}

RoutingCondition conditionFromValue(const json& value, const std::string& path, int depth = 0);

RoutingCondition combinationFromValue(Kind kind, const json& value, const std::string& path, int depth)
{
    if (!value.is_array() || value.empty())
        throw RuleJsonError{path, typeMismatch("a non-empty array of conditions", value)};
    RoutingCondition combined;
    combined.kind = kind;
    for (std::size_t i = 0; i < value.size(); ++i)
        combined.children.push_back(conditionFromValue(value[i], path + "[" + std::to_string(i) + "]", depth + 1));
    return combined;
}

RoutingCondition metadataFromValue(const json& value, const std::string& path)
{
    if (!value.is_object())
        throw RuleJsonError{path, typeMismatch("an object with \"key\" and \"values\"", value)};
    for (const auto& [key, item] : value.items()) {
        if (key != "key" && key != "values")
            throw RuleJsonError{path + "." + key, "is not a known key; use \"key\" and \"values\""};
    }
    if (!value.contains("key") || !value.contains("values"))
        throw RuleJsonError{path, "needs both \"key\" and \"values\""};
    RoutingCondition leaf;
    leaf.kind = Kind::Metadata;
    leaf.text = readString(value.at("key"), path + ".key");
    leaf.values = readStrings(value.at("values"), path + ".values");
    return leaf;
}

RoutingCondition leafFromValue(const std::string& name, const json& value, const std::string& path)
{
    static const std::map<std::string, Kind> textKinds = {
        {"tier", Kind::Tier}, {"regex", Kind::Regex}, {"flag", Kind::GuardFlag}, {"language", Kind::Language}};
    static const std::map<std::string, Kind> countKinds = {
        {"min_tokens", Kind::MinTokens}, {"max_tokens", Kind::MaxTokens}, {"min_words", Kind::MinWords}};
    RoutingCondition leaf;
    if (const auto found = textKinds.find(name); found != textKinds.end()) {
        leaf.kind = found->second;
        leaf.text = readString(value, path);
    } else if (const auto counted = countKinds.find(name); counted != countKinds.end()) {
        leaf.kind = counted->second;
        leaf.number = readCount(value, path);
    } else if (name == "keywords") {
        leaf.kind = Kind::Keywords;
        leaf.values = readStrings(value, path);
    } else if (name == "code" || name == "always") {
        if (!value.is_boolean())
            throw RuleJsonError{path, typeMismatch("true or false", value)};
        leaf.kind = name == "code" ? Kind::HasCode : Kind::Always;
        if (!value.get<bool>()) {  // {"code": false} is "not code()"
            RoutingCondition negated;
            negated.kind = Kind::Not;
            negated.children.push_back(std::move(leaf));
            return negated;
        }
    } else if (name == "meta") {
        return metadataFromValue(value, path);
    } else {
        throw RuleJsonError{path, "is not a known condition; use all, any, not, tier, min_tokens, max_tokens, "
                                  "min_words, regex, keywords, flag, language, code, meta or always"};
    }
    return leaf;
}

RoutingCondition conditionFromValue(const json& value, const std::string& path, int depth)
{
    if (depth > kMaxConditionDepth)
        throw RuleJsonError{path.substr(0, 60) + "...", "nests conditions more than " + std::to_string(kMaxConditionDepth) +
                                                       " levels deep; flatten it with all or any lists"};
    if (value.is_string()) {
        Result<RoutingCondition> parsed = conditionFromText(value.get<std::string>());
        if (!parsed.isOk())
            throw RuleJsonError{path, parsed.status().message()};
        return parsed.value();
    }
    if (!value.is_object() || value.size() != 1)
        throw RuleJsonError{path, "must be a condition text or an object with exactly one key, got " +
                                      std::string(value.type_name()) +
                                      (value.is_object() ? " with " + std::to_string(value.size()) + " keys" : "")};
    // The object's only member. Binding to *value.items().begin() would refer into a proxy that
    // is destroyed at the end of that statement.
    const auto member = value.begin();
    const std::string name = member.key();
    const json& inner = member.value();
    const std::string innerPath = path + "." + name;
    if (name == "all" || name == "any")
        return combinationFromValue(name == "all" ? Kind::All : Kind::Any, inner, innerPath, depth);
    if (name == "not") {
        RoutingCondition negated;
        negated.kind = Kind::Not;
        negated.children.push_back(conditionFromValue(inner, innerPath, depth + 1));
        return negated;
    }
    return leafFromValue(name, inner, innerPath);
}

RoutingRule ruleFromValue(const json& item)
{
    static const std::set<std::string> keys = {"name", "model", "fallbacks", "when", "keywords", "pattern",
                                               "min_query_words"};
    if (!item.is_object())
        throw RuleJsonError{"", typeMismatch("an object", item)};
    RoutingRule rule;
    if (item.contains("name"))
        rule.name = readString(item.at("name"), "name");
    for (const auto& [key, value] : item.items()) {
        if (!keys.contains(key))
            throw RuleJsonError{key, "is not a known key; use name, model, fallbacks, when, keywords, pattern or "
                                     "min_query_words"};
    }
    if (item.contains("model"))
        rule.model = readString(item.at("model"), "model");
    if (item.contains("fallbacks"))
        rule.fallbacks = readStrings(item.at("fallbacks"), "fallbacks");
    if (item.contains("keywords"))
        rule.keywords = readStrings(item.at("keywords"), "keywords");
    if (item.contains("pattern"))
        rule.pattern = readString(item.at("pattern"), "pattern");
    if (item.contains("min_query_words"))
        rule.minQueryWords = static_cast<int>(readCount(item.at("min_query_words"), "min_query_words"));
    if (item.contains("when"))
        rule.when = conditionFromValue(item.at("when"), "when");
    return rule;
}

} // namespace

json conditionToJsonValue(const RoutingCondition& c)
{
    switch (c.kind) {
    case Kind::All:
    case Kind::Any: {
        json children = json::array();
        for (const RoutingCondition& child : c.children)
            children.push_back(conditionToJsonValue(child));
        return {{c.kind == Kind::All ? "all" : "any", children}};
    }
    case Kind::Not:
        return {{"not", c.children.empty() ? json{{"always", true}} : conditionToJsonValue(c.children.front())}};
    case Kind::Tier:
        return {{"tier", c.text}};
    case Kind::MinTokens:
        return {{"min_tokens", c.number}};
    case Kind::MaxTokens:
        return {{"max_tokens", c.number}};
    case Kind::MinWords:
        return {{"min_words", c.number}};
    case Kind::Regex:
        return {{"regex", c.text}};
    case Kind::Keywords:
        return {{"keywords", c.values}};
    case Kind::GuardFlag:
        return {{"flag", c.text}};
    case Kind::Language:
        return {{"language", c.text}};
    case Kind::HasCode:
        return {{"code", true}};
    case Kind::Metadata:
        return {{"meta", {{"key", c.text}, {"values", c.values}}}};
    case Kind::Always:
        break;
    }
    return {{"always", true}};
}

json ruleToJsonValue(const RoutingRule& rule)
{
    json item = {{"name", rule.name}, {"model", rule.model}, {"fallbacks", rule.fallbacks}};
    // The older keys are written only when set, so new rule sets read as conditions alone.
    if (!rule.keywords.empty())
        item["keywords"] = rule.keywords;
    if (!rule.pattern.empty())
        item["pattern"] = rule.pattern;
    if (rule.minQueryWords > 0)
        item["min_query_words"] = rule.minQueryWords;
    if (rule.when.kind != Kind::Always)
        item["when"] = conditionToJsonValue(rule.when);
    return item;
}

Result<std::vector<RoutingRule>> rulesFromJsonValue(const json& rules, const std::string& origin)
{
    if (!rules.is_array())
        return Status::invalidArgument(origin + ": \"rules\" must be an array of rule objects, got " +
                                       std::string(rules.type_name()));
    std::vector<RoutingRule> parsed;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        try {
            parsed.push_back(ruleFromValue(rules[i]));
        } catch (const RuleJsonError& error) {
            std::string name;
            if (rules[i].is_object() && rules[i].contains("name") && rules[i].at("name").is_string())
                name = " \"" + rules[i].at("name").get<std::string>() + "\"";
            std::string message = origin + ": rule " + std::to_string(i + 1) + name;
            message += error.path.empty() ? " " : ", field \"" + error.path + "\" ";
            return Status::invalidArgument(message + error.message);
        }
    }
    return parsed;
}

Result<std::vector<RoutingRule>> rulesFromJson(const std::string& text, const std::string& origin)
{
    static const std::set<std::string> topKeys = {"rules", "version", "note", "format"};
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& e) {
        return Status::invalidArgument(origin + " is not valid JSON: " + e.what());
    }
    if (root.is_array())
        return rulesFromJsonValue(root, origin);
    if (!root.is_object() || !root.contains("rules"))
        return Status::invalidArgument(origin + " must be a JSON object with a \"rules\" array, or an array of rules");
    for (const auto& [key, value] : root.items()) {
        if (!topKeys.contains(key))
            return Status::invalidArgument(origin + ": unknown top-level key \"" + key +
                                           "\"; use rules, and optionally version, note and format");
    }
    return rulesFromJsonValue(root.at("rules"), origin);
}

std::string rulesToJson(const std::vector<RoutingRule>& rules, int version, const std::string& note)
{
    json array = json::array();
    for (const RoutingRule& rule : rules)
        array.push_back(ruleToJsonValue(rule));
    json root = {{"format", "llmops-rules-1"}, {"rules", array}};
    if (version > 0)
        root["version"] = version;
    if (!note.empty())
        root["note"] = note;
    return root.dump(2);
}

} // namespace llmops
