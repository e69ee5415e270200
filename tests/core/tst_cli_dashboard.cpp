// SPDX-License-Identifier: MIT
// `llmops dev-generate-traces`, `llmops dashboard` and `llmops traces export-otlp` run as a
// user would: real processes on a real workspace file.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "CliRunner.h"
#include "TestWorkspace.h"

using llmops::test::runCli;

class CliDashboardTest : public QObject {
    Q_OBJECT

private slots:
    void generateReportAndExport();
    void rejectsBadArguments();
};

void CliDashboardTest::generateReportAndExport()
{
    llmops::test::TestWorkspace workspace;
    const QString path = workspace.workspacePath();
    auto generated = runCli({QStringLiteral("--workspace"), path, QStringLiteral("dev-generate-traces"),
                             QStringLiteral("--count"), QStringLiteral("500"), QStringLiteral("--days"),
                             QStringLiteral("1"), QStringLiteral("--seed"), QStringLiteral("9")});
    QCOMPARE(generated.exitCode, 0);
    QVERIFY2(generated.out.contains("wrote 500 synthetic traces"), generated.out.constData());

    auto dashboard = runCli({QStringLiteral("--workspace"), path, QStringLiteral("--json"), QStringLiteral("dashboard"),
                             QStringLiteral("--hours"), QStringLiteral("48")});
    QCOMPARE(dashboard.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(dashboard.out).object();
    QCOMPARE(report["totals"]["queries"].toInt(), 500);
    QCOMPARE(report["buckets"].toArray().size(), 48 + 1);  // the range starts inside an hour
    QVERIFY(report["totals"]["latency_p95_us"].toDouble() > report["totals"]["latency_p50_us"].toDouble());

    const QString exportPath = workspace.filePath(QStringLiteral("out.json"));
    auto exported = runCli({QStringLiteral("--workspace"), path, QStringLiteral("traces"), QStringLiteral("export-otlp"),
                            exportPath, QStringLiteral("--last"), QStringLiteral("20")});
    QCOMPARE(exported.exitCode, 0);
    QVERIFY(exported.out.contains("exported 20 traces"));
    QFile file(exportPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray spans =
        QJsonDocument::fromJson(file.readAll()).object()["resourceSpans"][0]["scopeSpans"][0]["spans"].toArray();
    QVERIFY(spans.size() > 20);
    QVERIFY(!QFile::exists(exportPath + QStringLiteral(".tmp")));
}

void CliDashboardTest::rejectsBadArguments()
{
    llmops::test::TestWorkspace workspace;
    const QString path = workspace.workspacePath();
    auto noCount = runCli({QStringLiteral("--workspace"), path, QStringLiteral("dev-generate-traces")});
    QCOMPARE(noCount.exitCode, 2);
    QVERIFY(noCount.err.contains("--count N"));

    auto badCount = runCli({QStringLiteral("--workspace"), path, QStringLiteral("dev-generate-traces"),
                            QStringLiteral("--count"), QStringLiteral("12abc")});
    QCOMPARE(badCount.exitCode, 2);
    QVERIFY2(badCount.err.contains("\"12abc\""), badCount.err.constData());

    auto unknown = runCli({QStringLiteral("--workspace"), path, QStringLiteral("traces"), QStringLiteral("export-otlp"),
                           QStringLiteral("x.json"), QStringLiteral("--everything")});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains("unknown option --everything"));

    // A read command on a missing workspace does not create it.
    auto missing = runCli({QStringLiteral("--workspace"), workspace.filePath(QStringLiteral("none.llmops")),
                           QStringLiteral("dashboard")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(!QFile::exists(workspace.filePath(QStringLiteral("none.llmops"))));
}

QTEST_GUILESS_MAIN(CliDashboardTest)
#include "tst_cli_dashboard.moc"
