// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "llmops/settings.h"
#include "llmops/status.h"
#include "llmops/types.h"

namespace llmops {

struct GenerationRequest {
    std::string query;
    std::vector<RetrievalHit> context;   // numbered [1], [2], ... in the prompt
    std::string systemPrompt;
    const std::atomic<bool>* cancel = nullptr;  // polled during the call; may be null

    // Receives the answer text in order as it arrives, on the thread that calls generate(). The
    // pieces concatenate to Completion::text when the call succeeds. A generator that does not
    // stream calls it once with the whole text. May be empty.
    std::function<void(std::string_view)> onToken;
};

// A model's answer. Citation markers "[n]" stay in the text; citedContext lists the distinct
// n values (1-based) in order of first appearance.
struct Completion {
    std::string text;
    std::vector<int> citedContext;
    TokenUsage usage;
    std::string model;
    std::string finishReason;
    bool abstained = false;  // the generator found no answer in the context and said so
    double firstTokenMs = 0.0;  // from sending the request to the first streamed bytes; 0 if not streamed
    double providerDurationMs = 0.0;    // the whole call as the provider timed it; 0 if not reported
    double providerGenerationMs = 0.0;  // the provider's time spent generating output; 0 if not reported
};

// Produces an answer from a question and retrieved context. Used from one thread at a time.
class Generator {
public:
    virtual ~Generator() = default;
    virtual Result<Completion> generate(const GenerationRequest& request) = 0;
};

// The offline default: picks the context sentences that best cover the question's content
// words, at most maxSentences of them, and joins them with a citation after each. When no
// sentence shares a content word with the question it answers that the documents do not say.
class ExtractiveGenerator final : public Generator {
public:
    explicit ExtractiveGenerator(int maxSentences = 3) : m_maxSentences(maxSentences) {}
    Result<Completion> generate(const GenerationRequest& request) override;

private:
    int m_maxSentences;
};

// The HTTP model clients below share these rules. The API key is read from the environment
// variable the endpoint names at call time and is never stored, sent only in a header, and
// removed from error messages. HTTP errors become Status values naming the endpoint, the status
// code and the provider's error message. A 429 is RateLimited and other codes are Upstream.
// Transport failures keep the codes of the HTTP client (IoError, Timeout, Cancelled). A streamed
// body that is malformed, reports an error, or ends before the provider's final event is an
// Upstream error. For a truncated stream the message gives the number of text deltas received
// and the start of the partial answer. Calls block until the answer is complete.

// OpenAI-compatible chat completions (POST {baseUrl}/chat/completions) for OpenAI, vLLM,
// llama.cpp's server, LM Studio and Ollama's /v1. With ModelEndpoint::stream (the default) it
// requests server-sent events with stream_options.include_usage and requires the closing
// "data: [DONE]". A server that ignores the stream flag and replies with one JSON document is
// accepted too.
class OpenAiChatGenerator final : public Generator {
public:
    explicit OpenAiChatGenerator(ModelEndpoint endpoint);
    Result<Completion> generate(const GenerationRequest& request) override;

private:
    ModelEndpoint m_endpoint;
};

// Anthropic Messages API (POST {baseUrl}/v1/messages, anthropic-version 2023-06-01), always
// streamed. The key goes in the x-api-key header. An "error" event mid-stream becomes
// RateLimited for rate_limit_error and Upstream otherwise, naming the error type and message.
class AnthropicMessagesGenerator final : public Generator {
public:
    explicit AnthropicMessagesGenerator(ModelEndpoint endpoint);
    Result<Completion> generate(const GenerationRequest& request) override;

private:
    ModelEndpoint m_endpoint;
};

// Ollama's native chat API (POST {baseUrl}/api/chat), streamed as newline-delimited JSON and
// finished by a line with "done": true that carries the token counts and durations. A key, if
// the endpoint names one, is sent as a bearer token for servers behind an authenticating proxy.
class OllamaChatGenerator final : public Generator {
public:
    explicit OllamaChatGenerator(ModelEndpoint endpoint);
    Result<Completion> generate(const GenerationRequest& request) override;

private:
    ModelEndpoint m_endpoint;
};

// Creates the generator for an endpoint kind, or an error naming the unknown kind.
Result<std::unique_ptr<Generator>> makeGenerator(const ModelEndpoint& endpoint);

// Returns the distinct citation numbers "[n]" in text, in order of first appearance,
// ignoring numbers outside 1..maxNumber.
std::vector<int> parseCitationMarkers(const std::string& text, int maxNumber);

} // namespace llmops
