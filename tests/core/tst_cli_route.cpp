// SPDX-License-Identifier: MIT
// `llmops route ...` as a script would run it: explain, replay, export, import, versions and
// activate against a real workspace.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "CliRunner.h"
#include "TestWorkspace.h"

using llmops::test::CliRun;
using llmops::test::runCli;
using llmops::test::TestWorkspace;

namespace {

const QByteArray kDraft = R"json({
  "rules": [
    {"name": "german", "model": "local-extractive", "when": "language(de)"},
    {"name": "billing", "model": "local-extractive", "when": {"keywords": ["invoice", "refund"]}},
    {"name": "default", "model": "local-extractive"}
  ]
})json";

CliRun route(const TestWorkspace& workspace, QStringList arguments)
{
    arguments.prepend(QStringLiteral("route"));
    arguments.prepend(workspace.workspacePath());
    arguments.prepend(QStringLiteral("--workspace"));
    return runCli(arguments);
}

// A workspace with the support pages indexed and two questions asked.
void prepare(const TestWorkspace& workspace)
{
    workspace.addSupportPages();
    auto engine = workspace.open();
    engine->indexPaths({workspace.docsDir().toStdString()});
    QVERIFY(engine->ask("How do I download an invoice?").isOk());
    QVERIFY(engine->ask("How do I enable two-factor authentication?").isOk());
}

} // namespace

class CliRouteTest : public QObject {
    Q_OBJECT

private slots:
    void explainShowsFeatures();
    void importActivateExportVersions();
    void replayJson();
    void replayWithoutTraces();
    void emptyInputFilesRejected();
    void importErrorsNameRuleAndField_data();
    void importErrorsNameRuleAndField();
    void activateUnknownVersion();
    void trainSaveChangesTiers();
};

void CliRouteTest::explainShowsFeatures()
{
    TestWorkspace workspace;
    prepare(workspace);
    const CliRun explained = runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("--meta"),
                                     QStringLiteral("user_tier=pro"), QStringLiteral("route"), QStringLiteral("explain"),
                                     QStringLiteral("Wie lade ich meine Rechnung herunter?")});
    QCOMPARE(explained.exitCode, 0);
    QVERIFY2(explained.out.contains("rule:      default -> local-extractive"), explained.out.constData());
    QVERIFY2(explained.out.contains("language:  de"), explained.out.constData());
    QVERIFY2(explained.out.contains("user_tier=pro"), explained.out.constData());
    QVERIFY2(explained.out.contains("tier:      simple"), explained.out.constData());

    const CliRun json = route(workspace, {QStringLiteral("explain"), QStringLiteral("--json"), QStringLiteral("hi")});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject root = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(root.value(QStringLiteral("rule")).toString(), QStringLiteral("default"));
    QCOMPARE(root.value(QStringLiteral("features")).toObject().value(QStringLiteral("input_tokens")).toInt(), 1);
}

void CliRouteTest::importActivateExportVersions()
{
    TestWorkspace workspace;
    prepare(workspace);
    const QString draft = workspace.filePath(QStringLiteral("draft.json"));
    llmops::test::writeFile(draft, kDraft);

    const CliRun imported = route(workspace, {QStringLiteral("import"), draft, QStringLiteral("--note"),
                                              QStringLiteral("german first"), QStringLiteral("--activate")});
    QCOMPARE(imported.exitCode, 0);
    QVERIFY2(imported.out.contains("stored rule set v2 (active)"), imported.out.constData());

    const CliRun versions = route(workspace, {QStringLiteral("versions")});
    QCOMPARE(versions.exitCode, 0);
    QVERIFY2(versions.out.contains("* v2") && versions.out.contains("german first"), versions.out.constData());

    const CliRun activated = route(workspace, {QStringLiteral("activate"), QStringLiteral("1")});
    QCOMPARE(activated.exitCode, 0);
    const CliRun explained = route(workspace, {QStringLiteral("explain"), QStringLiteral("Wo ist meine Rechnung?")});
    QVERIFY2(explained.out.contains("rule:      default"), explained.out.constData());

    const QString exported = workspace.filePath(QStringLiteral("v2.json"));
    const CliRun exportRun = route(workspace, {QStringLiteral("export"), exported, QStringLiteral("--version"),
                                               QStringLiteral("2")});
    QCOMPARE(exportRun.exitCode, 0);
    QFile file(exported);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(root.value(QStringLiteral("version")).toInt(), 2);
    QCOMPARE(root.value(QStringLiteral("note")).toString(), QStringLiteral("german first"));
    QCOMPARE(root.value(QStringLiteral("rules")).toArray().size(), 3);
    // The exported file imports again as it is.
    QCOMPARE(route(workspace, {QStringLiteral("import"), exported}).exitCode, 0);
}

void CliRouteTest::replayJson()
{
    TestWorkspace workspace;
    prepare(workspace);
    const QString draft = workspace.filePath(QStringLiteral("draft.json"));
    llmops::test::writeFile(draft, kDraft);
    const CliRun replay = route(workspace, {QStringLiteral("replay"), QStringLiteral("--rules"), draft,
                                            QStringLiteral("--last"), QStringLiteral("1000"), QStringLiteral("--json")});
    QCOMPARE(replay.exitCode, 0);
    const QJsonObject root = QJsonDocument::fromJson(replay.out).object();
    QCOMPARE(root.value(QStringLiteral("queries")).toInt(), 2);
    QCOMPARE(root.value(QStringLiteral("active_version")).toInt(), 1);
    const QJsonArray changes = root.value(QStringLiteral("changes")).toArray();
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes[0].toObject().value(QStringLiteral("draft_rule")).toString(), QStringLiteral("billing"));

    const CliRun text = route(workspace, {QStringLiteral("replay"), QStringLiteral("--rules"), draft});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("replayed 2 queries") && text.out.contains("1 queries change route"),
             text.out.constData());
}

void CliRouteTest::replayWithoutTraces()
{
    TestWorkspace workspace;
    workspace.open();
    const QString draft = workspace.filePath(QStringLiteral("draft.json"));
    llmops::test::writeFile(draft, kDraft);
    const CliRun replay = route(workspace, {QStringLiteral("replay"), QStringLiteral("--rules"), draft});
    QCOMPARE(replay.exitCode, 1);
    QVERIFY2(replay.err.contains("no traces to replay"), replay.err.constData());
}

void CliRouteTest::emptyInputFilesRejected()
{
    TestWorkspace workspace;
    prepare(workspace);
    const QString draft = workspace.filePath(QStringLiteral("draft.json"));
    llmops::test::writeFile(draft, kDraft);
    const QString empty = workspace.filePath(QStringLiteral("empty.txt"));
    llmops::test::writeFile(empty, "\n\n");

    // An empty question file is an error, not a silent replay of the stored traces.
    const CliRun replay = route(workspace, {QStringLiteral("replay"), QStringLiteral("--rules"), draft,
                                            QStringLiteral("--questions"), empty});
    QCOMPARE(replay.exitCode, 1);
    QVERIFY2(replay.err.contains("has no questions"), replay.err.constData());

    // Training on no rows stores nothing, so the shipped weights keep classifying.
    const CliRun trained = route(workspace, {QStringLiteral("train"), empty, QStringLiteral("--save")});
    QCOMPARE(trained.exitCode, 1);
    QVERIFY2(trained.err.contains("training rows"), trained.err.constData());
    const CliRun explained = route(workspace, {QStringLiteral("explain"),
                                               QStringLiteral("Compare the annual and monthly plans and explain the "
                                                              "tax consequences of switching mid-year for a team")});
    QVERIFY2(!explained.out.contains("0.33"), explained.out.constData());
}

void CliRouteTest::importErrorsNameRuleAndField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << QByteArray(R"json({"rules": [{"name": "vip", "model": "local-extractive",
        "wehn": "code()"}, {"name": "default", "model": "local-extractive"}]})json")
                                 << "rule 1 \"vip\", field \"wehn\" is not a known key";
    QTest::newRow("wrong type") << QByteArray(R"json({"rules": [{"name": "vip", "model": 3}]})json")
                                << "rule 1 \"vip\", field \"model\" must be a string, got number";
    QTest::newRow("unknown model") << QByteArray(R"json({"rules": [{"name": "vip", "model": "gpt-9"}]})json")
                                   << "routing rule 1 \"vip\" sends queries to unknown model \"gpt-9\"";
    QTest::newRow("invalid regex") << QByteArray(R"json({"rules": [{"name": "rx", "model": "local-extractive",
        "when": {"regex": "refund(?=s)"}}, {"name": "default", "model": "local-extractive"}]})json")
                                   << "routing rule 1 \"rx\", condition: the pattern \"refund(?=s)\" is not a valid";
    QTest::newRow("no default") << QByteArray(R"json({"rules": [{"name": "x", "model": "local-extractive",
        "when": "code()"}]})json") << "has conditions; end the rule set with a default rule";
}

void CliRouteTest::importErrorsNameRuleAndField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    TestWorkspace workspace;
    workspace.open();
    const QString file = workspace.filePath(QStringLiteral("bad.json"));
    llmops::test::writeFile(file, json);
    const CliRun imported = route(workspace, {QStringLiteral("import"), file, QStringLiteral("--activate")});
    QCOMPARE(imported.exitCode, 1);
    QVERIFY2(QString::fromUtf8(imported.err).contains(expected), imported.err.constData());
    // Nothing was stored: version 1 stays the only one and active.
    const CliRun versions = route(workspace, {QStringLiteral("versions")});
    QVERIFY2(versions.out.startsWith("* v1") && !versions.out.contains("v2"), versions.out.constData());
}

void CliRouteTest::activateUnknownVersion()
{
    TestWorkspace workspace;
    workspace.open();
    const CliRun activated = route(workspace, {QStringLiteral("activate"), QStringLiteral("7")});
    QCOMPARE(activated.exitCode, 1);
    QVERIFY2(activated.err.contains("rule set version 7 does not exist"), activated.err.constData());
    QCOMPARE(route(workspace, {QStringLiteral("activate"), QStringLiteral("x")}).exitCode, 2);
    QCOMPARE(route(workspace, {QStringLiteral("frobnicate")}).exitCode, 2);
}

void CliRouteTest::trainSaveChangesTiers()
{
    TestWorkspace workspace;
    workspace.open();
    const CliRun before = route(workspace, {QStringLiteral("explain"), QStringLiteral("How do I reset my password?")});
    QVERIFY2(before.out.contains("tier:      simple"), before.out.constData());

    // Labels that call every short question complex teach the opposite of the shipped weights.
    QByteArray rows = "tier\tquery\n";
    for (int i = 0; i < 10; ++i) {
        rows += "complex\tHow do I reset my password?\n";
        rows += "simple\tCompare the plans for a team of 25 that needs SSO and explain the trade-offs, "
                "including what happens to invoices if we migrate in the middle of the year.\n";
    }
    const QString labelled = workspace.filePath(QStringLiteral("inverted.tsv"));
    llmops::test::writeFile(labelled, rows);
    const CliRun trained = route(workspace, {QStringLiteral("train"), labelled, QStringLiteral("--save")});
    QCOMPARE(trained.exitCode, 0);
    QVERIFY2(trained.out.contains("stored the weights"), trained.out.constData());

    const CliRun after = route(workspace, {QStringLiteral("explain"), QStringLiteral("How do I reset my password?")});
    QVERIFY2(after.out.contains("tier:      complex"), after.out.constData());

    // Settings with a wrong number of weights are rejected with the key's name.
    QJsonObject settings = QJsonDocument::fromJson(
        runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("settings"),
                QStringLiteral("show")}).out).object();
    QCOMPARE(settings.value(QStringLiteral("complexity_weights")).toArray().size(), 33);
    settings.insert(QStringLiteral("complexity_weights"), QJsonArray{1.0, 2.0});
    const QString broken = workspace.filePath(QStringLiteral("broken-settings.json"));
    llmops::test::writeFile(broken, QJsonDocument(settings).toJson());
    const CliRun load = runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("settings"),
                                QStringLiteral("load"), broken});
    QCOMPARE(load.exitCode, 1);
    QVERIFY2(load.err.contains("complexity_weights has 2 numbers, expected 33"), load.err.constData());
}

QTEST_GUILESS_MAIN(CliRouteTest)
#include "tst_cli_route.moc"
