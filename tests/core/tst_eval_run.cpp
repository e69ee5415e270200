// SPDX-License-Identifier: MIT
// Eval runs through the real pipeline against a loopback model: concurrency, per-item rows,
// cancel and resume, the settings snapshot, and the alerts a drop raises.
#include <QtTest>

#include <nlohmann/json.hpp>

#include <chrono>
#include <set>

#include "EvalFixture.h"
#include "llmops/engine.h"
#include "llmops/eval.h"
#include "llmops/eval_alerts.h"
#include "llmops/eval_metrics.h"

using namespace llmops;
using llmops::test::EvalModelServer;
using llmops::test::TestWorkspace;

namespace {

std::unique_ptr<EvalStore> openStore(const TestWorkspace& workspace)
{
    auto store = EvalStore::open(workspace.workspacePath().toStdString());
    return store.isOk() ? std::move(store).value() : nullptr;
}

std::int64_t startRun(const TestWorkspace& workspace, int concurrency)
{
    const auto run = startEvalRun(workspace.workspacePath().toStdString(), "lumen", concurrency);
    return run.isOk() ? run.value() : 0;
}

std::set<std::int64_t> itemIds(const std::vector<EvalResult>& results)
{
    std::set<std::int64_t> ids;
    for (const EvalResult& result : results)
        ids.insert(result.itemId);
    return ids;
}

// A judge that replies to each task of judgeScores with fixed verdicts: one statement of two
// supported, a noncommittal answer, every reference sentence attributed, and only the second
// chunk useful.
llmops::test::LoopbackResponse judgeReply(const llmops::test::RecordedRequest& request)
{
    const std::string& body = request.body;
    std::string content;
    if (body.find("Break the ANSWER") != std::string::npos) {
        content = R"({"statements": [{"statement": "a", "verdict": 1}, {"statement": "b", "verdict": 0}]})";
    } else if (body.find("Write 3 questions") != std::string::npos) {
        content = R"({"questions": ["x?", "y?", "z?"], "noncommittal": 1})";
    } else if (body.find("Split the REFERENCE") != std::string::npos) {
        content = R"({"sentences": [{"sentence": "s", "attributed": 1}]})";
    } else {
        // One verdict per numbered context ("[n] (label)" in the prompt): 1 for the second only.
        std::string verdicts;
        int number = 0;
        for (std::size_t at = body.find("] ("); at != std::string::npos; at = body.find("] (", at + 1)) {
            ++number;
            verdicts += number == 1 ? "" : ", ";
            verdicts += number == 2 ? "1" : "0";
        }
        content = "Here you go: {\"verdicts\": [" + verdicts + "]}";
    }
    const nlohmann::json reply = {{"choices", {{{"message", {{"role", "assistant"}, {"content", content}}}}}},
                                  {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 5}}}};
    return llmops::test::LoopbackResponse::json(200, reply.dump());
}

} // namespace

class TestEvalRun : public QObject {
    Q_OBJECT

private slots:
    void runsEveryItemOnSeveralThreads()
    {
        TestWorkspace workspace;
        EvalModelServer model;
        model.delay = std::chrono::milliseconds(300);
        QVERIFY(model.start());
        llmops::test::prepareEvalWorkspace(workspace, model);
        const std::int64_t runId = startRun(workspace, 3);
        QVERIFY(runId > 0);

        std::vector<EvalProgress> reports;
        EvalRunOptions options;
        options.concurrency = 3;
        options.progress = [&](const EvalProgress& progress) { reports.push_back(progress); };
        const auto started = std::chrono::steady_clock::now();
        const Status status = runEval(workspace.workspacePath().toStdString(), runId, options);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        QVERIFY2(status.isOk(), status.message().c_str());
        // Six calls of 300 ms take 1.8 s one after another, 0.6 s three at a time; the margin
        // leaves room for a loaded machine.
        QVERIFY2(seconds < 1.4, qPrintable(QString::number(seconds)));

        QCOMPARE(reports.size(), std::size_t{6});
        QCOMPARE(reports.back().done, std::int64_t{6});
        QCOMPARE(reports.back().remainingSeconds, 0.0);
        const auto store = openStore(workspace);
        const auto results = store->results(runId);
        QCOMPARE(results.value().size(), std::size_t{6});
        for (const EvalResult& result : results.value()) {
            QVERIFY2(result.error.empty(), result.error.c_str());
            QVERIFY(result.latencyUs >= 300000);
            QVERIFY(result.costUsd > 0.0);
            QVERIFY(result.traceId > 0);
            QVERIFY(!result.contexts.empty());
            // The model repeats the first passage, so every claim is supported.
            QCOMPARE(result.scores[static_cast<int>(EvalMetric::Faithfulness)].value(), 1.0);
        }
        const auto run = store->run(runId);
        QCOMPARE(run.value().status, std::string("done"));
        QVERIFY(run.value().settingsJson.find("eval-model") != std::string::npos);
        QVERIFY(!run.value().priceTableVersion.empty());
        QCOMPARE(run.value().itemsDone, std::int64_t{6});
    }

    void cancelledRunResumesWithoutLossOrDuplicates()
    {
        TestWorkspace workspace;
        EvalModelServer model;
        model.delay = std::chrono::milliseconds(50);
        QVERIFY(model.start());
        llmops::test::prepareEvalWorkspace(workspace, model);
        const std::int64_t runId = startRun(workspace, 2);

        std::atomic<bool> cancel{false};
        EvalRunOptions options;
        options.concurrency = 2;
        options.cancel = &cancel;
        options.progress = [&](const EvalProgress& progress) {
            if (progress.done >= 2)
                cancel = true;
        };
        const std::string path = workspace.workspacePath().toStdString();
        QCOMPARE(runEval(path, runId, options).code(), StatusCode::Cancelled);
        const auto store = openStore(workspace);
        QCOMPARE(store->run(runId).value().status, std::string("cancelled"));
        const std::size_t before = store->results(runId).value().size();
        QVERIFY(before >= 2 && before < 6);

        cancel = false;
        options.progress = {};
        QVERIFY(runEval(path, runId, options).isOk());
        const auto results = store->results(runId).value();
        QCOMPARE(results.size(), std::size_t{6});
        QCOMPARE(itemIds(results).size(), std::size_t{6});
        QCOMPARE(store->run(runId).value().status, std::string("done"));
    }

    void resumeRejectsChangedSettings()
    {
        TestWorkspace workspace;
        EvalModelServer model;
        QVERIFY(model.start());
        llmops::test::prepareEvalWorkspace(workspace, model);
        const std::int64_t runId = startRun(workspace, 1);
        {
            auto engine = workspace.open();
            PipelineSettings settings = engine->settings();
            settings.retrieval.topK = 2;
            QVERIFY(engine->updateSettings(settings).isOk());
        }
        const Status status = runEval(workspace.workspacePath().toStdString(), runId, EvalRunOptions{});
        QCOMPARE(status.code(), StatusCode::InvalidArgument);
        QVERIFY(status.message().find("settings changed") != std::string::npos);
        QVERIFY(openStore(workspace)->results(runId).value().empty());
    }

    void dropRaisesAlertsAndQueuesItems()
    {
        TestWorkspace workspace;
        EvalModelServer model;
        QVERIFY(model.start());
        llmops::test::prepareEvalWorkspace(workspace, model);
        const auto [good, bad] = llmops::test::runFaithfulThenOffTopic(workspace, model);
        QVERIFY(bad > 0);

        const auto store = openStore(workspace);
        const EvalComparison comparison =
            compareRuns(good, store->results(good).value(), bad, store->results(bad).value());
        QCOMPARE(comparison.pairedItems, std::int64_t{6});
        const MetricDelta& faithfulness = comparison.metrics.front();
        QCOMPARE(faithfulness.meanA, 1.0);
        QCOMPARE(faithfulness.meanB, 0.0);
        QVERIFY(faithfulness.significant);

        auto engine = workspace.open();
        const auto fired = raiseDropAlerts(*engine, *store, comparison, 0.02);
        QVERIFY2(fired.isOk(), fired.status().message().c_str());
        QVERIFY(!fired.value().empty());
        QVERIFY(fired.value().front().rule.starts_with("faithfulness mean drops by more than 0.020"));
        QCOMPARE(fired.value().front().reviewItemIds.size(), std::size_t{7});  // the alert and six items

        ReviewFilter filter;
        filter.kind = "eval_regression";
        const auto queued = engine->reviewItems(filter).value();
        QVERIFY(queued.size() >= 6);
        QVERIFY(queued.front().evalRef.starts_with("run " + std::to_string(bad) + " item "));
        filter.kind = "alert";
        QCOMPARE(engine->reviewItems(filter).value().size(), fired.value().size());
        QCOMPARE(store->alerts().value().size(), fired.value().size());
    }

    void judgeModelScoresByItsVerdicts()
    {
        TestWorkspace workspace;
        EvalModelServer model;
        QVERIFY(model.start());
        llmops::test::prepareEvalWorkspace(workspace, model);
        llmops::test::LoopbackHttpServer judgeServer;
        judgeServer.route("POST", "/v1/chat/completions", judgeReply);
        QVERIFY(judgeServer.start());
        {
            auto engine = workspace.open();
            PipelineSettings settings = engine->settings();
            ModelEndpoint judge = settings.models.back();
            judge.name = "judge";
            judge.baseUrl = judgeServer.baseUrl() + "/v1";
            settings.models.push_back(judge);
            QVERIFY(engine->updateSettings(settings).isOk());
        }

        const std::string path = workspace.workspacePath().toStdString();
        QCOMPARE(startEvalRun(path, "lumen", 2, "missing").status().code(), StatusCode::InvalidArgument);
        const auto runId = startEvalRun(path, "lumen", 2, "judge");
        QVERIFY2(runId.isOk(), runId.status().message().c_str());
        QVERIFY(runEval(path, runId.value(), EvalRunOptions{}).isOk());

        const auto store = openStore(workspace);
        const auto run = store->run(runId.value()).value();
        QCOMPARE(run.judgeModel, std::string("judge"));
        QCOMPARE(run.judgePrompt, std::string(kJudgeSystemPrompt));
        const std::vector<EvalResult> results = store->results(runId.value()).value();
        QCOMPARE(results.size(), std::size_t{6});
        for (const EvalResult& result : results) {
            QCOMPARE(result.scores[0].value(), 0.5);  // faithfulness: one of two statements
            QCOMPARE(result.scores[1].value(), 0.0);  // relevancy: a noncommittal answer
            QCOMPARE(result.scores[2].value(), 1.0);  // recall: every sentence attributed
            if (result.contexts.size() >= 2)
                QCOMPARE(result.scores[3].value(), 0.5);  // precision: useful at rank 2 only
        }
    }

    void hallucinationRateRuleFiresAboveItsShare()
    {
        TestWorkspace workspace;
        auto engine = workspace.open();
        const auto store = openStore(workspace);
        const auto first = engine->addReviewItem("eval_regression", 0, "run 1 item 1", "x");
        const auto second = engine->addReviewItem("eval_regression", 0, "run 1 item 2", "y");
        QVERIFY(engine->setReviewVerdict(first.value(), "hallucination", "", "").isOk());
        QVERIFY(engine->setReviewVerdict(second.value(), "correct", "", "").isOk());

        constexpr std::int64_t kDay = 24LL * 3600 * 1000;
        QVERIFY(checkHallucinationRate(*engine, *store, 0.6, kDay, 0).value().empty());
        const auto fired = checkHallucinationRate(*engine, *store, 0.05, kDay, 0);
        QVERIFY2(fired.isOk(), fired.status().message().c_str());
        QCOMPARE(fired.value().size(), std::size_t{1});
        QVERIFY(fired.value().front().detail.starts_with("1 of 2 judged items (50.0%)"));
    }
};

QTEST_GUILESS_MAIN(TestEvalRun)
#include "tst_eval_run.moc"
