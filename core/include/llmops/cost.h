// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "llmops/settings.h"
#include "llmops/status.h"
#include "llmops/types.h"

namespace llmops {

// Prices of one chat model in US dollars per token, read from a price map in LiteLLM's key
// format. The comments name the LiteLLM key of each field.
struct ModelPrice {
    // Prices that replace the base prices when a call's prompt is longer than aboveInputTokens.
    // A bucket the tier does not list keeps its base price.
    struct Tier {
        std::int64_t aboveInputTokens = 0;            // 200000 for the "_above_200k_tokens" keys
        double inputUsdPerToken = 0.0;                // input_cost_per_token_above_<N>_tokens
        std::optional<double> outputUsdPerToken;      // output_cost_per_token_above_<N>_tokens
        std::optional<double> cacheReadUsdPerToken;   // cache_read_input_token_cost_above_<N>_tokens
        std::optional<double> cacheWriteUsdPerToken;  // cache_creation_input_token_cost_above_<N>_tokens
    };

    std::string model;                            // the table key, such as "gemini/gemini-2.5-pro"
    std::string provider;                         // litellm_provider, such as "anthropic"
    double inputUsdPerToken = 0.0;                // input_cost_per_token
    double outputUsdPerToken = 0.0;               // output_cost_per_token
    std::optional<double> cacheReadUsdPerToken;   // cache_read_input_token_cost
    std::optional<double> cacheWriteUsdPerToken;  // cache_creation_input_token_cost
    std::optional<double> reasoningUsdPerToken;   // output_cost_per_reasoning_token
    std::vector<Tier> tiers;                      // in ascending order of aboveInputTokens
};

// The chat-model prices of one price map. A table is a plain value: copies are independent,
// and const methods may be called from several threads at once.
class PriceTable {
public:
    // Parses the table compiled into the program from resources/prices/model-prices.json.
    static Result<PriceTable> bundled();

    // Parses a price map in LiteLLM's format: a JSON object keyed by model id whose entries
    // contain per-token prices, "litellm_provider" and "mode". Entries whose mode is not "chat",
    // and chat entries without input_cost_per_token or output_cost_per_token, are skipped and
    // counted. Fails with InvalidArgument naming origin, the model and the key when a key this
    // table reads has the wrong type or a negative price, or when the text is not a JSON object.
    // The version is taken from "_meta"."version", else from "last_updated" as
    // "litellm-YYYY-MM-DD", else from the SHA-256 of the text.
    static Result<PriceTable> fromJson(const std::string& json, const std::string& origin);

    // Reads and parses a price map file as fromJson does; fails with IoError naming the path
    // when the file cannot be read.
    static Result<PriceTable> importFile(const std::string& path);

    // Serialises the table in LiteLLM's format with a "_meta" entry holding the version and the
    // source, so that fromJson(toJson()) returns a table with the same prices, version and
    // source. The skipped entries are not written, so their counts start again at zero.
    std::string toJson() const;

    // Finds the price of a model id: the exact key first, then the id with leading "provider/"
    // segments removed ("openai/gpt-4o" finds "gpt-4o"), then a key that is the id with one
    // provider segment added ("gemini-2.5-pro" finds "gemini/gemini-2.5-pro"). When several keys
    // differ from the id only by that segment, the one whose litellm_provider equals provider
    // wins, else the first in key order. Returns nullptr when nothing matches; the pointer stays
    // valid while the table is unchanged.
    const ModelPrice* find(const std::string& modelId, const std::string& provider = {}) const;

    const std::string& version() const { return m_version; }
    const std::string& source() const { return m_source; }  // the file or text the table came from
    std::size_t size() const { return m_prices.size(); }
    std::size_t skippedEntries() const { return m_skippedEntries; }    // not chat models
    std::size_t unpricedEntries() const { return m_unpricedEntries; }  // chat models without token prices

private:
    friend class PriceTableReader;

    std::map<std::string, ModelPrice> m_prices;
    std::string m_version;
    std::string m_source;
    std::size_t m_skippedEntries = 0;
    std::size_t m_unpricedEntries = 0;
};

// Prices a call's token usage with one model's prices. Every bucket is priced on its own:
// uncached input (inputTokens minus cached reads and cache writes), cached reads, cache writes,
// output other than reasoning, and reasoning. When inputTokens exceeds a tier's threshold, the
// highest such tier applies to every bucket. source is "table" and tableVersion is empty; the
// caller fills it.
CostBreakdown priceUsage(const TokenUsage& usage, const ModelPrice& price);

// Prices one call of endpoint. A "local-extractive" endpoint costs zero (source "local"). An
// endpoint with a non-zero inputUsdPerMillion or outputUsdPerMillion is priced with those two
// figures alone (source "endpoint"): all input buckets at the input price, output and reasoning
// at the output price, with no tiers. Otherwise the model id is looked up in table, with the
// provider implied by the endpoint kind; fails with NotFound naming the model and the table
// version when it has no price.
Result<CostBreakdown> computeCost(const TokenUsage& usage, const ModelEndpoint& endpoint, const PriceTable& table);

} // namespace llmops
