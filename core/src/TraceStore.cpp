// SPDX-License-Identifier: MIT
// Traces, their spans, and the exact-match answer cache of the workspace.
#include "WorkspaceStore.h"

#include "ResultJson.h"
#include "TraceMetrics.h"

#include <chrono>

namespace llmops {
namespace {

std::string joinFlagKinds(const std::vector<Flag>& flags)
{
    std::string joined;
    for (const Flag& flag : flags) {
        if (joined.find(flag.kind) != std::string::npos)
            continue;
        if (!joined.empty())
            joined += ',';
        joined += flag.kind;
    }
    return joined;
}

Status insertSpans(Database& database, std::int64_t traceId, const std::vector<Span>& spans, int firstOrdinal)
{
    Statement insert(database, "INSERT INTO spans(trace_id, ordinal, name, start_us, duration_us, status, detail) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const Span& span = spans[i];
        insert.reset();
        insert.bind(1, traceId).bind(2, static_cast<std::int64_t>(firstOrdinal) + static_cast<std::int64_t>(i));
        insert.bind(3, span.name);
        insert.bind(4, span.startUs).bind(5, span.durationUs).bind(6, span.status).bind(7, span.detail);
        if (Status status = insert.run(); !status.isOk())
            return status;
    }
    return Status::ok();
}

Status insertClaims(Database& database, std::int64_t traceId, const std::vector<ClaimVerdict>& claims)
{
    Statement insert(database, R"sql(
        INSERT INTO claim_verdicts(trace_id, ordinal, claim, begin_offset, end_offset, score, supported,
                                   context_number, chunk_id, document_path, heading_path)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    for (std::size_t i = 0; i < claims.size(); ++i) {
        const ClaimVerdict& claim = claims[i];
        insert.reset();
        insert.bind(1, traceId).bind(2, static_cast<std::int64_t>(i)).bind(3, claim.claim);
        insert.bind(4, static_cast<std::int64_t>(claim.begin)).bind(5, static_cast<std::int64_t>(claim.end));
        insert.bind(6, claim.score).bind(7, std::int64_t{claim.supported ? 1 : 0});
        insert.bind(8, static_cast<std::int64_t>(claim.bestContext));
        if (claim.chunkId > 0)
            insert.bind(9, claim.chunkId);
        else
            insert.bindNull(9);
        insert.bind(10, claim.documentPath).bind(11, claim.headingPath);
        if (Status status = insert.run(); !status.isOk())
            return status;
    }
    return Status::ok();
}

// The review item kinds a result raises, each with the details of its flags joined.
std::vector<std::pair<std::string, std::string>> reviewKinds(const QueryResult& result)
{
    std::vector<std::pair<std::string, std::string>> kinds;
    const auto add = [&](const std::string& kind, const std::string& detail) {
        for (auto& [existing, details] : kinds) {
            if (existing == kind) {
                details += "\n" + detail;
                return;
            }
        }
        kinds.emplace_back(kind, detail);
    };
    if (result.blocked)
        add("guardrail_block", "blocked: " + result.answer);
    for (const Flag& flag : result.flags) {
        if (flag.kind == "unsupported_claim" || flag.kind == "pii_leak")
            add(flag.kind, flag.detail);
    }
    return kinds;
}

} // namespace

Result<std::vector<ClaimVerdict>> WorkspaceStore::traceClaims(std::int64_t traceId)
{
    Statement query(m_database, "SELECT claim, supported, score, context_number, begin_offset, end_offset, "
                                "COALESCE(chunk_id, 0), document_path, heading_path FROM claim_verdicts "
                                "WHERE trace_id = ? ORDER BY ordinal");
    query.bind(1, traceId);
    std::vector<ClaimVerdict> claims;
    while (query.step()) {
        claims.push_back({query.columnText(0), query.columnInt(1) != 0, query.columnDouble(2),
                          static_cast<int>(query.columnInt(3)), static_cast<std::size_t>(query.columnInt(4)),
                          static_cast<std::size_t>(query.columnInt(5)), query.columnInt(6), query.columnText(7),
                          query.columnText(8)});
    }
    if (!query.status().isOk())
        return query.status();
    return claims;
}

std::optional<std::string> WorkspaceStore::cachedResult(const std::string& key)
{
    Statement query(m_database, "SELECT result FROM answer_cache WHERE key = ?");
    query.bind(1, key);
    if (!query.step())
        return std::nullopt;
    return query.columnText(0);
}

Status WorkspaceStore::storeCachedResult(const std::string& key, const std::string& resultJson)
{
    using namespace std::chrono;
    const auto now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    Statement upsert(m_database, "INSERT OR REPLACE INTO answer_cache(key, result, created_at) VALUES (?, ?, ?)");
    upsert.bind(1, key).bind(2, resultJson).bind(3, static_cast<std::int64_t>(now));
    return upsert.run();
}

Result<std::int64_t> WorkspaceStore::insertTrace(const QueryResult& result, const std::string& status,
                                                 const std::string& resultJson, std::int64_t startedAtMs,
                                                 const std::function<Span()>& finishWriterSpan)
{
    Transaction transaction(m_database);
    if (!transaction.beginStatus().isOk())
        return transaction.beginStatus();

    Statement insert(m_database, R"sql(
        INSERT INTO traces(started_at, query, answer, route, model, input_tokens, output_tokens, cost_usd,
                           total_us, status, flags, result, rule_set_version, metadata, first_token_us)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    insert.bind(1, startedAtMs).bind(2, result.query).bind(3, result.answer).bind(4, result.route);
    insert.bind(5, result.model).bind(6, result.usage.inputTokens).bind(7, result.usage.outputTokens);
    insert.bind(8, result.costUsd).bind(9, result.totalUs).bind(10, status);
    insert.bind(11, joinFlagKinds(result.flags)).bind(12, resultJson);
    insert.bind(13, static_cast<std::int64_t>(result.ruleSetVersion)).bind(14, metadataToJson(result.metadata));
    insert.bind(15, firstTokenUs(result.spans));
    Status outcome = insert.run();
    const std::int64_t traceId = m_database.lastInsertId();

    if (outcome.isOk())
        outcome = insertSpans(m_database, traceId, result.spans, 0);
    if (outcome.isOk())
        outcome = insertClaims(m_database, traceId, result.claims);
    // A cached answer was queued when it was first produced.
    for (const auto& [kind, detail] : reviewKinds(result)) {
        if (outcome.isOk() && status != "cached")
            outcome = insertReviewItem(kind, traceId, "", detail).status();
    }
    if (outcome.isOk())
        outcome = insertSpans(m_database, traceId, {finishWriterSpan()}, static_cast<int>(result.spans.size()));
    if (outcome.isOk())
        outcome = transaction.commit();
    if (!outcome.isOk())
        return Status::ioError("cannot store the trace in " + m_path + ": " + outcome.message());
    return traceId;
}

Result<std::vector<TraceSummary>> WorkspaceStore::recentTraces(int limit)
{
    Statement query(m_database, "SELECT id, started_at, query, route, model, cost_usd, total_us, flags, status "
                                "FROM traces ORDER BY started_at DESC, id DESC LIMIT ?");
    query.bind(1, static_cast<std::int64_t>(limit));
    std::vector<TraceSummary> traces;
    while (query.step()) {
        traces.push_back({query.columnInt(0), query.columnInt(1), query.columnText(2), query.columnText(3),
                          query.columnText(4), query.columnDouble(5), query.columnInt(6), query.columnText(7),
                          query.columnText(8)});
    }
    if (!query.status().isOk())
        return query.status();
    return traces;
}

Result<std::string> WorkspaceStore::traceResultJson(std::int64_t traceId)
{
    Statement query(m_database, "SELECT result FROM traces WHERE id = ?");
    query.bind(1, traceId);
    if (!query.step()) {
        if (!query.status().isOk())
            return query.status();
        return Status::notFound("no trace with id " + std::to_string(traceId) + " in " + m_path +
                                "; list ids with `llmops traces`");
    }
    return query.columnText(0);
}

Result<std::vector<Span>> WorkspaceStore::traceSpans(std::int64_t traceId)
{
    Statement query(m_database, "SELECT name, start_us, duration_us, status, detail FROM spans "
                                "WHERE trace_id = ? ORDER BY ordinal");
    query.bind(1, traceId);
    std::vector<Span> spans;
    while (query.step())
        spans.push_back({query.columnText(0), query.columnInt(1), query.columnInt(2), query.columnText(3),
                         query.columnText(4)});
    if (!query.status().isOk())
        return query.status();
    return spans;
}

} // namespace llmops
