// SPDX-License-Identifier: MIT
// llmops: the pipeline engine from a shell, for scripts and scheduled jobs.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <QCoreApplication>

#include "Commands.h"
#include "DevModelServer.h"
#include "Keychain.h"

namespace {

constexpr const char* kUsage = R"(usage: llmops [--workspace FILE] COMMAND [ARGS]

Commands:
  index PATH...            index Markdown, HTML and text files and folders
  ask [--json] [--no-cache] QUESTION
                           answer a question from the indexed documents
  traces [--last N] [--json]
                           list the newest traces (default 20)
  trace [--json] ID        show one stored trace with its spans
  traces export-otlp FILE [--last N] [--include-content] [--endpoint URL]
                           write the newest N traces (default 1000) as OTLP/JSON spans with
                           the OpenTelemetry GenAI attributes; questions and answers only
                           with --include-content; --endpoint URL POSTs to an OTLP/HTTP
                           collector (such as http://127.0.0.1:4318/v1/traces) instead of FILE
  dashboard [--hours H] [--bucket-minutes M] [--json]
                           print cost, latency p50/p95, time to first token, hallucination,
                           cache hit and block rates per bucket (default: 24 hours, hourly)
  dev-generate-traces --count N [--days D] [--seed S]
                           write N synthetic traces (marked synthetic) spread over the last D
                           days (default 30), reproducible for a seed
  settings show            print the pipeline settings (models, routing rules, limits) as JSON
  settings load FILE       validate and store settings from a JSON file
  guard scan [--json] [TEXT]
                           score TEXT, or each line of standard input, for prompt injection
                           and PII; prints one result per line (exit code 1 when a line is
                           not valid UTF-8)
  review list [--kind K] [--status S] [--route R] [--model M] [--since DAYS] [--json]
                           list the review queue, newest first; K is guardrail_block,
                           unsupported_claim, pii_leak, eval_regression or alert; S is open
                           or done
  review export FILE [--format jsonl|dataset] [--kind K] [--status S]
                           write the matching review items as JSON lines; dataset writes
                           question, answer (the corrected one when set) and contexts
  review verdict ID correct|hallucination|false_alarm [--note TEXT] [--answer TEXT]
                           store a reviewer's verdict, note and corrected answer
  review allow PHRASE      add a false-alarm phrase to the injection allow-list
  review add-to-dataset ID NAME
                           append a judged item (question, trusted answer, retrieved passages)
                           to eval data set NAME as its newest version
  prices import FILE       store a LiteLLM-format price file (US dollars per token) in the
                           workspace; later questions are priced with it
  prices show MODEL        print the prices that a model id finds in the price table
  keychain set|check|delete ENTRY
                           store an API key read from standard input in the OS keychain,
                           say whether ENTRY holds one, or remove it; a model endpoint's
                           api_key_keychain names the entry
  route explain [--meta KEY=VALUE]... QUERY
                           show the rule that fires for QUERY and why (features and values)
  route replay --rules FILE [--last N] [--questions FILE] [--json]
                           route the newest N traces (default 1000) or the questions in FILE
                           (one per line) through the rules in FILE without calling a model;
                           prints the share per model and the projected monthly cost under
                           the draft and the active rules, and the queries whose route changes
  route export FILE [--version N]
                           write the active rule set (or version N) as JSON
  route import FILE [--note TEXT] [--activate]
                           store the rules in FILE as a new version
  route versions           list the stored rule set versions
  route activate N         make version N the rule set that routes new questions
  route train FILE [--holdout K] [--save]
                           train the complexity classifier on a TSV or JSONL file with tier
                           and query columns; every K-th row is held out for the accuracy;
                           --save stores the weights in the workspace for later questions
  eval import FILE --name NAME
                           store a JSONL, CSV or promptfoo YAML data set as a new version
  eval datasets | runs [--dataset NAME] | results RUN | alerts
                           list data sets, runs (newest first), one run's items, or alerts
  eval export NAME FILE    write a data set as JSONL, CSV or YAML (by FILE's extension)
  eval run --dataset NAME [--concurrency N] [--baseline last|RUN] [--fail-on-drop X]
                           run every item through the pipeline and score it; with
                           --fail-on-drop, exit 3 when a metric mean drops more than X below
                           the baseline (default: the last finished run); --judge MODEL
                           scores with that configured model instead of the offline estimators
  eval resume RUN          finish a cancelled or interrupted run
  eval compare RUN_A RUN_B metric deltas of B against A with 95% bootstrap intervals
  dev-model-server [OPTIONS]
                           serve canned answers in the OpenAI, Anthropic and Ollama wire
                           formats on 127.0.0.1, with optional faults; see
                           llmops dev-model-server --help

Options:
  --workspace FILE         the workspace database; default: $LLMOPS_WORKSPACE, else
                           $XDG_DATA_HOME/llmops/workspace.llmops
  --json                   print machine-readable JSON
  --meta KEY=VALUE         request metadata for ask and route explain (repeatable)
  --version                print the version
  -h, --help               print this help
)";

int usageError(const std::string& message)
{
    std::cerr << "llmops: " << message << "\n\n" << kUsage;
    return 2;
}

bool parsePositiveInt(const std::string& text, int* value)
{
    char* end = nullptr;
    const long parsed = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || parsed <= 0 || parsed > 1000000)
        return false;
    *value = static_cast<int>(parsed);
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    // Keychain reads wait in a Qt event loop, which needs an application object.
    QCoreApplication application(argc, argv);
    llmops::keychain::installEngineReader();

    // The server has options of its own, so it parses everything after its name.
    if (argc > 1 && std::string(argv[1]) == "dev-model-server")
        return llmops::cli::runDevModelServer(std::vector<std::string>(argv + 2, argv + argc));

    llmops::cli::CommonOptions options;
    std::string command;
    std::vector<std::string> arguments;
    bool useCache = true;
    int last = 20;

    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        const bool hasValue = i + 1 < argc;
        const bool global = argument == "--workspace" || argument == "--json" || argument == "--meta";
        const bool ownOptions = command == "route" || command == "dev-generate-traces" || command == "dashboard" ||
                                (command == "traces" && !arguments.empty() && arguments.front() == "export-otlp");
        if (ownOptions && !global) {
            arguments.push_back(argument);  // route parses its own options
            continue;
        }
        if (argument == "-h" || argument == "--help") {
            std::cout << kUsage;
            return 0;
        } else if (argument == "--version") {
            std::cout << "llmops " << LLMOPS_VERSION << '\n';
            return 0;
        } else if (argument == "--workspace") {
            if (!hasValue)
                return usageError("--workspace needs a file path");
            options.workspace = argv[++i];
        } else if (argument == "--json") {
            options.json = true;
        } else if (argument == "--meta") {
            const std::string pair = hasValue ? argv[i + 1] : "";
            const std::size_t equals = pair.find('=');
            if (equals == std::string::npos || equals == 0)
                return usageError("--meta needs KEY=VALUE, such as --meta user_tier=enterprise, got \"" + pair + "\"");
            options.metadata[pair.substr(0, equals)] = pair.substr(equals + 1);
            ++i;
        } else if (argument == "--no-cache") {
            useCache = false;
        } else if (argument == "--last") {
            if (!hasValue || !parsePositiveInt(argv[i + 1], &last))
                return usageError(std::string("--last needs a whole number from 1 to 1000000, got \"") +
                                  (hasValue ? argv[i + 1] : "") + "\"");
            ++i;
        } else if (argument.size() > 1 && argument.front() == '-' && argument != "--") {
            return usageError("unknown option " + argument);
        } else if (command.empty()) {
            command = argument;
            if (command == "review" || command == "eval") {  // they parse their own options
                arguments.assign(argv + i + 1, argv + argc);
                break;
            }
        } else {
            arguments.push_back(argument);
        }
    }

    if (command == "index")
        return llmops::cli::runIndex(options, arguments);
    if (command == "ask") {
        if (arguments.size() != 1)
            return usageError("ask needs exactly one question; quote it: llmops ask \"How do I ...?\"");
        return llmops::cli::runAsk(options, arguments.front(), useCache);
    }
    if (command == "traces" && !arguments.empty() && arguments.front() == "export-otlp")
        return llmops::cli::runExportOtlp(options, std::vector<std::string>(arguments.begin() + 1, arguments.end()));
    if (command == "traces")
        return llmops::cli::runTraces(options, last);
    if (command == "dev-generate-traces")
        return llmops::cli::runGenerateTraces(options, arguments);
    if (command == "dashboard")
        return llmops::cli::runDashboard(options, arguments);
    if (command == "trace") {
        int id = 0;
        if (arguments.size() != 1 || !parsePositiveInt(arguments.front(), &id))
            return usageError("trace needs one numeric trace id, got \"" +
                              (arguments.empty() ? std::string() : arguments.front()) +
                              "\"; list the ids with llmops traces");
        return llmops::cli::runShowTrace(options, id);
    }
    if (command == "settings") {
        if (arguments.size() == 1 && arguments.front() == "show")
            return llmops::cli::runSettingsShow(options);
        if (arguments.size() == 2 && arguments.front() == "load")
            return llmops::cli::runSettingsLoad(options, arguments.back());
        return usageError("settings needs show, or load FILE");
    }
    if (command == "guard") {
        if (arguments.empty() || arguments.front() != "scan" || arguments.size() > 2)
            return usageError("guard needs scan, optionally followed by one quoted text");
        const std::optional<std::string> text =
            arguments.size() == 2 ? std::optional<std::string>(arguments.back()) : std::nullopt;
        return llmops::cli::runGuardScan(options, text);
    }
    if (command == "review")
        return llmops::cli::runReview(options, arguments);
    if (command == "prices") {
        if (arguments.size() == 2 && arguments.front() == "import")
            return llmops::cli::runPricesImport(options, arguments.back());
        if (arguments.size() == 2 && arguments.front() == "show")
            return llmops::cli::runPricesShow(options, arguments.back());
        return usageError("prices needs import FILE, or show MODEL");
    }
    if (command == "keychain") {
        const int code = llmops::cli::runKeychain(arguments);
        return code == 2 ? usageError("keychain needs set, check or delete, then an entry name") : code;
    }
    if (command == "route")
        return llmops::cli::runRoute(options, arguments);
    if (command == "eval")
        return llmops::cli::runEvalCommand(options, arguments);
    if (command.empty())
        return usageError("no command given");
    return usageError("unknown command " + command);
}
