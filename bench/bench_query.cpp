// SPDX-License-Identifier: MIT
// Pipeline overhead per query, excluding the generator: median and p99 of each stage and of
// their sum, over a generated corpus, with the answer cache off so every stage runs.
//
//   bench_query [CHUNKS] [QUERIES]     defaults: 100000 chunks, 2000 queries
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "BenchUtil.h"
#include "SyntheticCorpus.h"
#include "llmops/engine.h"

namespace fs = std::filesystem;
using namespace llmops;

int main(int argc, char** argv)
{
    const int chunks = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int queries = argc > 2 ? std::atoi(argv[2]) : 2000;
    const fs::path scratch = fs::temp_directory_path() / ("llmops-bench-query-" + std::to_string(::getpid()));

    bench::writeSyntheticCorpus(scratch / "corpus", chunks);
    Result<std::unique_ptr<Engine>> opened = Engine::open((scratch / "bench.llmops").string());
    if (!opened.isOk()) {
        std::fprintf(stderr, "%s\n", opened.status().toString().c_str());
        return 1;
    }
    Engine& engine = *opened.value();
    const IndexReport report = engine.indexPaths({(scratch / "corpus").string()});
    std::printf("indexed %lld chunks from %d files\n", static_cast<long long>(report.chunks()), report.indexed());

    std::mt19937_64 random(11);
    const std::vector<std::string> vocabulary = bench::makeVocabulary(20000, random);
    std::map<std::string, std::vector<double>> stageMs;
    std::vector<double> overheadMs;
    for (int i = 0; i < queries; ++i) {
        Result<QueryResult> result = engine.ask(bench::syntheticQuestion(random, vocabulary), {false, nullptr, {}, {}});
        if (!result.isOk()) {
            std::fprintf(stderr, "%s\n", result.status().toString().c_str());
            return 1;
        }
        double overhead = 0.0;
        for (const Span& span : result->spans) {
            // The retriever's detail carries its parts: "5 chunks (vector 0.31 ms, BM25 1.20 ms, load 0.05 ms)".
            double vectorMs = 0.0;
            double keywordMs = 0.0;
            double loadMs = 0.0;
            const auto open = span.detail.find('(');
            if (span.name == "retriever" && open != std::string::npos &&
                std::sscanf(span.detail.c_str() + open, "(vector %lf ms, BM25 %lf ms, load %lf ms", &vectorMs,
                            &keywordMs, &loadMs) == 3) {
                stageMs["  retriever: vector"].push_back(vectorMs);
                stageMs["  retriever: BM25"].push_back(keywordMs);
                stageMs["  retriever: load"].push_back(loadMs);
            }
            const double ms = static_cast<double>(span.durationUs) / 1000.0;
            stageMs[span.name].push_back(ms);
            if (span.name != "generator")
                overhead += ms;
        }
        overheadMs.push_back(overhead);
    }

    std::printf("\n%-18s %10s %10s\n", "stage", "median ms", "p99 ms");
    for (const auto& [name, samples] : stageMs)
        std::printf("%-18s %10.3f %10.3f\n", name.c_str(), bench::quantile(samples, 0.5), bench::quantile(samples, 0.99));
    std::printf("%-18s %10.3f %10.3f\n", "total w/o generator", bench::quantile(overheadMs, 0.5),
                bench::quantile(overheadMs, 0.99));
    std::printf("peak RSS: %.1f MiB\n", bench::peakRssMiB());
    fs::remove_all(scratch);
    return 0;
}
