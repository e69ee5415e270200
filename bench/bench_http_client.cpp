// SPDX-License-Identifier: MIT
// Measures the model clients' own cost per call against the development model server running
// in this process with no token delay, so no model latency is included.
//
//   bench_http_client [CALLS] [LONG_ANSWER_WORDS]     defaults: 1000 calls, 2000 words
//
// Per-call figures use the short canned answer (32 words). The throughput figures stream an
// answer of LONG_ANSWER_WORDS words, one word per event, and divide the words by the wall time.
#include "BenchUtil.h"
#include "DevModelServer.h"

#include "llmops/generator.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace llmops;

namespace {

struct Case {
    const char* label;
    const char* kind;
    bool stream;
};

const Case kCases[] = {
    {"openai-compatible, JSON", "openai-compatible", false},
    {"openai-compatible, SSE", "openai-compatible", true},
    {"anthropic, SSE", "anthropic", true},
    {"ollama, NDJSON", "ollama", true},
};

std::unique_ptr<cli::DevModelServer> startServer(int answerWords)
{
    cli::DevServerOptions options;
    options.port = 0;
    options.tokenDelayMs = 0;
    options.answerWords = answerWords;
    options.logRequests = false;
    auto server = std::make_unique<cli::DevModelServer>(options);
    if (!server->start()) {
        std::fprintf(stderr, "bench_http_client: %s\n", server->errorString().c_str());
        return nullptr;
    }
    return server;
}

std::unique_ptr<Generator> generatorFor(const Case& benchCase, const cli::DevModelServer& server)
{
    ModelEndpoint endpoint;
    endpoint.name = benchCase.kind;
    endpoint.kind = benchCase.kind;
    endpoint.baseUrl = "http://127.0.0.1:" + std::to_string(server.port())
        + (std::string(benchCase.kind) == "openai-compatible" ? "/v1" : "");
    endpoint.model = "dev-model";
    endpoint.stream = benchCase.stream;
    Result<std::unique_ptr<Generator>> generator = makeGenerator(endpoint);
    return generator.isOk() ? std::move(generator.value()) : nullptr;
}

GenerationRequest sampleRequest()
{
    GenerationRequest request;
    request.query = "How do I rotate an API key?";
    request.context.resize(3);
    for (RetrievalHit& hit : request.context)
        hit.chunk.text = "Open Settings, choose Keys and press Rotate. The old key stops working after a day.";
    return request;
}

// Times calls to one generator, in milliseconds each. Returns an empty list when a call fails.
std::vector<double> timeCalls(Generator& generator, int calls, std::int64_t* tokens)
{
    const GenerationRequest request = sampleRequest();
    std::vector<double> milliseconds;
    for (int i = 0; i < calls; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const Result<Completion> completion = generator.generate(request);
        milliseconds.push_back(bench::secondsSince(start) * 1000.0);
        if (!completion.isOk()) {
            std::fprintf(stderr, "bench_http_client: call failed: %s\n", completion.status().toString().c_str());
            return {};
        }
        *tokens += completion->usage.outputTokens;
    }
    return milliseconds;
}

bool runCases(const cli::DevModelServer& server, int calls, bool throughput)
{
    for (const Case& benchCase : kCases) {
        if (throughput && !benchCase.stream)
            continue;
        std::unique_ptr<Generator> generator = generatorFor(benchCase, server);
        std::int64_t tokens = 0;
        std::vector<double> warmUp = timeCalls(*generator, 5, &tokens);
        tokens = 0;
        const auto start = std::chrono::steady_clock::now();
        const std::vector<double> samples = timeCalls(*generator, calls, &tokens);
        const double seconds = bench::secondsSince(start);
        if (warmUp.empty() || samples.empty())
            return false;

        if (throughput)
            std::printf("| %s | %d | %lld | %.0f |\n", benchCase.label, calls, static_cast<long long>(tokens),
                        static_cast<double>(tokens) / seconds);
        else
            std::printf("| %s | %d | %.3f | %.3f |\n", benchCase.label, calls, bench::quantile(samples, 0.5),
                        bench::quantile(samples, 0.99));
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    const int calls = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int longWords = argc > 2 ? std::atoi(argv[2]) : 2000;
    if (calls <= 0 || longWords <= 0) {
        std::fprintf(stderr, "usage: bench_http_client [CALLS] [LONG_ANSWER_WORDS]\n");
        return 2;
    }

    const std::unique_ptr<cli::DevModelServer> shortServer = startServer(0);
    const std::unique_ptr<cli::DevModelServer> longServer = startServer(longWords);
    if (!shortServer || !longServer)
        return 1;

    std::printf("Per call, short answer (32 words)\n\n| format | calls | median ms | p99 ms |\n| --- | --- | --- | --- |\n");
    if (!runCases(*shortServer, calls, false))
        return 1;

    // A tenth of the calls keeps the long-answer run about as long as the short one.
    const int longCalls = std::max(10, calls / 10);
    std::printf("\nStreamed throughput, %d-word answer\n\n| format | calls | tokens | tokens/s |\n"
                "| --- | --- | --- | --- |\n", longWords);
    if (!runCases(*longServer, longCalls, true))
        return 1;
    return 0;
}
