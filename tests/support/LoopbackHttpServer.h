// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace llmops::test {

using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

// A request as the server received it.
struct RecordedRequest {
    std::string method;
    std::string target;  // path and query string, as in the request line
    std::string path;    // target without the query string
    HeaderPairs headers;
    std::string body;

    // Returns the value of the first header named name (case-insensitive), or "" if absent.
    std::string header(std::string_view name) const;
    bool hasHeader(std::string_view name) const;
};

// What a route sends back. By default the body goes out at once with a Content-Length header.
struct LoopbackResponse {
    int status = 200;
    HeaderPairs headers;  // Content-Length, Transfer-Encoding and Connection are added as needed
    std::string body;

    // When not empty, these are sent instead of body, one after another with pieceDelay in
    // between, framed with chunked transfer encoding or, if chunked is false, by closing the
    // connection after the last piece.
    std::vector<std::string> pieces;
    std::chrono::milliseconds pieceDelay{0};
    bool chunked = true;
    bool closeMidBody = false;  // chunked only: close after the last piece without the final chunk

    std::chrono::milliseconds firstByteDelay{0};  // wait before sending anything
    bool closeWithoutResponse = false;            // read the request, then close the socket

    static LoopbackResponse json(int status, std::string body);
};

using LoopbackHandler = std::function<LoopbackResponse(const RecordedRequest&)>;

// An HTTP/1.1 server on 127.0.0.1 with a port the OS assigns, for tests of HTTP clients.
//
// start() binds and starts the accept thread; each connection is served on its own thread and
// then closed (no keep-alive). Requests need a Content-Length body or none; chunked request
// bodies are not supported. Unknown routes get 404 with a JSON error body. Every request is
// recorded before its handler runs. Delays end early when the server stops, so stop() and the
// destructor return within about a poll interval (50 ms) plus the time the handlers take.
// Handlers run on connection threads.
class LoopbackHttpServer {
public:
    LoopbackHttpServer() = default;
    ~LoopbackHttpServer();
    LoopbackHttpServer(const LoopbackHttpServer&) = delete;
    LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

    // Binds to 127.0.0.1 on a free port and starts serving. Returns false and sets
    // errorString() if the socket cannot be set up.
    bool start();
    void stop();

    int port() const { return m_port; }
    std::string baseUrl() const;  // "http://127.0.0.1:<port>"
    const std::string& errorString() const { return m_error; }

    // Adds or replaces the handler for method and path (the target without its query string).
    void route(const std::string& method, const std::string& path, LoopbackHandler handler);
    void route(const std::string& method, const std::string& path, LoopbackResponse response);

    std::vector<RecordedRequest> requests() const;

private:
    void acceptLoop();
    void serveConnection(int socket);
    bool readRequest(int socket, RecordedRequest& request);
    bool waitReadable(int socket, std::chrono::steady_clock::time_point deadline) const;
    bool sleepUnlessStopped(std::chrono::milliseconds delay);
    void sendResponse(int socket, const LoopbackResponse& response);
    LoopbackResponse dispatch(const RecordedRequest& request);

    int m_listenSocket = -1;
    int m_port = 0;
    std::string m_error;
    std::atomic<bool> m_stopping{false};
    std::thread m_acceptThread;

    mutable std::mutex m_mutex;  // guards everything below
    std::condition_variable m_stopSignal;
    std::map<std::pair<std::string, std::string>, LoopbackHandler> m_routes;
    std::vector<RecordedRequest> m_requests;
    std::vector<std::thread> m_connectionThreads;
};

// Returns a loopback port that nothing listens on at the moment of the call: the OS assigns it
// to a socket that is then closed. Another process could take it in between, which is unlikely
// in a test run. Returns 0 on failure.
int unusedLoopbackPort();

} // namespace llmops::test
