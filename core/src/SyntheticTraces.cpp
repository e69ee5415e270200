// SPDX-License-Identifier: MIT
// Synthetic traces for trying the dashboard and measuring it at volume: routes, models, token
// counts priced from the price table, latencies with a long tail, flags, cache hits and blocks.
// Every row is marked synthetic = 1 so that it can be distinguished from real traffic.
#include "SyntheticTraces.h"

#include "TraceMetrics.h"

#include <array>
#include <chrono>
#include <cmath>
#include <random>

#include "llmops/engine.h"

namespace llmops {
namespace {

constexpr std::int64_t kDayMs = 86400000;
constexpr std::int64_t kBatchSize = 5000;

// A route of the default rule set shape with the model it sends to and that model's speed.
struct SyntheticRoute {
    const char* route;
    const char* model;
    const char* provider;
    double share;             // of the answered questions
    double medianLatencyMs;   // of the generator call
    double medianOutputTokens;
};

constexpr std::array<SyntheticRoute, 3> kRoutes = {{
    {"simple", "gpt-4o-mini", "openai", 0.6, 700.0, 120.0},
    {"standard", "gpt-4o", "openai", 0.3, 1400.0, 260.0},
    {"complex", "claude-sonnet-4-5", "anthropic", 0.1, 3200.0, 520.0},
}};

constexpr std::array<const char*, 8> kQuestions = {
    "How do I rotate the API keys of a workspace?",
    "What does the retriever do when the embedder is unreachable?",
    "Compare the cost of the cheap and the expensive route for long prompts.",
    "Which flags does the output validator raise?",
    "How are hourly buckets aligned across time zones?",
    "Explain how reciprocal rank fusion weighs the two result lists.",
    "Why was my question blocked by the input guard?",
    "Summarise the retry policy for rate-limited providers.",
};

class TraceFactory {
public:
    TraceFactory(const PriceTable& prices, std::uint64_t seed) : m_prices(prices), m_random(seed) {}

    // Makes one trace with its spans and sets *status to the status it is stored with.
    QueryResult make(std::string* status)
    {
        QueryResult result;
        result.query = kQuestions[pick(kQuestions.size())];
        const double roll = uniform();
        if (roll < 0.03)
            return blocked(result, status);
        const SyntheticRoute& route = chooseRoute();
        result.route = route.route;
        result.model = route.model;
        if (roll < 0.15)
            return cached(result, status);
        if (roll < 0.16)
            return failed(result, route, status);
        return answered(result, route, status);
    }

private:
    double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(m_random); }
    std::size_t pick(std::size_t size) { return std::uniform_int_distribution<std::size_t>(0, size - 1)(m_random); }

    // Log-normal around median with a 2 % tail five to twenty times slower.
    double withTail(double median, double sigma)
    {
        double value = median * std::exp(sigma * std::normal_distribution<double>(0.0, 1.0)(m_random));
        if (uniform() < 0.02)
            value *= 5.0 + 15.0 * uniform();
        return value;
    }

    const SyntheticRoute& chooseRoute()
    {
        double roll = uniform();
        for (const SyntheticRoute& route : kRoutes) {
            if (roll < route.share)
                return route;
            roll -= route.share;
        }
        return kRoutes.back();
    }

    void span(QueryResult& result, const char* name, double ms, const char* state, std::string detail)
    {
        const auto durationUs = static_cast<std::int64_t>(ms * 1000.0);
        result.spans.push_back({name, result.totalUs, durationUs, state, std::move(detail)});
        result.totalUs += durationUs;
    }

    QueryResult blocked(QueryResult& result, std::string* status)
    {
        *status = "blocked";
        result.blocked = true;
        result.answer = "The question was blocked: it looks like a prompt injection.";
        result.flags.push_back({"prompt_injection", "synthetic: ignore-instructions cue", 0, 0});
        span(result, "input_guard", withTail(1.5, 0.3), "blocked", "prompt_injection");
        return result;
    }

    QueryResult cached(QueryResult& result, std::string* status)
    {
        *status = "cached";
        result.cached = true;
        result.answer = "Served from the answer cache.";
        span(result, "input_guard", withTail(1.2, 0.3), "ok", "clean");
        span(result, "router", withTail(0.2, 0.3), "ok", result.route);
        span(result, "cache", withTail(0.8, 0.4), "hit", "exact match");
        return result;
    }

    QueryResult failed(QueryResult& result, const SyntheticRoute& route, std::string* status)
    {
        *status = "error";
        span(result, "input_guard", withTail(1.2, 0.3), "ok", "clean");
        span(result, "router", withTail(0.2, 0.3), "ok", result.route);
        span(result, "cache", withTail(0.6, 0.3), "miss", "");
        span(result, "retriever", withTail(12.0, 0.4), "ok", "5 chunks");
        span(result, "generator", withTail(route.medianLatencyMs * 4.0, 0.5), "error",
             std::string(route.model) + " attempt 1: HTTP 503 from the provider");
        result.flags.push_back({"generator_error", "synthetic: provider unavailable", 0, 0});
        return result;
    }

    QueryResult answered(QueryResult& result, const SyntheticRoute& route, std::string* status)
    {
        *status = "ok";
        result.answer = "Synthetic answer drawn from the indexed documents [1].";
        span(result, "input_guard", withTail(1.2, 0.3), "ok", "clean");
        span(result, "router", withTail(0.2, 0.3), "ok", result.route);
        span(result, "cache", withTail(0.6, 0.3), "miss", "");
        span(result, "retriever", withTail(12.0, 0.4), "ok", "5 chunks");
        useTokens(result, route);

        const double generatorMs = withTail(route.medianLatencyMs, 0.45);
        const double firstTokenMs = generatorMs * (0.15 + 0.2 * uniform());
        char firstToken[48];
        std::snprintf(firstToken, sizeof(firstToken), ", first token %.1f ms", firstTokenMs);
        span(result, "generator", generatorMs, "ok",
             std::string(route.model) + " attempt 1: " + std::to_string(result.usage.inputTokens) + " in, " +
                 std::to_string(result.usage.outputTokens) + " out" + firstToken);

        const bool unsupported = uniform() < 0.08;
        if (unsupported)
            result.flags.push_back({"unsupported_claim", "synthetic: sentence 2 has support 0.31", 0, 0});
        if (uniform() < 0.01)
            result.flags.push_back({"pii_leak", "synthetic: e-mail address in the answer", 0, 0});
        span(result, "output_validator", withTail(2.0, 0.4), unsupported ? "flagged" : "ok",
             unsupported ? "1 unsupported claim" : "all claims supported");
        return result;
    }

    void useTokens(QueryResult& result, const SyntheticRoute& route)
    {
        TokenUsage& usage = result.usage;
        usage.inputTokens = static_cast<std::int64_t>(withTail(1400.0, 0.35));
        usage.outputTokens = static_cast<std::int64_t>(withTail(route.medianOutputTokens, 0.5));
        if (uniform() < 0.3)
            usage.cachedInputTokens = usage.inputTokens / 2;
        if (std::string_view(route.provider) == "anthropic")
            usage.reasoningTokens = usage.outputTokens / 3;

        const ModelPrice* price = m_prices.find(route.model, route.provider);
        if (price != nullptr) {
            result.cost = priceUsage(usage, *price);
            result.cost.source = "table";
            result.cost.pricedModel = price->model;
            result.cost.tableVersion = m_prices.version();
        } else {
            result.cost.source = "unpriced";
        }
        result.costUsd = result.cost.totalUsd;
    }

    const PriceTable& m_prices;
    std::mt19937_64 m_random;
};

constexpr const char* kInsertTrace = R"sql(
    INSERT INTO traces(started_at, query, answer, route, model, input_tokens, output_tokens, cost_usd,
                       total_us, status, flags, result, synthetic, first_token_us)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?))sql";
constexpr const char* kInsertSpan =
    "INSERT INTO spans(trace_id, ordinal, name, start_us, duration_us, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)";

// Writes one trace and its spans with statements prepared once per batch.
Status insertSynthetic(Database& database, Statement& trace, Statement& span, const QueryResult& result,
                       const std::string& status, std::int64_t startedAtMs)
{
    std::string flags;
    for (const Flag& flag : result.flags)
        flags += (flags.empty() ? "" : ",") + flag.kind;

    trace.reset();
    trace.bind(1, startedAtMs).bind(2, result.query).bind(3, result.answer).bind(4, result.route);
    trace.bind(5, result.model).bind(6, result.usage.inputTokens).bind(7, result.usage.outputTokens);
    trace.bind(8, result.costUsd).bind(9, result.totalUs).bind(10, status).bind(11, flags);
    trace.bind(12, queryResultToJson(result)).bind(13, firstTokenUs(result.spans));
    if (Status outcome = trace.run(); !outcome.isOk())
        return outcome;

    const std::int64_t traceId = database.lastInsertId();
    for (std::size_t i = 0; i < result.spans.size(); ++i) {
        const Span& stage = result.spans[i];
        span.reset();
        span.bind(1, traceId).bind(2, static_cast<std::int64_t>(i)).bind(3, stage.name).bind(4, stage.startUs);
        span.bind(5, stage.durationUs).bind(6, stage.status).bind(7, stage.detail);
        if (Status outcome = span.run(); !outcome.isOk())
            return outcome;
    }
    return Status::ok();
}

} // namespace

Result<std::int64_t> generateSyntheticTraces(Database& database, const PriceTable& prices,
                                             const SyntheticTraceOptions& options)
{
    if (options.count <= 0 || options.count > 100000000)
        return Status::invalidArgument("trace count " + std::to_string(options.count) +
                                       " is out of range; choose 1 to 100000000");
    if (options.days <= 0 || options.days > 3660)
        return Status::invalidArgument("day count " + std::to_string(options.days) +
                                       " is out of range; choose 1 to 3660");

    using namespace std::chrono;
    const std::int64_t nowMs = options.nowMs > 0
                                   ? options.nowMs
                                   : duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    const std::int64_t spanMs = options.days * kDayMs;
    TraceFactory factory(prices, options.seed);
    std::mt19937_64 clock(options.seed ^ 0x9E3779B97F4A7C15ULL);

    std::int64_t written = 0;
    while (written < options.count) {
        if (options.cancel != nullptr && options.cancel->load())
            return Status::cancelled("trace generation was cancelled after " + std::to_string(written) + " traces");
        Transaction transaction(database);
        if (!transaction.beginStatus().isOk())
            return transaction.beginStatus();
        Statement trace(database, kInsertTrace);
        Statement span(database, kInsertSpan);
        const std::int64_t end = std::min(options.count, written + kBatchSize);
        for (; written < end; ++written) {
            std::string status;
            const QueryResult result = factory.make(&status);
            const std::int64_t offset = std::uniform_int_distribution<std::int64_t>(0, spanMs - 1)(clock);
            if (Status outcome = insertSynthetic(database, trace, span, result, status,
                                                     nowMs - spanMs + offset); !outcome.isOk())
                return Status::ioError("failed to store synthetic traces: " + outcome.message());
        }
        if (Status outcome = transaction.commit(); !outcome.isOk())
            return outcome;
    }
    return written;
}

} // namespace llmops
