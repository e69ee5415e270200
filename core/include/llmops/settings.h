// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "llmops/guard.h"
#include "llmops/ingest.h"
#include "llmops/status.h"
#include "llmops/validator.h"

namespace llmops {

// A model the router can send queries to.
struct ModelEndpoint {
    std::string name;                  // referred to by routing rules
    // "local-extractive", "openai-compatible", "anthropic" or "ollama"
    std::string kind = "local-extractive";
    // e.g. "http://127.0.0.1:8080/v1" for openai-compatible, "https://api.anthropic.com" for
    // anthropic, "http://127.0.0.1:11434" for ollama; unused for local models
    std::string baseUrl;
    std::string model;                 // the provider's model id
    std::string apiKeyEnv;             // name of the environment variable holding the API key
    int timeoutMs = 60000;             // total deadline of one call
    double inputUsdPerMillion = 0.0;   // price per million input tokens
    double outputUsdPerMillion = 0.0;  // price per million output tokens
    bool stream = true;                // openai-compatible only: request server-sent events
    int maxOutputTokens = 1024;        // anthropic only: its required max_tokens
    int maxRetries = 2;                // retries after a 429, 500, 502, 503, 504, 529 or a timeout
    int retryBaseMs = 500;             // first backoff; doubles per retry, with full jitter, up to 8 s
    int firstTokenTimeoutMs = 30000;   // streamed calls: limit until the first answer bytes; 0 = none
    // Entry in the OS keychain holding the API key, read when apiKeyEnv is empty or unset in
    // the environment. The key itself is never stored in the settings.
    std::string apiKeyKeychain = {};
};

// A condition over the features of a query, combined with and/or/not. A rule's condition is
// written in JSON (see routing.h) or in the expression syntax of conditionToText.
struct RoutingCondition {
    enum class Kind {
        Always,       // no condition: matches every query
        All,          // every child matches ("and")
        Any,          // at least one child matches ("or")
        Not,          // the single child does not match
        Tier,         // text is the complexity tier: "simple", "medium" or "complex"
        MinTokens,    // estimated input tokens >= number
        MaxTokens,    // estimated input tokens <= number
        MinWords,     // words in the query >= number
        Regex,        // text is an RE2 pattern, case-insensitive, searched in the query
        Keywords,     // values: matches when the query contains any (case-insensitive)
        GuardFlag,    // text is a flag kind or its prefix before a dot ("pii" matches "pii.email")
        Language,     // text is "en", "de" or "other"
        HasCode,      // the query contains code
        Metadata,     // text is a request metadata key, values the accepted values
    };
    Kind kind = Kind::Always;
    std::vector<RoutingCondition> children;  // All, Any, Not
    std::string text;
    std::vector<std::string> values;
    long long number = 0;
};

// A routing rule: the first rule whose conditions all hold picks the model. A rule with no
// conditions always matches, so the last rule is the default. The older keywords, pattern and
// minQueryWords fields still work and are combined with `when` by "and".
struct RoutingRule {
    std::string name;
    std::vector<std::string> keywords;  // matches when the query contains any (case-insensitive)
    std::string pattern;                // RE2 regular expression, case-insensitive; empty: any
    int minQueryWords = 0;              // matches when the query has at least this many words
    std::string model;                  // ModelEndpoint::name
    std::vector<std::string> fallbacks; // models tried in order when `model` fails or cools down
    RoutingCondition when = {};            // Kind::Always when the rule has no such condition

    bool hasCondition() const;
};

struct RetrievalSettings {
    int topK = 5;                 // chunks handed to the generator
    int candidates = 30;          // depth of each ranked list before fusion
    double rrfK = 60.0;           // reciprocal rank fusion constant
    double vectorWeight = 1.0;    // weight of the nearest-neighbour list
    double keywordWeight = 1.0;   // weight of the BM25 list
    double maxKeywordShare = 0.05; // BM25 skips words found in more than this share of the chunks
};

// The embedder that turns chunks and questions into vectors. Changing it re-embeds every chunk
// of the workspace, through the new embedder, before the change is stored.
struct EmbedderSettings {
    // "hashing" (offline, the default), "openai-compatible" (POST {base_url}/embeddings) or
    // "ollama" (POST {base_url}/api/embed)
    std::string kind = "hashing";
    std::string baseUrl;          // e.g. "http://127.0.0.1:8080/v1" or "http://127.0.0.1:11434"
    std::string model;            // the provider's embedding model id
    std::string apiKeyEnv;        // as for ModelEndpoint
    std::string apiKeyKeychain;
    // hashing: the number of buckets (0 means 384); openai-compatible: sent as "dimensions"
    // when above 0, for models that shorten their vectors; ollama: unused
    int dimensions = 0;
    int batchSize = 64;           // texts per request
    int timeoutMs = 60000;        // total deadline of one request

    bool operator==(const EmbedderSettings&) const = default;
};

// Everything that shapes how a workspace indexes and answers. Stored as JSON in the workspace;
// the defaults below apply to a new workspace.
struct PipelineSettings {
    ChunkingOptions chunking;
    std::size_t maxFileBytes = 5 * 1024 * 1024;  // larger files are rejected with a message
    std::size_t maxQueryBytes = 8 * 1024;        // longer questions are rejected
    RetrievalSettings retrieval;
    EmbedderSettings embedder;
    InputGuardOptions inputGuard;
    ValidationOptions validation;
    bool cacheEnabled = true;
    std::vector<ModelEndpoint> models;   // always contains "local-extractive"
    std::vector<RoutingRule> rules;      // ends with a rule without conditions
    std::string systemPrompt;
    // Weights of the complexity classifier, row by row (simple, medium, complex), as written by
    // `llmops route train --save`; empty: the weights shipped with the program.
    std::vector<double> complexityWeights;

    static PipelineSettings defaults();
};

// Serialises settings as a JSON object, and parses them back. Parsing names the key and the
// expected type of the first bad value; keys that are missing keep their defaults.
std::string settingsToJson(const PipelineSettings& settings);
Result<PipelineSettings> settingsFromJson(const std::string& json);

// Checks that every rule names a known model, every pattern compiles, and a default exists.
Status validateSettings(const PipelineSettings& settings);

} // namespace llmops
