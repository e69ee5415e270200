// SPDX-License-Identifier: MIT
// The complexity classifier: hand-made features of a query fed to a softmax model.
#include "llmops/routing.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "ComplexityWeights.h"
#include "llmops/text.h"

namespace llmops {
namespace {

// Counts are capped and halved so that every feature stays within 0..3.
double scaledCount(int count, int cap)
{
    return std::min(count, cap) / 2.0;
}

int countWords(const std::vector<std::string>& words, const std::set<std::string>& vocabulary)
{
    return static_cast<int>(std::count_if(words.begin(), words.end(),
                                          [&](const std::string& word) { return vocabulary.contains(word); }));
}

int countPhrases(const std::string& lowered, std::initializer_list<const char*> phrases)
{
    int count = 0;
    for (const char* phrase : phrases) {
        const std::string_view needle(phrase);
        for (std::size_t at = lowered.find(needle); at != std::string::npos; at = lowered.find(needle, at + 1))
            ++count;
    }
    return count;
}

std::string lowered(const std::string& text)
{
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

// A digit followed by "." or ")" and a space, at the start of a line or after white space or
// "(", marks an enumerated part, such as "1. " or "2) ".
int countEnumerations(const std::string& text)
{
    int count = 0;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        const bool atStart = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '(';
        const bool marker = std::isdigit(static_cast<unsigned char>(text[i])) != 0 && (text[i + 1] == ')' || text[i + 1] == '.');
        const bool followed = i + 2 >= text.size() || text[i + 2] == ' ';
        if (atStart && marker && followed)
            ++count;
    }
    return count;
}

int countMultiPart(const std::string& query, const std::string& lower, const std::vector<std::string>& words)
{
    static const std::set<std::string> markers = {"also", "additionally", "plus", "second", "secondly", "finally",
                                                  "furthermore", "both", "each"};
    return countWords(words, markers) + countEnumerations(query) +
           countPhrases(lower, {";", "and then", "as well as", "and how", "and what", "and whether", "and why"});
}

int countReasoningCues(const std::string& lower, const std::vector<std::string>& words)
{
    static const std::set<std::string> cues = {
        "why", "explain", "compare", "comparison", "difference", "differences", "versus", "vs", "tradeoff",
        "tradeoffs", "trade", "pros", "cons", "recommend", "impact", "implications", "strategy", "design",
        "evaluate", "architecture", "approach", "risks", "consequences", "justify", "analyse", "analyze",
        "plan", "warum", "vergleich", "unterschied"};
    return countWords(words, cues) + countPhrases(lower, {"best way", "should we", "should i", "what happens"});
}

int countConditionals(const std::vector<std::string>& words)
{
    static const std::set<std::string> conditionals = {"if", "without", "while", "unless", "but", "however",
                                                       "except", "whether", "although", "wenn", "ohne", "aber"};
    return countWords(words, conditionals);
}

int countNumbers(const std::vector<std::string>& words)
{
    return static_cast<int>(std::count_if(words.begin(), words.end(), [](const std::string& word) {
        return std::any_of(word.begin(), word.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    }));
}

int countDomainTerms(const std::vector<std::string>& words)
{
    static const std::set<std::string> terms = {
        "sso", "saml", "oauth", "oidc", "scim", "webhook", "webhooks", "api", "apis", "endpoint", "migration",
        "migrate", "integration", "integrations", "gdpr", "dpa", "audit", "encryption", "latency", "permissions",
        "roles", "retention", "compliance", "region", "failover", "sla", "sandbox", "token", "tokens",
        "idempotency", "pagination", "schema", "sync", "okta", "azure", "terraform", "ldap", "hipaa", "soc",
        "residency", "quota", "throttling", "proration", "prorated", "invoicing", "tax", "vat", "ledger"};
    return countWords(words, terms);
}

int countSimpleCues(const std::string& lower, const std::vector<std::string>& words)
{
    static const std::set<std::string> verbs = {"reset", "change", "update", "download", "cancel", "delete",
                                                "enable", "disable", "find", "where", "add", "remove", "rename",
                                                "print", "logout", "login", "export", "wo"};
    return countWords(words, verbs) + countPhrases(lower, {"how do i", "can i", "where is", "where can"});
}

std::array<double, kTierCount> softmax(const std::array<double, kTierCount>& scores)
{
    const double top = *std::max_element(scores.begin(), scores.end());
    std::array<double, kTierCount> result{};
    double sum = 0.0;
    for (int k = 0; k < kTierCount; ++k) {
        result[static_cast<std::size_t>(k)] = std::exp(scores[static_cast<std::size_t>(k)] - top);
        sum += result[static_cast<std::size_t>(k)];
    }
    for (double& value : result)
        value /= sum;
    return result;
}

} // namespace

const std::array<const char*, ComplexityFeatures::kCount>& ComplexityFeatures::names()
{
    static const std::array<const char*, kCount> names = {
        "bias", "log_words", "sentences", "question_marks", "multi_part", "reasoning_cues",
        "conditionals", "code", "numbers", "domain_terms", "simple_cues"};
    return names;
}

ComplexityFeatures complexityFeatures(const std::string& query)
{
    const std::vector<std::string> words = tokenizeWords(query);
    const std::string lower = lowered(query);

    ComplexityFeatures features;
    auto& v = features.values;
    v[0] = 1.0;
    v[1] = std::log1p(static_cast<double>(words.size())) / 2.0;
    v[2] = scaledCount(static_cast<int>(splitSentences(query).size()), 6);
    v[3] = scaledCount(static_cast<int>(std::count(query.begin(), query.end(), '?')), 4);
    v[4] = scaledCount(countMultiPart(query, lower, words), 6);
    v[5] = scaledCount(countReasoningCues(lower, words), 6);
    v[6] = scaledCount(countConditionals(words), 6);
    v[7] = containsCode(query) ? 1.0 : 0.0;
    v[8] = scaledCount(countNumbers(words), 4);
    v[9] = scaledCount(countDomainTerms(words), 6);
    v[10] = scaledCount(countSimpleCues(lower, words), 4);
    return features;
}

ComplexityClassifier classifierFor(const PipelineSettings& settings)
{
    const std::vector<double>& flat = settings.complexityWeights;
    if (flat.size() != static_cast<std::size_t>(kTierCount) * ComplexityFeatures::kCount)
        return ComplexityClassifier::shipped();
    ComplexityClassifier::Weights weights{};
    for (std::size_t k = 0; k < kTierCount; ++k)
        for (std::size_t j = 0; j < ComplexityFeatures::kCount; ++j)
            weights[k][j] = flat[k * ComplexityFeatures::kCount + j];
    return ComplexityClassifier(weights);
}

std::vector<double> flattenWeights(const ComplexityClassifier& classifier)
{
    std::vector<double> flat;
    for (const auto& row : classifier.weights())
        flat.insert(flat.end(), row.begin(), row.end());
    return flat;
}

ComplexityClassifier ComplexityClassifier::shipped()
{
    return ComplexityClassifier(kShippedComplexityWeights);
}

std::array<double, kTierCount> ComplexityClassifier::probabilities(const ComplexityFeatures& features) const
{
    std::array<double, kTierCount> scores{};
    for (std::size_t k = 0; k < kTierCount; ++k) {
        for (std::size_t j = 0; j < ComplexityFeatures::kCount; ++j)
            scores[k] += m_weights[k][j] * features.values[j];
    }
    return softmax(scores);
}

ComplexityTier ComplexityClassifier::classify(const std::string& query) const
{
    const auto probabilities = this->probabilities(complexityFeatures(query));
    const auto best = std::max_element(probabilities.begin(), probabilities.end());
    return static_cast<ComplexityTier>(best - probabilities.begin());
}

ComplexityClassifier ComplexityClassifier::train(const std::vector<LabelledQuery>& examples, int epochs,
                                                 double learningRate, double l2)
{
    std::vector<ComplexityFeatures> inputs;
    inputs.reserve(examples.size());
    for (const LabelledQuery& example : examples)
        inputs.push_back(complexityFeatures(example.query));

    ComplexityClassifier model(Weights{});
    if (examples.empty())
        return model;
    const double scale = 1.0 / static_cast<double>(examples.size());
    for (int epoch = 0; epoch < epochs; ++epoch) {
        // The gradient of the mean cross-entropy is (p - y) x per class; the L2 term skips the bias.
        Weights gradient{};
        for (std::size_t i = 0; i < examples.size(); ++i) {
            const auto p = model.probabilities(inputs[i]);
            for (std::size_t k = 0; k < kTierCount; ++k) {
                const double target = static_cast<std::size_t>(examples[i].tier) == k ? 1.0 : 0.0;
                for (std::size_t j = 0; j < ComplexityFeatures::kCount; ++j)
                    gradient[k][j] += (p[k] - target) * inputs[i].values[j] * scale;
            }
        }
        for (std::size_t k = 0; k < kTierCount; ++k) {
            for (std::size_t j = 0; j < ComplexityFeatures::kCount; ++j) {
                const double decay = j == 0 ? 0.0 : l2 * model.m_weights[k][j];
                model.m_weights[k][j] -= learningRate * (gradient[k][j] + decay);
            }
        }
    }
    return model;
}

} // namespace llmops
