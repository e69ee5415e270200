// SPDX-License-Identifier: MIT
// The Dashboard and Traces pages: their table models, the CSV export, the range choices, and
// the window opened on generated traces with a click from a chart point to the Traces page.
#include "CsvExport.h"
#include "DashboardCharts.h"
#include "DashboardPanel.h"
#include "EngineController.h"
#include "EngineWorker.h"
#include "MainWindow.h"
#include "MetricsTableModel.h"
#include "StageTimeline.h"
#include "TestWorkspace.h"
#include "TraceListModel.h"
#include "TracesPanel.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

#include <ctime>

using llmops::ui::DashboardCharts;
using llmops::ui::DashboardPanel;
using llmops::ui::MainWindow;
using llmops::ui::MetricsTableModel;
using llmops::ui::TraceListModel;

namespace {

constexpr int kLoadTimeoutMs = 20000;
constexpr qint64 kHourMs = 3600000;

llmops::MetricsReport reportOf(int buckets)
{
    llmops::MetricsReport report;
    report.query = {0, buckets * kHourMs, kHourMs};
    for (int i = 0; i < buckets; ++i) {
        llmops::MetricsBucket bucket;
        bucket.startMs = i * kHourMs;
        bucket.figures.queries = i + 1;
        bucket.figures.answered = i + 1;
        bucket.figures.unsupported = i;
        bucket.figures.costUsd = 0.5 * i;
        report.buckets.push_back(bucket);
    }
    return report;
}

llmops::TraceRow traceRow(std::int64_t id, const std::string& query)
{
    llmops::TraceRow row;
    row.id = id;
    row.startedAtMs = id * 1000;
    row.query = query;
    row.route = "simple";
    row.model = "gpt-4o-mini";
    row.totalUs = id * 1500;
    row.status = "ok";
    return row;
}

} // namespace

class TestDashboardPanel : public QObject {
    Q_OBJECT

private slots:
    void metricsModelPassesTester();
    void traceModelPassesTesterAndAsksForSorts();
    void csvQuotesAndDefusesFormulas();
    void rangesAndAutomaticBuckets();
    void dashboardClicksThroughToTraces();
    void bucketTimesShownInLocalTime();
};

void TestDashboardPanel::metricsModelPassesTester()
{
    MetricsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setReport(reportOf(5));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.data(model.index(4, MetricsTableModel::Queries)).toLongLong(), 5);
    QCOMPARE(model.data(model.index(4, MetricsTableModel::Hallucination)).toString(), QStringLiteral("80.0%"));
    QCOMPARE(model.data(model.index(2, MetricsTableModel::Start), Qt::UserRole).toLongLong(), 2 * kHourMs);
    model.setReport({});
    QCOMPARE(model.rowCount(), 0);
}

void TestDashboardPanel::traceModelPassesTesterAndAsksForSorts()
{
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    llmops::TraceRow synthetic = traceRow(2, "second");
    synthetic.synthetic = true;
    model.setRows({traceRow(1, "first"), synthetic});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.traceIdAt(1), 2);
    QCOMPARE(model.traceIdAt(7), 0);
    QCOMPARE(model.data(model.index(1, TraceListModel::Status)).toString(), QStringLiteral("ok (synthetic)"));
    QCOMPARE(model.data(model.index(0, TraceListModel::Latency)).toString(), QStringLiteral("1.5"));

    QSignalSpy sorts(&model, &TraceListModel::sortRequested);
    model.sort(TraceListModel::Cost, Qt::AscendingOrder);
    QCOMPARE(sorts.size(), 1);
    QCOMPARE(sorts.front().at(0).value<llmops::TraceFilter::Sort>(), llmops::TraceFilter::Sort::Cost);
    QCOMPARE(sorts.front().at(1).toBool(), false);
    model.setRows({});
    QCOMPARE(model.rowCount(), 0);
}

void TestDashboardPanel::csvQuotesAndDefusesFormulas()
{
    TraceListModel model;
    model.setRows({traceRow(1, "plain"), traceRow(2, "a, \"quoted\" one"), traceRow(3, "=HYPERLINK(\"x\")")});
    const QStringList lines = llmops::ui::modelToCsv(model).split(QStringLiteral("\r\n"));
    QCOMPARE(lines.size(), 5);  // header, three rows, and the empty piece after the last break
    QVERIFY(lines[0].startsWith(QStringLiteral("Time,Route,Model,Latency (ms)")));
    QVERIFY2(lines[2].endsWith(QStringLiteral(",\"a, \"\"quoted\"\" one\"")), qPrintable(lines[2]));
    QVERIFY2(lines[3].endsWith(QStringLiteral(",\"'=HYPERLINK(\"\"x\"\")\"")), qPrintable(lines[3]));

    const QString problem = llmops::ui::writeModelCsv(model, QStringLiteral("/nonexistent-folder/x.csv"));
    QVERIFY(problem.contains(QStringLiteral("/nonexistent-folder/x.csv")));
}

void TestDashboardPanel::rangesAndAutomaticBuckets()
{
    const qint64 now = 1772323200000;
    const auto week = DashboardPanel::queryFor(DashboardPanel::Range::LastWeek, 0, now, 0, 0);
    QCOMPARE(week.toMs, now);
    QCOMPARE(week.fromMs, now - 7 * 24 * kHourMs);
    QCOMPARE(week.bucketMs, kHourMs);
    QCOMPARE(DashboardPanel::queryFor(DashboardPanel::Range::LastHour, 0, now, 0, 0).bucketMs, 60000);
    QCOMPARE(DashboardPanel::queryFor(DashboardPanel::Range::LastMonth, 0, now, 0, 0).bucketMs, 6 * kHourMs);
    const auto custom = DashboardPanel::queryFor(DashboardPanel::Range::Custom, 24 * kHourMs, now, 1000, 5000);
    QCOMPARE(custom.fromMs, 1000);
    QCOMPARE(custom.toMs, 5000);
    QCOMPARE(custom.bucketMs, 24 * kHourMs);
}

void TestDashboardPanel::dashboardClicksThroughToTraces()
{
    llmops::test::TestWorkspace workspace;
    {
        auto engine = workspace.open();
        llmops::SyntheticTraceOptions options;
        options.count = 3000;
        options.days = 1;
        QVERIFY(engine->generateSyntheticTraces(options).isOk());
    }

    MainWindow window;
    window.resize(1400, 900);
    window.show();
    DashboardPanel* dashboard = window.dashboardPanel();
    QSignalSpy shown(dashboard, &DashboardPanel::figuresShown);
    window.openWorkspace(workspace.workspacePath());
    QVERIFY(window.showPage(QStringLiteral("dashboard")));
    QTRY_VERIFY_WITH_TIMEOUT(shown.size() >= 1, kLoadTimeoutMs);

    // Last day in hourly buckets: 24 or 25 buckets, depending on where now falls in the hour.
    const llmops::MetricsReport& report = dashboard->model()->report();
    QVERIFY(report.buckets.size() >= 24);
    QVERIFY2(dashboard->tile(0)->text().contains(QString::number(report.totals.queries)), qPrintable(dashboard->tile(0)->text()));
    QVERIFY(report.totals.queries > 2500);

    DashboardCharts* charts = dashboard->charts();
    QChart* volume = charts->chartView(DashboardCharts::Volume)->chart();
    auto* queries = qobject_cast<QLineSeries*>(volume->series().front());
    QVERIFY(queries != nullptr);
    QCOMPARE(queries->count(), static_cast<int>(report.buckets.size()));

    // A legend click hides the series and keeps its marker; a second click shows it again.
    // Hover and click on a hidden series are ignored (DashboardCharts::addSeries).
    QLegendMarker* marker = volume->legend()->markers(queries).front();
    emit marker->clicked();
    QVERIFY(!DashboardCharts::isShown(queries));
    QCOMPARE(volume->legend()->markers(queries).size(), 1);
    emit marker->clicked();
    QVERIFY(DashboardCharts::isShown(queries));

    // The PNG export writes a real image of the chart.
    const QString png = workspace.filePath(QStringLiteral("volume.png"));
    QCOMPARE(charts->savePng(DashboardCharts::Volume, png), QString());
    QVERIFY(!QImage(png).isNull());

    // Click the point of the busiest bucket: the Traces page lists that bucket only.
    std::size_t busiest = 0;
    for (std::size_t i = 0; i < report.buckets.size(); ++i) {
        if (report.buckets[i].figures.queries > report.buckets[busiest].figures.queries)
            busiest = i;
    }
    const qint64 bucketStart = report.buckets[busiest].startMs;
    llmops::ui::TracesPanel* traces = window.tracesPanel();
    QSignalSpy listed(traces, &llmops::ui::TracesPanel::listShown);
    QSignalSpy traceShown(traces, &llmops::ui::TracesPanel::traceShown);
    emit queries->clicked(queries->at(static_cast<int>(busiest)));

    QCOMPARE(window.findChild<QTabWidget*>()->currentWidget(), traces);
    QCOMPARE(traces->filter().fromMs, bucketStart);
    QCOMPARE(traces->filter().toMs, bucketStart + kHourMs);
    QTRY_VERIFY_WITH_TIMEOUT(listed.size() >= 1, kLoadTimeoutMs);
    QCOMPARE(static_cast<std::int64_t>(traces->model()->rowCount()), report.buckets[busiest].figures.queries);
    for (const llmops::TraceRow& row : traces->model()->rows()) {
        QVERIFY(row.startedAtMs >= bucketStart);
        QVERIFY(row.startedAtMs < bucketStart + kHourMs);
    }

    // The first row's trace is shown: its waterfall and its question.
    // The newest trace of the earlier all-time list may be shown first, so wait for this one.
    QTRY_COMPARE_WITH_TIMEOUT(traces->shownTraceId(), traces->model()->traceIdAt(0), kLoadTimeoutMs);
    QVERIFY(traceShown.size() >= 1);
    QVERIFY(!traces->waterfall()->spans().empty());
    QVERIFY(traces->detailBrowser()->toPlainText().contains(QString::fromStdString(traces->model()->rows().front().query)));

    // The listed traces export as OTLP from the engine thread.
    const QString otlp = workspace.filePath(QStringLiteral("bucket.otlp.json"));
    QSignalSpy exported(window.controller()->worker(), &llmops::ui::EngineWorker::otlpExported);
    std::vector<qint64> ids;
    for (const llmops::TraceRow& row : traces->model()->rows())
        ids.push_back(row.id);
    window.controller()->exportOtlp(otlp, ids, false);
    QTRY_VERIFY_WITH_TIMEOUT(exported.size() == 1, kLoadTimeoutMs);
    QCOMPARE(exported.front().at(1).toLongLong(), static_cast<qint64>(ids.size()));
    QVERIFY(QFile::exists(otlp));
}

void TestDashboardPanel::bucketTimesShownInLocalTime()
{
    // 2026-03-01 00:00 UTC is 05:30 in Kolkata and 2026-02-28 20:30 in St John's.
    const qint64 midnightUtc = 1772323200000;
    const QByteArray savedZone = qgetenv("TZ");
    qputenv("TZ", "Asia/Kolkata");
    tzset();
    const QString kolkata = llmops::ui::localTimeText(midnightUtc);
    qputenv("TZ", "America/St_Johns");
    tzset();
    const QString stJohns = llmops::ui::localTimeText(midnightUtc);
    if (savedZone.isNull())
        qunsetenv("TZ");
    else
        qputenv("TZ", savedZone);
    tzset();
    QCOMPARE(kolkata, QStringLiteral("2026-03-01 05:30"));
    QCOMPARE(stJohns, QStringLiteral("2026-02-28 20:30"));
}

QTEST_MAIN(TestDashboardPanel)
#include "tst_dashboard_panel.moc"
