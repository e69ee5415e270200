// SPDX-License-Identifier: MIT
#include "llmops/generator.h"

#include "HttpClient.h"
#include "ProviderSupport.h"
#include "StreamParsers.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace llmops {

namespace {

using Json = nlohmann::json;
using provider::excerpt;

std::string chatCompletionsUrl(const ModelEndpoint& endpoint)
{
    return provider::joinUrl(endpoint.baseUrl, "/chat/completions");
}

std::string buildRequestBody(const ModelEndpoint& endpoint, const GenerationRequest& request)
{
    Json body = {
        {"model", endpoint.model},
        {"messages", Json::array({
            {{"role", "system"}, {"content", provider::systemPrompt(request)}},
            {{"role", "user"}, {"content", provider::buildUserMessage(request)}},
        })},
        {"temperature", 0},
        {"stream", endpoint.stream},
    };
    // Without include_usage a streamed response carries no token counts at all.
    if (endpoint.stream)
        body["stream_options"] = {{"include_usage", true}};

    // Document text may contain invalid UTF-8; replacing it beats failing the whole query.
    return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::int64_t readTokenCount(const Json& object, const char* key)
{
    if (!object.is_object() || !object.contains(key) || !object[key].is_number_integer())
        return 0;
    return object[key].get<std::int64_t>();
}

const Json& member(const Json& object, const char* key)
{
    static const Json null;
    return object.is_object() && object.contains(key) ? object[key] : null;
}

// OpenAI counts cached tokens inside prompt_tokens and reasoning tokens inside
// completion_tokens, which is how TokenUsage defines its subsets, so they are copied as they are.
// OpenAI reports no cache writes.
TokenUsage readUsage(const Json& usage)
{
    TokenUsage result;
    result.inputTokens = readTokenCount(usage, "prompt_tokens");
    result.outputTokens = readTokenCount(usage, "completion_tokens");
    result.cachedInputTokens = readTokenCount(member(usage, "prompt_tokens_details"), "cached_tokens");
    result.reasoningTokens = readTokenCount(member(usage, "completion_tokens_details"), "reasoning_tokens");
    return result;
}

Status missingField(const std::string& where, const std::string& field, const std::string& body)
{
    return Status::upstream(where + " returned a response without " + field + "; response body " + excerpt(body));
}

Result<Completion> parseCompletion(const ModelEndpoint& endpoint, const std::string& where, const std::string& body)
{
    const Json json = Json::parse(body, nullptr, false);
    if (json.is_discarded())
        return Status::upstream(where + " returned a body that is not valid JSON: " + excerpt(body));
    if (!json.is_object() || !json.contains("choices") || !json["choices"].is_array() || json["choices"].empty())
        return missingField(where, "a \"choices\" array with at least one entry", body);

    const Json& choice = json["choices"][0];
    if (!choice.is_object() || !choice.contains("message") || !choice["message"].is_object())
        return missingField(where, "choices[0].message", body);
    const Json& message = choice["message"];
    if (!message.contains("content") || !message["content"].is_string())
        return missingField(where, "the text choices[0].message.content", body);

    Completion completion;
    completion.text = message["content"].get<std::string>();
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
        completion.finishReason = choice["finish_reason"].get<std::string>();
    const Json& model = member(json, "model");
    completion.model = model.is_string() ? model.get<std::string>() : endpoint.model;
    completion.usage = readUsage(member(json, "usage"));
    return completion;
}

// Consumes a streamed chat completion: "data:" events holding chat.completion.chunk objects,
// the last of them with empty choices and the usage, then "data: [DONE]".
class ChatStream {
public:
    ChatStream(const ModelEndpoint& endpoint, std::string where, const GenerationRequest& request)
        : m_endpoint(endpoint), m_where(std::move(where)), m_answer(request),
          m_format(endpoint.stream ? Format::Undecided : Format::JsonDocument)
    {
    }

    Status consume(std::string_view piece);
    Result<Completion> finish();

private:
    enum class Format { Undecided, EventStream, JsonDocument };

    Status handleEvent(const SseEvent& event);
    void handleChoice(const Json& choice);

    const ModelEndpoint& m_endpoint;
    std::string m_where;
    provider::StreamedAnswer m_answer;
    Format m_format;
    SseParser m_parser;
    std::string m_document;
    bool m_done = false;
};

Status ChatStream::consume(std::string_view piece)
{
    // Some servers ignore "stream": true and send one JSON document; an event stream never
    // starts with '{', so the first byte that is not whitespace tells the two apart.
    if (m_format == Format::Undecided) {
        while (!piece.empty() && std::isspace(static_cast<unsigned char>(piece.front())))
            piece.remove_prefix(1);
        if (piece.empty())
            return Status::ok();
        m_format = piece.front() == '{' ? Format::JsonDocument : Format::EventStream;
    }

    if (m_format == Format::JsonDocument) {
        m_document.append(piece);
        return Status::ok();
    }

    for (const SseEvent& event : m_parser.feed(piece)) {
        if (Status status = handleEvent(event); !status.isOk())
            return status;
    }
    return Status::ok();
}

Status ChatStream::handleEvent(const SseEvent& event)
{
    if (m_done)
        return Status::ok();
    if (event.data == "[DONE]") {
        m_done = true;
        return Status::ok();
    }

    const Json chunk = Json::parse(event.data, nullptr, false);
    if (chunk.is_discarded() || !chunk.is_object())
        return Status::upstream(m_where + " sent an event whose data is not a JSON object: " + excerpt(event.data));
    if (chunk.contains("error")) {
        const Json& error = chunk["error"];
        const Json& message = member(error, "message");
        const std::string text = message.is_string() ? message.get<std::string>() : error.dump();
        return Status::upstream(m_where + " reported an error mid-stream: " + text);
    }

    const Json& model = member(chunk, "model");
    if (model.is_string())
        m_answer.completion().model = model.get<std::string>();
    const Json& choices = member(chunk, "choices");
    if (choices.is_array() && !choices.empty())
        handleChoice(choices[0]);
    const Json& usage = member(chunk, "usage");
    if (usage.is_object())
        m_answer.completion().usage = readUsage(usage);
    return Status::ok();
}

void ChatStream::handleChoice(const Json& choice)
{
    // A delta's content is null or missing in the first chunk (which only sets the role) and in
    // tool-call chunks.
    const Json& content = member(member(choice, "delta"), "content");
    if (content.is_string())
        m_answer.appendText(content.get_ref<const std::string&>());

    const Json& finishReason = member(choice, "finish_reason");
    if (finishReason.is_string())
        m_answer.completion().finishReason = finishReason.get<std::string>();
}

Result<Completion> ChatStream::finish()
{
    if (m_format == Format::JsonDocument) {
        Result<Completion> completion = parseCompletion(m_endpoint, m_where, m_document);
        if (completion.isOk())
            m_answer.appendText(completion->text);
        return completion;
    }

    m_parser.finish();
    if (!m_done)
        return m_answer.truncatedError(m_where, "\"data: [DONE]\"");

    Completion completion = std::move(m_answer.completion());
    if (completion.model.empty())
        completion.model = m_endpoint.model;
    return completion;
}

} // namespace

OpenAiChatGenerator::OpenAiChatGenerator(ModelEndpoint endpoint) : m_endpoint(std::move(endpoint)) {}

Result<Completion> OpenAiChatGenerator::generate(const GenerationRequest& request)
{
    if (Status status = provider::checkEndpoint(m_endpoint); !status.isOk())
        return status;
    Result<std::string> apiKey = provider::readApiKey(m_endpoint);
    if (!apiKey.isOk())
        return apiKey.status();

    const std::string url = chatCompletionsUrl(m_endpoint);
    const std::string where = provider::describeEndpoint(m_endpoint, url);
    HttpRequest http = provider::jsonPost(m_endpoint, request, url, buildRequestBody(m_endpoint, request));
    http.headers.emplace_back("Accept", m_endpoint.stream ? "text/event-stream" : "application/json");
    if (!apiKey.value().empty())
        http.headers.emplace_back("Authorization", "Bearer " + apiKey.value());

    // Both modes go through the stream consumer, which also accepts a single JSON document.
    ChatStream stream(m_endpoint, where, request);
    return provider::exchangeStreamed(
        m_endpoint, std::move(http), apiKey.value(), request,
        [&stream](std::string_view piece) { return stream.consume(piece); }, [&] { return stream.finish(); });
}

} // namespace llmops
