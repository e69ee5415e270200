// SPDX-License-Identifier: MIT
#include "llmops/status.h"

namespace llmops {

const char* statusCodeName(StatusCode code)
{
    switch (code) {
    case StatusCode::Ok: return "ok";
    case StatusCode::InvalidArgument: return "invalid_argument";
    case StatusCode::NotFound: return "not_found";
    case StatusCode::IoError: return "io_error";
    case StatusCode::Timeout: return "timeout";
    case StatusCode::RateLimited: return "rate_limited";
    case StatusCode::Blocked: return "blocked";
    case StatusCode::Upstream: return "upstream_error";
    case StatusCode::Corruption: return "corruption";
    case StatusCode::Cancelled: return "cancelled";
    case StatusCode::Internal: return "internal";
    }
    return "unknown";
}

std::string Status::toString() const
{
    if (isOk())
        return "ok";
    return std::string(statusCodeName(m_code)) + ": " + m_message;
}

} // namespace llmops
