// SPDX-License-Identifier: MIT
// Dashboard timings at volume: writes N synthetic traces over 30 days (default 1,000,000),
// then times opening the workspace, refreshing the dashboard for the last 30 days in hourly
// buckets, listing filtered traces, and reports the workspace file size.
//
//   bench_dashboard [COUNT] [WORKSPACE]
//
// An existing WORKSPACE with traces is reused, so the figures can be taken again without
// generating a million traces each time.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "BenchUtil.h"
#include "llmops/engine.h"

using llmops::bench::quantile;
using llmops::bench::secondsSince;

namespace {

constexpr std::int64_t kDayMs = 86400000;
constexpr int kRepeats = 5;

std::int64_t fileBytes(const std::string& path)
{
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    return error ? 0 : static_cast<std::int64_t>(size);
}

// Runs work kRepeats times and prints its median and worst time in milliseconds.
template <typename Work>
void timeIt(const char* label, Work work)
{
    std::vector<double> samples;
    for (int i = 0; i < kRepeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        if (!work()) {
            std::fprintf(stderr, "%s failed\n", label);
            std::exit(1);
        }
        samples.push_back(secondsSince(start) * 1000.0);
    }
    std::printf("%-44s median %8.1f ms   max %8.1f ms\n", label, quantile(samples, 0.5), quantile(samples, 1.0));
}

} // namespace

int main(int argc, char** argv)
{
    const std::int64_t count = argc > 1 ? std::strtoll(argv[1], nullptr, 10) : 1000000;
    const std::string path = argc > 2 ? argv[2] : "/tmp/llmops-bench-dashboard.llmops";
    const std::int64_t nowMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();

    {
        auto engine = llmops::Engine::open(path);
        if (!engine.isOk()) {
            std::fprintf(stderr, "%s\n", engine.status().message().c_str());
            return 1;
        }
        if (engine.value()->stats().traces < count) {
            llmops::SyntheticTraceOptions options;
            options.count = count - engine.value()->stats().traces;
            options.days = 30;
            options.nowMs = nowMs;
            const auto start = std::chrono::steady_clock::now();
            auto written = engine.value()->generateSyntheticTraces(options);
            if (!written.isOk()) {
                std::fprintf(stderr, "%s\n", written.status().message().c_str());
                return 1;
            }
            std::printf("generated %lld traces in %.1f s\n", static_cast<long long>(written.value()), secondsSince(start));
        }
    }

    std::unique_ptr<llmops::Engine> engine;
    timeIt("open the workspace", [&] {
        engine.reset();
        auto opened = llmops::Engine::open(path);
        if (!opened.isOk())
            return false;
        engine = std::move(opened.value());
        return true;
    });
    std::printf("traces: %lld, workspace file: %.1f MiB (+ WAL %.1f MiB)\n",
                static_cast<long long>(engine->stats().traces), static_cast<double>(fileBytes(path)) / 1048576.0,
                static_cast<double>(fileBytes(path + "-wal")) / 1048576.0);

    const llmops::MetricsQuery month{nowMs - 30 * kDayMs, nowMs, 3600000};
    // The first refresh reads every hour from the traces and writes its rollup; later ones
    // read the rollups and only the partial hours at the ends of the ranges.
    {
        const auto start = std::chrono::steady_clock::now();
        if (!engine->metrics(month).isOk())
            return 1;
        std::printf("%-44s %8.1f ms\n", "refresh: 30 days hourly, first (no rollups)", secondsSince(start) * 1000.0);
    }
    llmops::MetricsReport report;
    timeIt("refresh: 30 days in hourly buckets, later", [&] {
        auto result = engine->metrics(month);
        if (result.isOk())
            report = std::move(result.value());
        return result.isOk();
    });
    std::printf("  buckets %zu, queries %lld, cost series points %zu\n", report.buckets.size(),
                static_cast<long long>(report.totals.queries), report.costs.size());
    timeIt("refresh: last day in hourly buckets", [&] { return engine->metrics({nowMs - kDayMs, nowMs, 3600000}).isOk(); });

    llmops::TraceFilter newest;
    timeIt("trace list: newest 1000", [&] { return engine->listTraces(newest).isOk(); });
    llmops::TraceFilter flagged;
    flagged.flag = "unsupported_claim";
    flagged.model = "gpt-4o";
    timeIt("trace list: model + flag, newest 1000", [&] { return engine->listTraces(flagged).isOk(); });
    llmops::TraceFilter slowest;
    slowest.fromMs = nowMs - kDayMs;
    slowest.sort = llmops::TraceFilter::Sort::Latency;
    timeIt("trace list: last day by latency", [&] { return engine->listTraces(slowest).isOk(); });
    llmops::TraceFilter text;
    text.text = "reciprocal rank";
    timeIt("trace list: text search, newest 1000", [&] { return engine->listTraces(text).isOk(); });
    llmops::TraceFilter bucket;
    bucket.fromMs = nowMs - 2 * 3600000;
    bucket.toMs = nowMs - 3600000;
    timeIt("trace list: one hourly bucket", [&] { return engine->listTraces(bucket).isOk(); });
    return 0;
}
