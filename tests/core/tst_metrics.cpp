// SPDX-License-Identifier: MIT
// Dashboard figures: bucket boundaries, nearest-rank percentiles on hand-computed sets, empty
// ranges, time zones, the trace list filters and the synthetic trace generator.
#include <QtTest>

#include <ctime>

#include "Sqlite.h"
#include "TestWorkspace.h"
#include "WorkspaceStore.h"
#include "llmops/engine.h"

using namespace llmops;
using llmops::test::TestWorkspace;

namespace {

constexpr std::int64_t kHourMs = 3600000;
// 2026-03-01 00:00:00 UTC, a whole day in milliseconds since the epoch.
constexpr std::int64_t kDayStartMs = 1772323200000;

// A trace row written straight into the table, for figures that can be computed by hand.
struct Row {
    std::int64_t startedAtMs;
    std::int64_t totalUs;
    std::string status = "ok";
    std::string flags = "";
    double costUsd = 0.0;
    std::string model = "m1";
    std::string route = "r1";
    std::int64_t firstTokenUs = 0;
    std::string query = "question";
};

void insertRows(const QString& workspacePath, const std::vector<Row>& rows)
{
    Database database;
    QVERIFY(database.open(workspacePath.toStdString()).isOk());
    for (const Row& row : rows) {
        Statement insert(database, R"sql(
            INSERT INTO traces(started_at, query, answer, route, model, input_tokens, output_tokens, cost_usd,
                               total_us, status, flags, result, first_token_us)
            VALUES (?, ?, 'answer', ?, ?, 10, 5, ?, ?, ?, ?, '{}', ?))sql");
        insert.bind(1, row.startedAtMs).bind(2, row.query).bind(3, row.route).bind(4, row.model);
        insert.bind(5, row.costUsd).bind(6, row.totalUs).bind(7, row.status).bind(8, row.flags);
        insert.bind(9, row.firstTokenUs);
        QVERIFY2(insert.run().isOk(), database.errorMessage().c_str());
    }
}

MetricsQuery hourly(std::int64_t fromMs, int hours)
{
    return {fromMs, fromMs + hours * kHourMs, kHourMs};
}

void setTimeZone(const char* zone)
{
    qputenv("TZ", zone);
    tzset();
}

} // namespace

class MetricsTest : public QObject {
    Q_OBJECT

private slots:
    void nearestRankOnHandComputedSets();
    void bucketBoundaries();
    void figuresOfOneBucket();
    void emptyRange();
    void rejectsBadRanges();
    void bucketsIgnoreTheLocalTimeZone();
    void costPerModelAndRoute();
    void traceListFilters();
    void syntheticTraces();
    void migratesSchemaFourWorkspace();
    void rollupsMatchRawFigures();
    void newTraceRefreshesItsHour();
};

void MetricsTest::nearestRankOnHandComputedSets()
{
    // {15, 20, 35, 40, 50}: rank ceil(p/100 * 5).
    const std::vector<std::int64_t> five = {15, 20, 35, 40, 50};
    QCOMPARE(nearestRankPercentile(five, 5.0), 15);    // rank 1
    QCOMPARE(nearestRankPercentile(five, 30.0), 20);   // rank 2
    QCOMPARE(nearestRankPercentile(five, 40.0), 20);   // rank 2 exactly
    QCOMPARE(nearestRankPercentile(five, 50.0), 35);   // rank 3
    QCOMPARE(nearestRankPercentile(five, 95.0), 50);   // rank 5
    QCOMPARE(nearestRankPercentile(five, 100.0), 50);

    std::vector<std::int64_t> twenty;
    for (int i = 1; i <= 20; ++i)
        twenty.push_back(i);
    QCOMPARE(nearestRankPercentile(twenty, 50.0), 10);  // rank 10
    QCOMPARE(nearestRankPercentile(twenty, 95.0), 19);  // rank 19
    QCOMPARE(nearestRankPercentile({}, 50.0), 0);
    QCOMPARE(nearestRankPercentile({7}, 95.0), 7);
}

void MetricsTest::bucketBoundaries()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    const std::int64_t t0 = kDayStartMs;
    insertRows(workspace.workspacePath(), {
        {t0 - 1, 1000},                  // last millisecond of the previous period
        {t0, 2000},                      // first millisecond of bucket 0
        {t0 + kHourMs - 1, 3000},        // last millisecond of bucket 0
        {t0 + kHourMs, 4000},            // first millisecond of bucket 1
        {t0 + 2 * kHourMs - 1, 5000},    // last millisecond of the range
        {t0 + 2 * kHourMs, 6000},        // the range's end is excluded
    });

    Result<MetricsReport> report = engine->metrics(hourly(t0, 2));
    QVERIFY2(report.isOk(), report.status().message().c_str());
    QCOMPARE(report->buckets.size(), std::size_t{2});
    QCOMPARE(report->buckets[0].startMs, t0);
    QCOMPARE(report->buckets[0].figures.queries, 2);
    QCOMPARE(report->buckets[0].figures.latency.p95Us, 3000);
    QCOMPARE(report->buckets[1].startMs, t0 + kHourMs);
    QCOMPARE(report->buckets[1].figures.queries, 2);
    QCOMPARE(report->totals.queries, 4);
    // The previous period is the two hours before t0, holding only t0 - 1.
    QCOMPARE(report->previousTotals.queries, 1);
    QCOMPARE(report->previousTotals.latency.p50Us, 1000);
}

void MetricsTest::figuresOfOneBucket()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    const std::int64_t t0 = kDayStartMs;
    // Ten traces with latencies 1..10 ms: one blocked, two cached, one error, and two of the
    // six answered ones flagged unsupported.
    std::vector<Row> rows;
    const char* statuses[] = {"blocked", "cached", "cached", "error", "ok", "ok", "ok", "ok", "ok", "ok"};
    for (int i = 0; i < 10; ++i) {
        Row row{t0 + i * 1000, (i + 1) * 1000, statuses[i]};
        row.costUsd = 0.25;
        row.firstTokenUs = i >= 4 ? (i + 1) * 100 : 0;  // 500..1000 us for the six answered
        row.flags = i == 5 || i == 8 ? "pii_leak,unsupported_claim" : "";
        rows.push_back(row);
    }
    // A blocked question flagged unsupported is not an answer and does not count.
    rows[0].flags = "unsupported_claim";
    insertRows(workspace.workspacePath(), rows);

    Result<MetricsReport> report = engine->metrics(hourly(t0, 1));
    QVERIFY2(report.isOk(), report.status().message().c_str());
    const MetricsFigures& figures = report->buckets.at(0).figures;
    QCOMPARE(figures.queries, 10);
    QCOMPARE(figures.blocked, 1);
    QCOMPARE(figures.cached, 2);
    QCOMPARE(figures.errors, 1);
    QCOMPARE(figures.answered, 8);  // ok and cached
    QCOMPARE(figures.unsupported, 2);
    QCOMPARE(figures.costUsd, 2.5);
    QCOMPARE(figures.latency.p50Us, 5000);   // rank 5 of 10
    QCOMPARE(figures.latency.p95Us, 10000);  // rank 10 of 10
    QCOMPARE(figures.latency.firstTokenP50Us, 700);   // rank 3 of {500..1000}
    QCOMPARE(figures.latency.firstTokenP95Us, 1000);  // rank 6 of 6
    QCOMPARE(figures.hallucinationRate(), 2.0 / 8.0);
    QCOMPARE(figures.cacheHitRate(), 2.0 / 9.0);
    QCOMPARE(figures.blockRate(), 0.1);
}

void MetricsTest::emptyRange()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    Result<MetricsReport> report = engine->metrics(hourly(kDayStartMs, 24));
    QVERIFY2(report.isOk(), report.status().message().c_str());
    QCOMPARE(report->buckets.size(), std::size_t{24});
    for (const MetricsBucket& bucket : report->buckets) {
        QCOMPARE(bucket.figures.queries, 0);
        QCOMPARE(bucket.figures.latency.p95Us, 0);
        QCOMPARE(bucket.figures.hallucinationRate(), 0.0);
        QCOMPARE(bucket.figures.cacheHitRate(), 0.0);
    }
    QCOMPARE(report->buckets.back().startMs, kDayStartMs + 23 * kHourMs);
    QVERIFY(report->costs.empty());
    QCOMPARE(report->totals.queries, 0);
}

void MetricsTest::rejectsBadRanges()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    Result<MetricsReport> reversed = engine->metrics({kDayStartMs, kDayStartMs, kHourMs});
    QCOMPARE(reversed.status().code(), StatusCode::InvalidArgument);
    QVERIFY(reversed.status().message().find("not after its start") != std::string::npos);

    Result<MetricsReport> tiny = engine->metrics({kDayStartMs, kDayStartMs + kHourMs, 10});
    QCOMPARE(tiny.status().code(), StatusCode::InvalidArgument);
    QVERIFY(tiny.status().message().find("below one second") != std::string::npos);

    Result<MetricsReport> huge = engine->metrics({0, kDayStartMs, 1000});
    QCOMPARE(huge.status().code(), StatusCode::InvalidArgument);
    QVERIFY(huge.status().message().find("larger buckets") != std::string::npos);
}

void MetricsTest::bucketsIgnoreTheLocalTimeZone()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    // 23:30 UTC on the day before kDayStartMs, which is 05:00 the next day in Kolkata (+05:30)
    // and 20:00 in St John's (-03:30).
    const std::int64_t lateEvening = kDayStartMs - 30 * 60000;
    insertRows(workspace.workspacePath(), {{lateEvening, 1000}, {kDayStartMs + 60000, 2000}});

    const QByteArray savedZone = qgetenv("TZ");
    std::vector<std::vector<std::int64_t>> startsPerZone;
    for (const char* zone : {"UTC", "Asia/Kolkata", "America/St_Johns"}) {
        setTimeZone(zone);
        // A daily range whose start is not on a bucket boundary: it is rounded down to UTC midnight.
        Result<MetricsReport> report = engine->metrics({kDayStartMs - 86400000 + 5 * kHourMs, kDayStartMs + 86400000,
                                                        86400000});
        QVERIFY2(report.isOk(), report.status().message().c_str());
        QCOMPARE(report->query.fromMs, kDayStartMs - 86400000);
        std::vector<std::int64_t> starts;
        for (const MetricsBucket& bucket : report->buckets) {
            QCOMPARE(bucket.startMs % 86400000, 0);
            QCOMPARE(bucket.figures.queries, 1);
            starts.push_back(bucket.startMs);
        }
        startsPerZone.push_back(starts);
    }
    if (savedZone.isNull())
        qunsetenv("TZ");
    else
        qputenv("TZ", savedZone);
    tzset();
    QCOMPARE(startsPerZone[1], startsPerZone[0]);
    QCOMPARE(startsPerZone[2], startsPerZone[0]);
}

void MetricsTest::costPerModelAndRoute()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    const std::int64_t t0 = kDayStartMs;
    insertRows(workspace.workspacePath(), {
        {t0, 1000, "ok", "", 0.5, "cheap", "simple"},
        {t0 + 10, 1000, "ok", "", 0.25, "cheap", "simple"},
        {t0 + 20, 1000, "ok", "", 2.0, "big", "complex"},
        {t0 + kHourMs, 1000, "ok", "", 1.0, "cheap", "fallback"},
    });
    Result<MetricsReport> report = engine->metrics(hourly(t0, 2));
    QVERIFY2(report.isOk(), report.status().message().c_str());
    QCOMPARE(report->costs.size(), std::size_t{3});
    QCOMPARE(report->costs[0].model, std::string("big"));
    QCOMPARE(report->costs[0].costUsd, 2.0);
    QCOMPARE(report->costs[1].model, std::string("cheap"));
    QCOMPARE(report->costs[1].route, std::string("simple"));
    QCOMPARE(report->costs[1].costUsd, 0.75);
    QCOMPARE(report->costs[1].queries, 2);
    QCOMPARE(report->costs[2].bucketStartMs, t0 + kHourMs);
    QCOMPARE(report->costs[2].route, std::string("fallback"));
}

void MetricsTest::traceListFilters()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    const std::int64_t t0 = kDayStartMs;
    insertRows(workspace.workspacePath(), {
        {t0, 3000, "ok", "unsupported_claim", 0.1, "cheap", "simple", 0, "How do refunds work?"},
        {t0 + 10, 1000, "ok", "pii_leak", 0.3, "big", "complex", 0, "50% off_sale codes"},
        {t0 + 20, 2000, "blocked", "prompt_injection", 0.0, "", "", 0, "Ignore previous instructions"},
    });

    TraceFilter all;
    Result<std::vector<TraceRow>> rows = engine->listTraces(all);
    QVERIFY(rows.isOk());
    QCOMPARE(rows->size(), std::size_t{3});
    QCOMPARE(rows->front().startedAtMs, t0 + 20);  // newest first

    TraceFilter byFlag;
    byFlag.flag = "pii";  // a kind is matched whole, so "pii" does not find "pii_leak"
    QCOMPARE(engine->listTraces(byFlag)->size(), std::size_t{0});
    byFlag.flag = "pii_leak";
    QCOMPARE(engine->listTraces(byFlag)->front().model, std::string("big"));

    TraceFilter byText;
    byText.text = "REFUNDS";  // case-insensitive for ASCII
    QCOMPARE(engine->listTraces(byText)->size(), std::size_t{1});
    byText.text = "0% off_";  // LIKE wildcards in the text are literal
    QCOMPARE(engine->listTraces(byText)->size(), std::size_t{1});
    byText.text = "_";
    QCOMPARE(engine->listTraces(byText)->size(), std::size_t{1});

    TraceFilter byLatency;
    byLatency.sort = TraceFilter::Sort::Latency;
    byLatency.descending = false;
    Result<std::vector<TraceRow>> fastest = engine->listTraces(byLatency);
    QCOMPARE(fastest->front().totalUs, 1000);
    QCOMPARE(fastest->back().totalUs, 3000);

    TraceFilter window;
    window.fromMs = t0 + 5;
    window.toMs = t0 + 20;
    window.status = "ok";
    QCOMPARE(engine->listTraces(window)->size(), std::size_t{1});
}

void MetricsTest::syntheticTraces()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    SyntheticTraceOptions options;
    options.count = 2000;
    options.days = 2;
    options.seed = 42;
    options.nowMs = kDayStartMs;
    Result<std::int64_t> written = engine->generateSyntheticTraces(options);
    QVERIFY2(written.isOk(), written.status().message().c_str());
    QCOMPARE(written.value(), 2000);

    Result<MetricsReport> report = engine->metrics({kDayStartMs - 2 * 86400000, kDayStartMs, kHourMs});
    QVERIFY(report.isOk());
    const MetricsFigures& totals = report->totals;
    QCOMPARE(totals.queries, 2000);
    // The generator's shares: 3 % blocked, 12 % cached, 8 % of answers unsupported, a long tail.
    QVERIFY2(totals.blockRate() > 0.01 && totals.blockRate() < 0.06, qPrintable(QString::number(totals.blockRate())));
    QVERIFY(totals.cacheHitRate() > 0.07 && totals.cacheHitRate() < 0.18);
    QVERIFY(totals.hallucinationRate() > 0.03 && totals.hallucinationRate() < 0.12);
    QVERIFY(totals.costUsd > 0.0);
    QVERIFY(totals.latency.p95Us > 2 * totals.latency.p50Us);
    QVERIFY(totals.latency.firstTokenP50Us > 0 && totals.latency.firstTokenP50Us < totals.latency.p50Us);

    // Every row is marked, and the same seed and end time give the same traffic.
    Database database;
    QVERIFY(database.open(workspace.workspacePath().toStdString()).isOk());
    Statement marked(database, "SELECT COUNT(*), SUM(cost_usd) FROM traces WHERE synthetic = 1");
    QVERIFY(marked.step());
    QCOMPARE(marked.columnInt(0), 2000);
    const double firstCost = marked.columnDouble(1);

    TestWorkspace second;
    auto again = second.open();
    QVERIFY(again->generateSyntheticTraces(options).isOk());
    Result<MetricsReport> repeated = again->metrics({kDayStartMs - 2 * 86400000, kDayStartMs, kHourMs});
    QCOMPARE(repeated->totals.costUsd, firstCost);
    QCOMPARE(repeated->totals.latency.p95Us, totals.latency.p95Us);

    options.count = 0;
    Result<std::int64_t> none = engine->generateSyntheticTraces(options);
    QCOMPARE(none.status().code(), StatusCode::InvalidArgument);
    QVERIFY(none.status().message().find("trace count 0") != std::string::npos);
}

void MetricsTest::migratesSchemaFourWorkspace()
{
    TestWorkspace workspace;
    {
        Database database;
        QVERIFY(database.open(workspace.workspacePath().toStdString()).isOk());
        QVERIFY(migrateSchema(database, 4).isOk());
        QVERIFY(database.execute("INSERT INTO traces(started_at, query, answer, route, model, input_tokens, "
                                 "output_tokens, cost_usd, total_us, status, flags, result) VALUES "
                                 "(1772323200000, 'q', 'a', 'r', 'm', 1, 1, 0.5, 4000, 'ok', '', '{}')")
                    .isOk());
    }
    auto engine = workspace.open();
    Result<std::vector<TraceRow>> rows = engine->listTraces({});
    QVERIFY(rows.isOk());
    QCOMPARE(rows->size(), std::size_t{1});
    QCOMPARE(rows->front().synthetic, false);
    QCOMPARE(rows->front().firstTokenUs, 0);
    QCOMPARE(engine->metrics(hourly(kDayStartMs, 1))->totals.costUsd, 0.5);
}

void MetricsTest::rollupsMatchRawFigures()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    SyntheticTraceOptions options;
    options.count = 3000;
    options.days = 2;
    options.nowMs = kDayStartMs + 30 * 60000;  // the range below ends in the middle of an hour
    QVERIFY(engine->generateSyntheticTraces(options).isOk());

    // Hourly buckets read whole hours from rollups (written by the first call, read by the
    // second); half-hour buckets always read the traces. Both must give the same figures.
    const MetricsQuery hours{kDayStartMs - 86400000, options.nowMs, kHourMs};
    const MetricsQuery halfHours{kDayStartMs - 86400000, options.nowMs, kHourMs / 2};
    for (int pass = 0; pass < 2; ++pass) {
        Result<MetricsReport> rolled = engine->metrics(hours);
        Result<MetricsReport> raw = engine->metrics(halfHours);
        QVERIFY(rolled.isOk() && raw.isOk());
        QCOMPARE(rolled->totals.queries, raw->totals.queries);
        QCOMPARE(rolled->totals.unsupported, raw->totals.unsupported);
        QCOMPARE(rolled->totals.latency.p50Us, raw->totals.latency.p50Us);
        QCOMPARE(rolled->totals.latency.p95Us, raw->totals.latency.p95Us);
        QCOMPARE(rolled->totals.latency.firstTokenP95Us, raw->totals.latency.firstTokenP95Us);
        QCOMPARE(rolled->previousTotals.queries, raw->previousTotals.queries);
        QCOMPARE(rolled->previousTotals.latency.p95Us, raw->previousTotals.latency.p95Us);
        QVERIFY(qAbs(rolled->totals.costUsd - raw->totals.costUsd) < 1e-9);
        // Hour 3 is half-hour buckets 6 and 7.
        QCOMPARE(rolled->buckets[3].figures.queries, raw->buckets[6].figures.queries + raw->buckets[7].figures.queries);
    }

    Database database;
    QVERIFY(database.open(workspace.workspacePath().toStdString()).isOk());
    Statement count(database, "SELECT COUNT(*) FROM metric_rollups");
    QVERIFY(count.step());
    QCOMPARE(count.columnInt(0), 48);  // every whole hour of the range and the day before it
}

void MetricsTest::newTraceRefreshesItsHour()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    insertRows(workspace.workspacePath(), {{kDayStartMs + 10, 1000}, {kDayStartMs + 20, 3000}});
    QCOMPARE(engine->metrics(hourly(kDayStartMs, 1))->totals.latency.p95Us, 3000);

    // The insert trigger drops the hour's rollup, so the next refresh sees the new trace.
    insertRows(workspace.workspacePath(), {{kDayStartMs + 30, 9000, "blocked"}});
    Result<MetricsReport> after = engine->metrics(hourly(kDayStartMs, 1));
    QCOMPARE(after->totals.queries, 3);
    QCOMPARE(after->totals.blocked, 1);
    QCOMPARE(after->totals.latency.p95Us, 9000);

    Database database;
    QVERIFY(database.open(workspace.workspacePath().toStdString()).isOk());
    QVERIFY(database.execute("DELETE FROM traces WHERE total_us = 9000").isOk());
    QCOMPARE(engine->metrics(hourly(kDayStartMs, 1))->totals.queries, 2);
}

QTEST_GUILESS_MAIN(MetricsTest)
#include "tst_metrics.moc"
