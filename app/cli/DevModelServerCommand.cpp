// SPDX-License-Identifier: MIT
// The `llmops dev-model-server` command: option parsing and the wait for a stop signal.
#include "DevModelServer.h"

#include <pthread.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <map>

namespace llmops::cli {
namespace {

constexpr const char* kUsage = R"(usage: llmops dev-model-server [OPTIONS]

Serves a canned answer that cites [1] on 127.0.0.1 in three wire formats, for demos and manual
tests: POST /v1/chat/completions (OpenAI-compatible; JSON, or server-sent events when "stream"
is true), POST /v1/messages (Anthropic, server-sent events) and POST /api/chat (Ollama,
newline-delimited JSON). POST /v1/embeddings (OpenAI) and POST /api/embed (Ollama) return the
offline hashing embedder's vectors, without faults. Stops on SIGINT or SIGTERM.

Options:
  --port N             TCP port; 0 lets the OS pick one (default 8089)
  --host ADDRESS       only 127.0.0.1 (or localhost) is accepted
  --token-delay-ms N   pause after each streamed word, in milliseconds (default 30)
  --answer-words N     repeat or cut the canned answer to N words (default: as written, 32)
  --model ID           model id reported in replies (default dev-model)
  --fault KIND         inject a fault: rate-limit (429 with Retry-After), server-error (500),
                       overloaded (529, or an overloaded_error event in an Anthropic stream),
                       slow-first-byte, stall (pause mid-stream), truncate (close before the
                       final event), malformed (a data line that is not valid JSON)
  --fault-rate P       share of requests that get the fault, 0 to 1 (default 1)
  --seed N             seed of the draw that picks the faulty requests (default 1)
  --retry-after S      Retry-After of the rate-limit fault, in seconds (default 1)
  --delay-ms N         wait of slow-first-byte and pause of stall, in milliseconds (default 2000)
  --quiet              do not log each request on standard error
  -h, --help           print this help
)";

const std::map<std::string, DevFault> kFaults = {
    {"none", DevFault::None},
    {"rate-limit", DevFault::RateLimit},
    {"server-error", DevFault::ServerError},
    {"overloaded", DevFault::Overloaded},
    {"slow-first-byte", DevFault::SlowFirstByte},
    {"stall", DevFault::Stall},
    {"truncate", DevFault::Truncate},
    {"malformed", DevFault::Malformed},
};

int usageError(const std::string& message)
{
    std::cerr << "llmops dev-model-server: " << message << "\n\n" << kUsage;
    return 2;
}

bool parseInteger(const std::string& text, long long minimum, long long maximum, long long& value)
{
    char* end = nullptr;
    errno = 0;
    const long long parsed = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || parsed < minimum || parsed > maximum)
        return false;
    value = parsed;
    return true;
}

bool parseShare(const std::string& text, double& value)
{
    char* end = nullptr;
    const double parsed = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(parsed >= 0.0 && parsed <= 1.0))
        return false;
    value = parsed;
    return true;
}

// Reads one option with its value into options. Returns "" or the usage error.
std::string parseOption(const std::string& name, const std::string& value, DevServerOptions& options)
{
    long long number = 0;
    const auto integer = [&](long long minimum, long long maximum, int& target) -> std::string {
        if (!parseInteger(value, minimum, maximum, number))
            return name + " needs a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum)
                + ", got \"" + value + "\"";
        target = static_cast<int>(number);
        return {};
    };

    if (name == "--port")
        return integer(0, 65535, options.port);
    if (name == "--token-delay-ms")
        return integer(0, 60000, options.tokenDelayMs);
    if (name == "--answer-words")
        return integer(1, 1000000, options.answerWords);
    if (name == "--retry-after")
        return integer(0, 86400, options.retryAfterSeconds);
    if (name == "--delay-ms")
        return integer(0, 600000, options.delayMs);
    if (name == "--model") {
        options.model = value;
        return value.empty() ? "--model needs a non-empty model id" : "";
    }
    if (name == "--host") {
        if (value == "127.0.0.1" || value == "localhost")
            return {};
        return "--host " + value + " is rejected: the development model server binds to 127.0.0.1 only, so "
            "that nothing outside this machine can reach it";
    }
    if (name == "--fault") {
        const auto it = kFaults.find(value);
        if (it == kFaults.end())
            return "unknown --fault \"" + value + "\"; use rate-limit, server-error, overloaded, slow-first-byte, "
                "stall, truncate or malformed";
        options.fault = it->second;
        return {};
    }
    if (name == "--fault-rate")
        return parseShare(value, options.faultRate) ? "" : "--fault-rate needs a share from 0 to 1, got \"" + value + "\"";
    if (name == "--seed") {
        if (!parseInteger(value, 0, std::numeric_limits<long long>::max(), number))
            return "--seed needs a non-negative whole number, got \"" + value + "\"";
        options.seed = static_cast<std::uint64_t>(number);
        return {};
    }
    return "unknown option " + name;
}

} // namespace

int runDevModelServer(const std::vector<std::string>& arguments)
{
    DevServerOptions options;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& name = arguments[i];
        if (name == "-h" || name == "--help") {
            std::cout << kUsage;
            return 0;
        }
        if (name == "--quiet") {
            options.logRequests = false;
            continue;
        }
        if (name.rfind("--", 0) != 0)
            return usageError("unexpected argument \"" + name + "\"");
        if (i + 1 >= arguments.size())
            return usageError(name + " needs a value");
        if (const std::string error = parseOption(name, arguments[++i], options); !error.empty())
            return usageError(error);
    }

    // Block the stop signals before any thread starts, so that every thread inherits the mask
    // and only sigwait() below receives them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    // A shell without job control starts background commands with SIGINT ignored, and an
    // ignored signal is discarded even while blocked, so restore the default action for sigwait.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    DevModelServer server(options);
    if (!server.start()) {
        std::cerr << "llmops dev-model-server: " << server.errorString() << '\n';
        return 1;
    }
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    std::cout << "listening on " << base << '\n'
              << "  openai-compatible base URL " << base << "/v1\n"
              << "  anthropic base URL         " << base << '\n'
              << "  ollama base URL            " << base << '\n'
              << std::flush;

    int received = 0;
    sigwait(&stopSignals, &received);
    std::cerr << "llmops dev-model-server: stopping after " << (received == SIGINT ? "SIGINT" : "SIGTERM") << '\n';
    server.stop();
    return 0;
}

} // namespace llmops::cli
