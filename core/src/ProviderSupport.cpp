// SPDX-License-Identifier: MIT
#include "ProviderSupport.h"

#include "llmops/secrets.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace llmops::provider {

namespace {

using Json = nlohmann::json;

// Error messages quote at most this much of a response body or a partial answer.
constexpr size_t kExcerptBytes = 200;
constexpr int kConnectTimeoutMs = 10000;

constexpr const char* kDefaultSystemPrompt =
    "You are a support assistant. Answer only from the numbered context you are given.";

constexpr const char* kAnswerInstructions =
    "Answer the question using only the numbered context below. After each statement, cite the "
    "context it comes from with its number in square brackets, such as [1] or [2][3]. If the "
    "context does not contain the answer, say that the documents do not cover it.";

std::string contextLabel(const RetrievalHit& hit)
{
    if (!hit.chunk.headingPath.empty())
        return hit.chunk.headingPath;
    if (!hit.documentTitle.empty())
        return hit.documentTitle;
    return hit.documentPath;
}

// Returns the provider's error text from {"error": {"type": ..., "message": ...}} or
// {"error": "..."}, or "" when the body has neither.
std::string providerErrorMessage(const std::string& body)
{
    const Json json = Json::parse(body, nullptr, false);
    if (!json.is_object() || !json.contains("error"))
        return {};

    const Json& error = json["error"];
    if (error.is_string())
        return error.get<std::string>();
    if (!error.is_object() || !error.contains("message") || !error["message"].is_string())
        return {};

    std::string message = error["message"].get<std::string>();
    if (error.contains("type") && error["type"].is_string())
        message = error["type"].get<std::string>() + ": " + message;
    return message;
}

std::string providerDetail(const std::string& body)
{
    const std::string message = providerErrorMessage(body);
    return message.empty() ? "response body " + excerpt(body) : "the provider reports: " + message;
}

// Reads the endpoint's key from the keychain, naming the endpoint in any error.
Result<std::string> readKeychainKey(const ModelEndpoint& endpoint)
{
    Result<std::string> key = readKeychainSecret(endpoint.apiKeyKeychain);
    if (!key.isOk())
        return Status::invalidArgument("model endpoint '" + endpoint.name + "': " + key.status().message());
    if (key->empty())
        return Status::notFound("model endpoint '" + endpoint.name + "': the keychain entry \"" +
                                endpoint.apiKeyKeychain + "\" is empty; store the key again");
    return key;
}

} // namespace

std::string joinUrl(const std::string& baseUrl, std::string_view path)
{
    std::string url = baseUrl;
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    url.append(path);
    return url;
}

std::string describeEndpoint(const ModelEndpoint& endpoint, const std::string& url)
{
    return "model endpoint '" + endpoint.name + "' (" + redactUrl(url) + ")";
}

std::string excerpt(const std::string& text)
{
    size_t length = std::min(text.size(), kExcerptBytes);
    while (length > 0 && length < text.size() && (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80)
        --length;

    std::string result = text.substr(0, length);
    std::replace(result.begin(), result.end(), '\n', ' ');
    std::replace(result.begin(), result.end(), '\r', ' ');
    if (length < text.size())
        result += "...";
    return result.empty() ? "(empty body)" : "'" + result + "'";
}

Status withoutSecret(const Status& status, const std::string& apiKey)
{
    if (apiKey.empty() || status.message().find(apiKey) == std::string::npos)
        return status;

    std::string message = status.message();
    for (size_t pos = message.find(apiKey); pos != std::string::npos; pos = message.find(apiKey, pos))
        message.replace(pos, apiKey.size(), "[redacted]");

    Status redacted = [&] {
        switch (status.code()) {
        case StatusCode::RateLimited: return Status::rateLimited(message);
        case StatusCode::InvalidArgument: return Status::invalidArgument(message);
        default: return Status::upstream(message);
        }
    }();
    redacted.setHttpStatus(status.httpStatus()).setRetryAfterMs(status.retryAfterMs());
    return redacted;
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

namespace {

// A key with a line break would add header lines of its own to the request, so it is rejected,
// and the message does not repeat it.
Status checkKeyCharacters(const std::string& key, const ModelEndpoint& endpoint)
{
    const bool control = std::any_of(key.begin(), key.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (!control)
        return Status::ok();
    return Status::invalidArgument("the API key of model endpoint '" + endpoint.name +
                                   "' contains a line break or another control character; store it again without them");
}

// Reads the key from the environment variable, else the keychain entry the endpoint names.
Result<std::string> keyFromSources(const ModelEndpoint& endpoint)
{
    // The environment wins, so a scheduled job can override a key kept in the keychain.
    const char* value = endpoint.apiKeyEnv.empty() ? nullptr : std::getenv(endpoint.apiKeyEnv.c_str());
    if (value != nullptr && value[0] != '\0')
        return std::string(value);
    if (!endpoint.apiKeyKeychain.empty())
        return readKeychainKey(endpoint);
    if (endpoint.apiKeyEnv.empty())
        return std::string();
    return Status::invalidArgument("the API key variable " + endpoint.apiKeyEnv + " of model endpoint '" +
                                   endpoint.name + "' is not set; export it or clear api_key_env");
}

} // namespace

Result<std::string> readApiKey(const ModelEndpoint& endpoint)
{
    Result<std::string> key = keyFromSources(endpoint);
    if (!key.isOk())
        return key;
    if (Status status = checkKeyCharacters(key.value(), endpoint); !status.isOk())
        return status;
    return key;
}

std::string systemPrompt(const GenerationRequest& request)
{
    return request.systemPrompt.empty() ? kDefaultSystemPrompt : request.systemPrompt;
}

std::string buildUserMessage(const GenerationRequest& request)
{
    std::string message = kAnswerInstructions;
    message += "\n\nContext:\n";
    for (size_t i = 0; i < request.context.size(); ++i) {
        const RetrievalHit& hit = request.context[i];
        // Appended piece by piece: GCC 12 reports a false -Wrestrict on "[" + std::to_string(n).
        message += '[';
        message += std::to_string(i + 1);
        message += "] (";
        message += contextLabel(hit);
        message += ")\n";
        message += hit.chunk.text;
        message += "\n\n";
    }
    message += "Question: " + request.query;
    return message;
}

HttpRequest jsonPost(const ModelEndpoint& endpoint, const GenerationRequest& request, std::string url,
                     std::string body)
{
    HttpRequest http;
    http.method = "POST";
    http.url = std::move(url);
    http.headers = {{"Content-Type", "application/json"}};
    http.body = std::move(body);
    http.connectTimeoutMs = std::min(kConnectTimeoutMs, endpoint.timeoutMs);
    http.totalTimeoutMs = endpoint.timeoutMs;
    // A non-streamed reply arrives only when the whole answer is written, so the first-token
    // limit applies to streamed calls alone.
    const bool streamed = endpoint.kind != "openai-compatible" || endpoint.stream;
    http.firstByteTimeoutMs = streamed ? endpoint.firstTokenTimeoutMs : 0;
    http.cancel = request.cancel;
    return http;
}

namespace {

// Retry-After in whole seconds, as milliseconds; 0 for a missing value or an HTTP date, which
// the caller then treats as "use the normal backoff".
long long retryAfterMilliseconds(const std::string& value)
{
    if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos || value.size() > 6)
        return 0;
    return std::stoll(value) * 1000;
}

} // namespace

Status httpStatusError(const ModelEndpoint& endpoint, const std::string& url, const HttpResponse& response)
{
    const std::string where = describeEndpoint(endpoint, url);
    const std::string code = "HTTP " + std::to_string(response.status);

    if (response.status == 401 || response.status == 403) {
        std::string fix = "the endpoint sends no API key; set api_key_env or api_key_keychain";
        if (!endpoint.apiKeyEnv.empty())
            fix = "check the API key in the environment variable " + endpoint.apiKeyEnv;
        else if (!endpoint.apiKeyKeychain.empty())
            fix = "check the API key in the keychain entry \"" + endpoint.apiKeyKeychain + "\"";
        const std::string detail = response.status == 403 ? " (" + providerDetail(response.body) + ")" : "";
        return Status::upstream(where + " rejected the request with " + code + detail + "; " + fix)
            .setHttpStatus(static_cast<int>(response.status));
    }

    const std::string retryAfter = response.header("Retry-After");
    if (response.status == 429) {
        const std::string when = retryAfter.empty() ? "later" : "after " + retryAfter + " s";
        return Status::rateLimited(where + " is rate limiting requests (" + code + ", "
                                   + providerDetail(response.body) + "); retry " + when)
            .setHttpStatus(429)
            .setRetryAfterMs(retryAfterMilliseconds(retryAfter));
    }

    return Status::upstream(where + " failed with " + code + " (" + providerDetail(response.body) + ")")
        .setHttpStatus(static_cast<int>(response.status))
        .setRetryAfterMs(retryAfterMilliseconds(retryAfter));
}

Result<Completion> exchangeStreamed(const ModelEndpoint& endpoint, HttpRequest http, const std::string& apiKey,
                                    const GenerationRequest& request,
                                    const std::function<Status(std::string_view)>& consume,
                                    const std::function<Result<Completion>()>& finish)
{
    Status consumeError;
    bool bodyStarted = false;
    const auto sent = std::chrono::steady_clock::now();
    double firstTokenMs = 0.0;
    http.onData = [&consumeError, &bodyStarted, &consume, &firstTokenMs, sent](std::string_view piece) {
        if (!bodyStarted)
            firstTokenMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent).count();
        bodyStarted = true;
        consumeError = consume(piece);
        return consumeError.isOk();
    };

    const std::string url = http.url;
    Result<HttpResponse> response = sendHttp(http);
    if (!consumeError.isOk())
        return withoutSecret(consumeError, apiKey);

    // A connection that breaks during a 2xx body still gets the stream checked, because an
    // answer whose final event arrived is complete, and otherwise the partial text belongs in
    // the error.
    const bool droppedInBody = !response.isOk() && response.status().code() == StatusCode::IoError && bodyStarted;
    if (!response.isOk() && !droppedInBody)
        return withoutSecret(response.status(), apiKey);
    if (response.isOk() && (response->status < 200 || response->status >= 300))
        return withoutSecret(httpStatusError(endpoint, url, response.value()), apiKey);

    Result<Completion> completion = finish();
    if (!completion.isOk()) {
        Status error = completion.status();
        if (droppedInBody)
            error = Status::upstream(error.message() + " (" + response.status().message() + ")");
        return withoutSecret(error, apiKey);
    }
    completion->citedContext = parseCitationMarkers(completion->text, static_cast<int>(request.context.size()));
    completion->firstTokenMs = firstTokenMs;
    return completion;
}

void StreamedAnswer::appendText(std::string_view text)
{
    if (text.empty())
        return;
    m_completion.text.append(text);
    ++m_deltaCount;
    if (m_onToken)
        m_onToken(text);
}

Status StreamedAnswer::truncatedError(const std::string& where, const std::string& finalEvent) const
{
    std::string message = where + " ended the stream after " + std::to_string(m_deltaCount)
        + " text deltas without " + finalEvent;
    if (!m_completion.text.empty())
        message += "; partial answer " + excerpt(m_completion.text);
    return Status::upstream(message + "; the server or a proxy closed the connection early, so retry");
}

} // namespace llmops::provider
