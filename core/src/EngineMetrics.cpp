// SPDX-License-Identifier: MIT
// The dashboard as the engine exposes it: figures per time bucket, the trace list, synthetic
// traces and the OpenTelemetry export.
#include "EngineImpl.h"

#include <filesystem>
#include <fstream>

#include "HttpClient.h"
#include "OtlpExport.h"
#include "SyntheticTraces.h"
#include "TraceMetrics.h"

namespace llmops {
namespace {

// gen_ai.provider.name for an endpoint kind; the convention's well-known values where one fits.
std::string providerOfKind(const std::string& kind)
{
    if (kind == "openai-compatible")
        return "openai";
    if (kind == "anthropic" || kind == "ollama")
        return kind;
    return "llmops.local";
}

// Fills provider and request model from the endpoint the trace names, else from the price
// table entry of the model name (synthetic traces name price table models directly).
void describeModel(const PipelineSettings& settings, const PriceTable& prices, OtlpTraceInput& input)
{
    const std::string& name = input.result.model;
    for (const ModelEndpoint& endpoint : settings.models) {
        if (endpoint.name == name) {
            input.provider = providerOfKind(endpoint.kind);
            input.requestModel = endpoint.model.empty() ? endpoint.name : endpoint.model;
            return;
        }
    }
    const ModelPrice* price = prices.find(name);
    input.provider = price != nullptr && !price->provider.empty() ? price->provider : "unknown";
    input.requestModel = name;
}

// The rows an export covers: the listed ids, else the newest options.last traces.
Result<std::vector<TraceRow>> exportedRows(Database& database, const OtlpExportOptions& options)
{
    if (options.traceIds.empty()) {
        TraceFilter newest;
        newest.limit = options.last;
        return listTraces(database, newest);
    }
    std::vector<TraceRow> rows;
    for (const std::int64_t id : options.traceIds) {
        TraceFilter one;
        one.id = id;
        Result<std::vector<TraceRow>> found = listTraces(database, one);
        if (!found.isOk())
            return found.status();
        if (found->empty())
            return Status::notFound("no trace with id " + std::to_string(id) + " to export; list ids with `llmops traces`");
        rows.push_back(found->front());
    }
    return rows;
}

// The export of the selected traces and how many traces it holds.
struct OtlpDocument {
    std::string json;
    std::int64_t traces = 0;
};

Result<OtlpDocument> buildExport(Engine& engine, Database& database, const OtlpExportOptions& options)
{
    Result<std::vector<TraceRow>> rows = exportedRows(database, options);
    if (!rows.isOk())
        return rows.status();
    if (rows->empty())
        return Status::notFound("the workspace " + engine.path() + " has no traces to export; ask a question first");

    std::vector<OtlpTraceInput> inputs;
    for (const TraceRow& row : rows.value()) {
        Result<QueryResult> stored = engine.trace(row.id);
        if (!stored.isOk())
            return stored.status();
        OtlpTraceInput input{std::move(stored.value()), row.startedAtMs, row.status, "", "", row.synthetic};
        describeModel(engine.settings(), engine.priceTable(), input);
        inputs.push_back(std::move(input));
    }
    return OtlpDocument{otlpRequestJson(inputs, options, engine.path()), static_cast<std::int64_t>(inputs.size())};
}

} // namespace

Result<MetricsReport> Engine::metrics(const MetricsQuery& query, const std::atomic<bool>* cancel)
{
    return aggregateMetrics(m_impl->store.database(), query, cancel);
}

Result<std::vector<TraceRow>> Engine::listTraces(const TraceFilter& filter)
{
    return llmops::listTraces(m_impl->store.database(), filter);
}

Result<std::int64_t> Engine::generateSyntheticTraces(const SyntheticTraceOptions& options)
{
    return llmops::generateSyntheticTraces(m_impl->store.database(), m_impl->prices, options);
}

Result<std::string> Engine::otlpExport(const OtlpExportOptions& options)
{
    Result<OtlpDocument> document = buildExport(*this, m_impl->store.database(), options);
    if (!document.isOk())
        return document.status();
    return std::move(document->json);
}

Result<std::int64_t> Engine::exportOtlpFile(const std::string& path, const OtlpExportOptions& options)
{
    Result<OtlpDocument> document = buildExport(*this, m_impl->store.database(), options);
    if (!document.isOk())
        return document.status();

    // Write beside the target and rename, so a failed export leaves an earlier file whole.
    const std::string temporary = path + ".tmp";
    {
        std::ofstream output(temporary, std::ios::binary | std::ios::trunc);
        output << document->json;
        if (!output.flush())
            return Status::ioError("failed to write the OTLP export to " + temporary +
                                   "; check that the folder exists and is writable");
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error)
        return Status::ioError("failed to move the OTLP export to " + path + ": " + error.message());
    return document->traces;
}

Result<std::int64_t> Engine::sendOtlp(const std::string& endpointUrl, const OtlpExportOptions& options)
{
    Result<OtlpDocument> document = buildExport(*this, m_impl->store.database(), options);
    if (!document.isOk())
        return document.status();

    HttpRequest request;
    request.method = "POST";
    request.url = endpointUrl;
    request.headers = {{"Content-Type", "application/json"}};
    request.body = std::move(document->json);
    request.totalTimeoutMs = 30000;
    Result<HttpResponse> response = sendHttp(request);
    if (!response.isOk())
        return response.status();
    if (response->status < 200 || response->status >= 300)
        return Status::ioError("the OTLP endpoint " + redactUrl(endpointUrl) + " returned HTTP " +
                               std::to_string(response->status) +
                               "; check that the URL ends in /v1/traces and the collector accepts JSON");
    return document->traces;
}

} // namespace llmops
