// SPDX-License-Identifier: MIT
// Stored traces as an OTLP/JSON ExportTraceServiceRequest with the OpenTelemetry GenAI
// semantic conventions. The cost has no attribute in the convention, so it goes in
// llmops.cost_usd. Questions and answers are written only when the caller opts in.
#include "OtlpExport.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace llmops {
namespace {

using nlohmann::json;

// OTLP span kinds.
constexpr int kSpanKindInternal = 1;
constexpr int kSpanKindServer = 2;
constexpr int kSpanKindClient = 3;
// OTLP status codes.
constexpr int kStatusOk = 1;
constexpr int kStatusError = 2;

// Room for the stage span ids under one root: a trace has far fewer stages and retries.
constexpr std::uint64_t kSpansPerTrace = 256;

std::string hex64(std::uint64_t value)
{
    char buffer[17];
    std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(value));
    return buffer;
}

std::uint64_t fnv1a(const std::string& text)
{
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const unsigned char c : text) {
        hash ^= c;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

json attribute(const std::string& key, const std::string& value)
{
    return {{"key", key}, {"value", {{"stringValue", value}}}};
}

// OTLP/JSON writes 64-bit integers as decimal strings.
json attribute(const std::string& key, std::int64_t value)
{
    return {{"key", key}, {"value", {{"intValue", std::to_string(value)}}}};
}

json attribute(const std::string& key, double value)
{
    return {{"key", key}, {"value", {{"doubleValue", value}}}};
}

json attribute(const std::string& key, bool value)
{
    return {{"key", key}, {"value", {{"boolValue", value}}}};
}

json stringArray(const std::string& key, const std::vector<std::string>& values)
{
    json items = json::array();
    for (const std::string& value : values)
        items.push_back({{"stringValue", value}});
    return {{"key", key}, {"value", {{"arrayValue", {{"values", items}}}}}};
}

std::string nanos(std::int64_t startedAtMs, std::int64_t offsetUs)
{
    return std::to_string(startedAtMs * 1000000 + offsetUs * 1000);
}

json statusOf(const std::string& spanStatus, const std::string& detail)
{
    if (spanStatus == "error")
        return {{"code", kStatusError}, {"message", detail}};
    return {{"code", kStatusOk}};
}

// The GenAI attributes of the model call that produced the answer.
void addGenAiAttributes(json& attributes, const OtlpTraceInput& trace, const Span& span, bool includeContent)
{
    const QueryResult& result = trace.result;
    attributes.push_back(attribute("gen_ai.operation.name", std::string("chat")));
    attributes.push_back(attribute("gen_ai.provider.name", trace.provider));
    attributes.push_back(attribute("gen_ai.request.model", trace.requestModel));
    attributes.push_back(attribute("gen_ai.response.model", trace.requestModel));
    if (span.status != "ok") {
        attributes.push_back(attribute("error.type", std::string("generator_error")));
        return;
    }
    attributes.push_back(attribute("gen_ai.usage.input_tokens", result.usage.inputTokens));
    attributes.push_back(attribute("gen_ai.usage.output_tokens", result.usage.outputTokens));
    attributes.push_back(attribute("gen_ai.usage.cache_read.input_tokens", result.usage.cachedInputTokens));
    attributes.push_back(attribute("gen_ai.usage.cache_creation.input_tokens", result.usage.cacheWriteTokens));
    // NOTE: the reasoning attribute's name follows the cache_read pattern of the convention; it
    // is not checked against a released semantic conventions version.
    attributes.push_back(attribute("gen_ai.usage.reasoning.output_tokens", result.usage.reasoningTokens));
    // NOTE: traces do not store the provider's finish reason, so a successful call reports "stop".
    attributes.push_back(stringArray("gen_ai.response.finish_reasons", {"stop"}));
    attributes.push_back(attribute("llmops.cost_usd", result.costUsd));
    if (includeContent) {
        const json input = json::array({{{"role", "user"}, {"parts", {{{"type", "text"}, {"content", result.query}}}}}});
        const json output = json::array({{{"role", "assistant"},
                                          {"parts", {{{"type", "text"}, {"content", result.answer}}}},
                                          {"finish_reason", "stop"}}});
        attributes.push_back(attribute("gen_ai.input.messages", input.dump()));
        attributes.push_back(attribute("gen_ai.output.messages", output.dump()));
    }
}

json stageSpan(const OtlpTraceInput& trace, const Span& span, std::size_t ordinal, const std::string& traceId,
               std::uint64_t rootId, bool includeContent)
{
    const bool isModelCall = span.name == "generator";
    json attributes = json::array({attribute("llmops.stage", span.name), attribute("llmops.stage.status", span.status),
                                   attribute("llmops.stage.detail", span.detail)});
    if (isModelCall)
        addGenAiAttributes(attributes, trace, span, includeContent);
    return {{"traceId", traceId},
            {"spanId", hex64(rootId + 1 + ordinal)},
            {"parentSpanId", hex64(rootId)},
            {"name", isModelCall ? "chat " + trace.requestModel : span.name},
            {"kind", isModelCall ? kSpanKindClient : kSpanKindInternal},
            {"startTimeUnixNano", nanos(trace.startedAtMs, span.startUs)},
            {"endTimeUnixNano", nanos(trace.startedAtMs, span.startUs + span.durationUs)},
            {"attributes", attributes},
            {"status", statusOf(span.status, span.detail)}};
}

json rootSpan(const OtlpTraceInput& trace, const std::string& traceId, std::uint64_t rootId, bool includeContent)
{
    const QueryResult& result = trace.result;
    std::vector<std::string> flagKinds;
    for (const Flag& flag : result.flags)
        flagKinds.push_back(flag.kind);
    json attributes = json::array({attribute("llmops.trace_id", result.traceId), attribute("llmops.status", trace.status),
                                   attribute("llmops.route", result.route), attribute("llmops.model", result.model),
                                   attribute("llmops.cost_usd", result.costUsd),
                                   attribute("llmops.rule_set_version", static_cast<std::int64_t>(result.ruleSetVersion)),
                                   attribute("llmops.synthetic", trace.synthetic), stringArray("llmops.flags", flagKinds)});
    if (includeContent) {
        attributes.push_back(attribute("llmops.question", result.query));
        attributes.push_back(attribute("llmops.answer", result.answer));
    }
    return {{"traceId", traceId},
            {"spanId", hex64(rootId)},
            {"parentSpanId", ""},
            {"name", "llmops.query"},
            {"kind", kSpanKindServer},
            {"startTimeUnixNano", nanos(trace.startedAtMs, 0)},
            {"endTimeUnixNano", nanos(trace.startedAtMs, result.totalUs)},
            {"attributes", attributes},
            {"status", statusOf(trace.status, "the model call failed")}};
}

} // namespace

std::string otlpRequestJson(const std::vector<OtlpTraceInput>& traces, const OtlpExportOptions& options,
                            const std::string& workspaceKey)
{
    const std::string workspaceHex = hex64(fnv1a(workspaceKey));
    json spans = json::array();
    for (const OtlpTraceInput& trace : traces) {
        const auto number = static_cast<std::uint64_t>(trace.result.traceId);
        const std::string traceId = workspaceHex + hex64(number);
        // Span ids must not be zero, hence the offset of one trace's worth.
        const std::uint64_t rootId = (number + 1) * kSpansPerTrace;
        spans.push_back(rootSpan(trace, traceId, rootId, options.includeContent));
        const std::size_t stages = std::min<std::size_t>(trace.result.spans.size(), kSpansPerTrace - 1);
        for (std::size_t i = 0; i < stages; ++i)
            spans.push_back(stageSpan(trace, trace.result.spans[i], i, traceId, rootId, options.includeContent));
    }

    const json resource = {{"attributes", json::array({attribute("service.name", options.serviceName),
                                                       attribute("telemetry.sdk.name", std::string("llmops"))})}};
    const json scope = {{"name", "llmops.trace_export"}, {"version", LLMOPS_VERSION}};
    const json request = {
        {"resourceSpans", json::array({{{"resource", resource},
                                        {"scopeSpans", json::array({{{"scope", scope}, {"spans", spans}}})}}})}};
    return request.dump();
}

} // namespace llmops
