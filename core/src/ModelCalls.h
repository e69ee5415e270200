// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "SpanRecorder.h"
#include "llmops/generator.h"
#include "llmops/settings.h"

namespace llmops {

// True for failures worth trying again on the same endpoint: rate limits, overload, the
// server errors 500, 502, 503 and 504, and timeouts. Client errors such as 400 or 401 are not.
bool isRetryable(const Status& status);

// The wait before retry number `retry` (1-based): full jitter over base * 2^(retry-1), capped
// at 8 s, and never shorter than the Retry-After the endpoint sent (capped at 30 s).
std::chrono::milliseconds backoffDelay(int retry, int baseMs, const Status& failure, std::mt19937_64& random);

// Calls the model endpoints of a route in order: each one with its retries, then the next
// one when it still fails. An endpoint that failed kCooldownFailures calls in a row is skipped
// for kCooldown unless it is the last one left. The first call after the cooldown probes it
// again. Every attempt is recorded as a "generator" span.
class ModelCaller {
public:
    static constexpr int kCooldownFailures = 3;
    static constexpr std::chrono::seconds kCooldown{30};

    // Returns the completion and sets answeredBy to the endpoint's name, or the last failure
    // with every attempt listed in its message.
    Result<Completion> call(const std::vector<const ModelEndpoint*>& chain, const GenerationRequest& request,
                            SpanRecorder& spans, std::string* answeredBy);

private:
    struct Health {
        int consecutiveFailures = 0;
        std::chrono::steady_clock::time_point coolingUntil{};
    };

    Result<Completion> callWithRetries(const ModelEndpoint& endpoint, const GenerationRequest& request,
                                       SpanRecorder& spans, std::string* attempts);
    bool isCoolingDown(const std::string& name) const;
    void recordOutcome(const std::string& name, bool succeeded);

    std::unordered_map<std::string, Health> m_health;
    std::mt19937_64 m_random{std::random_device{}()};
};

} // namespace llmops
