// SPDX-License-Identifier: MIT
#include "Commands.h"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <algorithm>

#include "llmops/cost.h"
#include "llmops/engine.h"

namespace llmops::cli {

namespace {

void printProgress(const IndexProgress& progress)
{
    // \r and the erase-line sequence keep the progress on one terminal line.
    std::fprintf(stderr, "\r\033[2K[%d/%d] %lld chunks  %s", progress.filesDone, progress.filesTotal,
                 static_cast<long long>(progress.chunksDone),
                 std::filesystem::path(progress.currentPath).filename().c_str());
    std::fflush(stderr);
}

void printIndexReport(const IndexReport& report)
{
    for (const FileOutcome& file : report.files) {
        if (file.kind == FileOutcome::Kind::Failed)
            std::cerr << "failed: " << file.error << '\n';
    }
    std::cout << "indexed " << report.indexed() << " files (" << report.chunks() << " chunks), skipped "
              << report.unchanged() << " unchanged, removed " << report.removed() << ", failed " << report.failed()
              << (report.cancelled ? " (cancelled)" : "") << '\n';
}

std::string formatMs(std::int64_t microseconds)
{
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.3f ms", static_cast<double>(microseconds) / 1000.0);
    return buffer;
}

void printAnswer(const QueryResult& result)
{
    // A model's answer may carry terminal escape sequences; they are shown as spaces.
    std::cout << printable(result.answer, true) << "\n\n";
    for (const Citation& citation : result.citations)
        std::cout << "[" << citation.number << "] " << citation.documentPath << " — " << citation.headingPath << '\n';
    if (result.blocked)
        std::cout << "\nroute: none (blocked by the input guard)";
    else
        std::cout << "\nroute: " << result.route << " -> " << result.model << (result.cached ? " (cached)" : "")
                  << " (rule set v" << result.ruleSetVersion << ")";
    char cost[32];
    std::snprintf(cost, sizeof(cost), "$%.6f", result.costUsd);
    std::cout << "   cost: " << cost << "   trace: " << result.traceId << '\n';
    for (const Flag& flag : result.flags)
        std::cout << "flag: " << flag.kind << ": " << flag.detail << '\n';
    for (const Span& span : result.spans)
        std::cout << "  " << span.name << "  " << formatMs(span.durationUs) << "  " << span.status << "  "
                  << span.detail << '\n';
    std::cout << "  total  " << formatMs(result.totalUs) << '\n';
}

// Prints a query result as text or JSON and returns the exit code.
int printResult(const CommonOptions& options, const char* command, const Result<QueryResult>& result)
{
    if (!result.isOk()) {
        std::cerr << "llmops " << command << ": " << result.status().message() << '\n';
        return 1;
    }
    if (options.json)
        std::cout << queryResultToJson(result.value()) << '\n';
    else
        printAnswer(result.value());
    return 0;
}

} // namespace

// Opens the workspace. Only `index`, `settings load` and `prices import` may create one, because
// a read command on a mistyped path would otherwise answer from an empty workspace as if nothing
// was indexed.
std::unique_ptr<Engine> openEngine(const CommonOptions& options, bool create)
{
    const std::string path = options.workspace.empty() ? defaultWorkspacePath() : options.workspace;
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        std::cerr << "llmops: the workspace " << path << " is a folder; pass the path of a workspace file\n";
        return nullptr;
    }
    if (!create && !std::filesystem::exists(path, error)) {
        std::cerr << "llmops: the workspace " << path << " does not exist; create it with llmops --workspace "
                  << path << " index FOLDER\n";
        return nullptr;
    }
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty())
        std::filesystem::create_directories(parent, error);

    Result<std::unique_ptr<Engine>> engine = Engine::open(path);
    if (!engine.isOk()) {
        std::cerr << "llmops: " << engine.status().message() << '\n';
        return nullptr;
    }
    return std::move(engine.value());
}

// Replaces control characters (terminal escapes, line breaks) so that stored text cannot
// rewrite the terminal or break a table row.
std::string printable(const std::string& text, bool keepLines)
{
    std::string out = text;
    for (char& c : out) {
        const bool lineBreak = c == '\n' || c == '\t';
        if ((static_cast<unsigned char>(c) < 0x20 || c == 0x7f) && !(keepLines && lineBreak))
            c = ' ';
    }
    return out;
}

std::string formatTime(std::int64_t unixMs)
{
    const std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
    std::tm local{};
    localtime_r(&seconds, &local);
    char buffer[32];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%d %H:%M:%S", &local);
    return buffer;
}

int runIndex(const CommonOptions& options, const std::vector<std::string>& paths)
{
    if (paths.empty()) {
        std::cerr << "llmops index: name at least one file or folder to index\n";
        return 2;
    }
    const std::unique_ptr<Engine> engine = openEngine(options, true);
    if (!engine)
        return 1;

    const bool terminal = isatty(STDERR_FILENO) != 0;
    const IndexReport report = engine->indexPaths(paths, terminal ? printProgress : nullptr);
    if (terminal)
        std::fputs("\r\033[2K", stderr);
    printIndexReport(report);
    // Any failed file makes the exit code 1, so a scheduled job notices; the rest is indexed.
    return report.failed() > 0 ? 1 : 0;
}

int runAsk(const CommonOptions& options, const std::string& question, bool useCache)
{
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;

    AskOptions askOptions;
    askOptions.useCache = useCache;
    askOptions.metadata = options.metadata;
    return printResult(options, "ask", engine->ask(question, askOptions));
}

int runTraces(const CommonOptions& options, int last)
{
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    Result<std::vector<TraceSummary>> traces = engine->recentTraces(last);
    if (!traces.isOk()) {
        std::cerr << "llmops traces: " << traces.status().message() << '\n';
        return 1;
    }

    nlohmann::json array = nlohmann::json::array();
    for (const TraceSummary& trace : traces.value()) {
        if (options.json) {
            nlohmann::json flags = nlohmann::json::array();
            for (std::size_t start = 0; start < trace.flags.size();) {
                const std::size_t comma = std::min(trace.flags.find(',', start), trace.flags.size());
                flags.push_back(trace.flags.substr(start, comma - start));
                start = comma + 1;
            }
            array.push_back({{"id", trace.id}, {"started_at_ms", trace.startedAtMs}, {"query", trace.query},
                             {"route", trace.route}, {"model", trace.model}, {"cost_usd", trace.costUsd},
                             {"total_us", trace.totalUs}, {"flags", flags}, {"status", trace.status}});
            continue;
        }
        std::printf("%6lld  %s  %-8s %-18s %10s  $%.6f  %-24s %s\n", static_cast<long long>(trace.id),
                    formatTime(trace.startedAtMs).c_str(), trace.status.c_str(), trace.model.c_str(),
                    formatMs(trace.totalUs).c_str(), trace.costUsd, trace.flags.c_str(), printable(trace.query).c_str());
    }
    if (options.json)
        std::cout << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return 0;
}

int runShowTrace(const CommonOptions& options, long long traceId)
{
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    return printResult(options, "trace", engine->trace(traceId));
}

int runSettingsShow(const CommonOptions& options)
{
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    std::cout << settingsToJson(engine->settings()) << '\n';
    return 0;
}

int runSettingsLoad(const CommonOptions& options, const std::string& path)
{
    std::ifstream input(path);
    if (!input) {
        std::cerr << "llmops settings load: cannot read " << path << "; check the path\n";
        return 1;
    }
    std::stringstream text;
    text << input.rdbuf();
    Result<PipelineSettings> settings = settingsFromJson(text.str());
    if (!settings.isOk()) {
        std::cerr << "llmops settings load: " << path << ": " << settings.status().message() << '\n';
        return 1;
    }

    const std::unique_ptr<Engine> engine = openEngine(options, true);
    if (!engine)
        return 1;
    if (Status status = engine->updateSettings(settings.value()); !status.isOk()) {
        std::cerr << "llmops settings load: " << path << ": " << status.message()
                  << "; the stored settings are unchanged\n";
        return 1;
    }
    std::cout << "settings loaded from " << path << '\n';
    return 0;
}

int runPricesImport(const CommonOptions& options, const std::string& path)
{
    const std::unique_ptr<Engine> engine = openEngine(options, true);
    if (!engine)
        return 1;
    if (Status status = engine->importPriceTable(path); !status.isOk()) {
        std::cerr << "llmops prices import: " << status.message() << "; the current price table is unchanged\n";
        return 1;
    }
    const PriceTable& table = engine->priceTable();
    std::cout << "imported the prices of " << table.size() << (table.size() == 1 ? " chat model" : " chat models")
              << " from " << path << " (version "
              << table.version() << "); skipped " << table.skippedEntries() << " entries that are not chat models and "
              << table.unpricedEntries() << " chat models without token prices\n";
    return 0;
}

namespace {

// "3.75", or the fallback text when the price is not in the table.
std::string perMillion(const std::optional<double>& usdPerToken, const char* fallback)
{
    if (!usdPerToken)
        return fallback;
    std::ostringstream text;
    text << *usdPerToken * 1e6;
    return text.str();
}

void printPrice(const ModelPrice& price, const PriceTable& table)
{
    std::cout << "model: " << price.model << " (provider " << price.provider << ")\n"
              << "price table: " << table.version() << " from " << table.source() << '\n'
              << "US dollars per million tokens:\n"
              << "  input         " << perMillion(price.inputUsdPerToken, "") << '\n'
              << "  cached input  " << perMillion(price.cacheReadUsdPerToken, "(input price)") << '\n'
              << "  cache write   " << perMillion(price.cacheWriteUsdPerToken, "(input price)") << '\n'
              << "  output        " << perMillion(price.outputUsdPerToken, "") << '\n'
              << "  reasoning     " << perMillion(price.reasoningUsdPerToken, "(output price)") << '\n';
    for (const ModelPrice::Tier& tier : price.tiers) {
        std::cout << "  prompts over " << tier.aboveInputTokens << " tokens: input " << perMillion(tier.inputUsdPerToken, "")
                  << ", cached input " << perMillion(tier.cacheReadUsdPerToken, "(base price)") << ", cache write "
                  << perMillion(tier.cacheWriteUsdPerToken, "(base price)") << ", output "
                  << perMillion(tier.outputUsdPerToken, "(base price)") << '\n';
    }
}

} // namespace

int runPricesShow(const CommonOptions& options, const std::string& model)
{
    // Reading prices needs no workspace. Without one, the bundled table is shown.
    const std::string path = options.workspace.empty() ? defaultWorkspacePath() : options.workspace;
    std::error_code error;
    std::unique_ptr<Engine> engine;
    if (std::filesystem::is_regular_file(path, error)) {
        engine = openEngine(options);
        if (!engine)
            return 1;
    }
    Result<PriceTable> bundled = PriceTable::bundled();
    if (!engine && !bundled.isOk()) {
        std::cerr << "llmops prices show: " << bundled.status().message() << '\n';
        return 1;
    }
    const PriceTable& table = engine ? engine->priceTable() : bundled.value();

    const ModelPrice* price = table.find(model);
    if (price == nullptr) {
        std::cerr << "llmops prices show: no price for model \"" << model << "\" in price table " << table.version()
                  << "; check the model id, or import a newer price file with llmops prices import FILE\n";
        return 1;
    }
    printPrice(*price, table);
    return 0;
}

} // namespace llmops::cli
