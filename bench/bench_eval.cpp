// SPDX-License-Identifier: MIT
// An eval run of N items against a loopback model that waits a fixed time before each reply,
// at a given concurrency: wall time against the ideal N * delay / concurrency.
//
// usage: bench_eval [ITEMS] [CONCURRENCY] [DELAY_MS]   (defaults 500 16 200)
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include <unistd.h>

#include "BenchUtil.h"
#include "DevModelServer.h"
#include "llmops/engine.h"
#include "llmops/eval.h"

using namespace llmops;

namespace {

void writeDocuments(const std::filesystem::path& folder)
{
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "refunds.md") << "# Refunds\n\nAnnual plans are refunded within 30 days. "
                                            "Monthly plans are not refunded.\n";
    std::ofstream(folder / "keys.md") << "# API keys\n\nOpen Settings, choose Keys and press Rotate. "
                                         "The old key stops working after a day.\n";
}

bool useModel(Engine& engine, int port)
{
    PipelineSettings settings = engine.settings();
    ModelEndpoint endpoint;
    endpoint.name = "slow-model";
    endpoint.kind = "openai-compatible";
    endpoint.baseUrl = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    endpoint.model = "dev-model";
    endpoint.stream = false;
    endpoint.maxRetries = 0;
    settings.models.push_back(endpoint);
    settings.rules = {RoutingRule{}};
    settings.rules.front().name = "default";
    settings.rules.front().model = "slow-model";
    settings.cacheEnabled = false;
    return engine.updateSettings(settings).isOk();
}

std::vector<EvalItem> items(int count)
{
    std::vector<EvalItem> list(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        list[static_cast<std::size_t>(i)].question = (i % 2 == 0 ? "How long is the refund window, case "
                                                                 : "How do I rotate an API key, case ") +
                                                     std::to_string(i) + "?";
        list[static_cast<std::size_t>(i)].reference = "Annual plans are refunded within 30 days.";
    }
    return list;
}

} // namespace

int main(int argc, char** argv)
{
    const int count = argc > 1 ? std::atoi(argv[1]) : 500;
    const int concurrency = argc > 2 ? std::atoi(argv[2]) : 16;
    const int delayMs = argc > 3 ? std::atoi(argv[3]) : 200;

    cli::DevServerOptions options;
    options.port = 0;
    options.tokenDelayMs = 0;
    options.fault = cli::DevFault::SlowFirstByte;  // every reply waits delayMs before its first byte
    options.delayMs = delayMs;
    options.logRequests = false;
    cli::DevModelServer server(options);
    if (!server.start()) {
        std::fprintf(stderr, "bench_eval: %s\n", server.errorString().c_str());
        return 1;
    }

    const auto folder = std::filesystem::temp_directory_path() / ("bench-eval-" + std::to_string(::getpid()));
    writeDocuments(folder / "docs");
    const std::string path = (folder / "bench.llmops").string();
    {
        auto engine = Engine::open(path);
        if (!engine.isOk() || !useModel(*engine.value(), server.port()))
            return 1;
        engine.value()->indexPaths({(folder / "docs").string()});
    }
    auto store = EvalStore::open(path);
    if (!store.isOk() || !store.value()->importDataset("bench", items(count), "generated").isOk())
        return 1;
    const auto run = startEvalRun(path, "bench", concurrency);
    if (!run.isOk())
        return 1;

    EvalRunOptions runOptions;
    runOptions.concurrency = concurrency;
    const auto started = std::chrono::steady_clock::now();
    const Status status = runEval(path, run.value(), runOptions);
    const double seconds = bench::secondsSince(started);
    if (!status.isOk()) {
        std::fprintf(stderr, "bench_eval: %s\n", status.message().c_str());
        return 1;
    }
    const auto stored = store.value()->run(run.value());
    const double ideal = count * (delayMs / 1000.0) / concurrency;
    std::printf("items %d, concurrency %d, model delay %d ms\n", count, concurrency, delayMs);
    std::printf("stored rows %lld, wall %.2f s, ideal %.2f s, overhead %.1f%%, %.1f items/s, peak RSS %.0f MiB\n",
                static_cast<long long>(stored.value().itemsDone), seconds, ideal, (seconds / ideal - 1.0) * 100.0,
                count / seconds, bench::peakRssMiB());
    server.stop();
    std::filesystem::remove_all(folder);
    return 0;
}
