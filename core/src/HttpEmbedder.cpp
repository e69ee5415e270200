// SPDX-License-Identifier: MIT
#include "HttpEmbedder.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "HttpClient.h"
#include "ProviderSupport.h"

namespace llmops {
namespace {

using Json = nlohmann::json;

// The endpoint fields that the provider helpers read: name, URL, model, key source, timeout.
ModelEndpoint asEndpoint(const EmbedderSettings& settings)
{
    ModelEndpoint endpoint;
    endpoint.name = "embedder";
    endpoint.kind = settings.kind;
    endpoint.baseUrl = settings.baseUrl;
    endpoint.model = settings.model;
    endpoint.apiKeyEnv = settings.apiKeyEnv;
    endpoint.apiKeyKeychain = settings.apiKeyKeychain;
    endpoint.timeoutMs = settings.timeoutMs;
    return endpoint;
}

bool isOpenAi(const EmbedderSettings& settings)
{
    return settings.kind == "openai-compatible";
}

std::string requestBody(const EmbedderSettings& settings, const std::vector<std::string>& texts)
{
    Json body = {{"model", settings.model}, {"input", texts}};
    if (isOpenAi(settings)) {
        body["encoding_format"] = "float";
        if (settings.dimensions > 0)
            body["dimensions"] = settings.dimensions;
    }
    // Invalid UTF-8 in a chunk must not abort a whole batch: replace it, as the index does.
    return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<float> toFloats(const Json& values)
{
    std::vector<float> vector;
    vector.reserve(values.size());
    for (const Json& value : values)
        vector.push_back(value.get<float>());
    return vector;
}

// OpenAI: {"data": [{"index": i, "embedding": [...]}, ...]}, in any order; Ollama:
// {"embeddings": [[...], ...]} in input order.
std::vector<std::vector<float>> parseVectors(const EmbedderSettings& settings, const std::string& body,
                                             std::size_t expected)
{
    const Json reply = Json::parse(body);
    std::vector<std::vector<float>> vectors;
    if (!isOpenAi(settings)) {
        for (const Json& values : reply.at("embeddings"))
            vectors.push_back(toFloats(values));
        return vectors;
    }
    vectors.resize(expected);
    for (const Json& item : reply.at("data")) {
        const std::size_t index = item.at("index").get<std::size_t>();
        if (index >= expected)
            throw std::out_of_range("a reply item has index " + std::to_string(index));
        vectors[index] = toFloats(item.at("embedding"));
    }
    return vectors;
}

void normalise(std::vector<float>& vector)
{
    double norm = 0.0;
    for (float value : vector)
        norm += static_cast<double>(value) * value;
    if (norm <= 0.0)
        return;
    const float scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (float& value : vector)
        value *= scale;
}

} // namespace

HttpEmbedder::HttpEmbedder(EmbedderSettings settings)
    : m_settings(std::move(settings)), m_dimension(isOpenAi(m_settings) ? m_settings.dimensions : 0)
{
}

std::string HttpEmbedder::id() const
{
    // The model and the requested size decide the vector space; the URL does not, so moving a
    // server keeps the stored vectors.
    std::string id = m_settings.kind + ":" + m_settings.model;
    if (isOpenAi(m_settings) && m_settings.dimensions > 0) {
        id += ':';
        id += std::to_string(m_settings.dimensions);
    }
    return id;
}

Result<std::vector<std::vector<float>>> HttpEmbedder::embed(const std::vector<std::string>& texts)
{
    std::vector<std::vector<float>> all;
    all.reserve(texts.size());
    const std::size_t batchSize = static_cast<std::size_t>(std::max(1, m_settings.batchSize));
    for (std::size_t start = 0; start < texts.size(); start += batchSize) {
        const std::size_t end = std::min(texts.size(), start + batchSize);
        Result<std::vector<std::vector<float>>> batch =
            embedBatch(std::vector<std::string>(texts.begin() + static_cast<std::ptrdiff_t>(start),
                                                texts.begin() + static_cast<std::ptrdiff_t>(end)));
        if (!batch.isOk())
            return batch.status();
        for (std::vector<float>& vector : batch.value())
            all.push_back(std::move(vector));
    }
    return all;
}

Result<std::vector<std::vector<float>>> HttpEmbedder::embedBatch(const std::vector<std::string>& texts)
{
    const ModelEndpoint endpoint = asEndpoint(m_settings);
    Result<std::string> key = provider::readApiKey(endpoint);
    if (!key.isOk())
        return key.status();

    HttpRequest http;
    http.method = "POST";
    http.url = provider::joinUrl(m_settings.baseUrl, isOpenAi(m_settings) ? "/embeddings" : "/api/embed");
    http.headers = {{"Content-Type", "application/json"}};
    if (!key->empty())
        http.headers.emplace_back("Authorization", "Bearer " + key.value());
    http.body = requestBody(m_settings, texts);
    http.connectTimeoutMs = std::min(10000, m_settings.timeoutMs);
    http.totalTimeoutMs = m_settings.timeoutMs;

    Result<HttpResponse> response = sendHttp(http);
    if (!response.isOk())
        return provider::withoutSecret(response.status(), key.value());
    if (response->status < 200 || response->status >= 300)
        return provider::withoutSecret(provider::httpStatusError(endpoint, http.url, response.value()), key.value());

    std::vector<std::vector<float>> vectors;
    try {
        vectors = parseVectors(m_settings, response->body, texts.size());
    } catch (const std::exception& error) {
        return Status::upstream("the embedder at " + redactUrl(http.url) + " sent a reply that is not an " +
                                (isOpenAi(m_settings) ? "OpenAI" : "Ollama") + " embedding response (" +
                                error.what() + "): " + provider::excerpt(response->body));
    }
    if (Status status = checkVectors(vectors, texts.size(), http.url); !status.isOk())
        return status;
    for (std::vector<float>& vector : vectors)
        normalise(vector);
    return vectors;
}

Status HttpEmbedder::checkVectors(const std::vector<std::vector<float>>& vectors, std::size_t expected,
                                  const std::string& url)
{
    const std::string where = "the embedder " + id() + " at " + redactUrl(url);
    if (vectors.size() != expected)
        return Status::upstream(where + " returned " + std::to_string(vectors.size()) + " vectors for " +
                                std::to_string(expected) + " texts");
    for (const std::vector<float>& vector : vectors) {
        if (vector.empty())
            return Status::upstream(where + " left a text without a vector");
        if (m_dimension == 0)
            m_dimension = static_cast<int>(vector.size());
        if (static_cast<int>(vector.size()) != m_dimension)
            return Status::upstream(where + " returned a vector of " + std::to_string(vector.size()) +
                                    " dimensions where the workspace has " + std::to_string(m_dimension) +
                                    "; if the server now serves another model, change the embedder's model in the settings so that "
                                    "every chunk is embedded again");
    }
    return Status::ok();
}

std::unique_ptr<Embedder> makeEmbedder(const EmbedderSettings& settings)
{
    if (settings.kind == "hashing")
        return std::make_unique<HashingEmbedder>(settings.dimensions > 0 ? settings.dimensions : 384);
    return std::make_unique<HttpEmbedder>(settings);
}

} // namespace llmops
