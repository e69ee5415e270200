// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmops::cli {

// A failure that the development model server can inject into a reply.
enum class DevFault {
    None,
    RateLimit,      // 429 with a Retry-After header
    ServerError,    // 500
    Overloaded,     // 529, or an overloaded_error event inside an Anthropic stream
    SlowFirstByte,  // wait before the status line
    Stall,          // pause halfway through the answer, then finish it
    Truncate,       // close the connection before the final event (or halfway through a JSON body)
    Malformed,      // send a data line (or a JSON body) that is not valid JSON
};

// The wire formats the server speaks.
enum class WireFormat {
    OpenAiChat,         // POST /v1/chat/completions: one JSON document, or SSE with "data: [DONE]"
    AnthropicMessages,  // POST /v1/messages: named SSE events ending with message_stop
    OllamaChat,         // POST /api/chat: newline-delimited JSON ending with "done": true
};

// The content of one reply and the fault it carries.
struct ReplyPlan {
    WireFormat format = WireFormat::OpenAiChat;
    bool streamed = true;
    bool includeUsage = false;  // OpenAI streams only: stream_options.include_usage
    std::string model = "dev-model";
    std::vector<std::string> words;  // the answer, sent one word per delta
    std::int64_t promptTokens = 0;
    DevFault fault = DevFault::None;
    int retryAfterSeconds = 1;               // Retry-After of a rate-limit reply
    std::chrono::milliseconds faultDelay{0};  // slow-first-byte wait and stall pause
    std::chrono::milliseconds tokenDelay{0};  // pause after each streamed word
};

// The destination of a reply. Both calls return false once the client has gone or the server is
// stopping, and the reply then ends early.
class ReplyChannel {
public:
    virtual ~ReplyChannel() = default;
    virtual bool send(std::string_view bytes) = 0;
    virtual bool pause(std::chrono::milliseconds delay) = 0;
};

// Writes the whole HTTP response for plan, status line included. Bodies that are streamed have
// no Content-Length, so closing the connection ends them. Returns the HTTP status sent.
int sendReply(const ReplyPlan& plan, ReplyChannel& channel);

// Writes a JSON response with the given status and body. Returns the status.
int sendJsonReply(ReplyChannel& channel, int status, const std::string& body);

// Writes a JSON error response in the given format, for requests the server rejects.
void sendErrorReply(WireFormat format, int status, const std::string& message, ReplyChannel& channel);

} // namespace llmops::cli
