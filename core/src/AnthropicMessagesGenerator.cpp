// SPDX-License-Identifier: MIT
#include "llmops/generator.h"

#include "HttpClient.h"
#include "ProviderSupport.h"
#include "StreamParsers.h"

#include <nlohmann/json.hpp>

namespace llmops {

namespace {

using Json = nlohmann::json;
using provider::excerpt;

// The API version whose event names and usage fields this client reads.
constexpr const char* kAnthropicVersion = "2023-06-01";

std::string messagesUrl(const ModelEndpoint& endpoint)
{
    return provider::joinUrl(endpoint.baseUrl, "/v1/messages");
}

std::string buildRequestBody(const ModelEndpoint& endpoint, const GenerationRequest& request)
{
    const Json body = {
        {"model", endpoint.model},
        {"max_tokens", endpoint.maxOutputTokens},
        {"system", provider::systemPrompt(request)},
        {"messages", Json::array({
            {{"role", "user"}, {"content", provider::buildUserMessage(request)}},
        })},
        {"temperature", 0},
        {"stream", true},
    };
    return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

const Json& member(const Json& object, const char* key)
{
    static const Json null;
    return object.is_object() && object.contains(key) ? object[key] : null;
}

std::string stringMember(const Json& object, const char* key)
{
    const Json& value = member(object, key);
    return value.is_string() ? value.get<std::string>() : std::string();
}

// Anthropic's usage buckets as the API reports them. They are disjoint: input_tokens counts
// only the uncached input, and cache reads and cache writes are counted beside it.
struct AnthropicUsage {
    std::int64_t input = 0;       // input_tokens
    std::int64_t cacheWrite = 0;  // cache_creation_input_tokens
    std::int64_t cacheRead = 0;   // cache_read_input_tokens
    std::int64_t output = 0;      // output_tokens

    // Takes the counts present in usage. Counts in message_delta are cumulative, so a later
    // value replaces an earlier one rather than adding to it.
    void update(const Json& usage)
    {
        readInto(usage, "input_tokens", input);
        readInto(usage, "cache_creation_input_tokens", cacheWrite);
        readInto(usage, "cache_read_input_tokens", cacheRead);
        readInto(usage, "output_tokens", output);
    }

    // TokenUsage counts cached reads and writes inside inputTokens, as OpenAI does, so the
    // three input buckets are summed here and each is kept as its own subset for pricing.
    TokenUsage toTokenUsage() const
    {
        TokenUsage usage;
        usage.inputTokens = input + cacheWrite + cacheRead;
        usage.cachedInputTokens = cacheRead;
        usage.cacheWriteTokens = cacheWrite;
        usage.outputTokens = output;
        return usage;
    }

private:
    static void readInto(const Json& usage, const char* key, std::int64_t& target)
    {
        const Json& value = member(usage, key);
        if (value.is_number_integer())
            target = value.get<std::int64_t>();
    }
};

// Consumes the named events of a streamed Messages response: message_start, then content
// blocks with their deltas, message_delta with the stop reason, and message_stop. ping events
// and unknown event types are skipped, so that event types added to the API later do no harm.
class MessagesStream {
public:
    MessagesStream(std::string where, const GenerationRequest& request)
        : m_where(std::move(where)), m_answer(request)
    {
    }

    Status consume(std::string_view piece);
    Result<Completion> finish(const ModelEndpoint& endpoint);

private:
    Status handleEvent(const SseEvent& event);
    Status errorEventStatus(const Json& payload) const;

    std::string m_where;
    provider::StreamedAnswer m_answer;
    SseParser m_parser;
    AnthropicUsage m_usage;
    bool m_stopped = false;
};

Status MessagesStream::consume(std::string_view piece)
{
    for (const SseEvent& event : m_parser.feed(piece)) {
        if (Status status = handleEvent(event); !status.isOk())
            return status;
    }
    return Status::ok();
}

Status MessagesStream::handleEvent(const SseEvent& event)
{
    if (m_stopped)
        return Status::ok();

    const Json payload = Json::parse(event.data, nullptr, false);
    if (payload.is_discarded() || !payload.is_object())
        return Status::upstream(m_where + " sent a " + event.type + " event whose data is not a JSON object: "
                                + excerpt(event.data));

    // The event name and the payload's "type" agree; the name is missing only behind proxies
    // that drop the "event:" lines.
    const std::string type = event.type != "message" ? event.type : stringMember(payload, "type");
    Completion& completion = m_answer.completion();
    if (type == "message_start") {
        const Json& message = member(payload, "message");
        completion.model = stringMember(message, "model");
        m_usage.update(member(message, "usage"));
    } else if (type == "content_block_delta") {
        // Only text deltas belong to the answer. Thinking and tool-input deltas are skipped.
        const Json& delta = member(payload, "delta");
        if (stringMember(delta, "type") == "text_delta")
            m_answer.appendText(stringMember(delta, "text"));
    } else if (type == "message_delta") {
        const std::string stopReason = stringMember(member(payload, "delta"), "stop_reason");
        if (!stopReason.empty())
            completion.finishReason = stopReason;
        m_usage.update(member(payload, "usage"));
    } else if (type == "message_stop") {
        m_stopped = true;
    } else if (type == "error") {
        return errorEventStatus(payload);
    }
    return Status::ok();
}

Status MessagesStream::errorEventStatus(const Json& payload) const
{
    const Json& error = member(payload, "error");
    const std::string type = stringMember(error, "type");
    const std::string message = stringMember(error, "message");
    const std::string text = m_where + " sent an error event after " + std::to_string(m_answer.deltaCount())
        + " text deltas: " + (type.empty() ? "unknown_error" : type) + ": "
        + (message.empty() ? excerpt(payload.dump()) : message);

    if (type == "rate_limit_error")
        return Status::rateLimited(text).setHttpStatus(429);
    if (type == "overloaded_error")
        return Status::upstream(text).setHttpStatus(529);
    return Status::upstream(text);
}

Result<Completion> MessagesStream::finish(const ModelEndpoint& endpoint)
{
    m_parser.finish();
    if (!m_stopped)
        return m_answer.truncatedError(m_where, "message_stop");

    Completion completion = std::move(m_answer.completion());
    completion.usage = m_usage.toTokenUsage();
    if (completion.model.empty())
        completion.model = endpoint.model;
    return completion;
}

} // namespace

AnthropicMessagesGenerator::AnthropicMessagesGenerator(ModelEndpoint endpoint) : m_endpoint(std::move(endpoint)) {}

Result<Completion> AnthropicMessagesGenerator::generate(const GenerationRequest& request)
{
    if (Status status = provider::checkEndpoint(m_endpoint); !status.isOk())
        return status;
    if (m_endpoint.maxOutputTokens <= 0)
        return Status::invalidArgument("model endpoint '" + m_endpoint.name + "' has maxOutputTokens "
                                       + std::to_string(m_endpoint.maxOutputTokens)
                                       + "; Anthropic requires a positive max_tokens, such as 1024");
    Result<std::string> apiKey = provider::readApiKey(m_endpoint);
    if (!apiKey.isOk())
        return apiKey.status();

    const std::string url = messagesUrl(m_endpoint);
    const std::string where = provider::describeEndpoint(m_endpoint, url);
    HttpRequest http = provider::jsonPost(m_endpoint, request, url, buildRequestBody(m_endpoint, request));
    http.headers.emplace_back("Accept", "text/event-stream");
    http.headers.emplace_back("anthropic-version", kAnthropicVersion);
    if (!apiKey.value().empty())
        http.headers.emplace_back("x-api-key", apiKey.value());

    MessagesStream stream(where, request);
    return provider::exchangeStreamed(
        m_endpoint, std::move(http), apiKey.value(), request,
        [&stream](std::string_view piece) { return stream.consume(piece); }, [&] { return stream.finish(m_endpoint); });
}

} // namespace llmops
