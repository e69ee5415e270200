// SPDX-License-Identifier: MIT
#include "llmops/generator.h"

#include "HttpClient.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace llmops {

namespace {

using Json = nlohmann::json;

// Error messages quote at most this much of a response body.
constexpr size_t kBodyExcerptBytes = 200;
constexpr int kConnectTimeoutMs = 10000;

constexpr const char* kDefaultSystemPrompt =
    "You are a support assistant. Answer only from the numbered context you are given.";

constexpr const char* kAnswerInstructions =
    "Answer the question using only the numbered context below. After each statement, cite the "
    "context it comes from with its number in square brackets, such as [1] or [2][3]. If the "
    "context does not contain the answer, say that the documents do not cover it.";

std::string chatCompletionsUrl(const ModelEndpoint& endpoint)
{
    std::string base = endpoint.baseUrl;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/chat/completions";
}

// Names the endpoint in messages: "model endpoint 'openai' (https://host/v1/chat/completions)".
std::string describeEndpoint(const ModelEndpoint& endpoint)
{
    return "model endpoint '" + endpoint.name + "' (" + redactUrl(chatCompletionsUrl(endpoint)) + ")";
}

// Returns the start of body, cut at a UTF-8 character boundary and with line breaks turned into
// spaces so that the message stays on one line.
std::string bodyExcerpt(const std::string& body)
{
    size_t length = std::min(body.size(), kBodyExcerptBytes);
    while (length > 0 && length < body.size() && (static_cast<unsigned char>(body[length]) & 0xC0) == 0x80)
        --length;

    std::string excerpt = body.substr(0, length);
    std::replace(excerpt.begin(), excerpt.end(), '\n', ' ');
    std::replace(excerpt.begin(), excerpt.end(), '\r', ' ');
    if (length < body.size())
        excerpt += "...";
    return excerpt.empty() ? "(empty body)" : "'" + excerpt + "'";
}

// Replaces every occurrence of the API key in a message, because providers and proxies sometimes
// echo the key they rejected.
Status withoutSecret(const Status& status, const std::string& apiKey)
{
    if (apiKey.empty() || status.message().find(apiKey) == std::string::npos)
        return status;

    std::string message = status.message();
    for (size_t pos = message.find(apiKey); pos != std::string::npos; pos = message.find(apiKey, pos))
        message.replace(pos, apiKey.size(), "[redacted]");

    switch (status.code()) {
    case StatusCode::RateLimited: return Status::rateLimited(message);
    case StatusCode::InvalidArgument: return Status::invalidArgument(message);
    default: return Status::upstream(message);
    }
}

Status checkEndpoint(const ModelEndpoint& endpoint)
{
    if (endpoint.baseUrl.empty())
        return Status::invalidArgument("model endpoint '" + endpoint.name
                                       + "' has no base URL; set baseUrl, such as http://127.0.0.1:8080/v1");
    if (endpoint.model.empty())
        return Status::invalidArgument("model endpoint '" + endpoint.name
                                       + "' has no model id; set model to the provider's model name");
    return Status::ok();
}

// Reads the API key from the variable the endpoint names. An empty name means the endpoint needs
// no key, as local servers usually do, and yields an empty key.
Result<std::string> readApiKey(const ModelEndpoint& endpoint)
{
    if (endpoint.apiKeyEnv.empty())
        return std::string();

    const char* value = std::getenv(endpoint.apiKeyEnv.c_str());
    if (value == nullptr || value[0] == '\0')
        return Status::invalidArgument("the API key variable " + endpoint.apiKeyEnv + " of model endpoint '"
                                       + endpoint.name + "' is not set; export it or clear apiKeyEnv");
    return std::string(value);
}

std::string contextLabel(const RetrievalHit& hit)
{
    if (!hit.chunk.headingPath.empty())
        return hit.chunk.headingPath;
    if (!hit.documentTitle.empty())
        return hit.documentTitle;
    return hit.documentPath;
}

std::string buildUserMessage(const GenerationRequest& request)
{
    std::string message = kAnswerInstructions;
    message += "\n\nContext:\n";
    for (size_t i = 0; i < request.context.size(); ++i) {
        const RetrievalHit& hit = request.context[i];
        message += "[" + std::to_string(i + 1) + "] (" + contextLabel(hit) + ")\n";
        message += hit.chunk.text;
        message += "\n\n";
    }
    message += "Question: " + request.query;
    return message;
}

std::string buildRequestBody(const ModelEndpoint& endpoint, const GenerationRequest& request)
{
    const std::string systemPrompt = request.systemPrompt.empty() ? kDefaultSystemPrompt : request.systemPrompt;
    const Json body = {
        {"model", endpoint.model},
        {"messages", Json::array({
            {{"role", "system"}, {"content", systemPrompt}},
            {{"role", "user"}, {"content", buildUserMessage(request)}},
        })},
        {"temperature", 0},
        {"stream", false},
    };

    // Document text may contain invalid UTF-8; replacing it beats failing the whole query.
    return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Returns the provider's error text from {"error": {"message": ...}} or {"error": "..."}, or ""
// when the body has neither.
std::string providerErrorMessage(const std::string& body)
{
    const Json json = Json::parse(body, nullptr, false);
    if (!json.is_object() || !json.contains("error"))
        return {};

    const Json& error = json["error"];
    if (error.is_string())
        return error.get<std::string>();
    if (error.is_object() && error.contains("message") && error["message"].is_string())
        return error["message"].get<std::string>();
    return {};
}

std::string providerDetail(const std::string& body)
{
    const std::string message = providerErrorMessage(body);
    return message.empty() ? "response body " + bodyExcerpt(body) : "the provider reports: " + message;
}

Status httpStatusError(const ModelEndpoint& endpoint, const HttpResponse& response)
{
    const std::string where = describeEndpoint(endpoint);
    const std::string code = "HTTP " + std::to_string(response.status);

    // The provider's text is left out on 401 because providers quote part of the rejected key.
    if (response.status == 401 || response.status == 403) {
        const std::string fix = endpoint.apiKeyEnv.empty()
            ? "the endpoint has no API key variable; set apiKeyEnv to the variable that holds the key"
            : "check the API key in the environment variable " + endpoint.apiKeyEnv;
        const std::string detail = response.status == 403 ? " (" + providerDetail(response.body) + ")" : "";
        return Status::upstream(where + " rejected the request with " + code + detail + "; " + fix);
    }

    if (response.status == 429) {
        const std::string retryAfter = response.header("Retry-After");
        const std::string when = retryAfter.empty() ? "later" : "after " + retryAfter + " s";
        return Status::rateLimited(where + " is rate limiting requests (" + code + ", "
                                   + providerDetail(response.body) + "); retry " + when);
    }

    return Status::upstream(where + " failed with " + code + " (" + providerDetail(response.body) + ")");
}

Status missingField(const ModelEndpoint& endpoint, const std::string& field, const std::string& body)
{
    return Status::upstream(describeEndpoint(endpoint) + " returned a response without " + field
                            + "; response body " + bodyExcerpt(body));
}

std::int64_t readTokenCount(const Json& usage, const char* key)
{
    if (!usage.is_object() || !usage.contains(key) || !usage[key].is_number_integer())
        return 0;
    return usage[key].get<std::int64_t>();
}

Result<Completion> parseCompletion(const ModelEndpoint& endpoint, const std::string& body)
{
    const Json json = Json::parse(body, nullptr, false);
    if (json.is_discarded())
        return Status::upstream(describeEndpoint(endpoint) + " returned a body that is not valid JSON: "
                                + bodyExcerpt(body));
    if (!json.is_object() || !json.contains("choices") || !json["choices"].is_array()
        || json["choices"].empty())
        return missingField(endpoint, "a \"choices\" array with at least one entry", body);

    const Json& choice = json["choices"][0];
    if (!choice.is_object() || !choice.contains("message") || !choice["message"].is_object())
        return missingField(endpoint, "choices[0].message", body);
    const Json& message = choice["message"];
    if (!message.contains("content") || !message["content"].is_string())
        return missingField(endpoint, "the text choices[0].message.content", body);

    Completion completion;
    completion.text = message["content"].get<std::string>();
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
        completion.finishReason = choice["finish_reason"].get<std::string>();
    if (json.contains("model") && json["model"].is_string())
        completion.model = json["model"].get<std::string>();
    else
        completion.model = endpoint.model;

    const Json usage = json.contains("usage") ? json["usage"] : Json();
    completion.usage.inputTokens = readTokenCount(usage, "prompt_tokens");
    completion.usage.outputTokens = readTokenCount(usage, "completion_tokens");
    return completion;
}

} // namespace

OpenAiChatGenerator::OpenAiChatGenerator(ModelEndpoint endpoint) : m_endpoint(std::move(endpoint)) {}

Result<Completion> OpenAiChatGenerator::generate(const GenerationRequest& request)
{
    if (Status status = checkEndpoint(m_endpoint); !status.isOk())
        return status;
    Result<std::string> apiKey = readApiKey(m_endpoint);
    if (!apiKey.isOk())
        return apiKey.status();

    HttpRequest http;
    http.method = "POST";
    http.url = chatCompletionsUrl(m_endpoint);
    http.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    if (!apiKey.value().empty())
        http.headers.emplace_back("Authorization", "Bearer " + apiKey.value());
    http.body = buildRequestBody(m_endpoint, request);
    http.connectTimeoutMs = std::min(kConnectTimeoutMs, m_endpoint.timeoutMs);
    http.totalTimeoutMs = m_endpoint.timeoutMs;
    http.cancel = request.cancel;

    Result<HttpResponse> response = sendHttp(http);
    if (!response.isOk())
        return response.status();
    if (response->status < 200 || response->status >= 300)
        return withoutSecret(httpStatusError(m_endpoint, response.value()), apiKey.value());

    Result<Completion> completion = parseCompletion(m_endpoint, response->body);
    if (!completion.isOk())
        return withoutSecret(completion.status(), apiKey.value());
    completion->citedContext = parseCitationMarkers(completion->text, static_cast<int>(request.context.size()));
    return completion;
}

} // namespace llmops
