// SPDX-License-Identifier: MIT
// `llmops dev-generate-traces`, `llmops traces export-otlp` and `llmops dashboard`: synthetic
// traffic, the OpenTelemetry export and the dashboard figures from a shell.
#include "Commands.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>

#include "llmops/engine.h"

namespace llmops::cli {
namespace {

// Options of the form "--name value" and bare flags, with everything else as positional words.
struct Words {
    std::vector<std::string> positional;
    std::map<std::string, std::string> values;
    std::vector<std::string> flags;
};

bool splitWords(const std::vector<std::string>& arguments, const std::vector<std::string>& valued,
                const std::vector<std::string>& bare, Words* words, std::string* error)
{
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& argument = arguments[i];
        const auto known = [&](const std::vector<std::string>& names) {
            return std::find(names.begin(), names.end(), argument) != names.end();
        };
        if (!argument.starts_with("--")) {
            words->positional.push_back(argument);
        } else if (known(bare)) {
            words->flags.push_back(argument);
        } else if (!known(valued)) {
            *error = "unknown option " + argument;
            return false;
        } else if (i + 1 >= arguments.size()) {
            *error = argument + " needs a value";
            return false;
        } else {
            words->values[argument] = arguments[++i];
        }
    }
    return true;
}

// Reads a whole number in [minimum, maximum] from the option, or keeps *value when it is absent.
bool readNumber(const Words& words, const std::string& name, long long minimum, long long maximum,
                long long* value, std::string* error)
{
    const auto found = words.values.find(name);
    if (found == words.values.end())
        return true;
    char* end = nullptr;
    const long long parsed = std::strtoll(found->second.c_str(), &end, 10);
    if (found->second.empty() || *end != '\0' || parsed < minimum || parsed > maximum) {
        *error = name + " needs a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum) +
                 ", got \"" + found->second + "\"";
        return false;
    }
    *value = parsed;
    return true;
}

bool hasFlag(const Words& words, const std::string& name)
{
    return std::find(words.flags.begin(), words.flags.end(), name) != words.flags.end();
}

int usage(const std::string& command, const std::string& message)
{
    std::cerr << "llmops " << command << ": " << message << '\n';
    return 2;
}

void printFigures(const char* label, const MetricsFigures& figures)
{
    std::printf("%-10s %8lld queries  $%10.4f  p50 %8.1f ms  p95 %8.1f ms  ttft p50 %7.1f ms  halluc %5.1f%%  "
                "cache %5.1f%%  blocked %5.1f%%\n",
                label, static_cast<long long>(figures.queries), figures.costUsd,
                static_cast<double>(figures.latency.p50Us) / 1000.0, static_cast<double>(figures.latency.p95Us) / 1000.0,
                static_cast<double>(figures.latency.firstTokenP50Us) / 1000.0, figures.hallucinationRate() * 100.0,
                figures.cacheHitRate() * 100.0, figures.blockRate() * 100.0);
}

nlohmann::json figuresJson(const MetricsFigures& figures)
{
    return {{"queries", figures.queries},
            {"blocked", figures.blocked},
            {"cached", figures.cached},
            {"errors", figures.errors},
            {"answered", figures.answered},
            {"unsupported", figures.unsupported},
            {"cost_usd", figures.costUsd},
            {"latency_p50_us", figures.latency.p50Us},
            {"latency_p95_us", figures.latency.p95Us},
            {"first_token_p50_us", figures.latency.firstTokenP50Us},
            {"first_token_p95_us", figures.latency.firstTokenP95Us},
            {"hallucination_rate", figures.hallucinationRate()},
            {"cache_hit_rate", figures.cacheHitRate()},
            {"block_rate", figures.blockRate()}};
}

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace

int runGenerateTraces(const CommonOptions& options, const std::vector<std::string>& arguments)
{
    const char* command = "dev-generate-traces";
    Words words;
    std::string error;
    long long count = 0;
    long long days = 30;
    long long seed = 1;
    if (!splitWords(arguments, {"--count", "--days", "--seed"}, {}, &words, &error) ||
        !readNumber(words, "--count", 1, 100000000, &count, &error) ||
        !readNumber(words, "--days", 1, 3660, &days, &error) ||
        !readNumber(words, "--seed", 0, INT64_MAX, &seed, &error))
        return usage(command, error);
    if (count == 0 || !words.positional.empty())
        return usage(command, "usage: llmops dev-generate-traces --count N [--days D] [--seed S]");

    const std::unique_ptr<Engine> engine = openEngine(options, true);
    if (!engine)
        return 1;
    SyntheticTraceOptions generate;
    generate.count = count;
    generate.days = static_cast<int>(days);
    generate.seed = static_cast<std::uint64_t>(seed);
    Result<std::int64_t> written = engine->generateSyntheticTraces(generate);
    if (!written.isOk()) {
        std::cerr << "llmops " << command << ": " << written.status().message() << '\n';
        return 1;
    }
    std::cout << "wrote " << written.value() << " synthetic traces over the last " << days << " days to "
              << engine->path() << '\n';
    return 0;
}

int runExportOtlp(const CommonOptions& options, const std::vector<std::string>& arguments)
{
    const char* command = "traces export-otlp";
    Words words;
    std::string error;
    long long last = 1000;
    if (!splitWords(arguments, {"--last", "--endpoint"}, {"--include-content"}, &words, &error) ||
        !readNumber(words, "--last", 1, 1000000, &last, &error))
        return usage(command, error);
    const auto endpoint = words.values.find("--endpoint");
    if (words.positional.size() != (endpoint == words.values.end() ? 1U : 0U))
        return usage(command, "usage: llmops traces export-otlp FILE [--last N] [--include-content], or "
                              "llmops traces export-otlp --endpoint URL [--last N] [--include-content]");

    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    OtlpExportOptions exportOptions;
    exportOptions.last = static_cast<int>(last);
    exportOptions.includeContent = hasFlag(words, "--include-content");
    const Result<std::int64_t> exported = endpoint == words.values.end()
                                              ? engine->exportOtlpFile(words.positional.front(), exportOptions)
                                              : engine->sendOtlp(endpoint->second, exportOptions);
    if (!exported.isOk()) {
        std::cerr << "llmops " << command << ": " << exported.status().message() << '\n';
        return 1;
    }
    std::cout << "exported " << exported.value() << " traces"
              << (exportOptions.includeContent ? " with questions and answers" : "") << '\n';
    return 0;
}

int runDashboard(const CommonOptions& options, const std::vector<std::string>& arguments)
{
    Words words;
    std::string error;
    long long hours = 24;
    long long bucketMinutes = 60;
    if (!splitWords(arguments, {"--hours", "--bucket-minutes"}, {}, &words, &error) ||
        !readNumber(words, "--hours", 1, 24 * 3660, &hours, &error) ||
        !readNumber(words, "--bucket-minutes", 1, 60 * 24 * 366, &bucketMinutes, &error))
        return usage("dashboard", error);

    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    MetricsQuery query;
    query.toMs = nowMs();
    query.fromMs = query.toMs - hours * 3600000;
    query.bucketMs = bucketMinutes * 60000;
    Result<MetricsReport> report = engine->metrics(query);
    if (!report.isOk()) {
        std::cerr << "llmops dashboard: " << report.status().message() << '\n';
        return 1;
    }
    if (options.json) {
        nlohmann::json buckets = nlohmann::json::array();
        for (const MetricsBucket& bucket : report->buckets)
            buckets.push_back({{"start_ms", bucket.startMs}, {"figures", figuresJson(bucket.figures)}});
        const nlohmann::json root = {{"from_ms", report->query.fromMs}, {"to_ms", report->query.toMs},
                                     {"bucket_ms", report->query.bucketMs}, {"totals", figuresJson(report->totals)},
                                     {"previous", figuresJson(report->previousTotals)}, {"buckets", buckets}};
        std::cout << root.dump(2) << '\n';
        return 0;
    }
    for (const MetricsBucket& bucket : report->buckets) {
        if (bucket.figures.queries > 0)
            printFigures(formatTime(bucket.startMs).substr(5, 11).c_str(), bucket.figures);
    }
    printFigures("total", report->totals);
    printFigures("previous", report->previousTotals);
    return 0;
}

} // namespace llmops::cli
