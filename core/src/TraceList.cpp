// SPDX-License-Identifier: MIT
// The trace list of the Traces panel: stored traces filtered by time, route, model, flag,
// status and text, sorted by time, latency or cost.
#include "TraceMetrics.h"

namespace llmops {
namespace {

// A LIKE pattern that matches text anywhere, with the wildcard characters in text escaped.
std::string containsPattern(const std::string& text)
{
    std::string pattern = "%";
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            pattern += '\\';
        pattern += c;
    }
    pattern += '%';
    return pattern;
}

// The WHERE clause for filter and, in order, the text values its placeholders take.
std::string whereClause(const TraceFilter& filter, std::vector<std::string>* texts)
{
    std::string where = " WHERE started_at >= ?1 AND started_at < ?2";
    const auto add = [&](const std::string& value, const char* condition) {
        if (value.empty())
            return;
        texts->push_back(value);
        where += " AND ";
        where += condition;
        where += std::to_string(texts->size() + 2);
    };
    if (filter.id != 0)
        where += " AND id = " + std::to_string(filter.id);
    add(filter.route, "route = ?");
    add(filter.model, "model = ?");
    add(filter.status, "status = ?");
    if (!filter.flag.empty()) {
        // flags contains whole kinds separated by commas: match one kind, not a part of another.
        texts->push_back("," + filter.flag + ",");
        where += " AND instr(',' || flags || ',', ?" + std::to_string(texts->size() + 2) + ") > 0";
    }
    if (!filter.text.empty()) {
        texts->push_back(containsPattern(filter.text));
        const std::string number = std::to_string(texts->size() + 2);
        where += " AND (query LIKE ?" + number + " ESCAPE '\\' OR answer LIKE ?" + number + " ESCAPE '\\')";
    }
    return where;
}

std::string orderClause(const TraceFilter& filter)
{
    const char* column = "started_at";
    if (filter.sort == TraceFilter::Sort::Latency)
        column = "total_us";
    else if (filter.sort == TraceFilter::Sort::Cost)
        column = "cost_usd";
    const char* direction = filter.descending ? " DESC" : " ASC";
    return std::string(" ORDER BY ") + column + direction + ", id" + direction;
}

} // namespace

Result<std::vector<TraceRow>> listTraces(Database& database, const TraceFilter& filter)
{
    // The WHERE clause first: the LIMIT placeholder comes after the ones it adds.
    std::vector<std::string> texts;
    const std::string where = whereClause(filter, &texts);
    const std::string sql = "SELECT id, started_at, query, route, model, input_tokens, output_tokens, cost_usd, "
                            "total_us, first_token_us, flags, status, synthetic FROM traces" +
                            where + orderClause(filter) + " LIMIT ?" + std::to_string(texts.size() + 3);
    Statement query(database, sql);
    if (!query.prepareStatus().isOk())
        return query.prepareStatus();
    query.bind(1, filter.fromMs).bind(2, filter.toMs > 0 ? filter.toMs : INT64_MAX);
    for (std::size_t i = 0; i < texts.size(); ++i)
        query.bind(static_cast<int>(i) + 3, texts[i]);
    query.bind(static_cast<int>(texts.size()) + 3, static_cast<std::int64_t>(filter.limit));

    std::vector<TraceRow> rows;
    while (query.step()) {
        rows.push_back({query.columnInt(0), query.columnInt(1), query.columnText(2), query.columnText(3),
                        query.columnText(4), query.columnInt(5), query.columnInt(6), query.columnDouble(7),
                        query.columnInt(8), query.columnInt(9), query.columnText(10), query.columnText(11),
                        query.columnInt(12) != 0});
    }
    if (!query.status().isOk())
        return query.status();
    return rows;
}

} // namespace llmops
