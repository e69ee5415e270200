// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <memory>
#include <string>
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

// OpenAI-compatible chat completions (POST {baseUrl}/chat/completions, non-streaming) over
// libcurl. The API key is read from the environment variable the endpoint names at call time
// and is never stored. HTTP errors become Status values naming the status code, the endpoint
// and the provider's error message.
class OpenAiChatGenerator final : public Generator {
public:
    explicit OpenAiChatGenerator(ModelEndpoint endpoint);
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
