// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

#include "LoopbackHttpServer.h"
#include "TestWorkspace.h"

namespace llmops::test {

// A loopback OpenAI-compatible model for eval runs: each chat request waits delay, then answers
// with the text of the first numbered context passage it was sent (a faithful answer), or,
// while offTopic is set, with a sentence about something else.
struct EvalModelServer {
    LoopbackHttpServer server;
    std::atomic<bool> offTopic{false};
    std::chrono::milliseconds delay{0};

    // Starts the server and routes POST /v1/chat/completions; false when it cannot bind.
    bool start();
    // The endpoint ("eval-model", priced at 1 $ per million tokens each way) that the
    // workspace's default rule then sends every question to.
    void configure(Engine& engine) const;
};

// A workspace with the four support pages indexed and the six-item "lumen" data set imported
// from tests/data/evals/lumen-small.jsonl.
void prepareEvalWorkspace(const TestWorkspace& workspace, const EvalModelServer& model);

// Runs the "lumen" data set twice, first with faithful answers, then with off-topic ones, and
// returns the two run ids; {0, 0} after a test failure.
std::pair<std::int64_t, std::int64_t> runFaithfulThenOffTopic(const TestWorkspace& workspace, EvalModelServer& model);

} // namespace llmops::test
