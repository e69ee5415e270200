// SPDX-License-Identifier: MIT
// One question through the pipeline: input guard, router, exact cache, retriever, generator,
// output validator and trace writer, each recorded as a span.
#include "EngineImpl.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "ResultJson.h"
#include "Retriever.h"
#include "SpanRecorder.h"
#include "llmops/cost.h"
#include "llmops/generator.h"
#include "llmops/guard.h"
#include "llmops/text.h"
#include "llmops/validator.h"

namespace llmops {
namespace {

Status checkQuestion(const std::string& question, std::size_t maxBytes)
{
    if (trimmed(question).empty())
        return Status::invalidArgument("the question is empty; type a question to ask");
    if (question.size() > maxBytes)
        return Status::invalidArgument("the question is " + std::to_string(question.size()) + " bytes, over the " +
                                       std::to_string(maxBytes) + "-byte limit; shorten it or raise max_query_bytes (llmops settings show, then settings load)");
    if (const std::size_t bad = findInvalidUtf8(question); bad != std::string::npos)
        return Status::invalidArgument("the question has invalid UTF-8 at byte " + std::to_string(bad) +
                                       "; send text encoded as UTF-8");
    return Status::ok();
}

// Lower-cases, collapses white space and drops trailing punctuation, so "How do I pay?" and
// "how do i  pay" share a cache entry.
std::string normaliseForCache(const std::string& question)
{
    std::string normal;
    for (const std::string& word : tokenizeWords(question)) {
        if (!normal.empty())
            normal += ' ';
        normal += word;
    }
    return normal;
}

std::string snippetOf(const std::string& text, std::size_t maxBytes)
{
    if (text.size() <= maxBytes)
        return text;
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;  // step back to the start of a UTF-8 sequence
    return text.substr(0, cut) + "…";
}

std::vector<Citation> citationsFor(const Completion& completion, const std::vector<RetrievalHit>& context)
{
    std::vector<Citation> citations;
    for (const int number : completion.citedContext) {
        if (number < 1 || number > static_cast<int>(context.size()))
            continue;
        const RetrievalHit& hit = context[static_cast<std::size_t>(number - 1)];
        citations.push_back({number, hit.chunk.id, hit.documentPath, hit.documentTitle, hit.chunk.headingPath,
                             snippetOf(hit.chunk.text, 240)});
    }
    return citations;
}

// The cost of one call. A model without a known price costs zero, and problem receives the reason
// for the span detail, because a question that was answered should not fail over its price.
CostBreakdown costOf(const TokenUsage& usage, const ModelEndpoint& model, const PriceTable& prices,
                     std::string* problem)
{
    Result<CostBreakdown> cost = computeCost(usage, model, prices);
    if (cost.isOk())
        return cost.value();
    *problem = cost.status().message();
    CostBreakdown unpriced;
    unpriced.source = "unpriced";
    unpriced.tableVersion = prices.version();
    return unpriced;
}

// ", $0.001234" or ", cost unknown: <reason>", for the generator's span.
std::string describeCost(const CostBreakdown& cost, const std::string& problem)
{
    if (!problem.empty())
        return ", cost unknown: " + problem;
    char buffer[48];
    std::snprintf(buffer, sizeof(buffer), ", $%.6f", cost.totalUsd);
    return buffer;
}

const ModelEndpoint* findModel(const PipelineSettings& settings, const std::string& name)
{
    const auto found = std::find_if(settings.models.begin(), settings.models.end(),
                                    [&](const ModelEndpoint& m) { return m.name == name; });
    return found == settings.models.end() ? nullptr : &*found;
}

// The distinct finding kinds, such as "prompt_injection, pii.email".
std::string describeFindings(const InputGuardVerdict& verdict)
{
    if (verdict.findings.empty())
        return "no findings";
    std::string kinds;
    for (const Flag& flag : verdict.findings) {
        if (kinds.find(flag.kind) == std::string::npos)
            kinds += (kinds.empty() ? "" : ", ") + flag.kind;
    }
    return kinds;
}

// "vector 0.31 ms, BM25 1.20 ms, load 0.05 ms", for the retriever's span.
std::string describeTimings(const Retriever::Timings& timings)
{
    char buffer[96];
    std::snprintf(buffer, sizeof(buffer), "vector %.2f ms, BM25 %.2f ms, load %.2f ms", timings.vectorUs / 1000.0,
                  timings.keywordUs / 1000.0, timings.loadUs / 1000.0);
    return buffer;
}

std::string formatScore(double score)
{
    char buffer[16];
    std::snprintf(buffer, sizeof(buffer), "%.2f", score);
    return buffer;
}

// The routed model followed by its fallbacks, skipping names that are not configured (the
// settings validation rejects those, so this only guards against a model removed meanwhile).
std::vector<const ModelEndpoint*> modelChain(const PipelineSettings& settings, const RouteDecision& route)
{
    std::vector<const ModelEndpoint*> chain;
    if (const ModelEndpoint* model = findModel(settings, route.model))
        chain.push_back(model);
    for (const std::string& name : route.fallbacks) {
        if (const ModelEndpoint* model = findModel(settings, name))
            chain.push_back(model);
    }
    if (chain.empty())
        chain.push_back(&settings.models.front());
    return chain;
}

// The answer shown for a blocked question, naming what blocked it.
std::string blockedAnswer(const InputGuardVerdict& verdict)
{
    if (verdict.blockReason.find("prompt_injection") != std::string::npos)
        return "This question was not answered because it looks like a prompt injection (score " +
               formatScore(verdict.injectionScore) + "). See the flags for the matched phrases.";
    return "This question was not answered because it contains data this workspace blocks (" + verdict.blockReason +
           "). Remove it and ask again.";
}

bool cancelled(const AskOptions& options)
{
    return options.cancel != nullptr && options.cancel->load();
}

} // namespace

Result<QueryResult> Engine::ask(const std::string& question, const AskOptions& options)
{
    Impl& impl = *m_impl;
    const PipelineSettings& settings = impl.settings;
    if (Status status = checkQuestion(question, settings.maxQueryBytes); !status.isOk())
        return status;

    const std::int64_t startedAtMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count();
    QueryResult result;
    result.metadata = options.metadata;
    result.ruleSetVersion = impl.activeRuleSet;
    SpanRecorder spans(&result.spans);

    // 1. Input guard: block, redact or flag each finding by the action of its kind, before any
    //    later stage (or the stored trace) reads the text.
    spans.begin();
    const InputGuardVerdict verdict = checkInput(question, settings.inputGuard);
    result.query = verdict.sanitizedText;
    result.flags = verdict.findings;
    result.blocked = verdict.blocked;
    spans.end("input_guard", verdict.blocked ? "blocked" : "ok", describeFindings(verdict));
    if (result.blocked) {
        result.answer = blockedAnswer(verdict);
        return impl.finishQuery(std::move(result), spans, startedAtMs, "blocked", "");
    }

    // 2. Router: the first rule whose condition holds over the query's features picks the model.
    spans.begin();
    std::vector<std::string> flagKinds;
    for (const Flag& flag : result.flags)
        flagKinds.push_back(flag.kind);
    const QueryFeatures features = impl.router->features(result.query, flagKinds, options.metadata);
    const RouteDecision route = impl.router->route(features, result.query);
    result.route = route.rule;
    result.routeReason = route.reason;
    result.model = route.model;
    spans.end("router", "ok", "rule set v" + std::to_string(impl.activeRuleSet) + ": " + route.rule + " -> " +
                                  route.model + " (" + route.reason + ")");

    // 3. Exact cache, keyed by the normalised question, the settings and the index version.
    spans.begin();
    const bool useCache = settings.cacheEnabled && options.useCache;
    const std::string cacheKey = sha256Hex(normaliseForCache(result.query) + '\n' + impl.settingsJson + '\n' +
                                           std::to_string(impl.store.indexVersion()));
    if (const auto hit = useCache ? impl.store.cachedResult(cacheKey) : std::nullopt) {
        if (Result<QueryResult> stored = queryResultFromJson(*hit); stored.isOk()) {
            spans.end("cache", "hit", "exact match");
            return impl.finishCachedQuery(std::move(stored.value()), std::move(result), spans, startedAtMs);
        }
    }
    spans.end("cache", useCache ? "miss" : "skipped", useCache ? "no exact match" : "cache disabled");

    if (cancelled(options))
        return Status::cancelled("the question was cancelled");

    // 4. Retriever: hybrid nearest-neighbour and BM25 search.
    spans.begin();
    Retriever retriever(impl.store, impl.index, *impl.embedder, impl.chunkCount());
    Result<std::vector<RetrievalHit>> context = retriever.retrieve(result.query, settings.retrieval);
    if (!context.isOk()) {
        spans.end("retriever", "error", context.status().message());
        return context.status();
    }
    result.context = std::move(context.value());
    std::string retrieved = std::to_string(result.context.size()) + " chunks (" + describeTimings(retriever.timings()) + ")";
    if (const std::string& problem = retriever.timings().vectorProblem; !problem.empty()) {
        retrieved += ", keyword search only: " + problem;
        result.flags.push_back({"retrieval_degraded", "keyword search only, because the embedder failed: " + problem, 0, 0});
    }
    if (!impl.embedderProblem.empty())
        result.flags.push_back({"retrieval_degraded", "the configured embedder is unavailable, so the stored vectors of " +
                                                          impl.embedder->id() + " are searched: " + impl.embedderProblem,
                                0, 0});
    spans.end("retriever", "ok", retrieved);

    // 5. Generator: the routed model, then its fallbacks, each with retries on transient errors.
    GenerationRequest generation;
    generation.query = result.query;
    generation.context = result.context;
    generation.systemPrompt = settings.systemPrompt;
    generation.cancel = options.cancel;
    generation.onToken = options.onToken;
    std::string answeredBy;
    Result<Completion> completion = impl.modelCaller.call(modelChain(settings, route), generation, spans, &answeredBy);
    if (!completion.isOk()) {
        result.answer = "";
        result.flags.push_back({"generator_error", completion.status().toString(), 0, 0});
        (void)impl.finishQuery(std::move(result), spans, startedAtMs, "error", "");
        return completion.status();
    }
    const ModelEndpoint* model = findModel(settings, answeredBy);
    result.model = answeredBy;
    result.answer = completion->text;
    result.usage = completion->usage;
    std::string costProblem;
    result.cost = costOf(result.usage, model != nullptr ? *model : settings.models.front(), impl.prices, &costProblem);
    result.costUsd = result.cost.totalUsd;
    result.citations = citationsFor(completion.value(), result.context);
    // The successful attempt is the last generator span, so its detail gets the cost.
    result.spans.back().detail += describeCost(result.cost, costProblem);

    // 6. Output validator: every answer sentence must be supported by a retrieved chunk. An
    // answer that only says the documents do not cover the question makes no claim to check.
    spans.begin();
    if (completion->abstained) {
        spans.end("output_validator", "skipped", "no claims: the generator found no answer");
        return impl.finishQuery(std::move(result), spans, startedAtMs, "ok", useCache ? cacheKey : "");
    }
    //    PII in the answer that neither the question nor the context contained is a leak. The
    //    question is compared as asked, because redaction removed its PII from result.query.
    ValidationReport validation = validateAnswer(result.answer, result.context, settings.validation);
    result.claims = std::move(validation.claims);
    const std::size_t unsupported = validation.flags.size();
    result.flags.insert(result.flags.end(), validation.flags.begin(), validation.flags.end());
    const std::vector<Flag> leaks = findPiiLeaks(result.answer, question, result.context);
    result.flags.insert(result.flags.end(), leaks.begin(), leaks.end());
    std::string validatorDetail = std::to_string(result.claims.size() - unsupported) + " of " +
                                  std::to_string(result.claims.size()) + " claims supported";
    if (!leaks.empty())
        validatorDetail += ", " + std::to_string(leaks.size()) + " PII leaks";
    spans.end("output_validator", unsupported == 0 && leaks.empty() ? "ok" : "flagged", validatorDetail);

    // 7. Trace writer (inside finishQuery), which also fills the cache.
    return impl.finishQuery(std::move(result), spans, startedAtMs, "ok", useCache ? cacheKey : "");
}

Result<QueryResult> Engine::Impl::finishCachedQuery(QueryResult stored, QueryResult current, SpanRecorder& spans,
                                                   std::int64_t startedAtMs)
{
    // The cached answer, with this query's own guard findings, route and spans; no model ran,
    // so it costs nothing and uses no tokens. The model stays the one that wrote the answer,
    // which after a fallback is not the routed one.
    stored.query = std::move(current.query);
    stored.route = std::move(current.route);
    stored.routeReason = std::move(current.routeReason);
    stored.ruleSetVersion = current.ruleSetVersion;
    stored.metadata = std::move(current.metadata);
    stored.flags.insert(stored.flags.begin(), current.flags.begin(), current.flags.end());
    stored.spans = std::move(current.spans);
    stored.cached = true;
    stored.costUsd = 0.0;
    stored.cost = {};
    stored.usage = {};
    return finishQuery(std::move(stored), spans, startedAtMs, "cached", "");
}

Result<QueryResult> Engine::Impl::finishQuery(QueryResult result, SpanRecorder& spans, std::int64_t startedAtMs,
                                              const std::string& status, const std::string& cacheKey)
{
    spans.begin();
    result.totalUs = spans.elapsedUs();  // stored total: up to the trace writer, which times itself
    QueryResult stored = result;
    stored.spans.clear();  // spans live in their own table
    const std::string json = queryResultToJson(stored);
    if (!cacheKey.empty())
        (void)store.storeCachedResult(cacheKey, json);

    Span writer;
    Result<std::int64_t> traceId = store.insertTrace(result, status, json, startedAtMs, [&] {
        writer = spans.finish("trace_writer", "ok", "trace stored");
        return writer;
    });
    if (!traceId.isOk())
        return traceId.status();
    result.traceId = traceId.value();
    result.spans.push_back(writer);
    result.totalUs = spans.elapsedUs();
    return result;
}

} // namespace llmops
