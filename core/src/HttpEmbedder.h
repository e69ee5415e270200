// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "llmops/embedder.h"
#include "llmops/settings.h"

namespace llmops {

// An embedding model behind HTTP: OpenAI's /embeddings (also served by vLLM, llama.cpp's
// server, LM Studio and Ollama's /v1) or Ollama's native /api/embed. Texts go out in batches of
// settings.batchSize. Every vector is L2-normalised on arrival, because providers differ on
// whether they normalise, and the index scores by inner product.
class HttpEmbedder final : public Embedder {
public:
    explicit HttpEmbedder(EmbedderSettings settings);

    // 0 until the first reply, unless the settings fix the size, or setDimension was called.
    int dimension() const override { return m_dimension; }
    std::string id() const override;
    Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override;

    // Sets the size that replies must have, as stored with the workspace's vectors.
    void setDimension(int dimension) { m_dimension = dimension; }

private:
    Result<std::vector<std::vector<float>>> embedBatch(const std::vector<std::string>& texts);
    Status checkVectors(const std::vector<std::vector<float>>& vectors, std::size_t expected, const std::string& url);

    EmbedderSettings m_settings;
    int m_dimension = 0;
};

// Builds the embedder the settings name; they must have passed validateSettings.
std::unique_ptr<Embedder> makeEmbedder(const EmbedderSettings& settings);

} // namespace llmops
