// SPDX-License-Identifier: MIT
// `llmops eval`: data sets, runs, comparisons and drop alerts from a shell or a scheduled job.
#include "Commands.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>

#include <unistd.h>

#include "llmops/engine.h"
#include "llmops/eval.h"
#include "llmops/eval_alerts.h"
#include "llmops/eval_metrics.h"

namespace llmops::cli {
namespace {

using Json = nlohmann::json;

constexpr int kExitMetricDrop = 3;

constexpr const char* kEvalUsage =
    "usage: llmops eval import FILE --name NAME\n"
    "       llmops eval datasets [--json]\n"
    "       llmops eval export NAME FILE [--version N]\n"
    "       llmops eval run --dataset NAME [--concurrency N] [--baseline last|RUN] [--fail-on-drop X]\n"
    "                       [--max-hallucination-rate X] [--judge MODEL] [--json]\n"
    "       llmops eval resume RUN [--concurrency N]\n"
    "       llmops eval runs [--dataset NAME] [--json]\n"
    "       llmops eval results RUN [--json]\n"
    "       llmops eval compare RUN_A RUN_B [--json]\n"
    "       llmops eval alerts [--json]\n";

std::atomic<bool> g_cancel{false};

extern "C" void cancelOnSignal(int)
{
    g_cancel = true;
}

int evalUsageError(const std::string& message)
{
    std::cerr << "llmops eval: " << message << "\n\n" << kEvalUsage;
    return 2;
}

struct EvalArguments {
    std::vector<std::string> words;
    std::map<std::string, std::string> options;
    bool json = false;
};

bool parseArguments(const std::vector<std::string>& arguments, EvalArguments* parsed, std::string* error)
{
    static const std::vector<std::string> valued = {"--name", "--version", "--dataset", "--concurrency",
                                                    "--baseline", "--fail-on-drop", "--max-hallucination-rate", "--judge"};
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& argument = arguments[i];
        if (argument == "--json") {
            parsed->json = true;
        } else if (!argument.starts_with("--")) {
            parsed->words.push_back(argument);
        } else if (std::find(valued.begin(), valued.end(), argument) == valued.end()) {
            *error = "unknown option " + argument;
            return false;
        } else if (i + 1 >= arguments.size()) {
            *error = argument + " needs a value";
            return false;
        } else {
            parsed->options[argument] = arguments[++i];
        }
    }
    return true;
}

std::string option(const EvalArguments& arguments, const char* name)
{
    const auto found = arguments.options.find(name);
    return found == arguments.options.end() ? std::string() : found->second;
}

bool parseNumber(const std::string& text, double* value)
{
    char* end = nullptr;
    *value = std::strtod(text.c_str(), &end);
    return !text.empty() && *end == '\0';
}

bool parseId(const std::string& text, std::int64_t* value)
{
    char* end = nullptr;
    *value = std::strtoll(text.c_str(), &end, 10);
    return !text.empty() && *end == '\0' && *value > 0;
}

std::string workspacePath(const CommonOptions& options)
{
    return options.workspace.empty() ? defaultWorkspacePath() : options.workspace;
}

std::unique_ptr<EvalStore> openStore(const CommonOptions& options)
{
    // openEngine checks the path and creates the folder; the store then shares the file.
    if (!openEngine(options, true))
        return nullptr;
    Result<std::unique_ptr<EvalStore>> store = EvalStore::open(workspacePath(options));
    if (!store.isOk()) {
        std::cerr << "llmops: " << store.status().message() << '\n';
        return nullptr;
    }
    return std::move(store).value();
}

int fail(const Status& status)
{
    std::cerr << "llmops eval: " << status.message() << '\n';
    return 1;
}

std::string score(const std::optional<double>& value)
{
    if (!value)
        return "-";
    char text[32];
    std::snprintf(text, sizeof(text), "%.3f", *value);
    return text;
}

Json scoreJson(const std::optional<double>& value)
{
    return value ? Json(*value) : Json(nullptr);
}

int runImport(const CommonOptions& options, const EvalArguments& arguments)
{
    if (arguments.words.size() != 2 || option(arguments, "--name").empty())
        return evalUsageError("import needs one FILE and --name NAME");
    Result<std::vector<EvalItem>> items = readDatasetFile(arguments.words[1]);
    if (!items.isOk())
        return fail(items.status());
    const auto store = openStore(options);
    if (!store)
        return 1;
    Result<EvalDatasetInfo> dataset = store->importDataset(option(arguments, "--name"), items.value(), arguments.words[1]);
    if (!dataset.isOk())
        return fail(dataset.status());
    std::printf("imported %lld items as %s version %d\n", static_cast<long long>(dataset.value().itemCount),
                dataset.value().name.c_str(), dataset.value().version);
    return 0;
}

int runDatasets(const CommonOptions& options, const EvalArguments& arguments)
{
    const auto store = openStore(options);
    if (!store)
        return 1;
    Result<std::vector<EvalDatasetInfo>> list = store->datasets();
    if (!list.isOk())
        return fail(list.status());
    for (const EvalDatasetInfo& dataset : list.value()) {
        if (arguments.json || options.json)
            std::cout << Json{{"name", dataset.name}, {"version", dataset.version}, {"items", dataset.itemCount},
                              {"source", dataset.source}, {"created_at_ms", dataset.createdAtMs}}.dump()
                      << '\n';
        else
            std::printf("%-24s v%-3d %6lld items  %s  %s\n", printable(dataset.name).c_str(), dataset.version,
                        static_cast<long long>(dataset.itemCount), formatTime(dataset.createdAtMs).c_str(),
                        printable(dataset.source).c_str());
    }
    return 0;
}

int runExport(const CommonOptions& options, const EvalArguments& arguments)
{
    if (arguments.words.size() != 3)
        return evalUsageError("export needs a data set NAME and a FILE");
    double version = 0;
    if (!option(arguments, "--version").empty() && !parseNumber(option(arguments, "--version"), &version))
        return evalUsageError("--version needs a whole number");
    const auto store = openStore(options);
    if (!store)
        return 1;
    Result<EvalDatasetInfo> dataset = store->dataset(arguments.words[1], static_cast<int>(version));
    if (!dataset.isOk())
        return fail(dataset.status());
    Result<std::vector<EvalItem>> items = store->items(dataset.value().id);
    if (!items.isOk())
        return fail(items.status());
    const Status written = writeDatasetFile(arguments.words[2], items.value());
    if (!written.isOk())
        return fail(written);
    std::printf("wrote %zu items to %s\n", items.value().size(), arguments.words[2].c_str());
    return 0;
}

Json runJson(const EvalRun& run)
{
    Json means = Json::object();
    for (int m = 0; m < kEvalMetricCount; ++m)
        means[evalMetricName(m)] = scoreJson(run.means[m]);
    return {{"id", run.id}, {"dataset", run.datasetName}, {"dataset_version", run.datasetVersion},
            {"status", run.status}, {"items_done", run.itemsDone}, {"items_total", run.itemsTotal},
            {"cost_usd", run.costUsd}, {"concurrency", run.concurrency}, {"rule_set_version", run.ruleSetVersion},
            {"price_table_version", run.priceTableVersion}, {"created_at_ms", run.createdAtMs}, {"means", means}};
}

void printRunHeader()
{
    std::printf("%5s  %-20s %-9s %9s %10s  %-6s %-6s %-6s %-6s\n", "run", "dataset", "status", "items", "cost $",
                "faith", "relev", "recall", "prec");
}

void printRun(const EvalRun& run)
{
    const std::string name = printable(run.datasetName) + " v" + std::to_string(run.datasetVersion);
    std::printf("%5lld  %-20s %-9s %4lld/%-4lld %10.6f  %-6s %-6s %-6s %-6s\n", static_cast<long long>(run.id),
                name.c_str(), run.status.c_str(), static_cast<long long>(run.itemsDone),
                static_cast<long long>(run.itemsTotal), run.costUsd, score(run.means[0]).c_str(),
                score(run.means[1]).c_str(), score(run.means[2]).c_str(), score(run.means[3]).c_str());
}

int runRuns(const CommonOptions& options, const EvalArguments& arguments)
{
    const auto store = openStore(options);
    if (!store)
        return 1;
    Result<std::vector<EvalRun>> runs = store->runs(option(arguments, "--dataset"));
    if (!runs.isOk())
        return fail(runs.status());
    const bool json = arguments.json || options.json;
    if (!json)
        printRunHeader();
    for (const EvalRun& run : runs.value()) {
        if (json)
            std::cout << runJson(run).dump() << '\n';
        else
            printRun(run);
    }
    return 0;
}

int runResults(const CommonOptions& options, const EvalArguments& arguments)
{
    std::int64_t runId = 0;
    if (arguments.words.size() != 2 || !parseId(arguments.words[1], &runId))
        return evalUsageError("results needs one run id");
    const auto store = openStore(options);
    if (!store)
        return 1;
    Result<std::vector<EvalResult>> results = store->results(runId);
    if (!results.isOk())
        return fail(results.status());
    for (const EvalResult& result : results.value()) {
        const AssertionOutcome assertions = checkAssertions(result.assertionsJson, result.answer);
        const int checked = assertions.passed + assertions.failed;
        if (arguments.json || options.json) {
            Json scores = Json::object();
            for (int m = 0; m < kEvalMetricCount; ++m)
                scores[evalMetricName(m)] = scoreJson(result.scores[m]);
            scores["assertions"] = {{"passed", assertions.passed}, {"failed", assertions.failed},
                                    {"unchecked", assertions.unchecked}};
            std::cout << Json{{"item_id", result.itemId}, {"question", result.question}, {"answer", result.answer},
                              {"contexts", result.contexts}, {"trace_id", result.traceId},
                              {"latency_us", result.latencyUs}, {"cost_usd", result.costUsd},
                              {"error", result.error}, {"scores", scores}}.dump()
                      << '\n';
        } else {
            const std::string passed = checked == 0 ? std::string("-")
                                                    : std::to_string(assertions.passed) + "/" + std::to_string(checked);
            std::printf("%6lld  %-6s %-6s %-6s %-6s %5s %8.1f ms  %s\n", static_cast<long long>(result.itemId),
                        score(result.scores[0]).c_str(), score(result.scores[1]).c_str(),
                        score(result.scores[2]).c_str(), score(result.scores[3]).c_str(), passed.c_str(),
                        static_cast<double>(result.latencyUs) / 1000.0, printable(result.question).c_str());
        }
    }
    return 0;
}

Json comparisonJson(const EvalComparison& comparison)
{
    Json metrics = Json::array();
    for (const MetricDelta& delta : comparison.metrics)
        metrics.push_back({{"metric", evalMetricName(delta.metric)}, {"pairs", delta.pairs}, {"mean_a", delta.meanA},
                           {"mean_b", delta.meanB}, {"delta", delta.delta}, {"ci_low", delta.interval.low},
                           {"ci_high", delta.interval.high}, {"significant", delta.significant}});
    const auto items = [](const std::vector<ItemDelta>& list) {
        Json array = Json::array();
        for (const ItemDelta& item : list)
            array.push_back({{"item_id", item.itemId}, {"question", item.question}, {"delta", item.delta}});
        return array;
    };
    return {{"run_a", comparison.runA}, {"run_b", comparison.runB}, {"paired_items", comparison.pairedItems},
            {"resamples", comparison.resamples}, {"seed", comparison.seed}, {"metrics", metrics},
            {"mean_cost_delta_usd", comparison.meanCostDeltaUsd},
            {"mean_latency_delta_ms", comparison.meanLatencyDeltaMs}, {"regressed", items(comparison.regressed)},
            {"improved", items(comparison.improved)}};
}

void printItems(const char* title, const std::vector<ItemDelta>& items)
{
    std::printf("%s: %zu\n", title, items.size());
    for (std::size_t i = 0; i < items.size() && i < 10; ++i)
        std::printf("  %+.3f  item %lld  %s\n", items[i].delta, static_cast<long long>(items[i].itemId),
                    printable(items[i].question).c_str());
}

void printComparison(const EvalComparison& comparison)
{
    std::printf("run %lld (baseline) against run %lld: %lld paired items, %d bootstrap resamples\n",
                static_cast<long long>(comparison.runA), static_cast<long long>(comparison.runB),
                static_cast<long long>(comparison.pairedItems), comparison.resamples);
    std::printf("%-18s %6s %7s %7s %8s  %-19s\n", "metric", "pairs", "A", "B", "delta", "95% CI");
    for (const MetricDelta& delta : comparison.metrics)
        std::printf("%-18s %6lld %7.3f %7.3f %+8.3f  [%+.3f, %+.3f] %s\n", evalMetricName(delta.metric),
                    static_cast<long long>(delta.pairs), delta.meanA, delta.meanB, delta.delta, delta.interval.low,
                    delta.interval.high, delta.significant ? "*" : "");
    std::printf("cost per item %+.6f $, latency per item %+.1f ms (B - A); * the interval excludes zero\n",
                comparison.meanCostDeltaUsd, comparison.meanLatencyDeltaMs);
    printItems("worse", comparison.regressed);
    printItems("better", comparison.improved);
}

Result<EvalComparison> compareStored(EvalStore& store, std::int64_t runA, std::int64_t runB)
{
    Result<std::vector<EvalResult>> a = store.results(runA);
    Result<std::vector<EvalResult>> b = store.results(runB);
    Result<EvalRun> checkA = store.run(runA);
    Result<EvalRun> checkB = store.run(runB);
    if (!checkA.isOk())
        return checkA.status();
    if (!checkB.isOk())
        return checkB.status();
    if (!a.isOk() || !b.isOk())
        return a.isOk() ? b.status() : a.status();
    return compareRuns(runA, a.value(), runB, b.value());
}

int runCompare(const CommonOptions& options, const EvalArguments& arguments)
{
    std::int64_t runA = 0;
    std::int64_t runB = 0;
    if (arguments.words.size() != 3 || !parseId(arguments.words[1], &runA) || !parseId(arguments.words[2], &runB))
        return evalUsageError("compare needs two run ids: the baseline, then the run to judge");
    const auto store = openStore(options);
    if (!store)
        return 1;
    Result<EvalComparison> comparison = compareStored(*store, runA, runB);
    if (!comparison.isOk())
        return fail(comparison.status());
    if (arguments.json || options.json)
        std::cout << comparisonJson(comparison.value()).dump(2) << '\n';
    else
        printComparison(comparison.value());
    return 0;
}

// The baseline named by --baseline: "last" is the newest finished run of the same data set.
Result<std::int64_t> baselineRun(EvalStore& store, const std::string& name, const std::string& dataset,
                                 std::int64_t currentRun)
{
    std::int64_t id = 0;
    if (name != "last") {
        if (!parseId(name, &id))
            return Status::invalidArgument("--baseline needs \"last\" or a run id, got \"" + name + "\"");
        return id;
    }
    Result<std::vector<EvalRun>> runs = store.runs(dataset);
    if (!runs.isOk())
        return runs.status();
    for (const EvalRun& run : runs.value()) {
        if (run.id != currentRun && run.status == "done")
            return run.id;
    }
    return std::int64_t{0};
}

void printProgress(const EvalProgress& progress)
{
    std::fprintf(stderr, "\r%lld/%lld items, %.1f s, $%.6f; about %.0f s and $%.6f left   ",
                 static_cast<long long>(progress.done), static_cast<long long>(progress.total),
                 progress.elapsedSeconds, progress.costUsd, progress.remainingSeconds, progress.remainingCostUsd);
}

int executeRun(const CommonOptions& options, const EvalArguments& arguments, std::int64_t runId)
{
    double concurrency = 4;
    if (!option(arguments, "--concurrency").empty() &&
        (!parseNumber(option(arguments, "--concurrency"), &concurrency) || concurrency < 1 || concurrency > 64))
        return evalUsageError("--concurrency needs a whole number from 1 to 64");

    std::signal(SIGINT, cancelOnSignal);
    std::signal(SIGTERM, cancelOnSignal);
    EvalRunOptions runOptions;
    runOptions.concurrency = static_cast<int>(concurrency);
    runOptions.cancel = &g_cancel;
    if (isatty(STDERR_FILENO) != 0)  // a scheduled job's log gets no carriage-return lines
        runOptions.progress = printProgress;
    std::fprintf(stderr, "eval run %lld\n", static_cast<long long>(runId));
    const Status status = runEval(workspacePath(options), runId, runOptions);
    std::fputs("\n", stderr);
    if (!status.isOk())
        return fail(status);
    return 0;
}

// Compares the run with its baseline, stores the alerts that fire, and gives the exit code.
int judgeRun(const CommonOptions& options, const EvalArguments& arguments, EvalStore& store, const EvalRun& run)
{
    double threshold = -1.0;
    if (!option(arguments, "--fail-on-drop").empty() &&
        (!parseNumber(option(arguments, "--fail-on-drop"), &threshold) || threshold < 0.0 || threshold > 1.0))
        return evalUsageError("--fail-on-drop needs a number from 0 to 1, such as 0.02");
    const auto engine = openEngine(options);
    if (!engine)
        return 1;

    int code = 0;
    const std::string baselineName = option(arguments, "--baseline").empty() && threshold >= 0.0
                                          ? std::string("last") : option(arguments, "--baseline");
    if (!baselineName.empty()) {
        Result<std::int64_t> baseline = baselineRun(store, baselineName, run.datasetName, run.id);
        if (!baseline.isOk())
            return fail(baseline.status());
        if (baseline.value() == 0) {
            std::printf("no earlier finished run of %s to compare with\n", run.datasetName.c_str());
        } else {
            Result<EvalComparison> comparison = compareStored(store, baseline.value(), run.id);
            if (!comparison.isOk())
                return fail(comparison.status());
            printComparison(comparison.value());
            if (threshold >= 0.0) {
                Result<std::vector<FiredAlert>> fired = raiseDropAlerts(*engine, store, comparison.value(), threshold);
                if (!fired.isOk())
                    return fail(fired.status());
                for (const FiredAlert& alert : fired.value())
                    std::printf("ALERT %s: %s (%zu review items)\n", alert.rule.c_str(), alert.detail.c_str(),
                                alert.reviewItemIds.size());
                code = fired.value().empty() ? 0 : kExitMetricDrop;
            }
        }
    }

    double maxRate = -1.0;
    if (!option(arguments, "--max-hallucination-rate").empty()) {
        if (!parseNumber(option(arguments, "--max-hallucination-rate"), &maxRate) || maxRate < 0.0 || maxRate > 1.0)
            return evalUsageError("--max-hallucination-rate needs a share from 0 to 1, such as 0.05");
        constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
        Result<std::vector<FiredAlert>> fired = checkHallucinationRate(*engine, store, maxRate, kDayMs, run.id);
        if (!fired.isOk())
            return fail(fired.status());
        for (const FiredAlert& alert : fired.value())
            std::printf("ALERT %s: %s\n", alert.rule.c_str(), alert.detail.c_str());
        if (!fired.value().empty())
            code = kExitMetricDrop;
    }
    return code;
}

// Checks the numeric options before anything runs, so a typo does not cost a whole run.
std::string checkRunOptions(const EvalArguments& arguments)
{
    const auto inRange = [&](const char* name, double low, double high) {
        const std::string text = option(arguments, name);
        double value = 0.0;
        return text.empty() || (parseNumber(text, &value) && value >= low && value <= high);
    };
    if (!inRange("--concurrency", 1, 64))
        return "--concurrency needs a whole number from 1 to 64";
    if (!inRange("--fail-on-drop", 0, 1))
        return "--fail-on-drop needs a number from 0 to 1, such as 0.02";
    if (!inRange("--max-hallucination-rate", 0, 1))
        return "--max-hallucination-rate needs a share from 0 to 1, such as 0.05";
    return {};
}

int runRun(const CommonOptions& options, const EvalArguments& arguments, bool resume)
{
    const std::string invalid = checkRunOptions(arguments);
    if (!invalid.empty())
        return evalUsageError(invalid);
    const auto store = openStore(options);
    if (!store)
        return 1;
    std::int64_t runId = 0;
    if (resume) {
        if (arguments.words.size() != 2 || !parseId(arguments.words[1], &runId))
            return evalUsageError("resume needs one run id; list them with llmops eval runs");
    } else {
        if (option(arguments, "--dataset").empty() || arguments.words.size() != 1)
            return evalUsageError("run needs --dataset NAME");
        double concurrency = 4;
        parseNumber(option(arguments, "--concurrency"), &concurrency);
        Result<std::int64_t> started = startEvalRun(workspacePath(options), option(arguments, "--dataset"),
                                                    static_cast<int>(std::clamp(concurrency, 1.0, 64.0)),
                                                    option(arguments, "--judge"));
        if (!started.isOk())
            return fail(started.status());
        runId = started.value();
    }
    const int code = executeRun(options, arguments, runId);
    if (code != 0)
        return code;

    Result<EvalRun> run = store->run(runId);
    if (!run.isOk())
        return fail(run.status());
    if (arguments.json || options.json) {
        std::cout << runJson(run.value()).dump() << '\n';
    } else {
        printRunHeader();
        printRun(run.value());
    }
    return judgeRun(options, arguments, *store, run.value());
}

int runAlerts(const CommonOptions& options, const EvalArguments& arguments)
{
    const auto store = openStore(options);
    if (!store)
        return 1;
    Result<std::vector<EvalStore::Alert>> alerts = store->alerts();
    if (!alerts.isOk())
        return fail(alerts.status());
    for (const EvalStore::Alert& alert : alerts.value()) {
        if (arguments.json || options.json)
            std::cout << Json{{"id", alert.id}, {"rule", alert.rule}, {"run", alert.runId},
                              {"baseline_run", alert.baselineRunId}, {"detail", alert.detail},
                              {"created_at_ms", alert.createdAtMs}}.dump()
                      << '\n';
        else
            std::printf("%4lld  %s  %s: %s\n", static_cast<long long>(alert.id), formatTime(alert.createdAtMs).c_str(),
                        printable(alert.rule).c_str(), printable(alert.detail).c_str());
    }
    return 0;
}

} // namespace

int runEvalCommand(const CommonOptions& options, const std::vector<std::string>& arguments)
{
    EvalArguments parsed;
    std::string error;
    if (!parseArguments(arguments, &parsed, &error))
        return evalUsageError(error);
    if (parsed.words.empty())
        return evalUsageError("eval needs a subcommand");
    const std::string& sub = parsed.words.front();
    if (sub == "import")
        return runImport(options, parsed);
    if (sub == "datasets")
        return runDatasets(options, parsed);
    if (sub == "export")
        return runExport(options, parsed);
    if (sub == "run" || sub == "resume")
        return runRun(options, parsed, sub == "resume");
    if (sub == "runs")
        return runRuns(options, parsed);
    if (sub == "results")
        return runResults(options, parsed);
    if (sub == "compare")
        return runCompare(options, parsed);
    if (sub == "alerts")
        return runAlerts(options, parsed);
    return evalUsageError("unknown subcommand " + sub);
}

} // namespace llmops::cli
