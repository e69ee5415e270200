// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace llmops {

// Domain error codes. Failures from SQLite, libcurl, hnswlib and JSON are converted to one of
// these at the edge that calls them, so no exception crosses the core's public surface.
enum class StatusCode {
    Ok,
    InvalidArgument,
    NotFound,
    IoError,
    Timeout,
    RateLimited,
    Blocked,
    Upstream,
    Corruption,
    Cancelled,
    Internal,
};

// Outcome of an operation: Ok, or a code with a message that names the offending value and
// says what to do next.
class [[nodiscard]] Status {
public:
    Status() = default;

    static Status ok() { return {}; }
    static Status invalidArgument(std::string message) { return {StatusCode::InvalidArgument, std::move(message)}; }
    static Status notFound(std::string message) { return {StatusCode::NotFound, std::move(message)}; }
    static Status ioError(std::string message) { return {StatusCode::IoError, std::move(message)}; }
    static Status timeout(std::string message) { return {StatusCode::Timeout, std::move(message)}; }
    static Status rateLimited(std::string message) { return {StatusCode::RateLimited, std::move(message)}; }
    static Status blocked(std::string message) { return {StatusCode::Blocked, std::move(message)}; }
    static Status upstream(std::string message) { return {StatusCode::Upstream, std::move(message)}; }
    static Status corruption(std::string message) { return {StatusCode::Corruption, std::move(message)}; }
    static Status cancelled(std::string message) { return {StatusCode::Cancelled, std::move(message)}; }
    static Status internal(std::string message) { return {StatusCode::Internal, std::move(message)}; }

    bool isOk() const { return m_code == StatusCode::Ok; }
    StatusCode code() const { return m_code; }
    const std::string& message() const { return m_message; }

    // The HTTP status of a failed call to a remote service, or 0 when there was none (an
    // overloaded_error event inside a stream is reported as 529, as Anthropic's HTTP reply is).
    int httpStatus() const { return m_httpStatus; }
    Status& setHttpStatus(int status) { m_httpStatus = status; return *this; }

    // How long the service asked callers to wait before retrying (Retry-After), in
    // milliseconds; 0 when it did not say.
    long long retryAfterMs() const { return m_retryAfterMs; }
    Status& setRetryAfterMs(long long milliseconds) { m_retryAfterMs = milliseconds; return *this; }

    // Returns "ok", or the code's name, a colon and the message.
    std::string toString() const;

private:
    Status(StatusCode code, std::string message) : m_code(code), m_message(std::move(message)) {}

    StatusCode m_code = StatusCode::Ok;
    std::string m_message;
    int m_httpStatus = 0;
    long long m_retryAfterMs = 0;
};

// The lower-case name of a code, for logs and JSON output: "invalid_argument", "io_error", ...
const char* statusCodeName(StatusCode code);

// A value or the Status that explains why there is none. Accessing value() on a failed result
// is a programming error.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Status status) : m_status(std::move(status)) {}

    bool isOk() const { return m_status.isOk(); }
    const Status& status() const { return m_status; }

    T& value() & { return *m_value; }
    const T& value() const& { return *m_value; }
    T&& value() && { return std::move(*m_value); }

    T* operator->() { return &*m_value; }
    const T* operator->() const { return &*m_value; }

private:
    std::optional<T> m_value;
    Status m_status;
};

} // namespace llmops
