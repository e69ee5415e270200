// SPDX-License-Identifier: MIT
#include "ResultJson.h"

#include <nlohmann/json.hpp>

#include "llmops/engine.h"

namespace llmops {
namespace {

using nlohmann::json;

json citationToJson(const Citation& citation)
{
    return {{"number", citation.number},          {"chunk_id", citation.chunkId},
            {"document_path", citation.documentPath}, {"document_title", citation.documentTitle},
            {"heading", citation.headingPath},    {"snippet", citation.snippet}};
}

json hitToJson(const RetrievalHit& hit)
{
    return {{"chunk_id", hit.chunk.id},
            {"document_id", hit.chunk.documentId},
            {"ordinal", hit.chunk.ordinal},
            {"heading", hit.chunk.headingPath},
            {"text", hit.chunk.text},
            {"start_offset", hit.chunk.startOffset},
            {"end_offset", hit.chunk.endOffset},
            {"document_path", hit.documentPath},
            {"document_title", hit.documentTitle},
            {"vector_rank", hit.vectorRank},
            {"keyword_rank", hit.keywordRank},
            {"vector_similarity", hit.vectorSimilarity},
            {"fused_score", hit.fusedScore}};
}

json spanToJson(const Span& span)
{
    return {{"name", span.name},
            {"start_us", span.startUs},
            {"duration_us", span.durationUs},
            {"duration_ms", static_cast<double>(span.durationUs) / 1000.0},
            {"status", span.status},
            {"detail", span.detail}};
}

json flagToJson(const Flag& flag)
{
    return {{"kind", flag.kind}, {"detail", flag.detail}, {"begin", flag.begin}, {"end", flag.end}};
}

json claimToJson(const ClaimVerdict& claim)
{
    return {{"claim", claim.claim},
            {"supported", claim.supported},
            {"score", claim.score},
            {"best_context", claim.bestContext},
            {"begin", claim.begin},
            {"end", claim.end},
            {"chunk_id", claim.chunkId},
            {"document_path", claim.documentPath},
            {"heading_path", claim.headingPath}};
}

template <typename T, typename Convert>
json arrayOf(const std::vector<T>& items, Convert convert)
{
    json array = json::array();
    for (const T& item : items)
        array.push_back(convert(item));
    return array;
}

void readHits(const json& array, std::vector<RetrievalHit>* hits)
{
    for (const json& item : array) {
        RetrievalHit hit;
        hit.chunk.id = item.value("chunk_id", std::int64_t{0});
        hit.chunk.documentId = item.value("document_id", std::int64_t{0});
        hit.chunk.ordinal = item.value("ordinal", 0);
        hit.chunk.headingPath = item.value("heading", std::string());
        hit.chunk.text = item.value("text", std::string());
        hit.chunk.startOffset = item.value("start_offset", std::size_t{0});
        hit.chunk.endOffset = item.value("end_offset", std::size_t{0});
        hit.documentPath = item.value("document_path", std::string());
        hit.documentTitle = item.value("document_title", std::string());
        hit.vectorRank = item.value("vector_rank", 0);
        hit.keywordRank = item.value("keyword_rank", 0);
        hit.vectorSimilarity = item.value("vector_similarity", 0.0);
        hit.fusedScore = item.value("fused_score", 0.0);
        hits->push_back(std::move(hit));
    }
}

void readCitations(const json& array, std::vector<Citation>* citations)
{
    for (const json& item : array) {
        citations->push_back({item.value("number", 0), item.value("chunk_id", std::int64_t{0}),
                              item.value("document_path", std::string()),
                              item.value("document_title", std::string()), item.value("heading", std::string()),
                              item.value("snippet", std::string())});
    }
}

void readDetails(const json& root, QueryResult* result)
{
    for (const json& item : root.value("flags", json::array()))
        result->flags.push_back({item.value("kind", std::string()), item.value("detail", std::string()),
                                 item.value("begin", std::size_t{0}), item.value("end", std::size_t{0})});
    for (const json& item : root.value("claims", json::array()))
        result->claims.push_back({item.value("claim", std::string()), item.value("supported", false),
                                  item.value("score", 0.0), item.value("best_context", 0),
                                  item.value("begin", std::size_t{0}), item.value("end", std::size_t{0}),
                                  item.value("chunk_id", std::int64_t{0}), item.value("document_path", std::string()),
                                  item.value("heading_path", std::string())});
    for (const json& item : root.value("spans", json::array()))
        result->spans.push_back({item.value("name", std::string()), item.value("start_us", std::int64_t{0}),
                                 item.value("duration_us", std::int64_t{0}), item.value("status", std::string()),
                                 item.value("detail", std::string())});
}

json usageToJson(const TokenUsage& usage)
{
    return {{"input_tokens", usage.inputTokens},
            {"output_tokens", usage.outputTokens},
            {"cached_input_tokens", usage.cachedInputTokens},
            {"cache_write_tokens", usage.cacheWriteTokens},
            {"reasoning_tokens", usage.reasoningTokens}};
}

json costToJson(const CostBreakdown& cost)
{
    return {{"uncached_input_usd", cost.uncachedInputUsd},
            {"cached_input_usd", cost.cachedInputUsd},
            {"cache_write_usd", cost.cacheWriteUsd},
            {"output_usd", cost.outputUsd},
            {"reasoning_usd", cost.reasoningUsd},
            {"total_usd", cost.totalUsd},
            {"source", cost.source},
            {"priced_model", cost.pricedModel},
            {"price_table_version", cost.tableVersion},
            {"tier_above_tokens", cost.tierAboveTokens}};
}

CostBreakdown costFromJson(const json& item)
{
    CostBreakdown cost;
    cost.uncachedInputUsd = item.value("uncached_input_usd", 0.0);
    cost.cachedInputUsd = item.value("cached_input_usd", 0.0);
    cost.cacheWriteUsd = item.value("cache_write_usd", 0.0);
    cost.outputUsd = item.value("output_usd", 0.0);
    cost.reasoningUsd = item.value("reasoning_usd", 0.0);
    cost.totalUsd = item.value("total_usd", 0.0);
    cost.source = item.value("source", std::string());
    cost.pricedModel = item.value("priced_model", std::string());
    cost.tableVersion = item.value("price_table_version", std::string());
    cost.tierAboveTokens = item.value("tier_above_tokens", std::int64_t{0});
    return cost;
}

} // namespace

std::string queryResultToJson(const QueryResult& result)
{
    const json root = {
        {"trace_id", result.traceId},
        {"query", result.query},
        {"answer", result.answer},
        {"citations", arrayOf(result.citations, citationToJson)},
        {"route", result.route},
        {"route_reason", result.routeReason},
        {"rule_set_version", result.ruleSetVersion},
        {"metadata", result.metadata},
        {"model", result.model},
        {"usage", usageToJson(result.usage)},
        {"cost_usd", result.costUsd},
        {"cost", costToJson(result.cost)},
        {"cached", result.cached},
        {"blocked", result.blocked},
        {"flags", arrayOf(result.flags, flagToJson)},
        {"claims", arrayOf(result.claims, claimToJson)},
        {"spans", arrayOf(result.spans, spanToJson)},
        {"total_us", result.totalUs},
        {"context", arrayOf(result.context, hitToJson)},
    };
    // Replace invalid UTF-8 rather than throw: answers from remote models are not trusted.
    return root.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string metadataToJson(const std::map<std::string, std::string>& metadata)
{
    return json(metadata).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::map<std::string, std::string> metadataFromJson(const std::string& text)
{
    try {
        return json::parse(text).get<std::map<std::string, std::string>>();
    } catch (const json::exception&) {
        return {};
    }
}

Result<QueryResult> queryResultFromJson(const std::string& text)
{
    try {
        const json root = json::parse(text);
        QueryResult result;
        result.traceId = root.value("trace_id", std::int64_t{0});
        result.query = root.value("query", std::string());
        result.answer = root.value("answer", std::string());
        result.route = root.value("route", std::string());
        result.routeReason = root.value("route_reason", std::string());
        result.ruleSetVersion = root.value("rule_set_version", 0);
        if (root.contains("metadata") && root.at("metadata").is_object())
            result.metadata = root.at("metadata").get<std::map<std::string, std::string>>();
        result.model = root.value("model", std::string());
        const json usage = root.value("usage", json::object());
        result.usage.inputTokens = usage.value("input_tokens", std::int64_t{0});
        result.usage.outputTokens = usage.value("output_tokens", std::int64_t{0});
        result.usage.cachedInputTokens = usage.value("cached_input_tokens", std::int64_t{0});
        result.usage.cacheWriteTokens = usage.value("cache_write_tokens", std::int64_t{0});
        result.usage.reasoningTokens = usage.value("reasoning_tokens", std::int64_t{0});
        result.costUsd = root.value("cost_usd", 0.0);
        result.cost = costFromJson(root.value("cost", json::object()));
        result.cached = root.value("cached", false);
        result.blocked = root.value("blocked", false);
        result.totalUs = root.value("total_us", std::int64_t{0});
        readCitations(root.value("citations", json::array()), &result.citations);
        readHits(root.value("context", json::array()), &result.context);
        readDetails(root, &result);
        return result;
    } catch (const json::exception& e) {
        return Status::corruption(std::string("stored query result is not valid JSON: ") + e.what());
    }
}

} // namespace llmops
