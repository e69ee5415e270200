// SPDX-License-Identifier: MIT
#include "DevModelServer.h"

#include "DevEmbeddings.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>

namespace llmops::cli {
namespace {

using Json = nlohmann::json;

constexpr int kPollIntervalMs = 50;
constexpr auto kRequestReadLimit = std::chrono::seconds(10);
constexpr std::size_t kMaxHeadBytes = 64 * 1024;
constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;

// Words are sent with their leading space, as model tokenizers emit them, so the deltas
// concatenate to the answer.
constexpr const char* kCannedAnswer =
    "The development model server replays this canned answer for every question, one word at a "
    "time, so that streaming, token counts and injected faults can be tried without a real model [1].";

std::vector<std::string> splitWords(const std::string& text)
{
    std::vector<std::string> words;
    std::istringstream stream(text);
    std::string word;
    while (stream >> word)
        words.push_back(words.empty() ? word : ' ' + word);
    return words;
}

// Returns the canned answer's words, repeated or cut to count words (0: as written). The last
// word always carries the citation [1].
std::vector<std::string> answerWords(int count)
{
    const std::vector<std::string> canned = splitWords(kCannedAnswer);
    if (count <= 0)
        return canned;

    std::vector<std::string> words;
    for (int i = 0; i < count; ++i)
        words.push_back(canned[static_cast<std::size_t>(i) % canned.size()]);
    if (words.back().find("[1]") == std::string::npos)
        words.back() += " [1].";
    return words;
}

const char* faultName(DevFault fault)
{
    switch (fault) {
    case DevFault::None: return "none";
    case DevFault::RateLimit: return "rate-limit";
    case DevFault::ServerError: return "server-error";
    case DevFault::Overloaded: return "overloaded";
    case DevFault::SlowFirstByte: return "slow-first-byte";
    case DevFault::Stall: return "stall";
    case DevFault::Truncate: return "truncate";
    case DevFault::Malformed: return "malformed";
    }
    return "none";
}

struct IncomingRequest {
    std::string method;
    std::string path;  // the target without its query string
    std::string body;
};

bool waitReadable(int socket, std::chrono::steady_clock::time_point deadline, const DevModelServer& server)
{
    while (!server.isStopping() && std::chrono::steady_clock::now() < deadline) {
        pollfd entry{socket, POLLIN, 0};
        const int ready = ::poll(&entry, 1, kPollIntervalMs);
        if (ready > 0)
            return true;
        if (ready < 0 && errno != EINTR)
            return false;
    }
    return false;
}

std::size_t contentLength(std::string_view head)
{
    std::string lower(head);
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::size_t at = lower.find("\r\ncontent-length:");
    if (at == std::string::npos)
        return 0;
    return std::strtoull(lower.c_str() + at + 17, nullptr, 10);
}

// Reads one request with a Content-Length body or none. Returns false on a malformed or
// oversized request, a timeout, or a closed connection.
bool readRequest(int socket, const DevModelServer& server, IncomingRequest& request)
{
    const auto deadline = std::chrono::steady_clock::now() + kRequestReadLimit;
    std::string buffer;
    std::size_t headEnd = std::string::npos;
    std::size_t bodyLength = 0;
    char chunk[16 * 1024];

    while (headEnd == std::string::npos || buffer.size() < headEnd + 4 + bodyLength) {
        if (!waitReadable(socket, deadline, server))
            return false;
        const ssize_t received = ::recv(socket, chunk, sizeof chunk, 0);
        if (received <= 0)
            return false;
        buffer.append(chunk, static_cast<std::size_t>(received));

        if (headEnd == std::string::npos) {
            headEnd = buffer.find("\r\n\r\n");
            if (headEnd == std::string::npos && buffer.size() > kMaxHeadBytes)
                return false;
            if (headEnd != std::string::npos)
                bodyLength = contentLength(std::string_view(buffer).substr(0, headEnd + 2));
            if (bodyLength > kMaxBodyBytes)
                return false;
        }
    }

    std::istringstream requestLine(buffer.substr(0, buffer.find("\r\n")));
    std::string target;
    requestLine >> request.method >> target;
    request.path = target.substr(0, target.find('?'));
    request.body = buffer.substr(headEnd + 4, bodyLength);
    return !request.method.empty() && !request.path.empty();
}

// Sends on a connected socket. Pauses end early when the server stops.
class SocketChannel final : public ReplyChannel {
public:
    SocketChannel(int socket, DevModelServer& server) : m_socket(socket), m_server(server) {}

    bool send(std::string_view bytes) override
    {
        while (!bytes.empty()) {
            const ssize_t sent = ::send(m_socket, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (sent < 0 && errno == EINTR)
                continue;
            if (sent <= 0)
                return false;
            bytes.remove_prefix(static_cast<std::size_t>(sent));
        }
        return true;
    }

    bool pause(std::chrono::milliseconds delay) override { return m_server.sleepUnlessStopped(delay); }

private:
    int m_socket;
    DevModelServer& m_server;
};

// Answers an embeddings request and returns the status sent; *error says why a request failed.
int serveEmbeddings(EmbeddingsFormat format, const IncomingRequest& request, const std::string& model,
                    ReplyChannel& channel, std::string* error)
{
    const WireFormat errorFormat = format == EmbeddingsFormat::Ollama ? WireFormat::OllamaChat : WireFormat::OpenAiChat;
    if (request.method != "POST") {
        *error = "method " + request.method + " is not allowed; use POST";
        sendErrorReply(errorFormat, 405, *error, channel);
        return 405;
    }
    const std::string body = embeddingsReply(format, request.body, model, error);
    if (!error->empty()) {
        sendErrorReply(errorFormat, 400, *error, channel);
        return 400;
    }
    return sendJsonReply(channel, 200, body);
}

bool routeFormat(const std::string& path, WireFormat& format)
{
    if (path == "/v1/chat/completions" || path == "/chat/completions")
        format = WireFormat::OpenAiChat;
    else if (path == "/v1/messages")
        format = WireFormat::AnthropicMessages;
    else if (path == "/api/chat")
        format = WireFormat::OllamaChat;
    else
        return false;
    return true;
}

// Returns whether the request body selects a streamed reply. Ollama streams unless "stream" is false; the other
// formats stream only when it is true.
bool wantsStream(WireFormat format, const Json& body)
{
    const auto it = body.find("stream");
    const bool present = it != body.end() && it->is_boolean();
    if (format == WireFormat::OllamaChat)
        return !present || it->get<bool>();
    return present && it->get<bool>();
}

bool wantsUsage(const Json& body)
{
    const auto options = body.find("stream_options");
    if (options == body.end() || !options->is_object())
        return false;
    const auto include = options->find("include_usage");
    return include != options->end() && include->is_boolean() && include->get<bool>();
}

void logLine(const std::string& line)
{
    // One write per line keeps lines from different connections apart.
    const std::string text = "dev-model-server: " + line + '\n';
    std::fwrite(text.data(), 1, text.size(), stderr);
}

} // namespace

DevModelServer::DevModelServer(DevServerOptions options)
    : m_options(std::move(options)), m_words(answerWords(m_options.answerWords)), m_random(m_options.seed)
{
}

DevModelServer::~DevModelServer()
{
    stop();
}

bool DevModelServer::start()
{
    m_listenSocket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listenSocket < 0) {
        m_error = std::string("creating a socket failed: ") + std::strerror(errno);
        return false;
    }
    const int reuse = 1;
    ::setsockopt(m_listenSocket, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);

    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(m_options.port));
    socklen_t length = sizeof address;
    if (::bind(m_listenSocket, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0
        || ::listen(m_listenSocket, 64) != 0
        || ::getsockname(m_listenSocket, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        m_error = "binding 127.0.0.1:" + std::to_string(m_options.port) + " failed: " + std::strerror(errno)
            + "; pick another --port, or 0 for a free one";
        ::close(m_listenSocket);
        m_listenSocket = -1;
        return false;
    }

    m_port = ntohs(address.sin_port);
    m_stopping = false;
    m_acceptThread = std::thread([this] { acceptLoop(); });
    return true;
}

void DevModelServer::stop()
{
    if (!m_acceptThread.joinable())
        return;

    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    m_acceptThread.join();

    // Connection threads are detached; each one decrements the count as its last step.
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_activeConnections == 0; });
    ::close(m_listenSocket);
    m_listenSocket = -1;
}

bool DevModelServer::sleepUnlessStopped(std::chrono::milliseconds delay)
{
    if (delay.count() <= 0)
        return !m_stopping;
    std::unique_lock lock(m_mutex);
    return !m_changed.wait_for(lock, delay, [this] { return m_stopping.load(); });
}

void DevModelServer::acceptLoop()
{
    while (!m_stopping) {
        pollfd entry{m_listenSocket, POLLIN, 0};
        if (::poll(&entry, 1, kPollIntervalMs) <= 0)
            continue;
        const int socket = ::accept4(m_listenSocket, nullptr, nullptr, SOCK_CLOEXEC);
        if (socket < 0)
            continue;

        // A client that stops reading must not hold a connection thread, and so stop(), for long.
        const timeval sendLimit{5, 0};
        ::setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &sendLimit, sizeof sendLimit);

        {
            std::lock_guard lock(m_mutex);
            ++m_activeConnections;
        }
        std::thread([this, socket] {
            serveConnection(socket);
            ::close(socket);
            std::lock_guard lock(m_mutex);
            --m_activeConnections;
            m_changed.notify_all();
        }).detach();
    }
}

DevFault DevModelServer::drawFault()
{
    if (m_options.fault == DevFault::None)
        return DevFault::None;
    std::lock_guard lock(m_mutex);
    const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(m_random);
    return draw < m_options.faultRate ? m_options.fault : DevFault::None;
}

void DevModelServer::serveConnection(int socket)
{
    SocketChannel channel(socket, *this);
    IncomingRequest request;
    if (!readRequest(socket, *this, request)) {
        if (m_options.logRequests && !m_stopping)
            logLine("rejected a malformed, oversized or incomplete request with 400");
        sendErrorReply(WireFormat::OpenAiChat, 400, "malformed or incomplete HTTP request", channel);
        return;
    }

    if (EmbeddingsFormat embeddings; routeEmbeddings(request.path, &embeddings)) {
        std::string error;
        const int status = serveEmbeddings(embeddings, request, m_options.model, channel, &error);
        if (m_options.logRequests)
            logLine(request.method + ' ' + request.path + ' ' + std::to_string(status) + (error.empty() ? "" : ": " + error));
        return;
    }

    WireFormat format = WireFormat::OpenAiChat;
    if (!routeFormat(request.path, format)) {
        if (m_options.logRequests)
            logLine(request.method + ' ' + request.path + " 404");
        sendErrorReply(format, 404, "no route for " + request.method + ' ' + request.path
                                        + "; use POST /v1/chat/completions, /v1/messages, /api/chat, /v1/embeddings or /api/embed",
                       channel);
        return;
    }
    const Json body = Json::parse(request.body, nullptr, false);
    if (request.method != "POST" || body.is_discarded() || !body.is_object()) {
        const bool isPost = request.method == "POST";
        const int status = isPost ? 400 : 405;
        const std::string message = isPost ? "the request body is not a JSON object"
                                           : "method " + request.method + " is not allowed; use POST";
        if (m_options.logRequests)
            logLine(request.method + ' ' + request.path + ' ' + std::to_string(status) + ": " + message);
        sendErrorReply(format, status, message, channel);
        return;
    }

    ReplyPlan plan;
    plan.format = format;
    plan.streamed = wantsStream(format, body);
    plan.includeUsage = wantsUsage(body);
    plan.model = m_options.model;
    plan.words = m_words;
    plan.promptTokens = static_cast<std::int64_t>(request.body.size() + 3) / 4;  // about 4 bytes per token
    plan.fault = drawFault();
    plan.retryAfterSeconds = m_options.retryAfterSeconds;
    plan.faultDelay = std::chrono::milliseconds(m_options.delayMs);
    plan.tokenDelay = std::chrono::milliseconds(m_options.tokenDelayMs);

    const int status = sendReply(plan, channel);
    if (m_options.logRequests)
        logLine(request.method + ' ' + request.path + ' ' + std::to_string(status) + (plan.streamed ? " stream" : " json")
                + " fault=" + faultName(plan.fault));
}

} // namespace llmops::cli
