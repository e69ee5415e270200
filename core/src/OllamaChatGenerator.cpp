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

constexpr double kNanosecondsPerMillisecond = 1e6;

std::string chatUrl(const ModelEndpoint& endpoint)
{
    return provider::joinUrl(endpoint.baseUrl, "/api/chat");
}

std::string buildRequestBody(const ModelEndpoint& endpoint, const GenerationRequest& request)
{
    const Json body = {
        {"model", endpoint.model},
        {"messages", Json::array({
            {{"role", "system"}, {"content", provider::systemPrompt(request)}},
            {{"role", "user"}, {"content", provider::buildUserMessage(request)}},
        })},
        {"options", {{"temperature", 0}}},
        {"stream", true},
    };
    return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

const Json& member(const Json& object, const char* key)
{
    static const Json null;
    return object.is_object() && object.contains(key) ? object[key] : null;
}

std::int64_t integerMember(const Json& object, const char* key)
{
    const Json& value = member(object, key);
    return value.is_number_integer() ? value.get<std::int64_t>() : 0;
}

// Consumes Ollama's streamed chat: one JSON object per line with a piece of message.content,
// and a last line with "done": true, the token counts and the durations in nanoseconds.
class ChatLines {
public:
    ChatLines(std::string where, const GenerationRequest& request) : m_where(std::move(where)), m_answer(request) {}

    Status consume(std::string_view piece);
    Result<Completion> finish(const ModelEndpoint& endpoint);

private:
    Status handleLine(const std::string& line);
    void readFinalLine(const Json& line);

    std::string m_where;
    provider::StreamedAnswer m_answer;
    NdjsonParser m_parser;
    bool m_done = false;
};

Status ChatLines::consume(std::string_view piece)
{
    for (const std::string& line : m_parser.feed(piece)) {
        if (Status status = handleLine(line); !status.isOk())
            return status;
    }
    return Status::ok();
}

Status ChatLines::handleLine(const std::string& line)
{
    if (m_done)
        return Status::ok();

    const Json object = Json::parse(line, nullptr, false);
    if (object.is_discarded() || !object.is_object())
        return Status::upstream(m_where + " sent a line that is not a JSON object: " + excerpt(line));

    // Ollama reports failures that happen after the 200 status as a line {"error": "..."}.
    const Json& error = member(object, "error");
    if (!error.is_null())
        return Status::upstream(m_where + " reported an error mid-stream after " + std::to_string(m_answer.deltaCount())
                                + " text deltas: " + (error.is_string() ? error.get<std::string>() : error.dump()));

    const Json& content = member(member(object, "message"), "content");
    if (content.is_string())
        m_answer.appendText(content.get_ref<const std::string&>());
    const Json& model = member(object, "model");
    if (model.is_string())
        m_answer.completion().model = model.get<std::string>();

    const Json& done = member(object, "done");
    if (done.is_boolean() && done.get<bool>())
        readFinalLine(object);
    return Status::ok();
}

// NOTE: Ollama reports no cached-token count, so cachedInputTokens stays 0. When its prompt
// cache is warm, prompt_eval_count may cover only the part of the prompt it evaluated anew.
void ChatLines::readFinalLine(const Json& line)
{
    m_done = true;
    Completion& completion = m_answer.completion();
    const Json& reason = member(line, "done_reason");
    completion.finishReason = reason.is_string() ? reason.get<std::string>() : "stop";
    completion.usage.inputTokens = integerMember(line, "prompt_eval_count");
    completion.usage.outputTokens = integerMember(line, "eval_count");
    completion.providerDurationMs = static_cast<double>(integerMember(line, "total_duration")) / kNanosecondsPerMillisecond;
    completion.providerGenerationMs = static_cast<double>(integerMember(line, "eval_duration")) / kNanosecondsPerMillisecond;
}

Result<Completion> ChatLines::finish(const ModelEndpoint& endpoint)
{
    // A last line without its newline is still a complete object when it parses; otherwise the
    // stream was cut inside that line.
    if (!m_parser.finish() && !m_done && Json::accept(m_parser.remainder())) {
        if (Status status = handleLine(m_parser.remainder()); !status.isOk())
            return status;
    }
    if (!m_done)
        return m_answer.truncatedError(m_where, "a line with \"done\": true");

    Completion completion = std::move(m_answer.completion());
    if (completion.model.empty())
        completion.model = endpoint.model;
    return completion;
}

} // namespace

OllamaChatGenerator::OllamaChatGenerator(ModelEndpoint endpoint) : m_endpoint(std::move(endpoint)) {}

Result<Completion> OllamaChatGenerator::generate(const GenerationRequest& request)
{
    if (Status status = provider::checkEndpoint(m_endpoint); !status.isOk())
        return status;
    Result<std::string> apiKey = provider::readApiKey(m_endpoint);
    if (!apiKey.isOk())
        return apiKey.status();

    const std::string url = chatUrl(m_endpoint);
    const std::string where = provider::describeEndpoint(m_endpoint, url);
    HttpRequest http = provider::jsonPost(m_endpoint, request, url, buildRequestBody(m_endpoint, request));
    http.headers.emplace_back("Accept", "application/x-ndjson");
    if (!apiKey.value().empty())
        http.headers.emplace_back("Authorization", "Bearer " + apiKey.value());

    ChatLines lines(where, request);
    return provider::exchangeStreamed(
        m_endpoint, std::move(http), apiKey.value(), request,
        [&lines](std::string_view piece) { return lines.consume(piece); }, [&] { return lines.finish(m_endpoint); });
}

} // namespace llmops
