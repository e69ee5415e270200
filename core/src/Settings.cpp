// SPDX-License-Identifier: MIT
#include "llmops/settings.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "HttpClient.h"
#include "RuleJson.h"

namespace llmops {
namespace {

using nlohmann::json;

constexpr const char* kDefaultSystemPrompt =
    "You are a customer-support assistant. Answer only from the numbered context passages. "
    "Cite the passages you used as [n] after each sentence. If the context does not contain the "
    "answer, say that the documents do not cover it.";

json modelToJson(const ModelEndpoint& model)
{
    return {{"name", model.name},
            {"kind", model.kind},
            {"base_url", model.baseUrl},
            {"model", model.model},
            {"api_key_env", model.apiKeyEnv},
            {"api_key_keychain", model.apiKeyKeychain},
            {"timeout_ms", model.timeoutMs},
            {"input_usd_per_million", model.inputUsdPerMillion},
            {"output_usd_per_million", model.outputUsdPerMillion},
            {"stream", model.stream},
            {"max_output_tokens", model.maxOutputTokens},
            {"max_retries", model.maxRetries},
            {"retry_base_ms", model.retryBaseMs},
            {"first_token_timeout_ms", model.firstTokenTimeoutMs}};
}

// Reads key into target when present; a wrong type throws json::type_error, which names the
// expected type, and the caller adds the key's path.
template <typename T>
void readKey(const json& object, const char* key, T* target, std::string* currentKey)
{
    if (!object.contains(key))
        return;
    *currentKey = key;
    *target = object.at(key).get<T>();
}

ModelEndpoint modelFromJson(const json& item, std::string* key)
{
    ModelEndpoint model;
    readKey(item, "name", &model.name, key);
    readKey(item, "kind", &model.kind, key);
    readKey(item, "base_url", &model.baseUrl, key);
    readKey(item, "model", &model.model, key);
    readKey(item, "api_key_env", &model.apiKeyEnv, key);
    readKey(item, "api_key_keychain", &model.apiKeyKeychain, key);
    readKey(item, "timeout_ms", &model.timeoutMs, key);
    readKey(item, "input_usd_per_million", &model.inputUsdPerMillion, key);
    readKey(item, "output_usd_per_million", &model.outputUsdPerMillion, key);
    readKey(item, "max_retries", &model.maxRetries, key);
    readKey(item, "retry_base_ms", &model.retryBaseMs, key);
    readKey(item, "first_token_timeout_ms", &model.firstTokenTimeoutMs, key);
    readKey(item, "stream", &model.stream, key);
    readKey(item, "max_output_tokens", &model.maxOutputTokens, key);
    return model;
}

// Environment variable names as POSIX shells accept them. A value that is not one is often the
// key itself pasted into the wrong field, so messages never repeat it.
bool isVariableName(const std::string& name)
{
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0)
        return false;
    return std::all_of(name.begin(), name.end(),
                       [](unsigned char c) { return std::isalnum(c) != 0 || c == '_'; });
}

Status checkKeyVariable(const std::string& variable, const std::string& owner)
{
    if (variable.empty() || isVariableName(variable))
        return Status::ok();
    return Status::invalidArgument(owner + " has an api_key_env that is not an environment variable name (letters, "
                                   "digits and underscores); if it holds the key itself, remove it from the settings "
                                   "and export the key in a variable or store it with llmops keychain set");
}

// Returns a message when value is outside [low, high] or not a number; empty otherwise.
std::string outOfRange(const char* field, double value, double low, double high)
{
    if (std::isfinite(value) && value >= low && value <= high)
        return {};
    std::ostringstream message;
    message << field << " is " << value << "; use a value from " << low << " to " << high;
    return message.str();
}

json embedderToJson(const EmbedderSettings& embedder)
{
    return {{"kind", embedder.kind},
            {"base_url", embedder.baseUrl},
            {"model", embedder.model},
            {"api_key_env", embedder.apiKeyEnv},
            {"api_key_keychain", embedder.apiKeyKeychain},
            {"dimensions", embedder.dimensions},
            {"batch_size", embedder.batchSize},
            {"timeout_ms", embedder.timeoutMs}};
}

void readEmbedder(const json& object, EmbedderSettings* embedder, std::string* key)
{
    readKey(object, "kind", &embedder->kind, key);
    readKey(object, "base_url", &embedder->baseUrl, key);
    readKey(object, "model", &embedder->model, key);
    readKey(object, "api_key_env", &embedder->apiKeyEnv, key);
    readKey(object, "api_key_keychain", &embedder->apiKeyKeychain, key);
    readKey(object, "dimensions", &embedder->dimensions, key);
    readKey(object, "batch_size", &embedder->batchSize, key);
    readKey(object, "timeout_ms", &embedder->timeoutMs, key);
}

Status checkEmbedder(const EmbedderSettings& embedder)
{
    static const std::set<std::string> kinds = {"hashing", "openai-compatible", "ollama"};
    if (!kinds.contains(embedder.kind))
        return Status::invalidArgument("embedder kind \"" + embedder.kind +
                                       "\" is unknown; use hashing, openai-compatible or ollama");
    if (embedder.kind != "hashing" && (embedder.baseUrl.empty() || embedder.model.empty()))
        return Status::invalidArgument("the " + embedder.kind +
                                       " embedder needs base_url and model, such as http://127.0.0.1:11434 and "
                                       "nomic-embed-text");
    if (embedder.dimensions < 0 || embedder.dimensions > 16384)
        return Status::invalidArgument("embedder dimensions must be from 0 to 16384, got " +
                                       std::to_string(embedder.dimensions));
    if (Status status = checkKeyVariable(embedder.apiKeyEnv, "the embedder"); !status.isOk())
        return status;
    if (embedder.kind != "hashing" && !embedder.baseUrl.starts_with("http://") &&
        !embedder.baseUrl.starts_with("https://"))
        return Status::invalidArgument("the embedder's base_url \"" + redactUrl(embedder.baseUrl) +
                                       "\" is not an http:// or https:// URL");
    if (embedder.batchSize < 1 || embedder.batchSize > 2048)
        return Status::invalidArgument("embedder batch_size must be from 1 to 2048, got " +
                                       std::to_string(embedder.batchSize));
    if (embedder.timeoutMs < 100)
        return Status::invalidArgument("embedder timeout_ms must be at least 100, got " +
                                       std::to_string(embedder.timeoutMs));
    return Status::ok();
}

void readRetrieval(const json& object, RetrievalSettings* retrieval, std::string* key)
{
    readKey(object, "top_k", &retrieval->topK, key);
    readKey(object, "candidates", &retrieval->candidates, key);
    readKey(object, "rrf_k", &retrieval->rrfK, key);
    readKey(object, "vector_weight", &retrieval->vectorWeight, key);
    readKey(object, "keyword_weight", &retrieval->keywordWeight, key);
    readKey(object, "max_keyword_share", &retrieval->maxKeywordShare, key);
}

// Reads "input_guard". Workspaces written before per-kind actions existed have only the two
// booleans, which stay the defaults for kinds without an action.
void readInputGuard(const json& object, InputGuardOptions* guard, std::string* key)
{
    readKey(object, "block_injection", &guard->blockInjection, key);
    readKey(object, "injection_threshold", &guard->injectionThreshold, key);
    readKey(object, "redact_pii", &guard->redactPii, key);
    readKey(object, "allow_list", &guard->allowList, key);
    if (!object.contains("actions"))
        return;
    *key = "actions";
    if (!object.at("actions").is_object())
        throw std::invalid_argument("input_guard actions must be an object of finding kind to action, such as "
                                    "{\"pii.card\": \"block\", \"pii\": \"redact\"}");
    // The kinds the guard reports, and their groups; a typo would otherwise leave a finding on
    // its default action without a word.
    static const std::set<std::string> kinds = {
        "prompt_injection", "pii", "pii.email", "pii.phone", "pii.card", "pii.aadhaar",
        "pii.pan", "pii.gstin", "pii.iban", "pii.ssn", "pii.ip"};
    for (const auto& [kind, value] : object.at("actions").items()) {
        if (!kinds.contains(kind))
            throw std::invalid_argument("input_guard actions name an unknown finding kind \"" + kind +
                                        "\"; use prompt_injection, pii, or one of pii.email, pii.phone, pii.card, "
                                        "pii.aadhaar, pii.pan, pii.gstin, pii.iban, pii.ssn, pii.ip");
        *key = "actions." + kind;
        const std::optional<GuardAction> action = parseGuardAction(value.get<std::string>());
        if (!action)
            throw std::invalid_argument("input_guard action for \"" + kind + "\" is \"" + value.get<std::string>() +
                                        "\"; use block, redact or flag");
        guard->actions[kind] = *action;
    }
}

json inputGuardToJson(const InputGuardOptions& guard)
{
    json actions = json::object();
    for (const auto& [kind, action] : guard.actions)
        actions[kind] = guardActionName(action);
    return {{"block_injection", guard.blockInjection}, {"injection_threshold", guard.injectionThreshold},
            {"redact_pii", guard.redactPii},           {"actions", actions},
            {"allow_list", guard.allowList}};
}

void readPipeline(const json& root, PipelineSettings* settings, std::string* key)
{
    readKey(root, "max_file_bytes", &settings->maxFileBytes, key);
    readKey(root, "max_query_bytes", &settings->maxQueryBytes, key);
    readKey(root, "cache_enabled", &settings->cacheEnabled, key);
    readKey(root, "system_prompt", &settings->systemPrompt, key);
    readKey(root, "complexity_weights", &settings->complexityWeights, key);
    if (root.contains("chunking")) {
        readKey(root.at("chunking"), "max_chars", &settings->chunking.maxChars, key);
        readKey(root.at("chunking"), "overlap_chars", &settings->chunking.overlapChars, key);
    }
    if (root.contains("retrieval"))
        readRetrieval(root.at("retrieval"), &settings->retrieval, key);
    if (root.contains("embedder"))
        readEmbedder(root.at("embedder"), &settings->embedder, key);
    if (root.contains("input_guard"))
        readInputGuard(root.at("input_guard"), &settings->inputGuard, key);
    if (root.contains("validation"))
        readKey(root.at("validation"), "support_threshold", &settings->validation.supportThreshold, key);
}

Status checkModel(const ModelEndpoint& model)
{
    static const std::set<std::string> kinds = {"local-extractive", "openai-compatible", "anthropic", "ollama"};
    if (model.name.empty())
        return Status::invalidArgument("a model endpoint has an empty name; name it, such as gpt-small");
    const std::string owner = "model \"" + model.name + "\"";
    if (!kinds.contains(model.kind))
        return Status::invalidArgument(owner + " has unknown kind \"" + model.kind +
                                       "\"; use local-extractive, openai-compatible, anthropic or ollama");
    if (model.kind == "anthropic" && model.maxOutputTokens <= 0)
        return Status::invalidArgument(owner + " has max_output_tokens " + std::to_string(model.maxOutputTokens) +
                                       "; Anthropic requires a positive limit, such as 1024");
    if (model.kind != "local-extractive" && !model.baseUrl.starts_with("http://") &&
        !model.baseUrl.starts_with("https://"))
        return Status::invalidArgument(owner + " has base_url \"" + redactUrl(model.baseUrl) +
                                       "\", which is not an http:// or https:// URL");
    if (Status status = checkKeyVariable(model.apiKeyEnv, owner); !status.isOk())
        return status;

    for (const std::string& problem :
         {outOfRange("timeout_ms", model.timeoutMs, 100, 3'600'000),
          outOfRange("first_token_timeout_ms", model.firstTokenTimeoutMs, 0, 3'600'000),
          outOfRange("max_retries", model.maxRetries, 0, 10), outOfRange("retry_base_ms", model.retryBaseMs, 0, 60'000),
          outOfRange("input_usd_per_million", model.inputUsdPerMillion, 0, 10'000),
          outOfRange("output_usd_per_million", model.outputUsdPerMillion, 0, 10'000)}) {
        if (!problem.empty())
            return Status::invalidArgument(owner + ": " + problem);
    }
    return Status::ok();
}

} // namespace

bool RoutingRule::hasCondition() const
{
    return !keywords.empty() || !pattern.empty() || minQueryWords > 0 || when.kind != RoutingCondition::Kind::Always;
}

PipelineSettings PipelineSettings::defaults()
{
    PipelineSettings settings;
    ModelEndpoint local;
    local.name = "local-extractive";
    settings.models.push_back(local);
    settings.rules.push_back(RoutingRule{"default", {}, "", 0, "local-extractive", {}, {}});
    settings.systemPrompt = kDefaultSystemPrompt;
    return settings;
}

std::string settingsToJson(const PipelineSettings& settings)
{
    json models = json::array();
    for (const ModelEndpoint& model : settings.models)
        models.push_back(modelToJson(model));
    json rules = json::array();
    for (const RoutingRule& rule : settings.rules)
        rules.push_back(ruleToJsonValue(rule));

    const RetrievalSettings& retrieval = settings.retrieval;
    json root = {
        {"chunking", {{"max_chars", settings.chunking.maxChars}, {"overlap_chars", settings.chunking.overlapChars}}},
        {"max_file_bytes", settings.maxFileBytes},
        {"max_query_bytes", settings.maxQueryBytes},
        {"retrieval",
         {{"top_k", retrieval.topK}, {"candidates", retrieval.candidates}, {"rrf_k", retrieval.rrfK},
          {"vector_weight", retrieval.vectorWeight}, {"keyword_weight", retrieval.keywordWeight},
          {"max_keyword_share", retrieval.maxKeywordShare}}},
        {"embedder", embedderToJson(settings.embedder)},
        {"input_guard", inputGuardToJson(settings.inputGuard)},
        {"validation", {{"support_threshold", settings.validation.supportThreshold}}},
        {"cache_enabled", settings.cacheEnabled},
        {"models", models},
        {"rules", rules},
        {"system_prompt", settings.systemPrompt},
    };
    if (!settings.complexityWeights.empty())
        root["complexity_weights"] = settings.complexityWeights;
    return root.dump(2);
}

Result<PipelineSettings> settingsFromJson(const std::string& text)
{
    PipelineSettings settings = PipelineSettings::defaults();
    std::string key = "(top level)";
    try {
        const json root = json::parse(text);
        if (!root.is_object())
            return Status::invalidArgument("settings must be a JSON object, got " + std::string(root.type_name()));
        readPipeline(root, &settings, &key);
        if (root.contains("models")) {
            settings.models.clear();
            for (const json& item : root.at("models"))
                settings.models.push_back(modelFromJson(item, &key));
        }
        if (root.contains("rules")) {
            Result<std::vector<RoutingRule>> rules = rulesFromJsonValue(root.at("rules"), "settings");
            if (!rules.isOk())
                return rules.status();
            settings.rules = std::move(rules.value());
        }
    } catch (const nlohmann::json::parse_error& e) {
        return Status::invalidArgument(std::string("settings are not valid JSON: ") + e.what());
    } catch (const nlohmann::json::exception& e) {
        return Status::invalidArgument("settings key \"" + key + "\" has the wrong type: " + e.what());
    } catch (const std::invalid_argument& e) {
        return Status::invalidArgument(e.what());
    }
    return settings;
}

Status validateSettings(const PipelineSettings& settings)
{
    std::set<std::string> models;
    for (const ModelEndpoint& model : settings.models) {
        if (Status status = checkModel(model); !status.isOk())
            return status;
        if (!models.insert(model.name).second)
            return Status::invalidArgument("two model endpoints are named \"" + model.name +
                                           "\"; rules pick models by name, so rename one");
    }
    std::vector<std::string> modelNames(models.begin(), models.end());
    for (const RuleIssue& issue : checkRules(settings.rules, modelNames)) {
        if (issue.error)
            return Status::invalidArgument(issue.message);
    }
    const std::size_t weightCount = static_cast<std::size_t>(kTierCount) * ComplexityFeatures::kCount;
    if (!settings.complexityWeights.empty() && settings.complexityWeights.size() != weightCount)
        return Status::invalidArgument("complexity_weights has " + std::to_string(settings.complexityWeights.size()) +
                                       " numbers, expected " + std::to_string(weightCount) +
                                       "; retrain with llmops route train FILE --save or remove the key");
    if (settings.retrieval.topK < 1 || settings.retrieval.candidates < settings.retrieval.topK)
        return Status::invalidArgument("retrieval top_k must be at least 1 and at most candidates");
    if (!(settings.retrieval.maxKeywordShare > 0.0 && settings.retrieval.maxKeywordShare <= 1.0))
        return Status::invalidArgument("retrieval max_keyword_share must be above 0 and at most 1, got " +
                                       std::to_string(settings.retrieval.maxKeywordShare));
    if (Status status = checkEmbedder(settings.embedder); !status.isOk())
        return status;
    if (!(settings.inputGuard.injectionThreshold > 0.0 && settings.inputGuard.injectionThreshold <= 1.0))
        return Status::invalidArgument("input_guard injection_threshold must be above 0 and at most 1, got " +
                                       std::to_string(settings.inputGuard.injectionThreshold));
    if (settings.chunking.maxChars < 200 || settings.chunking.overlapChars >= settings.chunking.maxChars / 2)
        return Status::invalidArgument("chunking max_chars must be at least 200 and overlap_chars under half of it");
    return Status::ok();
}

} // namespace llmops
