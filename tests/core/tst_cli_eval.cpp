// SPDX-License-Identifier: MIT
// `llmops eval` as a scheduled job runs it: import, run, kill and resume, compare, and the exit
// code of --fail-on-drop.
#include <QtTest>

#include <nlohmann/json.hpp>

#include <set>

#include "CliRunner.h"
#include "Sqlite.h"
#include "EvalFixture.h"
#include "TestPaths.h"
#include "llmops/eval.h"

using namespace llmops;
using llmops::test::CliRun;
using llmops::test::EvalModelServer;
using llmops::test::runCli;
using llmops::test::TestWorkspace;

namespace {

QStringList evalArguments(const TestWorkspace& workspace, const QStringList& words)
{
    return QStringList{QStringLiteral("--workspace"), workspace.workspacePath(), QStringLiteral("eval")} + words;
}

// Counts the run's rows over a plain connection: opening an EvalStore would also migrate and
// set pragmas, which can wait on the child's write lock.
std::size_t storedResults(const TestWorkspace& workspace, std::int64_t runId)
{
    Database database;
    if (!database.open(workspace.workspacePath().toStdString()).isOk())
        return 0;
    Statement count(database, "SELECT COUNT(*) FROM eval_results WHERE run_id = ?");
    count.bind(1, runId);
    return count.step() ? static_cast<std::size_t>(count.columnInt(0)) : 0;
}

} // namespace

class TestCliEval : public QObject {
    Q_OBJECT

private slots:
    void killedRunResumesWithoutLossOrDuplicates()
    {
        TestWorkspace workspace;
        EvalModelServer model;
        model.delay = std::chrono::milliseconds(500);
        QVERIFY(model.start());
        llmops::test::prepareEvalWorkspace(workspace, model);

        QProcess child;
        child.start(QStringLiteral(LLMOPS_CLI_PATH),
                    evalArguments(workspace, {"run", "--dataset", "lumen", "--concurrency", "1"}));
        QVERIFY(child.waitForStarted());
        QTRY_VERIFY2_WITH_TIMEOUT(storedResults(workspace, 1) >= 2, child.readAllStandardError().constData(), 20000);
        child.kill();  // SIGKILL: no chance to finish the run or the item in flight
        QVERIFY(child.waitForFinished());
        const std::size_t before = storedResults(workspace, 1);
        QVERIFY2(before < 6, qPrintable(QString::number(before)));

        const CliRun resumed = runCli(evalArguments(workspace, {"resume", "1", "--concurrency", "2"}));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        auto store = EvalStore::open(workspace.workspacePath().toStdString());
        const auto results = store.value()->results(1).value();
        QCOMPARE(results.size(), std::size_t{6});
        std::set<std::int64_t> ids;
        for (const EvalResult& result : results)
            ids.insert(result.itemId);
        QCOMPARE(ids.size(), std::size_t{6});
        QCOMPARE(store.value()->run(1).value().status, std::string("done"));
    }

    void failOnDropExitsNonZero()
    {
        TestWorkspace workspace;
        EvalModelServer model;
        QVERIFY(model.start());
        llmops::test::prepareEvalWorkspace(workspace, model);
        const QStringList run = {"run", "--dataset", "lumen", "--fail-on-drop", "0.02"};

        const CliRun first = runCli(evalArguments(workspace, run));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QVERIFY(first.out.contains("no earlier finished run"));

        model.offTopic = true;
        const CliRun dropped = runCli(evalArguments(workspace, run));
        QCOMPARE(dropped.exitCode, 3);
        QVERIFY2(dropped.out.contains("ALERT faithfulness mean drops by more than 0.020 against run 1"),
                 dropped.out.constData());

        const CliRun steady = runCli(evalArguments(workspace, run));  // against run 2: no drop
        QVERIFY2(steady.exitCode == 0, steady.out.constData());

        const CliRun compared = runCli(evalArguments(workspace, {"compare", "1", "2", "--json"}));
        QCOMPARE(compared.exitCode, 0);
        const auto json = nlohmann::json::parse(compared.out.toStdString());
        QCOMPARE(json["paired_items"].get<int>(), 6);
        QCOMPARE(json["metrics"][0]["metric"].get<std::string>(), std::string("faithfulness"));
        QCOMPARE(json["metrics"][0]["delta"].get<double>(), -1.0);
        QVERIFY(json["metrics"][0]["significant"].get<bool>());
        QCOMPARE(json["regressed"].size(), std::size_t{6});

        const CliRun alerts = runCli(evalArguments(workspace, {"alerts"}));
        QVERIFY(alerts.out.contains("faithfulness mean drops"));
    }

    void importListsAndExports()
    {
        TestWorkspace workspace;
        const QString yaml = llmops::test::testDataDir() + QStringLiteral("/evals/promptfoo-lumen.yaml");
        const CliRun imported = runCli(evalArguments(workspace, {"import", yaml, "--name", "rubric"}));
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QVERIFY(imported.out.contains("imported 3 items as rubric version 1"));

        const CliRun listed = runCli(evalArguments(workspace, {"datasets"}));
        QVERIFY(listed.out.contains("rubric"));

        const QString out = workspace.filePath(QStringLiteral("rubric.csv"));
        QCOMPARE(runCli(evalArguments(workspace, {"export", "rubric", out})).exitCode, 0);
        QCOMPARE(readDatasetFile(out.toStdString()).value().size(), std::size_t{3});

        const QString bad = llmops::test::writeFile(workspace.filePath(QStringLiteral("bad.jsonl")),
                                                    "{\"question\": \"a?\"}\n{oops\n");
        const CliRun rejected = runCli(evalArguments(workspace, {"import", bad, "--name", "bad"}));
        QCOMPARE(rejected.exitCode, 1);
        QVERIFY2(rejected.err.contains("bad.jsonl line 2: malformed JSON"), rejected.err.constData());
        QVERIFY(!runCli(evalArguments(workspace, {"datasets"})).out.contains("bad"));
    }
};

QTEST_GUILESS_MAIN(TestCliEval)
#include "tst_cli_eval.moc"
