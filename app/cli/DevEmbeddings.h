// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace llmops::cli {

// The embedding routes of the development model server: OpenAI's POST /v1/embeddings and
// Ollama's POST /api/embed. Vectors come from the offline hashing embedder, so a workspace
// indexed through the server retrieves as well as one indexed offline.
enum class EmbeddingsFormat { OpenAi, Ollama };

// Returns whether path is an embeddings route, and its format in *format.
bool routeEmbeddings(const std::string& path, EmbeddingsFormat* format);

// Returns the reply body for a request body. An unusable request (no "input", an input that is
// not a string or a list of strings, more than 2048 texts) sets *error instead.
std::string embeddingsReply(EmbeddingsFormat format, const std::string& requestBody, const std::string& model,
                            std::string* error);

} // namespace llmops::cli
