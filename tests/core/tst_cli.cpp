// SPDX-License-Identifier: MIT
// The llmops executable as a script would run it: exit codes, standard output and JSON.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "CliRunner.h"
#include "TestWorkspace.h"

using llmops::test::TestWorkspace;

using llmops::test::CliRun;
using llmops::test::runCli;

class CliTest : public QObject {
    Q_OBJECT

private slots:
    void indexAskTraces();
    void askJsonHasFields();
    void usageErrors_data();
    void usageErrors();
    void workspaceFromEnvironment();
    void notADatabase();
    void missingWorkspaceNotCreated();
    void deletedFileRemovedOnReindex();
    void symlinkedFolderIndexedOnce();
    void settingsShowAndLoad();
    void pricesImportAndShow();
};

void CliTest::indexAskTraces()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    workspace.addDocument(QStringLiteral("broken.md"), QByteArray("bad \xff bytes"));

    const CliRun index = runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("index"),
                                 workspace.docsDir()});
    QCOMPARE(index.exitCode, 1);  // one file failed; the others are indexed all the same
    QVERIFY2(index.out.contains("indexed 4 files"), index.out.constData());
    QVERIFY2(index.out.contains("failed 1"), index.out.constData());
    QVERIFY2(index.err.contains("broken.md") && index.err.contains("UTF-8"), index.err.constData());

    const CliRun again = runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("index"),
                                 workspace.docsDir()});
    QVERIFY2(again.out.contains("skipped 4 unchanged"), again.out.constData());

    const CliRun ask = runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("ask"),
                               QStringLiteral("How do I enable two-factor authentication?")});
    QCOMPARE(ask.exitCode, 0);
    QVERIFY2(ask.out.contains("two-factor.md"), ask.out.constData());
    QVERIFY2(ask.out.contains("retriever"), ask.out.constData());

    const CliRun traces = runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("traces"),
                                  QStringLiteral("--last"), QStringLiteral("20")});
    QCOMPARE(traces.exitCode, 0);
    QVERIFY2(traces.out.contains("two-factor authentication"), traces.out.constData());
}

void CliTest::askJsonHasFields()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    QCOMPARE(runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("index"),
                     workspace.docsDir()})
                 .exitCode,
             0);

    const CliRun ask = runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("ask"),
                               QStringLiteral("--json"), QStringLiteral("How long do refunds take?")});
    QCOMPARE(ask.exitCode, 0);
    QJsonParseError error;
    const QJsonObject root = QJsonDocument::fromJson(ask.out, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(!root.value(QStringLiteral("answer")).toString().isEmpty());
    const QJsonArray citations = root.value(QStringLiteral("citations")).toArray();
    QVERIFY(!citations.isEmpty());
    QVERIFY(citations.first().toObject().value(QStringLiteral("document_path")).toString().endsWith(QStringLiteral("refunds.md")));
    QVERIFY(citations.first().toObject().contains(QStringLiteral("heading")));
    QCOMPARE(root.value(QStringLiteral("route")).toString(), QStringLiteral("default"));
    QVERIFY(root.contains(QStringLiteral("cost_usd")));
    QVERIFY(root.value(QStringLiteral("flags")).isArray());
    const QJsonArray spans = root.value(QStringLiteral("spans")).toArray();
    QCOMPARE(spans.size(), 7);
    QVERIFY(spans.at(3).toObject().contains(QStringLiteral("duration_ms")));

    const CliRun traces = runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("traces"),
                                  QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(traces.out).array().size(), 1);
}

void CliTest::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList{} << "no command";
    QTest::newRow("unknown command") << QStringList{QStringLiteral("fly")} << "unknown command fly";
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--speed")} << "unknown option --speed";
    QTest::newRow("ask without question") << QStringList{QStringLiteral("ask")} << "exactly one question";
    QTest::newRow("bad last") << QStringList{QStringLiteral("traces"), QStringLiteral("--last"), QStringLiteral("x")}
                              << "--last needs";
    QTest::newRow("index nothing") << QStringList{QStringLiteral("index")} << "at least one file";
}

void CliTest::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    TestWorkspace workspace;
    const CliRun run = runCli(QStringList{QStringLiteral("--workspace"), workspace.workspacePath()} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
}

void CliTest::workspaceFromEnvironment()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LLMOPS_WORKSPACE"), workspace.workspacePath());
    QCOMPARE(runCli({QStringLiteral("index"), workspace.docsDir()}, environment).exitCode, 0);
    QVERIFY(QFileInfo::exists(workspace.workspacePath()));
}

void CliTest::missingWorkspaceNotCreated()
{
    TestWorkspace workspace;
    const QString path = workspace.filePath(QStringLiteral("typo/missing.llmops"));
    for (const QStringList& command : {QStringList{QStringLiteral("ask"), QStringLiteral("hi")},
                                       QStringList{QStringLiteral("traces")},
                                       QStringList{QStringLiteral("settings"), QStringLiteral("show")}}) {
        const CliRun run = runCli(QStringList{QStringLiteral("--workspace"), path} + command);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("does not exist"), run.err.constData());
    }
    QVERIFY(!QFileInfo::exists(path));
}

void CliTest::deletedFileRemovedOnReindex()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    const QStringList index{QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("index"),
                            workspace.docsDir()};
    QCOMPARE(runCli(index).exitCode, 0);
    const QStringList ask{QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("ask"),
                          QStringLiteral("When is phone support available?")};
    QVERIFY(runCli(ask).out.contains("contact.txt"));

    QVERIFY(QFile::remove(QDir(workspace.docsDir()).filePath(QStringLiteral("contact.txt"))));
    const CliRun reindex = runCli(index);
    QVERIFY2(reindex.out.contains("removed 1"), reindex.out.constData());
    const CliRun after = runCli(ask);
    QVERIFY2(!after.out.contains("contact.txt"), after.out.constData());
    QVERIFY2(!after.out.contains("9:00"), after.out.constData());  // not served from the cache either
}

void CliTest::symlinkedFolderIndexedOnce()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    const QString link = workspace.filePath(QStringLiteral("docs-link"));
    QVERIFY(QFile::link(workspace.docsDir(), link));
    QCOMPARE(runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("index"),
                     workspace.docsDir()})
                 .exitCode,
             0);
    const CliRun viaLink = runCli({QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("index"), link});
    QVERIFY2(viaLink.out.contains("indexed 0 files") && viaLink.out.contains("skipped 4 unchanged"),
             viaLink.out.constData());
}

void CliTest::notADatabase()
{
    TestWorkspace workspace;
    const QString path = llmops::test::writeFile(workspace.filePath(QStringLiteral("text.llmops")), "hello\n");
    const CliRun run = runCli({QStringLiteral("--workspace"), path, QStringLiteral("ask"), QStringLiteral("hi")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("not a workspace database"), run.err.constData());
}

void CliTest::settingsShowAndLoad()
{
    TestWorkspace workspace;
    QVERIFY(workspace.open());
    const QStringList base{QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("settings")};
    const CliRun show = runCli(base + QStringList{QStringLiteral("show")});
    QCOMPARE(show.exitCode, 0);
    QJsonObject settings = QJsonDocument::fromJson(show.out).object();
    QCOMPARE(settings.value(QStringLiteral("rules")).toArray().size(), 1);

    // A rule naming a model that does not exist is rejected and the stored settings stay.
    QJsonArray rules = settings.value(QStringLiteral("rules")).toArray();
    QJsonObject broken{{QStringLiteral("name"), QStringLiteral("to nowhere")},
                       {QStringLiteral("keywords"), QJsonArray{QStringLiteral("refund")}},
                       {QStringLiteral("model"), QStringLiteral("missing-model")}};
    rules.prepend(broken);
    settings.insert(QStringLiteral("rules"), rules);
    const QString file = llmops::test::writeFile(workspace.filePath(QStringLiteral("settings.json")),
                                                 QJsonDocument(settings).toJson());
    const CliRun rejected = runCli(base + QStringList{QStringLiteral("load"), file});
    QCOMPARE(rejected.exitCode, 1);
    QVERIFY2(rejected.err.contains("to nowhere") && rejected.err.contains("missing-model"), rejected.err.constData());
    QCOMPARE(QJsonDocument::fromJson(runCli(base + QStringList{QStringLiteral("show")}).out)
                 .object().value(QStringLiteral("rules")).toArray().size(),
             1);

    broken.insert(QStringLiteral("model"), QStringLiteral("local-extractive"));
    rules.replace(0, broken);
    settings.insert(QStringLiteral("rules"), rules);
    llmops::test::writeFile(file, QJsonDocument(settings).toJson());
    QCOMPARE(runCli(base + QStringList{QStringLiteral("load"), file}).exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(runCli(base + QStringList{QStringLiteral("show")}).out)
                 .object().value(QStringLiteral("rules")).toArray().size(),
             2);

    llmops::test::writeFile(file, "{\"retrieval\": {\"top_k\": \"many\"}}");
    const CliRun wrongType = runCli(base + QStringList{QStringLiteral("load"), file});
    QCOMPARE(wrongType.exitCode, 1);
    QVERIFY2(wrongType.err.contains("top_k"), wrongType.err.constData());
}

void CliTest::pricesImportAndShow()
{
    TestWorkspace workspace;
    const QString path = workspace.workspacePath();

    // Without a workspace, show reads the bundled table: gpt-4o costs $2.50 per million input tokens.
    const CliRun bundled = runCli({QStringLiteral("--workspace"), path, QStringLiteral("prices"), QStringLiteral("show"),
                                   QStringLiteral("openai/gpt-4o")});
    QCOMPARE(bundled.exitCode, 0);
    QVERIFY2(bundled.out.contains("model: gpt-4o"), bundled.out.constData());
    QVERIFY2(bundled.out.contains("input         2.5\n"), bundled.out.constData());
    QVERIFY(!QFile::exists(path));

    const CliRun unknown = runCli({QStringLiteral("--workspace"), path, QStringLiteral("prices"), QStringLiteral("show"),
                                   QStringLiteral("my-finetune")});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains("no price for model \"my-finetune\""), unknown.err.constData());

    const QString bad = llmops::test::writeFile(workspace.filePath(QStringLiteral("bad.json")),
                                                R"({"m": {"mode": "chat", "input_cost_per_token": "x"}})");
    const CliRun rejected = runCli({QStringLiteral("--workspace"), path, QStringLiteral("prices"), QStringLiteral("import"), bad});
    QCOMPARE(rejected.exitCode, 1);
    QVERIFY2(rejected.err.contains("input_cost_per_token"), rejected.err.constData());
    QVERIFY2(rejected.err.contains("unchanged"), rejected.err.constData());

    const QString good = llmops::test::writeFile(workspace.filePath(QStringLiteral("prices.json")), R"({
        "last_updated": "2030-01-01T00:00:00+00:00",
        "my-finetune": {"input_cost_per_token": 4e-6, "output_cost_per_token": 1.6e-5, "mode": "chat",
                        "litellm_provider": "openai"},
        "some-embedder": {"input_cost_per_token": 1e-8, "mode": "embedding"}})");
    const CliRun imported = runCli({QStringLiteral("--workspace"), path, QStringLiteral("prices"), QStringLiteral("import"), good});
    QCOMPARE(imported.exitCode, 0);
    QVERIFY2(imported.out.contains("prices of 1 chat model from"), imported.out.constData());
    QVERIFY2(imported.out.contains("version litellm-2030-01-01"), imported.out.constData());

    const CliRun shown = runCli({QStringLiteral("--workspace"), path, QStringLiteral("prices"), QStringLiteral("show"),
                                 QStringLiteral("my-finetune")});
    QCOMPARE(shown.exitCode, 0);
    QVERIFY2(shown.out.contains("input         4\n"), shown.out.constData());
    QVERIFY2(shown.out.contains("output        16\n"), shown.out.constData());
    QVERIFY2(shown.out.contains("price table: litellm-2030-01-01"), shown.out.constData());
}

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
