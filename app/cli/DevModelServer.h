// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "DevModelReplies.h"

namespace llmops::cli {

struct DevServerOptions {
    int port = 8089;                  // 0: the OS picks a free port
    int tokenDelayMs = 30;            // pause after each streamed word
    int answerWords = 0;              // answer length in words; 0: the canned answer as written
    DevFault fault = DevFault::None;
    double faultRate = 1.0;           // share of requests that get the fault, 0 to 1
    std::uint64_t seed = 1;           // seeds the draw that decides which requests get the fault
    int retryAfterSeconds = 1;        // Retry-After of the rate-limit fault
    int delayMs = 2000;               // slow-first-byte wait and stall pause
    std::string model = "dev-model";  // model id reported in replies
    bool logRequests = true;          // one line per request on standard error
};

// An HTTP/1.1 server on 127.0.0.1 that replays a canned answer in the OpenAI chat completions,
// Anthropic Messages and Ollama chat wire formats, for demos and manual tests of model clients.
//
// Each connection carries one request and is served on its own thread, then closed. The
// answer cites context [1], whatever the question. Requests need a Content-Length body or
// none. stop() ends pending delays and waits for the connection threads, so it returns within
// about a poll interval (50 ms) once clients stop reading.
class DevModelServer {
public:
    explicit DevModelServer(DevServerOptions options);
    ~DevModelServer();
    DevModelServer(const DevModelServer&) = delete;
    DevModelServer& operator=(const DevModelServer&) = delete;

    // Binds 127.0.0.1 on options.port and starts serving. Returns false and sets errorString()
    // when the socket cannot be set up.
    bool start();
    void stop();

    int port() const { return m_port; }
    const std::string& errorString() const { return m_error; }

    // Waits up to delay unless the server stops first; returns false when it stopped.
    bool sleepUnlessStopped(std::chrono::milliseconds delay);
    bool isStopping() const { return m_stopping; }

private:
    void acceptLoop();
    void serveConnection(int socket);
    DevFault drawFault();

    DevServerOptions m_options;
    std::vector<std::string> m_words;
    int m_listenSocket = -1;
    int m_port = 0;
    std::string m_error;
    std::atomic<bool> m_stopping{false};
    std::thread m_acceptThread;

    std::mutex m_mutex;  // guards everything below
    std::condition_variable m_changed;
    std::mt19937_64 m_random;
    int m_activeConnections = 0;
};

// Parses the arguments after "dev-model-server", serves until SIGINT or SIGTERM, and returns the
// exit code: 0 after a clean stop, 1 when the port cannot be bound, 2 for a usage error.
int runDevModelServer(const std::vector<std::string>& arguments);

} // namespace llmops::cli
