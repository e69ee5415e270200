// SPDX-License-Identifier: MIT
// `llmops review`: the review queue of flagged responses from a shell.
#include "Commands.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "llmops/engine.h"

namespace llmops::cli {
namespace {

constexpr const char* kReviewUsage =
    "usage: llmops review list [--kind K] [--status S] [--route R] [--model M] [--since DAYS] [--json]\n"
    "       llmops review export FILE [--format jsonl|dataset] [--kind K] [--status S] [--since DAYS]\n"
    "       llmops review verdict ID correct|hallucination|false_alarm [--note TEXT] [--answer TEXT]\n"
    "       llmops review allow PHRASE\n"
    "       llmops review add-to-dataset ID NAME\n";

int reviewUsageError(const std::string& message)
{
    std::cerr << "llmops review: " << message << "\n\n" << kReviewUsage;
    return 2;
}

// The words of the command line split into positional words and "--name value" options.
struct ReviewArguments {
    std::vector<std::string> words;
    std::map<std::string, std::string> options;
    bool json = false;
};

bool parseArguments(const std::vector<std::string>& arguments, ReviewArguments* parsed, std::string* error)
{
    static const std::vector<std::string> valued = {"--kind", "--status", "--route", "--model",
                                                    "--format", "--note", "--answer", "--since"};
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& argument = arguments[i];
        if (argument == "--json") {
            parsed->json = true;
            continue;
        }
        if (!argument.starts_with("--")) {
            parsed->words.push_back(argument);
            continue;
        }
        if (std::find(valued.begin(), valued.end(), argument) == valued.end()) {
            *error = "unknown option " + argument;
            return false;
        }
        if (i + 1 >= arguments.size()) {
            *error = argument + " needs a value";
            return false;
        }
        parsed->options[argument] = arguments[++i];
    }
    return true;
}

// Builds the filter of the list and export commands; returns nothing after printing the usage
// error for an invalid --since.
std::optional<ReviewFilter> filterOf(const ReviewArguments& arguments)
{
    ReviewFilter filter;
    const auto option = [&](const char* name) {
        const auto found = arguments.options.find(name);
        return found == arguments.options.end() ? std::string() : found->second;
    };
    filter.kind = option("--kind");
    filter.status = option("--status");
    filter.route = option("--route");
    filter.model = option("--model");

    static const std::set<std::string> kinds = {"guardrail_block", "unsupported_claim", "pii_leak", "eval_regression",
                                                "alert"};
    if (!filter.kind.empty() && !kinds.contains(filter.kind)) {
        reviewUsageError("--kind is \"" + filter.kind +
                         "\"; use guardrail_block, unsupported_claim, pii_leak, eval_regression or alert");
        return std::nullopt;
    }
    if (!filter.status.empty() && filter.status != "open" && filter.status != "done") {
        reviewUsageError("--status is \"" + filter.status + "\"; use open or done");
        return std::nullopt;
    }

    if (const std::string since = option("--since"); !since.empty()) {
        char* end = nullptr;
        const long days = std::strtol(since.c_str(), &end, 10);
        if (*end != '\0' || days < 1 || days > 3650) {
            reviewUsageError("--since is \"" + since + "\"; give a whole number of days from 1 to 3650");
            return std::nullopt;
        }
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        filter.fromMs = std::chrono::duration_cast<std::chrono::milliseconds>(now).count() - days * 86'400'000LL;
    }
    return filter;
}

void printItems(const std::vector<ReviewItem>& items, const ReviewCounts& counts)
{
    std::printf("%6s  %-19s  %-17s %-5s %-14s %6s  %s\n", "id", "created", "kind", "state", "verdict", "trace",
                "question");
    for (const ReviewItem& item : items) {
        std::printf("%6lld  %s  %-17s %-5s %-14s %6lld  %s\n", static_cast<long long>(item.id),
                    formatTime(item.createdAtMs).c_str(), item.kind.c_str(), item.status.c_str(),
                    item.verdict.empty() ? "-" : item.verdict.c_str(), static_cast<long long>(item.traceId),
                    printable(item.query).substr(0, 80).c_str());
    }
    std::printf("\n%lld items: %lld open, %lld correct, %lld hallucination, %lld false_alarm\n",
                static_cast<long long>(counts.total), static_cast<long long>(counts.open),
                static_cast<long long>(counts.correct), static_cast<long long>(counts.hallucination),
                static_cast<long long>(counts.falseAlarm));
}

nlohmann::json itemsToJson(const std::vector<ReviewItem>& items, const ReviewCounts& counts)
{
    nlohmann::json list = nlohmann::json::array();
    for (const ReviewItem& item : items) {
        list.push_back({{"id", item.id},         {"kind", item.kind},       {"trace_id", item.traceId},
                        {"eval_ref", item.evalRef}, {"status", item.status}, {"verdict", item.verdict},
                        {"note", item.note},     {"corrected_answer", item.correctedAnswer},
                        {"detail", item.detail}, {"created_at_ms", item.createdAtMs},
                        {"question", item.query}, {"route", item.route},  {"model", item.model}});
    }
    return {{"items", list},
            {"counts",
             {{"total", counts.total}, {"open", counts.open}, {"correct", counts.correct},
              {"hallucination", counts.hallucination}, {"false_alarm", counts.falseAlarm}}}};
}

int listItems(Engine& engine, const ReviewArguments& arguments)
{
    const std::optional<ReviewFilter> filter = filterOf(arguments);
    if (!filter)
        return 2;
    Result<std::vector<ReviewItem>> items = engine.reviewItems(*filter);
    Result<ReviewCounts> counts = engine.reviewCounts(*filter);
    if (!items.isOk() || !counts.isOk()) {
        std::cerr << "llmops review list: " << (items.isOk() ? counts.status() : items.status()).message() << '\n';
        return 1;
    }
    if (arguments.json)
        std::cout << itemsToJson(items.value(), counts.value()).dump(2, ' ', false,
                                                                     nlohmann::json::error_handler_t::replace)
                  << '\n';
    else
        printItems(items.value(), counts.value());
    return 0;
}

int exportItems(Engine& engine, const ReviewArguments& arguments)
{
    const auto format = arguments.options.find("--format");
    const std::string name = format == arguments.options.end() ? "jsonl" : format->second;
    if (name != "jsonl" && name != "dataset")
        return reviewUsageError("--format is \"" + name + "\"; use jsonl (every field) or dataset");
    const ReviewExportFormat chosen = name == "jsonl" ? ReviewExportFormat::Items : ReviewExportFormat::Dataset;

    const std::optional<ReviewFilter> filter = filterOf(arguments);
    if (!filter)
        return 2;
    Result<std::int64_t> lines = engine.exportReview(arguments.words[1], chosen, *filter);
    if (!lines.isOk()) {
        std::cerr << "llmops review export: " << lines.status().message() << '\n';
        return 1;
    }
    std::cout << "wrote " << lines.value() << " lines to " << arguments.words[1] << '\n';
    return 0;
}

int storeVerdict(Engine& engine, const ReviewArguments& arguments)
{
    char* end = nullptr;
    const long long id = std::strtoll(arguments.words[1].c_str(), &end, 10);
    if (*end != '\0' || id <= 0)
        return reviewUsageError("verdict needs a numeric review item id, got \"" + arguments.words[1] +
                                "\"; list ids with llmops review list");
    // A note or answer not given keeps the stored one, so a changed verdict loses no text.
    Result<ReviewItem> stored = engine.reviewItem(id);
    if (!stored.isOk()) {
        std::cerr << "llmops review verdict: " << stored.status().message() << '\n';
        return 1;
    }
    const auto option = [&](const char* key, const std::string& current) {
        const auto found = arguments.options.find(key);
        return found == arguments.options.end() ? current : found->second;
    };
    const Status status = engine.setReviewVerdict(id, arguments.words[2], option("--note", stored->note),
                                                  option("--answer", stored->correctedAnswer));
    if (!status.isOk()) {
        std::cerr << "llmops review verdict: " << status.message() << '\n';
        return 1;
    }
    std::cout << "review item " << id << ": " << arguments.words[2] << '\n';
    return 0;
}

int addToDataset(Engine& engine, const std::string& idText, const std::string& name)
{
    char* end = nullptr;
    const long long id = std::strtoll(idText.c_str(), &end, 10);
    if (*end != '\0' || id <= 0)
        return reviewUsageError("add-to-dataset needs a numeric review item id, got \"" + idText + "\"");
    Result<int> version = engine.addReviewItemToDataset(id, name);
    if (!version.isOk()) {
        std::cerr << "llmops review add-to-dataset: " << version.status().message() << '\n';
        return 1;
    }
    std::cout << "review item " << id << " added to data set \"" << name << "\" as version " << version.value()
              << '\n';
    return 0;
}

} // namespace

int runReview(const CommonOptions& options, const std::vector<std::string>& rawArguments)
{
    ReviewArguments arguments;
    arguments.json = options.json;
    std::string error;
    if (!parseArguments(rawArguments, &arguments, &error))
        return reviewUsageError(error);
    const std::vector<std::string>& words = arguments.words;
    const std::string sub = words.empty() ? std::string() : words.front();
    const bool shapeOk = (sub == "list" && words.size() == 1) || (sub == "export" && words.size() == 2) ||
                         (sub == "verdict" && words.size() == 3) || (sub == "allow" && words.size() == 2) ||
                         (sub == "add-to-dataset" && words.size() == 3);
    if (!shapeOk)
        return reviewUsageError(sub.empty() ? "no subcommand given" : "wrong arguments for \"" + sub + "\"");

    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    if (sub == "list")
        return listItems(*engine, arguments);
    if (sub == "export")
        return exportItems(*engine, arguments);
    if (sub == "verdict")
        return storeVerdict(*engine, arguments);
    if (sub == "add-to-dataset")
        return addToDataset(*engine, words[1], words[2]);
    if (const Status status = engine->addToAllowList(words[1]); !status.isOk()) {
        std::cerr << "llmops review allow: " << status.message() << '\n';
        return 1;
    }
    std::cout << "added to the allow-list: " << words[1] << '\n';
    return 0;
}

} // namespace llmops::cli
