// SPDX-License-Identifier: MIT
#include "DevEmbeddings.h"

#include <nlohmann/json.hpp>

#include "llmops/embedder.h"

namespace llmops::cli {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxInputs = 2048;  // OpenAI's documented limit per request

// Both formats accept one string or a list of strings as "input".
bool readInputs(const Json& body, std::vector<std::string>* texts, std::string* error)
{
    const auto input = body.find("input");
    if (input == body.end()) {
        *error = "the request has no \"input\"; send a string or a list of strings";
        return false;
    }
    if (input->is_string()) {
        texts->push_back(input->get<std::string>());
        return true;
    }
    if (!input->is_array() || input->empty() || input->size() > kMaxInputs) {
        *error = "\"input\" must be a string or a list of 1 to 2048 strings";
        return false;
    }
    for (const Json& item : *input) {
        if (!item.is_string()) {
            *error = "\"input\" contains a value that is not a string; token arrays are not supported";
            return false;
        }
        texts->push_back(item.get<std::string>());
    }
    return true;
}

} // namespace

bool routeEmbeddings(const std::string& path, EmbeddingsFormat* format)
{
    if (path == "/v1/embeddings" || path == "/embeddings")
        *format = EmbeddingsFormat::OpenAi;
    else if (path == "/api/embed")
        *format = EmbeddingsFormat::Ollama;
    else
        return false;
    return true;
}

std::string embeddingsReply(EmbeddingsFormat format, const std::string& requestBody, const std::string& model,
                            std::string* error)
{
    const Json body = Json::parse(requestBody, nullptr, false);
    std::vector<std::string> texts;
    if (body.is_discarded() || !body.is_object()) {
        *error = "the request body is not a JSON object";
        return {};
    }
    if (!readInputs(body, &texts, error))
        return {};

    int dimensions = 384;
    if (const auto requested = body.find("dimensions"); requested != body.end() && requested->is_number_integer())
        dimensions = std::clamp(requested->get<int>(), 8, 4096);
    const HashingEmbedder embedder(dimensions);
    std::int64_t tokens = 0;

    Json vectors = Json::array();
    for (std::size_t i = 0; i < texts.size(); ++i) {
        tokens += static_cast<std::int64_t>(texts[i].size() + 3) / 4;  // about 4 bytes per token
        const std::vector<float> vector = embedder.embedOne(texts[i]);
        if (format == EmbeddingsFormat::OpenAi)
            vectors.push_back({{"object", "embedding"}, {"index", i}, {"embedding", vector}});
        else
            vectors.push_back(vector);
    }

    if (format == EmbeddingsFormat::Ollama)
        return Json{{"model", model}, {"embeddings", vectors}, {"prompt_eval_count", tokens}}.dump();
    return Json{{"object", "list"},
                {"data", vectors},
                {"model", model},
                {"usage", {{"prompt_tokens", tokens}, {"total_tokens", tokens}}}}
        .dump();
}

} // namespace llmops::cli
