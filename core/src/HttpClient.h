// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llmops/status.h"

namespace llmops {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    HttpHeaders headers;   // sent as given; values never appear in error messages
    std::string body;      // sent when not empty
    int connectTimeoutMs = 10000;  // limit for DNS lookup, TCP connect and TLS handshake
    int totalTimeoutMs = 60000;    // limit for the whole exchange, including the body
    // Limit from the start until the first byte of the response body, which for a streamed
    // answer is the first token; 0 turns it off.
    int firstByteTimeoutMs = 0;
    const std::atomic<bool>* cancel = nullptr;  // polled during the exchange; may be null

    // Receives the body of a 2xx response piece by piece as it arrives, for streamed
    // responses such as server-sent events. Returning false aborts the exchange with
    // Cancelled. When set, a 2xx body is not collected in HttpResponse::body; the body of
    // any other status still is, so the caller can read the provider's error.
    std::function<bool(std::string_view)> onData;
};

struct HttpResponse {
    long status = 0;
    HttpHeaders headers;   // of the final response, in the order received
    std::string body;

    // Returns the value of the first header named name (case-insensitive), or "" if absent.
    std::string header(std::string_view name) const;
};

// Sends one HTTP request over libcurl and waits for the whole response. Redirects are not
// followed and proxies come from the usual environment variables.
//
// Any status code the server sends is a successful result; only transport failures are
// errors: IoError when the host cannot be resolved, refuses the connection or drops it,
// Timeout when a limit passes, Cancelled when the cancel flag is set or onData returns false,
// and InvalidArgument for a malformed URL. Messages name the URL without its query string
// or user info. Safe to call from several threads at once.
Result<HttpResponse> sendHttp(const HttpRequest& request);

// Returns url without user info and query string, for messages and logs.
std::string redactUrl(const std::string& url);

} // namespace llmops
