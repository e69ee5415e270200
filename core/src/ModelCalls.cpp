// SPDX-License-Identifier: MIT
#include "ModelCalls.h"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace llmops {
namespace {

constexpr std::chrono::milliseconds kMaxBackoff{8000};
constexpr std::chrono::milliseconds kMaxRetryAfter{30000};

// Sleeps in short steps so that a cancel request ends the wait at once.
bool sleepUnlessCancelled(std::chrono::milliseconds delay, const std::atomic<bool>* cancel)
{
    const auto until = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < until) {
        if (cancel != nullptr && cancel->load())
            return false;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(20), until - std::chrono::steady_clock::now()));
    }
    return true;
}

std::string describeFirstToken(double milliseconds)
{
    if (milliseconds <= 0.0)
        return {};
    char buffer[48];
    std::snprintf(buffer, sizeof(buffer), ", first token %.1f ms", milliseconds);
    return buffer;
}

// Lists the token buckets of one attempt, naming the cached, cache-write and reasoning parts
// only when the provider reported them, so a local model's line stays short.
std::string describeUsage(const TokenUsage& usage)
{
    std::string text = std::to_string(usage.inputTokens);
    text += " in";
    std::vector<std::string> inputParts;
    if (usage.cachedInputTokens > 0)
        inputParts.push_back(std::to_string(usage.cachedInputTokens) + " cached");
    if (usage.cacheWriteTokens > 0)
        inputParts.push_back(std::to_string(usage.cacheWriteTokens) + " cache writes");
    if (!inputParts.empty()) {
        text += " (";
        for (std::size_t i = 0; i < inputParts.size(); ++i)
            text += (i == 0 ? "" : ", ") + inputParts[i];
        text += ')';
    }
    text += " / ";
    text += std::to_string(usage.outputTokens);
    text += " out";
    if (usage.reasoningTokens > 0) {
        text += " (";
        text += std::to_string(usage.reasoningTokens);
        text += " reasoning)";
    }
    return text + " tokens";
}

std::string describeFailure(const Status& status)
{
    std::string text = statusCodeName(status.code());
    if (status.httpStatus() != 0) {
        text += ' ';
        text += std::to_string(status.httpStatus());
    }
    text += ": ";
    text += status.message();
    return text;
}

} // namespace

bool isRetryable(const Status& status)
{
    if (status.code() == StatusCode::RateLimited || status.code() == StatusCode::Timeout)
        return true;
    const int http = status.httpStatus();
    return http == 429 || http == 500 || http == 502 || http == 503 || http == 504 || http == 529;
}

std::chrono::milliseconds backoffDelay(int retry, int baseMs, const Status& failure, std::mt19937_64& random)
{
    const long long ceiling = std::min<long long>(kMaxBackoff.count(),
                                                  static_cast<long long>(std::max(1, baseMs)) << std::min(retry - 1, 20));
    std::uniform_int_distribution<long long> jitter(0, ceiling);
    const long long retryAfter = std::min<long long>(failure.retryAfterMs(), kMaxRetryAfter.count());
    return std::chrono::milliseconds(std::max(jitter(random), retryAfter));
}

Result<Completion> ModelCaller::callWithRetries(const ModelEndpoint& endpoint, const GenerationRequest& request,
                                                SpanRecorder& spans, std::string* attempts)
{
    Result<std::unique_ptr<Generator>> generator = makeGenerator(endpoint);
    if (!generator.isOk())
        return generator.status();

    Status failure;
    for (int attempt = 0; attempt <= std::max(0, endpoint.maxRetries); ++attempt) {
        if (attempt > 0) {
            const auto delay = backoffDelay(attempt, endpoint.retryBaseMs, failure, m_random);
            if (!sleepUnlessCancelled(delay, request.cancel))
                return Status::cancelled("the question was cancelled while waiting to retry " + endpoint.name);
        }

        spans.begin();
        Result<Completion> completion = generator.value()->generate(request);
        const std::string label = endpoint.name + " attempt " + std::to_string(attempt + 1);
        if (completion.isOk()) {
            spans.end("generator", "ok",
                      label + ": " + describeUsage(completion->usage) + describeFirstToken(completion->firstTokenMs));
            return completion;
        }

        failure = completion.status();
        spans.end("generator", "error", label + ": " + describeFailure(failure));
        *attempts += (attempts->empty() ? "" : "; ") + label + ": " + describeFailure(failure);
        if (failure.code() == StatusCode::Cancelled || !isRetryable(failure))
            break;
        // A server that asks for a longer wait than one call may take is left to the fallback.
        if (failure.retryAfterMs() > std::min<long long>(kMaxRetryAfter.count(), endpoint.timeoutMs))
            break;
    }
    return failure;
}

bool ModelCaller::isCoolingDown(const std::string& name) const
{
    const auto found = m_health.find(name);
    return found != m_health.end() && std::chrono::steady_clock::now() < found->second.coolingUntil;
}

void ModelCaller::recordOutcome(const std::string& name, bool succeeded)
{
    Health& health = m_health[name];
    health.consecutiveFailures = succeeded ? 0 : health.consecutiveFailures + 1;
    if (health.consecutiveFailures >= kCooldownFailures)
        health.coolingUntil = std::chrono::steady_clock::now() + kCooldown;
}

Result<Completion> ModelCaller::call(const std::vector<const ModelEndpoint*>& chain, const GenerationRequest& request,
                                     SpanRecorder& spans, std::string* answeredBy)
{
    std::string attempts;
    Status failure = Status::invalidArgument("the route names no model endpoint");
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const ModelEndpoint& endpoint = *chain[i];
        const bool last = i + 1 == chain.size();
        if (!last && isCoolingDown(endpoint.name)) {
            spans.begin();
            spans.end("generator", "skipped", endpoint.name + " skipped: cooling down after repeated failures");
            continue;
        }

        Result<Completion> completion = callWithRetries(endpoint, request, spans, &attempts);
        recordOutcome(endpoint.name, completion.isOk());
        if (completion.isOk()) {
            *answeredBy = endpoint.name;
            return completion;
        }
        failure = completion.status();
        if (failure.code() == StatusCode::Cancelled)
            return failure;
    }

    if (chain.size() <= 1 && attempts.find(';') == std::string::npos)
        return failure;  // a single attempt: its own message is the clearest
    Status combined = Status::upstream("every model of the route failed: " + attempts);
    combined.setHttpStatus(failure.httpStatus());
    return combined;
}

} // namespace llmops
