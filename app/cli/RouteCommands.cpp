// SPDX-License-Identifier: MIT
// `llmops route ...`: explaining, replaying, importing, exporting and activating rule sets.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "Commands.h"
#include "llmops/engine.h"
#include "llmops/routing.h"

namespace llmops::cli {
namespace {

using nlohmann::json;

// The arguments of one route subcommand: named options and the positional values.
struct RouteArguments {
    std::map<std::string, std::string> options;  // "--rules" -> "draft.json"; flags map to ""
    std::vector<std::string> positional;
};

bool parseRouteArguments(const std::vector<std::string>& arguments, RouteArguments* parsed)
{
    static const std::set<std::string> withValue = {"--rules", "--last", "--questions", "--note", "--version",
                                                    "--holdout"};
    for (std::size_t i = 1; i < arguments.size(); ++i) {
        const std::string& argument = arguments[i];
        if (withValue.contains(argument)) {
            if (i + 1 >= arguments.size()) {
                std::cerr << "llmops route: " << argument << " needs a value\n";
                return false;
            }
            parsed->options[argument] = arguments[++i];
        } else if (argument == "--activate" || argument == "--save") {
            parsed->options[argument] = "";
        } else if (argument.size() > 2 && argument.starts_with("--")) {
            std::cerr << "llmops route: unknown option " << argument << '\n';
            return false;
        } else {
            parsed->positional.push_back(argument);
        }
    }
    return true;
}

int parseCount(const RouteArguments& arguments, const std::string& option, int fallback)
{
    const auto found = arguments.options.find(option);
    if (found == arguments.options.end())
        return fallback;
    char* end = nullptr;
    const long value = std::strtol(found->second.c_str(), &end, 10);
    if (found->second.empty() || *end != '\0' || value <= 0 || value > 10000000) {
        std::cerr << "llmops route: " << option << " needs a whole number from 1 to 10000000, got \"" << found->second
                  << "\"\n";
        return -1;
    }
    return static_cast<int>(value);
}

Result<std::string> readFile(const std::string& path)
{
    std::ifstream input(path, std::ios::binary);
    if (!input)
        return Status::ioError("cannot read " + path + "; check the path");
    std::stringstream text;
    text << input.rdbuf();
    return text.str();
}

Result<std::vector<RoutingRule>> readRules(const std::string& path)
{
    Result<std::string> text = readFile(path);
    if (!text.isOk())
        return text.status();
    return rulesFromJson(text.value(), path);
}

// The first bytes of text up to maxBytes, cut at the start of a UTF-8 sequence.
std::string prefix(const std::string& text, std::size_t maxBytes)
{
    if (text.size() <= maxBytes)
        return text;
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    return text.substr(0, cut) + "...";
}

std::string money(double usd)
{
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "$%.2f", usd);
    return buffer;
}

std::string share(std::int64_t part, std::int64_t whole)
{
    char buffer[16];
    std::snprintf(buffer, sizeof(buffer), "%.1f%%", whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
    return buffer;
}

json explanationToJson(const RouteExplanation& explanation)
{
    const QueryFeatures& f = explanation.features;
    json rules = json::array();
    for (const RuleEvaluation& rule : explanation.rules)
        rules.push_back({{"rule", rule.rule}, {"matched", rule.matched}, {"detail", rule.detail}});
    return {{"rule", explanation.decision.rule},
            {"model", explanation.decision.model},
            {"fallbacks", explanation.decision.fallbacks},
            {"reason", explanation.decision.reason},
            {"features",
             {{"tier", tierName(f.tier)}, {"tier_probabilities", f.tierProbabilities},
              {"input_tokens", f.inputTokens}, {"words", f.words}, {"language", f.language},
              {"has_code", f.hasCode}, {"guard_flags", f.guardFlags}, {"metadata", f.metadata}}},
            {"rules", rules}};
}

void printExplanation(const RouteExplanation& explanation)
{
    const QueryFeatures& f = explanation.features;
    char probabilities[64];
    std::snprintf(probabilities, sizeof(probabilities), "simple %.2f, medium %.2f, complex %.2f",
                  f.tierProbabilities[0], f.tierProbabilities[1], f.tierProbabilities[2]);
    std::cout << "rule:      " << explanation.decision.rule << " -> " << explanation.decision.model << '\n'
              << "tier:      " << tierName(f.tier) << " (" << probabilities << ")\n"
              << "tokens:    " << f.inputTokens << " (estimated), words: " << f.words << '\n'
              << "language:  " << f.language << ", code: " << (f.hasCode ? "yes" : "no") << '\n';
    std::cout << "flags:     ";
    for (const std::string& flag : f.guardFlags)
        std::cout << flag << ' ';
    std::cout << (f.guardFlags.empty() ? "none" : "") << "\nmetadata:  ";
    for (const auto& [key, value] : f.metadata)
        std::cout << key << '=' << value << ' ';
    std::cout << (f.metadata.empty() ? "none" : "") << "\n\n";
    for (const RuleEvaluation& rule : explanation.rules)
        std::cout << (rule.matched ? "fires  " : "skips  ") << rule.rule << ": " << rule.detail << '\n';
}

int runExplain(const CommonOptions& options, const RouteArguments& arguments)
{
    if (arguments.positional.size() != 1) {
        std::cerr << "llmops route explain: pass one quoted query\n";
        return 2;
    }
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    const RouteExplanation explanation = engine->explainRoute(arguments.positional.front(), options.metadata);
    if (options.json)
        std::cout << explanationToJson(explanation).dump(2) << '\n';
    else
        printExplanation(explanation);
    return 0;
}

json reportToJson(const ReplayReport& report)
{
    json models = json::array();
    for (const ReplayModelShare& model : report.models)
        models.push_back({{"model", model.model}, {"active_queries", model.activeQueries},
                          {"draft_queries", model.draftQueries}, {"active_monthly_usd", model.activeMonthlyUsd},
                          {"draft_monthly_usd", model.draftMonthlyUsd}});
    json changes = json::array();
    for (const ReplayChange& change : report.changes)
        changes.push_back({{"trace_id", change.traceId}, {"query", change.query},
                           {"active_rule", change.activeRule}, {"active_model", change.activeModel},
                           {"draft_rule", change.draftRule}, {"draft_model", change.draftModel}});
    return {{"queries", report.queries}, {"active_version", report.activeVersion},
            {"span_days", report.spanDays}, {"monthly_queries", report.monthlyQueries},
            {"active_monthly_usd", report.activeMonthlyUsd}, {"draft_monthly_usd", report.draftMonthlyUsd},
            {"unpriced_queries", report.unpricedQueries}, {"changed_queries", report.changedQueries},
            {"models", models}, {"changes", changes}};
}

void printReport(const ReplayReport& report)
{
    std::printf("replayed %lld queries against active rule set v%d (%.1f days of traces, %.0f per month)\n\n",
                static_cast<long long>(report.queries), report.activeVersion, report.spanDays, report.monthlyQueries);
    std::printf("%-24s %10s %10s %14s %14s\n", "model", "active", "draft", "active/month", "draft/month");
    for (const ReplayModelShare& model : report.models)
        std::printf("%-24s %10s %10s %14s %14s\n", model.model.c_str(),
                    share(model.activeQueries, report.queries).c_str(), share(model.draftQueries, report.queries).c_str(),
                    money(model.activeMonthlyUsd).c_str(), money(model.draftMonthlyUsd).c_str());
    std::printf("%-24s %10s %10s %14s %14s\n", "total", "", "", money(report.activeMonthlyUsd).c_str(),
                money(report.draftMonthlyUsd).c_str());
    if (report.unpricedQueries > 0)
        std::printf("\n%lld routings had no price and count as $0\n", static_cast<long long>(report.unpricedQueries));
    std::printf("\n%lld queries change route%s\n", static_cast<long long>(report.changedQueries),
                report.changes.size() < static_cast<std::size_t>(report.changedQueries) ? " (newest listed)" : "");
    for (const ReplayChange& change : report.changes)
        std::printf("  #%lld %s: %s -> %s  =>  %s -> %s\n", static_cast<long long>(change.traceId),
                    prefix(printable(change.query), 60).c_str(), change.activeRule.c_str(), change.activeModel.c_str(),
                    change.draftRule.c_str(), change.draftModel.c_str());
}

int runReplay(const CommonOptions& options, const RouteArguments& arguments)
{
    const auto rulesPath = arguments.options.find("--rules");
    if (rulesPath == arguments.options.end()) {
        std::cerr << "llmops route replay: pass the draft rules with --rules FILE\n";
        return 2;
    }
    ReplayOptions replay;
    replay.lastTraces = parseCount(arguments, "--last", 1000);
    if (replay.lastTraces < 0)
        return 2;
    if (const auto questions = arguments.options.find("--questions"); questions != arguments.options.end()) {
        Result<std::string> text = readFile(questions->second);
        if (!text.isOk()) {
            std::cerr << "llmops route replay: " << text.status().message() << '\n';
            return 1;
        }
        std::stringstream lines(text.value());
        for (std::string line; std::getline(lines, line);)
            if (!line.empty())
                replay.questions.push_back(line);
        // An empty file must not fall back to the stored traces, which the user did not ask for.
        if (replay.questions.empty()) {
            std::cerr << "llmops route replay: " << questions->second
                      << " has no questions; write one question per line\n";
            return 1;
        }
    }
    Result<std::vector<RoutingRule>> draft = readRules(rulesPath->second);
    if (!draft.isOk()) {
        std::cerr << "llmops route replay: " << draft.status().message() << '\n';
        return 1;
    }
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    Result<ReplayReport> report = engine->replay(draft.value(), replay);
    if (!report.isOk()) {
        std::cerr << "llmops route replay: " << report.status().message() << '\n';
        return 1;
    }
    if (options.json)
        std::cout << reportToJson(report.value()).dump(2) << '\n';
    else
        printReport(report.value());
    return 0;
}

int runExport(const CommonOptions& options, const RouteArguments& arguments)
{
    if (arguments.positional.size() != 1) {
        std::cerr << "llmops route export: pass the file to write\n";
        return 2;
    }
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    const int wanted = parseCount(arguments, "--version", engine->activeRuleSetVersion());
    Result<std::vector<RuleSetVersion>> versions = engine->ruleSetVersions();
    if (!versions.isOk() || wanted < 0) {
        std::cerr << "llmops route export: " << versions.status().message() << '\n';
        return 1;
    }
    for (const RuleSetVersion& version : versions.value()) {
        if (version.version != wanted)
            continue;
        std::ofstream output(arguments.positional.front(), std::ios::binary | std::ios::trunc);
        output << rulesToJson(version.rules, version.version, version.note) << '\n';
        if (!output) {
            std::cerr << "llmops route export: cannot write " << arguments.positional.front() << '\n';
            return 1;
        }
        std::cout << "wrote rule set v" << wanted << " (" << version.rules.size() << " rules) to "
                  << arguments.positional.front() << '\n';
        return 0;
    }
    std::cerr << "llmops route export: rule set version " << wanted << " does not exist; see llmops route versions\n";
    return 1;
}

int runImport(const CommonOptions& options, const RouteArguments& arguments)
{
    if (arguments.positional.size() != 1) {
        std::cerr << "llmops route import: pass the rule set file to read\n";
        return 2;
    }
    Result<std::vector<RoutingRule>> rules = readRules(arguments.positional.front());
    if (!rules.isOk()) {
        std::cerr << "llmops route import: " << rules.status().message() << '\n';
        return 1;
    }
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    const auto note = arguments.options.find("--note");
    const bool activate = arguments.options.contains("--activate");
    Result<int> version = engine->saveRuleSet(rules.value(), note == arguments.options.end() ? "" : note->second, activate);
    if (!version.isOk()) {
        std::cerr << "llmops route import: " << version.status().message() << '\n';
        return 1;
    }
    std::cout << "stored rule set v" << version.value() << (activate ? " (active)" : "") << '\n';
    return 0;
}

int runVersions(const CommonOptions& options)
{
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    Result<std::vector<RuleSetVersion>> versions = engine->ruleSetVersions();
    if (!versions.isOk()) {
        std::cerr << "llmops route versions: " << versions.status().message() << '\n';
        return 1;
    }
    json rows = json::array();
    for (const RuleSetVersion& version : versions.value()) {
        if (options.json) {
            rows.push_back({{"version", version.version}, {"note", version.note},
                            {"created_at_ms", version.createdAtMs}, {"active", version.active},
                            {"rules", version.rules.size()}});
            continue;
        }
        std::printf("%s v%-4d %2zu rules  %s\n", version.active ? "*" : " ", version.version, version.rules.size(),
                    version.note.c_str());
    }
    if (options.json)
        std::cout << rows.dump(2) << '\n';
    return 0;
}

int runActivate(const CommonOptions& options, const RouteArguments& arguments)
{
    char* end = nullptr;
    const long version = arguments.positional.size() == 1 ? std::strtol(arguments.positional[0].c_str(), &end, 10) : 0;
    if (version <= 0 || end == nullptr || *end != '\0') {
        std::cerr << "llmops route activate: pass one version number; list them with llmops route versions\n";
        return 2;
    }
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    if (Status status = engine->activateRuleSet(static_cast<int>(version)); !status.isOk()) {
        std::cerr << "llmops route activate: " << status.message() << '\n';
        return 1;
    }
    std::cout << "rule set v" << version << " is active\n";
    return 0;
}

// Stores trained weights in the workspace's settings, where the router reads them.
int saveWeights(const CommonOptions& options, const ComplexityClassifier& model)
{
    const std::unique_ptr<Engine> engine = openEngine(options);
    if (!engine)
        return 1;
    PipelineSettings settings = engine->settings();
    settings.complexityWeights = flattenWeights(model);
    if (Status status = engine->updateSettings(settings); !status.isOk()) {
        std::cerr << "llmops route train: " << status.message() << '\n';
        return 1;
    }
    std::cout << "stored the weights in " << engine->path() << "; later questions are classified with them\n";
    return 0;
}

int runTrain(const CommonOptions& options, const RouteArguments& arguments)
{
    if (arguments.positional.size() != 1) {
        std::cerr << "llmops route train: pass a TSV or JSONL file with tier and query columns\n";
        return 2;
    }
    const int holdout = parseCount(arguments, "--holdout", 0);
    Result<std::vector<LabelledQuery>> rows = readLabelledQueries(arguments.positional.front());
    if (!rows.isOk() || holdout < 0) {
        std::cerr << "llmops route train: " << rows.status().message() << '\n';
        return 1;
    }
    std::vector<LabelledQuery> training;
    std::vector<LabelledQuery> held;
    for (std::size_t i = 0; i < rows->size(); ++i)
        (holdout > 0 && i % static_cast<std::size_t>(holdout) == 0 ? held : training).push_back(rows.value()[i]);
    // Weights trained on nothing classify every question alike, so they are never stored.
    if (training.size() < 3) {
        std::cerr << "llmops route train: " << arguments.positional.front() << " leaves " << training.size()
                  << " training rows; give at least 3 labelled queries (more for a useful model), or a larger "
                     "--holdout\n";
        return 1;
    }
    const ComplexityClassifier model = ComplexityClassifier::train(training);
    int correct = 0;
    for (const LabelledQuery& row : held)
        correct += model.classify(row.query) == row.tier ? 1 : 0;
    if (!held.empty())
        std::printf("held-out accuracy: %d of %zu\n", correct, held.size());
    for (const auto& row : model.weights()) {
        std::printf("    {{");
        for (std::size_t j = 0; j < row.size(); ++j)
            std::printf("%s%.4f", j == 0 ? "" : ", ", row[j]);
        std::printf("}},\n");
    }
    return arguments.options.contains("--save") ? saveWeights(options, model) : 0;
}

} // namespace

int runRoute(const CommonOptions& options, const std::vector<std::string>& arguments)
{
    RouteArguments parsed;
    if (arguments.empty() || !parseRouteArguments(arguments, &parsed)) {
        std::cerr << "llmops route: use explain, replay, export, import, versions, activate or train; see llmops --help\n";
        return 2;
    }
    const std::string& command = arguments.front();
    if (command == "explain")
        return runExplain(options, parsed);
    if (command == "replay")
        return runReplay(options, parsed);
    if (command == "export")
        return runExport(options, parsed);
    if (command == "import")
        return runImport(options, parsed);
    if (command == "versions")
        return runVersions(options);
    if (command == "activate")
        return runActivate(options, parsed);
    if (command == "train")
        return runTrain(options, parsed);
    std::cerr << "llmops route: unknown subcommand \"" << command
              << "\"; use explain, replay, export, import, versions, activate or train\n";
    return 2;
}

} // namespace llmops::cli
