// SPDX-License-Identifier: MIT
#include "DevModelReplies.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace llmops::cli {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string dumpJson(const Json& value)
{
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 529: return "Overloaded";
    default: return "Error";
    }
}

std::string statusHead(int status, const std::string& contentType)
{
    return "HTTP/1.1 " + std::to_string(status) + ' ' + reasonPhrase(status) + "\r\nContent-Type: " + contentType
        + "\r\nServer: llmops-dev-model-server\r\nConnection: close\r\n";
}

std::int64_t nanosecondsSince(Clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
}

// The pieces of one wire format. A streamed reply is the status head, opening(), one delta() per
// word, closing() and finalEvent(). The truncate fault leaves out finalEvent().
class Format {
public:
    explicit Format(const ReplyPlan& plan) : m_plan(plan) {}
    virtual ~Format() = default;

    virtual std::string streamContentType() const = 0;
    virtual std::string errorBody(int status, const std::string& message) const = 0;
    virtual std::string document(const std::string& text) const = 0;
    virtual std::string opening() const = 0;
    virtual std::string delta(const std::string& text) const = 0;
    virtual std::string malformedDelta() const = 0;
    virtual std::string closing() const = 0;
    virtual std::string finalEvent() const = 0;

    // The event that reports an overload mid-stream, or "" when the format has none and the
    // overload is sent as an HTTP 529 instead.
    virtual std::string overloadEvent() const { return {}; }

protected:
    std::int64_t outputTokens() const { return static_cast<std::int64_t>(m_plan.words.size()); }

    const ReplyPlan& m_plan;
    const Clock::time_point m_start = Clock::now();
};

class OpenAiFormat final : public Format {
public:
    using Format::Format;

    std::string streamContentType() const override { return "text/event-stream"; }

    std::string errorBody(int status, const std::string& message) const override
    {
        const char* type = status == 429 ? "rate_limit_exceeded" : status == 400 ? "invalid_request_error"
                                                                                  : "server_error";
        return dumpJson({{"error", {{"message", message}, {"type", type}, {"code", status}}}});
    }

    std::string document(const std::string& text) const override
    {
        Json body = envelope("chat.completion");
        body["choices"] = Json::array({{{"index", 0},
                                        {"message", {{"role", "assistant"}, {"content", text}}},
                                        {"finish_reason", "stop"}}});
        body["usage"] = usage();
        return dumpJson(body);
    }

    std::string opening() const override { return chunk({{"role", "assistant"}, {"content", ""}}, nullptr); }
    std::string delta(const std::string& text) const override { return chunk({{"content", text}}, nullptr); }

    std::string malformedDelta() const override
    {
        return "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\n\n";
    }

    std::string closing() const override
    {
        std::string events = chunk(Json::object(), "stop");
        if (m_plan.includeUsage) {
            Json last = envelope("chat.completion.chunk");
            last["choices"] = Json::array();
            last["usage"] = usage();
            events += "data: " + dumpJson(last) + "\n\n";
        }
        return events;
    }

    std::string finalEvent() const override { return "data: [DONE]\n\n"; }

private:
    Json envelope(const char* object) const
    {
        return {{"id", "chatcmpl-dev"}, {"object", object}, {"created", 0}, {"model", m_plan.model}};
    }

    std::string chunk(const Json& delta, const char* finishReason) const
    {
        Json body = envelope("chat.completion.chunk");
        body["choices"] = Json::array({{{"index", 0}, {"delta", delta},
                                        {"finish_reason", finishReason ? Json(finishReason) : Json()}}});
        return "data: " + dumpJson(body) + "\n\n";
    }

    Json usage() const
    {
        return {{"prompt_tokens", m_plan.promptTokens},
                {"completion_tokens", outputTokens()},
                {"total_tokens", m_plan.promptTokens + outputTokens()},
                {"prompt_tokens_details", {{"cached_tokens", 0}}},
                {"completion_tokens_details", {{"reasoning_tokens", 0}}}};
    }
};

class AnthropicFormat final : public Format {
public:
    using Format::Format;

    std::string streamContentType() const override { return "text/event-stream"; }

    std::string errorBody(int status, const std::string& message) const override
    {
        return dumpJson(errorObject(errorType(status), message));
    }

    std::string document(const std::string& text) const override
    {
        Json body = message();
        body["content"] = Json::array({{{"type", "text"}, {"text", text}}});
        body["stop_reason"] = "end_turn";
        body["usage"]["output_tokens"] = outputTokens();
        return dumpJson(body);
    }

    std::string opening() const override
    {
        return event("message_start", {{"type", "message_start"}, {"message", message()}})
            + event("content_block_start", {{"type", "content_block_start"}, {"index", 0},
                                            {"content_block", {{"type", "text"}, {"text", ""}}}});
    }

    std::string delta(const std::string& text) const override
    {
        return event("content_block_delta", {{"type", "content_block_delta"}, {"index", 0},
                                             {"delta", {{"type", "text_delta"}, {"text", text}}}});
    }

    std::string malformedDelta() const override
    {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\n\n";
    }

    std::string closing() const override
    {
        return event("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}})
            + event("message_delta", {{"type", "message_delta"},
                                      {"delta", {{"stop_reason", "end_turn"}, {"stop_sequence", nullptr}}},
                                      {"usage", {{"output_tokens", outputTokens()}}}});
    }

    std::string finalEvent() const override { return event("message_stop", {{"type", "message_stop"}}); }

    std::string overloadEvent() const override
    {
        return event("error", errorObject("overloaded_error", "the development model server is overloaded"));
    }

private:
    static const char* errorType(int status)
    {
        switch (status) {
        case 400: return "invalid_request_error";
        case 404: return "not_found_error";
        case 429: return "rate_limit_error";
        case 529: return "overloaded_error";
        default: return "api_error";
        }
    }

    static Json errorObject(const char* type, const std::string& message)
    {
        return {{"type", "error"}, {"error", {{"type", type}, {"message", message}}}};
    }

    static std::string event(const char* name, const Json& data)
    {
        return std::string("event: ") + name + "\ndata: " + dumpJson(data) + "\n\n";
    }

    Json message() const
    {
        return {{"id", "msg_dev"}, {"type", "message"}, {"role", "assistant"}, {"model", m_plan.model},
                {"content", Json::array()}, {"stop_reason", nullptr}, {"stop_sequence", nullptr},
                {"usage", {{"input_tokens", m_plan.promptTokens}, {"cache_creation_input_tokens", 0},
                           {"cache_read_input_tokens", 0}, {"output_tokens", 1}}}};
    }
};

class OllamaFormat final : public Format {
public:
    using Format::Format;

    std::string streamContentType() const override { return "application/x-ndjson"; }

    std::string errorBody(int, const std::string& message) const override { return dumpJson({{"error", message}}); }

    std::string document(const std::string& text) const override { return dumpJson(finalLine(text)); }
    std::string opening() const override { return {}; }
    std::string delta(const std::string& text) const override { return dumpJson(line(text, false)) + '\n'; }
    std::string malformedDelta() const override { return "{\"model\":\"" + m_plan.model + "\",\"message\":{\n"; }
    std::string closing() const override { return {}; }
    std::string finalEvent() const override { return dumpJson(finalLine("")) + '\n'; }

private:
    Json line(const std::string& text, bool done) const
    {
        return {{"model", m_plan.model}, {"created_at", "1970-01-01T00:00:00Z"},
                {"message", {{"role", "assistant"}, {"content", text}}}, {"done", done}};
    }

    // The durations are measured from the start of the reply, in nanoseconds as Ollama gives them.
    Json finalLine(const std::string& text) const
    {
        Json body = line(text, true);
        const std::int64_t elapsed = nanosecondsSince(m_start);
        body["done_reason"] = "stop";
        body["total_duration"] = elapsed;
        body["load_duration"] = 0;
        body["prompt_eval_count"] = m_plan.promptTokens;
        body["prompt_eval_duration"] = 0;
        body["eval_count"] = outputTokens();
        body["eval_duration"] = elapsed;
        return body;
    }
};

std::unique_ptr<Format> makeFormat(const ReplyPlan& plan)
{
    switch (plan.format) {
    case WireFormat::AnthropicMessages: return std::make_unique<AnthropicFormat>(plan);
    case WireFormat::OllamaChat: return std::make_unique<OllamaFormat>(plan);
    case WireFormat::OpenAiChat: break;
    }
    return std::make_unique<OpenAiFormat>(plan);
}

std::string joinWords(const std::vector<std::string>& words)
{
    std::string text;
    for (const std::string& word : words)
        text += word;
    return text;
}

int sendJson(ReplyChannel& channel, int status, const std::string& body, const std::string& extraHeaders = {})
{
    channel.send(statusHead(status, "application/json") + extraHeaders + "Content-Length: "
                 + std::to_string(body.size()) + "\r\n\r\n" + body);
    return status;
}

// Sends the whole answer as one JSON document. A truncated body keeps the full Content-Length,
// so the client sees the connection close early.
int sendDocument(const ReplyPlan& plan, const Format& format, ReplyChannel& channel)
{
    std::string body = format.document(joinWords(plan.words));
    if (plan.fault == DevFault::Malformed)
        body.resize(body.size() / 2);

    const std::string head = statusHead(200, "application/json") + "Content-Length: "
        + std::to_string(body.size()) + "\r\n\r\n";
    const std::size_t half = body.size() / 2;
    if (plan.fault == DevFault::Truncate) {
        channel.send(head + body.substr(0, half));
        return 200;
    }
    if (plan.fault == DevFault::Stall) {
        if (channel.send(head + body.substr(0, half)) && channel.pause(plan.faultDelay))
            channel.send(std::string_view(body).substr(half));
        return 200;
    }
    channel.send(head + body);
    return 200;
}

// Streams the answer one word per event. Faults that act mid-stream act at the middle word.
int sendStream(const ReplyPlan& plan, const Format& format, ReplyChannel& channel)
{
    if (!channel.send(statusHead(200, format.streamContentType()) + "Cache-Control: no-cache\r\n\r\n"
                      + format.opening()))
        return 200;

    const std::size_t middle = plan.words.size() / 2;
    for (std::size_t i = 0; i < plan.words.size(); ++i) {
        if (i == middle && plan.fault == DevFault::Malformed) {
            channel.send(format.malformedDelta());
            return 200;
        }
        if (i == middle && plan.fault == DevFault::Overloaded) {
            channel.send(format.overloadEvent());
            return 200;
        }
        if (i == middle && plan.fault == DevFault::Stall && !channel.pause(plan.faultDelay))
            return 200;

        if (!channel.send(format.delta(plan.words[i])) || !channel.pause(plan.tokenDelay))
            return 200;
    }

    const std::string closing = format.closing();
    if (plan.fault == DevFault::Truncate) {
        channel.send(closing);
        return 200;
    }
    channel.send(closing + format.finalEvent());
    return 200;
}

} // namespace

int sendReply(const ReplyPlan& plan, ReplyChannel& channel)
{
    const std::unique_ptr<Format> format = makeFormat(plan);

    // Faults that replace the whole reply with an HTTP error.
    if (plan.fault == DevFault::RateLimit)
        return sendJson(channel, 429, format->errorBody(429, "rate limit reached; retry after "
                                                                 + std::to_string(plan.retryAfterSeconds) + " s"),
                        "Retry-After: " + std::to_string(plan.retryAfterSeconds) + "\r\n");
    if (plan.fault == DevFault::ServerError)
        return sendJson(channel, 500, format->errorBody(500, "the development model server failed on purpose"));
    const bool overloadInStream = plan.streamed && !format->overloadEvent().empty();
    if (plan.fault == DevFault::Overloaded && !overloadInStream)
        return sendJson(channel, 529, format->errorBody(529, "the development model server is overloaded"));

    if (plan.fault == DevFault::SlowFirstByte && !channel.pause(plan.faultDelay))
        return 0;
    return plan.streamed ? sendStream(plan, *format, channel) : sendDocument(plan, *format, channel);
}

int sendJsonReply(ReplyChannel& channel, int status, const std::string& body)
{
    return sendJson(channel, status, body);
}

void sendErrorReply(WireFormat format, int status, const std::string& message, ReplyChannel& channel)
{
    ReplyPlan plan;
    plan.format = format;
    sendJson(channel, status, makeFormat(plan)->errorBody(status, message));
}

} // namespace llmops::cli
