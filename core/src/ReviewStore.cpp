// SPDX-License-Identifier: MIT
// The review queue of the workspace: flagged responses and the verdicts reviewers give them.
#include "WorkspaceStore.h"

#include <array>
#include <chrono>

namespace llmops {
namespace {

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

constexpr std::array<std::string_view, 5> kKinds = {"guardrail_block", "unsupported_claim", "pii_leak",
                                                    "eval_regression", "alert"};
constexpr std::array<std::string_view, 3> kVerdicts = {"correct", "hallucination", "false_alarm"};

template <std::size_t N>
bool isOneOf(const std::array<std::string_view, N>& values, const std::string& value)
{
    for (const std::string_view candidate : values) {
        if (candidate == value)
            return true;
    }
    return false;
}

// The WHERE clause of a filter and its bound values, in order.
struct FilterSql {
    std::string where;
    std::vector<std::string> texts;
    std::vector<std::int64_t> times;
};

FilterSql filterSql(const ReviewFilter& filter)
{
    FilterSql sql;
    sql.where = " WHERE 1 = 1";
    const auto addText = [&](const std::string& value, const char* condition) {
        if (value.empty())
            return;
        sql.where += condition;
        sql.texts.push_back(value);
    };
    addText(filter.kind, " AND r.kind = ?");
    addText(filter.status, " AND r.status = ?");
    addText(filter.route, " AND t.route = ?");
    addText(filter.model, " AND t.model = ?");
    if (filter.fromMs > 0) {
        sql.where += " AND r.created_at >= ?";
        sql.times.push_back(filter.fromMs);
    }
    if (filter.toMs > 0) {
        sql.where += " AND r.created_at < ?";
        sql.times.push_back(filter.toMs);
    }
    return sql;
}

// Binds a filter's values from parameter 1 on and returns the next free parameter index.
int bindFilter(Statement& statement, const FilterSql& sql)
{
    int index = 1;
    for (const std::string& text : sql.texts)
        statement.bind(index++, std::string_view(text));
    for (const std::int64_t time : sql.times)
        statement.bind(index++, time);
    return index;
}

constexpr const char* kItemColumns =
    "SELECT r.id, r.kind, COALESCE(r.trace_id, 0), r.eval_ref, r.detail, r.status, r.verdict, r.note, "
    "r.corrected_answer, r.created_at, r.updated_at, COALESCE(t.query, ''), COALESCE(t.answer, ''), "
    "COALESCE(t.route, ''), COALESCE(t.model, '') FROM review_items r LEFT JOIN traces t ON t.id = r.trace_id";

ReviewItem readItem(const Statement& row)
{
    ReviewItem item;
    item.id = row.columnInt(0);
    item.kind = row.columnText(1);
    item.traceId = row.columnInt(2);
    item.evalRef = row.columnText(3);
    item.detail = row.columnText(4);
    item.status = row.columnText(5);
    item.verdict = row.columnText(6);
    item.note = row.columnText(7);
    item.correctedAnswer = row.columnText(8);
    item.createdAtMs = row.columnInt(9);
    item.updatedAtMs = row.columnInt(10);
    item.query = row.columnText(11);
    item.answer = row.columnText(12);
    item.route = row.columnText(13);
    item.model = row.columnText(14);
    return item;
}

} // namespace

bool WorkspaceStore::hasTrace(std::int64_t traceId)
{
    Statement query(m_database, "SELECT 1 FROM traces WHERE id = ?");
    query.bind(1, traceId);
    return query.step();
}

Result<std::int64_t> WorkspaceStore::insertReviewItem(const std::string& kind, std::int64_t traceId,
                                                      const std::string& evalRef, const std::string& detail)
{
    if (!isOneOf(kKinds, kind))
        return Status::invalidArgument("unknown review item kind \"" + kind +
                                       "\"; use guardrail_block, unsupported_claim, pii_leak, eval_regression or alert");
    Statement insert(m_database, "INSERT INTO review_items(kind, trace_id, eval_ref, detail, created_at, updated_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?)");
    const std::int64_t now = nowMs();
    insert.bind(1, kind);
    if (traceId > 0)
        insert.bind(2, traceId);
    else
        insert.bindNull(2);
    insert.bind(3, evalRef).bind(4, detail).bind(5, now).bind(6, now);
    if (Status status = insert.run(); !status.isOk())
        return Status::ioError("cannot queue a review item in " + m_path + ": " + status.message());
    return m_database.lastInsertId();
}

Result<std::vector<ReviewItem>> WorkspaceStore::reviewItems(const ReviewFilter& filter)
{
    const FilterSql sql = filterSql(filter);
    Statement query(m_database, std::string(kItemColumns) + sql.where + " ORDER BY r.created_at DESC, r.id DESC LIMIT ?");
    const int next = bindFilter(query, sql);
    query.bind(next, static_cast<std::int64_t>(filter.limit > 0 ? filter.limit : 1000));
    std::vector<ReviewItem> items;
    while (query.step())
        items.push_back(readItem(query));
    if (!query.status().isOk())
        return query.status();
    return items;
}

Result<ReviewCounts> WorkspaceStore::reviewCounts(const ReviewFilter& filter)
{
    const FilterSql sql = filterSql(filter);
    Statement query(m_database, "SELECT r.verdict, COUNT(*) FROM review_items r LEFT JOIN traces t ON t.id = r.trace_id" +
                                    sql.where + " GROUP BY r.verdict");
    bindFilter(query, sql);
    ReviewCounts counts;
    while (query.step()) {
        const std::string verdict = query.columnText(0);
        const std::int64_t count = query.columnInt(1);
        counts.total += count;
        if (verdict.empty())
            counts.open += count;
        else if (verdict == "correct")
            counts.correct += count;
        else if (verdict == "hallucination")
            counts.hallucination += count;
        else
            counts.falseAlarm += count;
    }
    if (!query.status().isOk())
        return query.status();
    return counts;
}

Result<ReviewItem> WorkspaceStore::reviewItem(std::int64_t id)
{
    Statement query(m_database, std::string(kItemColumns) + " WHERE r.id = ?");
    query.bind(1, id);
    if (query.step())
        return readItem(query);
    if (!query.status().isOk())
        return query.status();
    return Status::notFound("no review item with id " + std::to_string(id) + " in " + m_path +
                            "; list ids with `llmops review list`");
}

Status WorkspaceStore::setReviewVerdict(std::int64_t id, const std::string& verdict, const std::string& note,
                                        const std::string& correctedAnswer)
{
    if (!isOneOf(kVerdicts, verdict))
        return Status::invalidArgument("unknown verdict \"" + verdict + "\"; use correct, hallucination or false_alarm");
    Statement update(m_database, "UPDATE review_items SET verdict = ?, note = ?, corrected_answer = ?, "
                                 "status = 'done', updated_at = ? WHERE id = ?");
    update.bind(1, verdict).bind(2, note).bind(3, correctedAnswer).bind(4, nowMs()).bind(5, id);
    if (Status status = update.run(); !status.isOk())
        return Status::ioError("cannot store the verdict in " + m_path + ": " + status.message());
    if (m_database.changes() == 0)
        return Status::notFound("no review item with id " + std::to_string(id) + " in " + m_path +
                                "; list ids with `llmops review list`");
    return Status::ok();
}

} // namespace llmops
