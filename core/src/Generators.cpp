// SPDX-License-Identifier: MIT
#include "llmops/generator.h"

namespace llmops {

Result<std::unique_ptr<Generator>> makeGenerator(const ModelEndpoint& endpoint)
{
    if (endpoint.kind == "local-extractive")
        return std::unique_ptr<Generator>(std::make_unique<ExtractiveGenerator>());
    if (endpoint.kind == "openai-compatible")
        return std::unique_ptr<Generator>(std::make_unique<OpenAiChatGenerator>(endpoint));
    if (endpoint.kind == "anthropic")
        return std::unique_ptr<Generator>(std::make_unique<AnthropicMessagesGenerator>(endpoint));
    if (endpoint.kind == "ollama")
        return std::unique_ptr<Generator>(std::make_unique<OllamaChatGenerator>(endpoint));
    return Status::invalidArgument("model \"" + endpoint.name + "\" has unknown kind \"" + endpoint.kind +
                                   "\"; use local-extractive, openai-compatible, anthropic or ollama");
}

} // namespace llmops
