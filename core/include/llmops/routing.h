// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "llmops/settings.h"
#include "llmops/status.h"

namespace llmops {

// Complexity tiers of the built-in classifier, in the order of its outputs.
enum class ComplexityTier { Simple = 0, Medium = 1, Complex = 2 };
constexpr int kTierCount = 3;

const char* tierName(ComplexityTier tier);  // "simple", "medium", "complex"
Result<ComplexityTier> tierFromName(const std::string& name);

// The numeric inputs of the complexity classifier, computed from the query text alone. Each
// value is scaled to roughly 0..3 so that one learning rate suits all of them.
struct ComplexityFeatures {
    static constexpr int kCount = 11;
    static const std::array<const char*, kCount>& names();
    std::array<double, kCount> values{};
};

// Extracts the bias input 1, the log of the word count, sentences and question marks. Then
// counts multi-part markers (enumerations, "also", "and then", semicolons), reasoning and
// comparison cues ("why", "compare", "versus", "trade-off", "should we") and conditional words
// ("if", "without", "while"). The rest are code, numbers, domain terms of a SaaS product (SSO,
// SAML, webhook, API, migration, ...) and the action verbs of simple requests ("reset",
// "change", "where is").
ComplexityFeatures complexityFeatures(const std::string& query);

// A labelled query for training or evaluating the classifier.
struct LabelledQuery {
    std::string query;
    ComplexityTier tier = ComplexityTier::Simple;
};

// Reads labelled queries from a TSV file (a header line with the columns "tier" and "query",
// in any order) or a JSONL file (one object per line with "tier" and "query"). Fails with
// InvalidArgument naming the file and line of the first bad row.
Result<std::vector<LabelledQuery>> readLabelledQueries(const std::string& path);

// A multinomial logistic (softmax) model over ComplexityFeatures.
class ComplexityClassifier {
public:
    using Weights = std::array<std::array<double, ComplexityFeatures::kCount>, kTierCount>;

    // The weights shipped with the program, trained on tests/data/complexity-queries.tsv.
    static ComplexityClassifier shipped();

    // Trains weights by full-batch gradient descent on the cross-entropy with L2 regularisation
    // (epochs passes, learningRate per step, l2 per weight). Deterministic: starts from zero.
    static ComplexityClassifier train(const std::vector<LabelledQuery>& examples, int epochs = 2000,
                                      double learningRate = 0.5, double l2 = 0.001);

    explicit ComplexityClassifier(const Weights& weights) : m_weights(weights) {}

    std::array<double, kTierCount> probabilities(const ComplexityFeatures& features) const;
    ComplexityTier classify(const std::string& query) const;
    const Weights& weights() const { return m_weights; }

private:
    Weights m_weights{};
};

// The classifier the settings name: their complexityWeights when set, else shipped(). Weights
// of the wrong count (which validateSettings rejects) also give shipped().
ComplexityClassifier classifierFor(const PipelineSettings& settings);

// The weights row by row, in the layout of PipelineSettings::complexityWeights.
std::vector<double> flattenWeights(const ComplexityClassifier& classifier);

// Detected language of a query: "en", "de" or "other". Counts frequent function words of each
// language and German letters (umlauts, sharp s); text with neither is "other".
std::string detectLanguage(const std::string& query);

// True when the query contains code: a fenced or inline code span, a line indented by four
// spaces, or two or more code tokens such as "();", "{", "=>", "::", "$ " or a JSON key.
bool containsCode(const std::string& query);

// The estimated number of tokens of a text: one per four bytes, rounded up, as a rough
// estimate for English prose with BPE tokenizers.
std::int64_t estimateTokens(const std::string& text);

// The features of one query that routing conditions test.
struct QueryFeatures {
    ComplexityTier tier = ComplexityTier::Simple;
    std::array<double, kTierCount> tierProbabilities{};
    std::int64_t inputTokens = 0;
    int words = 0;
    std::string language;
    bool hasCode = false;
    std::vector<std::string> guardFlags;            // flag kinds from the input guard
    std::map<std::string, std::string> metadata;    // AskOptions::metadata
};

// Computes the features of a query (after the input guard) with the given classifier.
QueryFeatures queryFeatures(const std::string& query, const std::vector<std::string>& guardFlags,
                            const std::map<std::string, std::string>& metadata,
                            const ComplexityClassifier& classifier);

// Conditions as text, such as `tier(complex) and not language(de) or keywords("invoice", "vat")`.
// Leaves: tier(T), min_tokens(N), max_tokens(N), min_words(N), regex("P"), keywords("a", ...),
// flag(KIND), language(L), code(), meta(KEY, "v1", ...) and always(). "not" binds tightest,
// then "and", then "or"; parentheses group. Strings are double-quoted with \" and \\ escapes (a
// backslash before any other character is kept), or bare words of letters, digits, _ . -.
std::string conditionToText(const RoutingCondition& condition);
Result<RoutingCondition> conditionFromText(const std::string& text);

// How deep conditions may nest (through and, or, not and parentheses). Deeper ones are
// rejected when parsed, since every later step walks a condition recursively.
constexpr int kMaxConditionDepth = 32;

// The longest input a routing regular expression is matched against. RE2 is linear in it; the
// bound keeps the time per query small.
constexpr std::size_t kMaxRegexInputBytes = 2048;

// Checks that a routing pattern compiles as RE2 syntax and is at most 512 bytes.
Status checkRoutingPattern(const std::string& pattern);

// The condition a rule tests: its older keywords, pattern and minQueryWords fields joined by
// "and" with its `when` condition; Kind::Always for a rule without conditions.
RoutingCondition effectiveCondition(const RoutingRule& rule);

// A problem found in a rule set, for inline validation.
struct RuleIssue {
    int rule = 0;           // 0-based index of the rule
    bool error = true;      // false: a warning, such as a shadowed rule
    std::string message;    // names the rule and the field
};

// Checks every rule: known models and fallbacks, valid patterns and tiers, conditions with the
// right number of children and a final rule without conditions (errors). Rules that can never
// fire because an earlier rule matches every query they match, and repeated names, are warnings. The shadowing check is syntactic:
// an earlier rule shadows a later one when one of its "or" branches is a set of "and" terms
// that all appear among the later rule's "and" terms.
std::vector<RuleIssue> checkRules(const std::vector<RoutingRule>& rules, const std::vector<std::string>& models);

// Parses a rule set file: {"rules": [...]} with optional "version", "note" and "format" keys,
// or a bare array of rules. A rule has "name", "model", optional "fallbacks", "when" (a
// condition object or a condition text) and the older "keywords", "pattern" and
// "min_query_words". Unknown keys and wrong types fail with a message naming the rule and key.
Result<std::vector<RoutingRule>> rulesFromJson(const std::string& json, const std::string& origin);
std::string rulesToJson(const std::vector<RoutingRule>& rules, int version = 0, const std::string& note = {});

// The decision of the router for one query.
struct RouteDecision {
    std::string rule;    // name of the rule that fired
    int ruleIndex = -1;  // its 0-based position; -1 when no rule matched
    std::string model;   // ModelEndpoint::name
    std::vector<std::string> fallbacks;  // tried in order when model fails
    std::string reason;  // the matched conditions with the feature values, for the trace
};

// The outcome of one rule on one query, for `llmops route explain` and the preview.
struct RuleEvaluation {
    std::string rule;
    bool matched = false;
    std::string detail;  // each condition with the value it saw, such as "tier(medium) [tier=complex (81%): no]"
};

struct RouteExplanation {
    QueryFeatures features;
    RouteDecision decision;
    std::vector<RuleEvaluation> rules;  // up to and including the rule that fired
};

// Evaluates routing rules in order, and the first rule whose condition matches wins. Patterns are
// compiled once, so construct a Router when the rules change, not per query. A Router is
// immutable after construction and may be used from several threads at once.
class Router {
public:
    // The rules must have passed checkRules without errors; an invalid pattern matches nothing.
    explicit Router(const std::vector<RoutingRule>& rules,
                    ComplexityClassifier classifier = ComplexityClassifier::shipped());
    ~Router();
    Router(Router&&) noexcept;
    Router& operator=(Router&&) noexcept;

    RouteDecision route(const QueryFeatures& features, const std::string& query) const;
    RouteDecision route(const std::string& query) const;  // no guard flags, no metadata
    RouteExplanation explain(const std::string& query, const std::vector<std::string>& guardFlags,
                             const std::map<std::string, std::string>& metadata) const;

    QueryFeatures features(const std::string& query, const std::vector<std::string>& guardFlags,
                           const std::map<std::string, std::string>& metadata) const;

private:
    struct Compiled;
    std::unique_ptr<Compiled> m_compiled;
};

} // namespace llmops
