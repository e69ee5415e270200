// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "llmops/generator.h"
#include "llmops/settings.h"
#include "llmops/status.h"

#include "HttpClient.h"

// Pieces that the HTTP model clients share: request checks, the prompt, error messages and the
// bookkeeping of a streamed answer.
namespace llmops::provider {

// Returns baseUrl without trailing slashes, followed by path.
std::string joinUrl(const std::string& baseUrl, std::string_view path);

// Names the endpoint in messages: "model endpoint 'name' (url without query or user info)".
std::string describeEndpoint(const ModelEndpoint& endpoint, const std::string& url);

// Returns the start of text, at most 200 bytes cut at a UTF-8 character boundary, quoted and on
// one line, or "(empty body)".
std::string excerpt(const std::string& text);

// Returns status with every occurrence of apiKey replaced by "[redacted]", because providers
// and proxies sometimes echo the key they rejected.
Status withoutSecret(const Status& status, const std::string& apiKey);

// Checks that the endpoint has a base URL and a model id.
Status checkEndpoint(const ModelEndpoint& endpoint);

// Reads the API key from the environment variable the endpoint names. An empty name means the
// endpoint needs no key, as local servers usually do, and yields an empty key.
Result<std::string> readApiKey(const ModelEndpoint& endpoint);

// Returns the request's system prompt, or the default one when it is empty.
std::string systemPrompt(const GenerationRequest& request);

// Returns the user turn: the answering instructions, the numbered context and the question.
std::string buildUserMessage(const GenerationRequest& request);

// Returns the HTTP request shared by all providers: a POST of a JSON body with the endpoint's
// timeouts and the request's cancel flag.
HttpRequest jsonPost(const ModelEndpoint& endpoint, const GenerationRequest& request, std::string url,
                     std::string body);

// Returns the error for a non-2xx response: RateLimited for 429, Upstream otherwise. The
// message names the endpoint, the status code and the provider's error text, except on 401,
// where providers tend to quote part of the rejected key.
Status httpStatusError(const ModelEndpoint& endpoint, const std::string& url, const HttpResponse& response);

// Sends http, hands a 2xx body to consume piece by piece, and then returns the answer that
// finish builds, with its citation markers parsed. A non-ok Status from consume aborts the
// transfer and is returned as it is. A non-2xx response becomes httpStatusError. When the
// connection breaks during the body, finish still runs, so a stream cut before its final event
// is reported as truncated. No message that comes back contains apiKey.
Result<Completion> exchangeStreamed(const ModelEndpoint& endpoint, HttpRequest http, const std::string& apiKey,
                                    const GenerationRequest& request,
                                    const std::function<Status(std::string_view)>& consume,
                                    const std::function<Result<Completion>()>& finish);

// Accumulates a streamed answer and passes each text delta on to the request's onToken.
class StreamedAnswer {
public:
    explicit StreamedAnswer(const GenerationRequest& request) : m_onToken(request.onToken) {}

    void appendText(std::string_view text);

    Completion& completion() { return m_completion; }
    std::int64_t deltaCount() const { return m_deltaCount; }

    // Returns the Upstream error for a stream that ended before finalEvent, with the number of
    // deltas and the start of the partial text.
    Status truncatedError(const std::string& where, const std::string& finalEvent) const;

private:
    std::function<void(std::string_view)> m_onToken;
    Completion m_completion;
    std::int64_t m_deltaCount = 0;
};

} // namespace llmops::provider
