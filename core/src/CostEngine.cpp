// SPDX-License-Identifier: MIT
// Model lookup in a price table and the cost of a call's tokens, bucket by bucket.
#include "llmops/cost.h"

#include <algorithm>

namespace llmops {
namespace {

// The id, then the id without each leading "segment/" in turn: "a/b/c", "b/c", "c".
std::vector<std::string> idVariants(const std::string& modelId)
{
    std::vector<std::string> variants{modelId};
    for (std::size_t slash = modelId.find('/'); slash != std::string::npos; slash = modelId.find('/', slash + 1)) {
        if (slash + 1 < modelId.size())
            variants.push_back(modelId.substr(slash + 1));
    }
    return variants;
}

// The litellm_provider that an endpoint kind usually talks to, used to choose between keys
// that differ only by their provider segment.
std::string providerOfKind(const std::string& kind)
{
    if (kind == "anthropic")
        return "anthropic";
    if (kind == "ollama")
        return "ollama";
    return "openai";
}

// The highest tier whose threshold the prompt exceeds, or nullptr for the base prices.
const ModelPrice::Tier* tierFor(const ModelPrice& price, std::int64_t promptTokens)
{
    const ModelPrice::Tier* chosen = nullptr;
    for (const ModelPrice::Tier& tier : price.tiers) {
        if (promptTokens > tier.aboveInputTokens)
            chosen = &tier;
    }
    return chosen;
}

double usd(std::int64_t tokens, double usdPerToken)
{
    return static_cast<double>(tokens) * usdPerToken;
}

// US dollars per token of each bucket.
struct BucketRates {
    double input = 0.0;
    double cacheRead = 0.0;
    double cacheWrite = 0.0;
    double output = 0.0;
    double reasoning = 0.0;
};

// Splits usage into disjoint buckets and prices each at its rate.
CostBreakdown priceBuckets(const TokenUsage& usage, const BucketRates& rates)
{
    // TokenUsage counts cached reads and cache writes inside inputTokens, and reasoning inside
    // outputTokens, whatever the provider. Negative or inconsistent counts are clamped to zero.
    const std::int64_t cached = std::max<std::int64_t>(usage.cachedInputTokens, 0);
    const std::int64_t writes = std::max<std::int64_t>(usage.cacheWriteTokens, 0);
    const std::int64_t uncached = std::max<std::int64_t>(usage.inputTokens - cached - writes, 0);
    const std::int64_t reasoning = std::max<std::int64_t>(usage.reasoningTokens, 0);
    const std::int64_t plainOutput = std::max<std::int64_t>(usage.outputTokens - reasoning, 0);

    CostBreakdown cost;
    cost.uncachedInputUsd = usd(uncached, rates.input);
    cost.cachedInputUsd = usd(cached, rates.cacheRead);
    cost.cacheWriteUsd = usd(writes, rates.cacheWrite);
    cost.outputUsd = usd(plainOutput, rates.output);
    cost.reasoningUsd = usd(reasoning, rates.reasoning);
    cost.totalUsd = cost.uncachedInputUsd + cost.cachedInputUsd + cost.cacheWriteUsd + cost.outputUsd + cost.reasoningUsd;
    return cost;
}

} // namespace

const ModelPrice* PriceTable::find(const std::string& modelId, const std::string& provider) const
{
    const std::vector<std::string> variants = idVariants(modelId);
    for (const std::string& id : variants) {
        if (const auto found = m_prices.find(id); found != m_prices.end())
            return &found->second;
    }

    // A key with one more segment in front, such as "gemini/" or "mistral/".
    for (const std::string& id : variants) {
        const ModelPrice* first = nullptr;
        for (const auto& [key, price] : m_prices) {
            const std::size_t slash = key.find('/');
            if (slash == std::string::npos || key.compare(slash + 1, std::string::npos, id) != 0)
                continue;
            if (!provider.empty() && price.provider == provider)
                return &price;
            if (first == nullptr)
                first = &price;
        }
        if (first != nullptr)
            return first;
    }
    return nullptr;
}

CostBreakdown priceUsage(const TokenUsage& usage, const ModelPrice& price)
{
    // LiteLLM switches every bucket to a tier's prices when the request's prompt tokens exceed
    // the tier's threshold (strictly greater, so a 200,000-token prompt keeps the base prices).
    // The prompt here is inputTokens, which includes cached reads and cache writes for every
    // provider. A bucket the tier does not price keeps its base price.
    const ModelPrice::Tier* tier = tierFor(price, usage.inputTokens);

    BucketRates rates;
    rates.input = tier != nullptr ? tier->inputUsdPerToken : price.inputUsdPerToken;
    rates.output = tier != nullptr && tier->outputUsdPerToken ? *tier->outputUsdPerToken : price.outputUsdPerToken;

    // A table without a cache price lists no discount, so those tokens are charged as input.
    const std::optional<double> cacheRead = tier != nullptr && tier->cacheReadUsdPerToken ? tier->cacheReadUsdPerToken
                                                                                           : price.cacheReadUsdPerToken;
    const std::optional<double> cacheWrite = tier != nullptr && tier->cacheWriteUsdPerToken
                                                 ? tier->cacheWriteUsdPerToken
                                                 : price.cacheWriteUsdPerToken;
    rates.cacheRead = cacheRead.value_or(rates.input);
    rates.cacheWrite = cacheWrite.value_or(rates.input);

    // Reasoning tokens are billed as output unless the table gives them their own price
    // (output_cost_per_reasoning_token). LiteLLM's format has no tiered reasoning key, so that
    // price applies at every prompt length.
    rates.reasoning = price.reasoningUsdPerToken.value_or(rates.output);

    // NOTE: cache writes use cache_creation_input_token_cost, the 5-minute rate. TokenUsage does
    // not say how many were written with a 1-hour lifetime, which Anthropic bills higher.
    CostBreakdown cost = priceBuckets(usage, rates);
    cost.source = "table";
    cost.pricedModel = price.model;
    cost.tierAboveTokens = tier != nullptr ? tier->aboveInputTokens : 0;
    return cost;
}

Result<CostBreakdown> computeCost(const TokenUsage& usage, const ModelEndpoint& endpoint, const PriceTable& table)
{
    if (endpoint.kind == "local-extractive") {
        CostBreakdown cost;
        cost.source = "local";
        return cost;
    }

    if (endpoint.inputUsdPerMillion != 0.0 || endpoint.outputUsdPerMillion != 0.0) {
        BucketRates rates;
        rates.input = endpoint.inputUsdPerMillion / 1e6;
        rates.cacheRead = rates.input;
        rates.cacheWrite = rates.input;
        rates.output = endpoint.outputUsdPerMillion / 1e6;
        rates.reasoning = rates.output;
        CostBreakdown cost = priceBuckets(usage, rates);
        cost.source = "endpoint";
        return cost;
    }

    const ModelPrice* price = table.find(endpoint.model, providerOfKind(endpoint.kind));
    if (price == nullptr)
        return Status::notFound("no price for model \"" + endpoint.model + "\" of endpoint \"" + endpoint.name +
                                "\" in price table " + table.version() +
                                "; set input_usd_per_million and output_usd_per_million on the endpoint, or import "
                                "a price file with llmops prices import FILE");
    CostBreakdown cost = priceUsage(usage, *price);
    cost.tableVersion = table.version();
    return cost;
}

} // namespace llmops
