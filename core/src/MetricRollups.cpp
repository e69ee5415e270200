// SPDX-License-Identifier: MIT
// Per-hour rollups of the dashboard figures. An hour's rollup keeps its counts, cost, cost per
// model and route, and every latency sorted, so percentiles over any whole number of hours stay
// exact. Triggers on the traces table drop an hour's rollup when one of its traces changes.
#include "MetricRollups.h"

#include <algorithm>

namespace llmops {
namespace {

void addRow(MetricsFigures& figures, const std::string& status, double cost, bool unsupported)
{
    ++figures.queries;
    figures.costUsd += cost;
    figures.blocked += status == "blocked" ? 1 : 0;
    figures.cached += status == "cached" ? 1 : 0;
    figures.errors += status == "error" ? 1 : 0;
    if (status != "blocked" && status != "error") {
        ++figures.answered;
        figures.unsupported += unsupported ? 1 : 0;
    }
}

Status readCosts(Database& database, std::int64_t fromMs, std::int64_t toMs, std::vector<ModelRouteCost>& costs)
{
    Statement group(database, R"sql(
        SELECT model, route, SUM(cost_usd), COUNT(*) FROM traces INDEXED BY traces_metrics
        WHERE started_at >= ? AND started_at < ? GROUP BY model, route)sql");
    group.bind(1, fromMs).bind(2, toMs);
    while (group.step())
        costs.push_back({0, group.columnText(0), group.columnText(1), group.columnDouble(2), group.columnInt(3)});
    return group.status();
}

std::optional<TraceSamples> readRollup(Database& database, std::int64_t hourStartMs, Status* status)
{
    Statement rollup(database, "SELECT queries, blocked, cached, errors, answered, unsupported, cost_usd, latencies, "
                               "first_tokens FROM metric_rollups WHERE hour_start = ?");
    rollup.bind(1, hourStartMs);
    if (!rollup.step()) {
        *status = rollup.status();
        return std::nullopt;
    }
    TraceSamples samples;
    MetricsFigures& figures = samples.figures;
    figures.queries = rollup.columnInt(0);
    figures.blocked = rollup.columnInt(1);
    figures.cached = rollup.columnInt(2);
    figures.errors = rollup.columnInt(3);
    figures.answered = rollup.columnInt(4);
    figures.unsupported = rollup.columnInt(5);
    figures.costUsd = rollup.columnDouble(6);
    samples.latencies = rollup.columnInt64s(7);
    samples.firstTokens = rollup.columnInt64s(8);

    Statement costs(database, "SELECT model, route, cost_usd, queries FROM metric_rollup_costs WHERE hour_start = ?");
    costs.bind(1, hourStartMs);
    while (costs.step())
        samples.costs.push_back({0, costs.columnText(0), costs.columnText(1), costs.columnDouble(2), costs.columnInt(3)});
    *status = costs.status();
    return samples;
}

// Binds values as a blob; an empty list binds an empty blob, since a null pointer would bind NULL.
void bindValues(Statement& statement, int index, const std::vector<std::int64_t>& values)
{
    static constexpr char kEmpty[] = "";
    const void* data = values.empty() ? static_cast<const void*>(kEmpty) : values.data();
    statement.bindBlob(index, data, values.size() * sizeof(std::int64_t));
}

Status storeRollup(Database& database, std::int64_t hourStartMs, const TraceSamples& samples)
{
    const MetricsFigures& figures = samples.figures;
    Statement insert(database, "INSERT OR REPLACE INTO metric_rollups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, hourStartMs).bind(2, figures.queries).bind(3, figures.blocked).bind(4, figures.cached);
    insert.bind(5, figures.errors).bind(6, figures.answered).bind(7, figures.unsupported).bind(8, figures.costUsd);
    bindValues(insert, 9, samples.latencies);
    bindValues(insert, 10, samples.firstTokens);
    if (Status status = insert.run(); !status.isOk())
        return status;

    Statement cost(database, "INSERT OR REPLACE INTO metric_rollup_costs VALUES (?, ?, ?, ?, ?)");
    for (const ModelRouteCost& entry : samples.costs) {
        cost.reset();
        cost.bind(1, hourStartMs).bind(2, entry.model).bind(3, entry.route).bind(4, entry.costUsd).bind(5, entry.queries);
        if (Status status = cost.run(); !status.isOk())
            return status;
    }
    return Status::ok();
}

} // namespace

Result<TraceSamples> readTraceSamples(Database& database, std::int64_t fromMs, std::int64_t toMs)
{
    Statement scan(database, R"sql(
        SELECT status, cost_usd, total_us, first_token_us, instr(flags, 'unsupported_claim') > 0
        FROM traces INDEXED BY traces_metrics WHERE started_at >= ? AND started_at < ?)sql");
    scan.bind(1, fromMs).bind(2, toMs);
    TraceSamples samples;
    while (scan.step()) {
        addRow(samples.figures, scan.columnText(0), scan.columnDouble(1), scan.columnInt(4) != 0);
        samples.latencies.push_back(scan.columnInt(2));
        if (const std::int64_t firstToken = scan.columnInt(3); firstToken > 0)
            samples.firstTokens.push_back(firstToken);
    }
    if (!scan.status().isOk())
        return scan.status();

    std::sort(samples.latencies.begin(), samples.latencies.end());
    std::sort(samples.firstTokens.begin(), samples.firstTokens.end());
    if (Status status = readCosts(database, fromMs, toMs, samples.costs); !status.isOk())
        return status;
    return samples;
}

Result<TraceSamples> readHourSamples(Database& database, std::int64_t hourStartMs)
{
    Status status;
    if (std::optional<TraceSamples> stored = readRollup(database, hourStartMs, &status))
        return std::move(*stored);
    if (!status.isOk())
        return status;

    Result<TraceSamples> samples = readTraceSamples(database, hourStartMs, hourStartMs + kRollupMs);
    if (!samples.isOk())
        return samples;
    if (Status stored = storeRollup(database, hourStartMs, samples.value()); !stored.isOk())
        return stored;
    return samples;
}

} // namespace llmops
