// SPDX-License-Identifier: MIT
#include "LoopbackHttpServer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace llmops::test {

namespace {

constexpr int kPollIntervalMs = 50;
constexpr auto kRequestReadLimit = std::chrono::seconds(5);
constexpr size_t kMaxHeaderBytes = 64 * 1024;
constexpr size_t kMaxBodyBytes = 16 * 1024 * 1024;

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size()
        && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x))
                   == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

const char* reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

bool sendAll(int socket, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t sent = ::send(socket, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return false;
        data.remove_prefix(static_cast<size_t>(sent));
    }
    return true;
}

std::string chunkFrame(std::string_view piece)
{
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    return std::string(size) + std::string(piece) + "\r\n";
}

// Parses the request line and headers (everything before the blank line).
bool parseHead(std::string_view head, RecordedRequest& request)
{
    const size_t lineEnd = head.find("\r\n");
    const std::string_view requestLine = head.substr(0, lineEnd);
    const size_t firstSpace = requestLine.find(' ');
    const size_t secondSpace = requestLine.find(' ', firstSpace + 1);
    if (firstSpace == std::string_view::npos || secondSpace == std::string_view::npos)
        return false;

    request.method = std::string(requestLine.substr(0, firstSpace));
    request.target = std::string(requestLine.substr(firstSpace + 1, secondSpace - firstSpace - 1));
    request.path = request.target.substr(0, request.target.find('?'));

    size_t pos = lineEnd == std::string_view::npos ? head.size() : lineEnd + 2;
    while (pos < head.size()) {
        const size_t end = std::min(head.find("\r\n", pos), head.size());
        const std::string_view line = head.substr(pos, end - pos);
        const size_t colon = line.find(':');
        if (colon != std::string_view::npos)
            request.headers.emplace_back(std::string(trimmed(line.substr(0, colon))),
                                         std::string(trimmed(line.substr(colon + 1))));
        pos = end + 2;
    }
    return true;
}

} // namespace

std::string RecordedRequest::header(std::string_view name) const
{
    for (const auto& [key, value] : headers) {
        if (equalsIgnoringCase(key, name))
            return value;
    }
    return {};
}

bool RecordedRequest::hasHeader(std::string_view name) const
{
    return std::any_of(headers.begin(), headers.end(),
                       [name](const auto& header) { return equalsIgnoringCase(header.first, name); });
}

LoopbackResponse LoopbackResponse::json(int status, std::string body)
{
    LoopbackResponse response;
    response.status = status;
    response.headers = {{"Content-Type", "application/json"}};
    response.body = std::move(body);
    return response;
}

LoopbackHttpServer::~LoopbackHttpServer()
{
    stop();
}

bool LoopbackHttpServer::start()
{
    m_listenSocket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listenSocket < 0) {
        m_error = std::string("socket() failed: ") + std::strerror(errno);
        return false;
    }

    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(m_listenSocket, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0
        || ::listen(m_listenSocket, 16) != 0
        || ::getsockname(m_listenSocket, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        m_error = std::string("binding 127.0.0.1 failed: ") + std::strerror(errno);
        ::close(m_listenSocket);
        m_listenSocket = -1;
        return false;
    }

    m_port = ntohs(address.sin_port);
    m_stopping = false;
    m_acceptThread = std::thread([this] { acceptLoop(); });
    return true;
}

void LoopbackHttpServer::stop()
{
    if (!m_acceptThread.joinable())
        return;

    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_stopSignal.notify_all();
    m_acceptThread.join();

    // The accept thread has ended, so no new connection threads can appear.
    std::vector<std::thread> connections;
    {
        std::lock_guard lock(m_mutex);
        connections.swap(m_connectionThreads);
    }
    for (std::thread& thread : connections)
        thread.join();

    ::close(m_listenSocket);
    m_listenSocket = -1;
}

std::string LoopbackHttpServer::baseUrl() const
{
    return "http://127.0.0.1:" + std::to_string(m_port);
}

void LoopbackHttpServer::route(const std::string& method, const std::string& path, LoopbackHandler handler)
{
    std::lock_guard lock(m_mutex);
    m_routes[{method, path}] = std::move(handler);
}

void LoopbackHttpServer::route(const std::string& method, const std::string& path, LoopbackResponse response)
{
    route(method, path, [response](const RecordedRequest&) { return response; });
}

std::vector<RecordedRequest> LoopbackHttpServer::requests() const
{
    std::lock_guard lock(m_mutex);
    return m_requests;
}

void LoopbackHttpServer::acceptLoop()
{
    while (!m_stopping) {
        pollfd entry{m_listenSocket, POLLIN, 0};
        if (::poll(&entry, 1, kPollIntervalMs) <= 0)
            continue;

        const int socket = ::accept4(m_listenSocket, nullptr, nullptr, SOCK_CLOEXEC);
        if (socket < 0)
            continue;

        // A client that stops reading must not block a connection thread, and so stop(), for long.
        const timeval sendLimit{5, 0};
        ::setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &sendLimit, sizeof sendLimit);

        std::lock_guard lock(m_mutex);
        m_connectionThreads.emplace_back([this, socket] {
            serveConnection(socket);
            ::close(socket);
        });
    }
}

void LoopbackHttpServer::serveConnection(int socket)
{
    RecordedRequest request;
    if (!readRequest(socket, request)) {
        sendResponse(socket, LoopbackResponse::json(400, R"({"error":{"message":"malformed request"}})"));
        return;
    }

    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(request);
    }

    const LoopbackResponse response = dispatch(request);
    if (response.closeWithoutResponse)
        return;
    if (!sleepUnlessStopped(response.firstByteDelay))
        return;
    sendResponse(socket, response);
}

LoopbackResponse LoopbackHttpServer::dispatch(const RecordedRequest& request)
{
    LoopbackHandler handler;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_routes.find({request.method, request.path});
        if (it != m_routes.end())
            handler = it->second;
    }

    if (!handler)
        return LoopbackResponse::json(404, R"({"error":{"message":"no route for )" + request.method + " "
                                               + request.path + R"("}})");
    return handler(request);
}

bool LoopbackHttpServer::waitReadable(int socket, std::chrono::steady_clock::time_point deadline) const
{
    while (!m_stopping && std::chrono::steady_clock::now() < deadline) {
        pollfd entry{socket, POLLIN, 0};
        const int ready = ::poll(&entry, 1, kPollIntervalMs);
        if (ready > 0)
            return true;
        if (ready < 0 && errno != EINTR)
            return false;
    }
    return false;
}

bool LoopbackHttpServer::readRequest(int socket, RecordedRequest& request)
{
    const auto deadline = std::chrono::steady_clock::now() + kRequestReadLimit;
    std::string buffer;
    size_t headEnd = std::string::npos;
    size_t contentLength = 0;
    char chunk[16 * 1024];

    while (true) {
        if (headEnd == std::string::npos) {
            headEnd = buffer.find("\r\n\r\n");
            if (headEnd != std::string::npos) {
                if (!parseHead(std::string_view(buffer).substr(0, headEnd), request))
                    return false;
                const std::string length = request.header("Content-Length");
                const auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), contentLength);
                if (!length.empty() && (error != std::errc() || end != length.data() + length.size()))
                    return false;
                if (contentLength > kMaxBodyBytes)
                    return false;
            } else if (buffer.size() > kMaxHeaderBytes) {
                return false;
            }
        }
        if (headEnd != std::string::npos && buffer.size() >= headEnd + 4 + contentLength) {
            request.body = buffer.substr(headEnd + 4, contentLength);
            return true;
        }

        if (!waitReadable(socket, deadline))
            return false;
        const ssize_t received = ::recv(socket, chunk, sizeof chunk, 0);
        if (received < 0 && errno == EINTR)
            continue;
        if (received <= 0)
            return false;
        buffer.append(chunk, static_cast<size_t>(received));
    }
}

bool LoopbackHttpServer::sleepUnlessStopped(std::chrono::milliseconds delay)
{
    if (delay.count() <= 0)
        return !m_stopping;
    std::unique_lock lock(m_mutex);
    return !m_stopSignal.wait_for(lock, delay, [this] { return m_stopping.load(); });
}

void LoopbackHttpServer::sendResponse(int socket, const LoopbackResponse& response)
{
    const bool streamed = !response.pieces.empty();
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " + reasonPhrase(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    if (!streamed)
        head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    else if (response.chunked)
        head += "Transfer-Encoding: chunked\r\n";
    head += "Connection: close\r\n\r\n";

    if (!streamed) {
        sendAll(socket, head + response.body);
        return;
    }

    if (!sendAll(socket, head))
        return;
    for (size_t i = 0; i < response.pieces.size(); ++i) {
        if (i > 0 && !sleepUnlessStopped(response.pieceDelay))
            return;
        const std::string& piece = response.pieces[i];
        if (!sendAll(socket, response.chunked ? chunkFrame(piece) : piece))
            return;
    }
    if (response.chunked && !response.closeMidBody)
        sendAll(socket, "0\r\n\r\n");
}

int unusedLoopbackPort()
{
    const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0)
        return 0;

    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0
        && ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(probe);
    return port;
}

} // namespace llmops::test
