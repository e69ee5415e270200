// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llmops {
class Engine;
}

namespace llmops::cli {

// Options shared by every command.
struct CommonOptions {
    std::string workspace;  // empty: defaultWorkspacePath()
    bool json = false;
    std::map<std::string, std::string> metadata;  // --meta KEY=VALUE, for ask and route explain
};

// Opens the workspace named by options, or the default one, and returns null after printing
// the reason when that fails. Only commands that store something pass create, because a read
// command on a mistyped path would otherwise answer from an empty workspace.
std::unique_ptr<Engine> openEngine(const CommonOptions& options, bool create = false);

// Stored text with control characters (terminal escapes, line breaks) replaced by spaces;
// keepLines keeps line breaks and tabs, for multi-line text such as an answer.
std::string printable(const std::string& text, bool keepLines = false);
// Unix milliseconds as local "YYYY-MM-DD HH:MM:SS".
std::string formatTime(std::int64_t unixMs);

// Each command returns the process exit code: 0 on success, 1 when the work failed, 2 for a
// usage error. Messages go to standard error; results to standard output.
int runIndex(const CommonOptions& options, const std::vector<std::string>& paths);
int runAsk(const CommonOptions& options, const std::string& question, bool useCache);
int runTraces(const CommonOptions& options, int last);
int runShowTrace(const CommonOptions& options, long long traceId);

// Prints the workspace's pipeline settings as JSON, or validates and stores the settings in a
// JSON file (keys it does not name keep their current defaults).
int runSettingsShow(const CommonOptions& options);
int runSettingsLoad(const CommonOptions& options, const std::string& path);

// Runs the input guard's detectors on `text`, or on each line of standard input when it is
// empty, and prints per line the injection score, verdict and evidence and the PII entities
// with code point spans. With options.json each line gives one JSON object. A line that is not
// valid UTF-8 gives an error naming the line, and the exit code is then 1.
int runGuardScan(const CommonOptions& options, const std::optional<std::string>& text);
// Imports a LiteLLM-format price file into the workspace, or prints the prices that a model id
// finds in the workspace's table (the bundled table when the workspace does not exist).
int runPricesImport(const CommonOptions& options, const std::string& path);
int runPricesShow(const CommonOptions& options, const std::string& model);

// `keychain set ENTRY` stores the key read from standard input, `keychain check ENTRY` reports
// whether the entry contains one (never printing it), `keychain delete ENTRY` removes it.
// Returns 2 for anything else, so the caller prints the usage.
int runKeychain(const std::vector<std::string>& arguments);

// Runs `llmops review list|export|verdict|allow ...`. The arguments are all words after
// "review", options included, because the subcommands have options of their own.
int runReview(const CommonOptions& options, const std::vector<std::string>& arguments);

// Routing rules: explain, replay, export, import, versions, activate and train; arguments are
// everything after "route". See the usage text in main.cpp.
int runRoute(const CommonOptions& options, const std::vector<std::string>& arguments);

// `dev-generate-traces --count N [--days D] [--seed S]` writes synthetic traces;
// `traces export-otlp FILE|--endpoint URL [--last N] [--include-content]` exports traces as
// OTLP/JSON; `dashboard [--hours H] [--bucket-minutes M]` prints the dashboard figures.
// arguments are the words after the command name.
int runGenerateTraces(const CommonOptions& options, const std::vector<std::string>& arguments);
int runExportOtlp(const CommonOptions& options, const std::vector<std::string>& arguments);
int runDashboard(const CommonOptions& options, const std::vector<std::string>& arguments);

// Eval data sets, runs, comparisons and alerts; arguments are everything after "eval". A run
// whose metric drops more than --fail-on-drop below its baseline exits with 3.
int runEvalCommand(const CommonOptions& options, const std::vector<std::string>& arguments);

} // namespace llmops::cli
