// SPDX-License-Identifier: MIT
// Indexing throughput: files and chunks per second and peak memory, on a folder given on the
// command line or on a generated corpus.
//
//   bench_indexing plausible [DIR]     index DIR (default: the Plausible help pages beside the checkout)
//   bench_indexing synthetic [CHUNKS]  generate about CHUNKS chunks (default 100000) and index them
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "BenchUtil.h"
#include "SyntheticCorpus.h"
#include "llmops/engine.h"

namespace fs = std::filesystem;
using namespace llmops;

namespace {

int indexFolder(const std::string& folder, const fs::path& workspace)
{
    Result<std::unique_ptr<Engine>> engine = Engine::open(workspace.string());
    if (!engine.isOk()) {
        std::fprintf(stderr, "%s\n", engine.status().toString().c_str());
        return 1;
    }

    const auto start = std::chrono::steady_clock::now();
    const IndexReport report = engine.value()->indexPaths({folder});
    const double seconds = bench::secondsSince(start);

    std::printf("folder:          %s\n", folder.c_str());
    std::printf("files indexed:   %d (failed %d)\n", report.indexed(), report.failed());
    std::printf("chunks:          %lld\n", static_cast<long long>(report.chunks()));
    std::printf("seconds:         %.2f\n", seconds);
    std::printf("files/s:         %.0f\n", report.indexed() / seconds);
    std::printf("chunks/s:        %.0f\n", static_cast<double>(report.chunks()) / seconds);
    std::printf("peak RSS:        %.1f MiB\n", bench::peakRssMiB());
    std::printf("workspace size:  %.1f MiB (+ %.1f MiB vector index)\n",
                static_cast<double>(fs::file_size(workspace)) / (1024.0 * 1024.0),
                static_cast<double>(fs::file_size(workspace.string() + ".hnsw")) / (1024.0 * 1024.0));
    return report.indexed() > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    const std::string mode = argc > 1 ? argv[1] : "plausible";
    const fs::path scratch = fs::temp_directory_path() / ("llmops-bench-indexing-" + std::to_string(::getpid()));
    fs::create_directories(scratch);

    int status = 0;
    if (mode == "plausible") {
        const std::string folder = argc > 2 ? argv[2] : std::string(LLMOPS_SHARED_DATA_DIR) + "/support-docs/plausible";
        status = indexFolder(folder, scratch / "bench.llmops");
    } else if (mode == "synthetic") {
        const int chunks = argc > 2 ? std::atoi(argv[2]) : 100000;
        const auto start = std::chrono::steady_clock::now();
        const int files = bench::writeSyntheticCorpus(scratch / "corpus", chunks);
        std::printf("generated:       %d files in %.1f s\n", files, bench::secondsSince(start));
        status = indexFolder((scratch / "corpus").string(), scratch / "bench.llmops");
    } else {
        std::fprintf(stderr, "usage: bench_indexing plausible [DIR] | synthetic [CHUNKS]\n");
        status = 2;
    }
    fs::remove_all(scratch);
    return status;
}
