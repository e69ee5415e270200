// SPDX-License-Identifier: MIT
#include <QtTest>

#include "Sqlite.h"
#include "TestWorkspace.h"
#include "llmops/engine.h"

using namespace llmops;
using llmops::test::TestWorkspace;

namespace {

constexpr std::int64_t kDayMs = 86400000;

RoutingRule keywordRule(const std::string& name, const std::string& keyword, const std::string& model)
{
    RoutingRule rule;
    rule.name = name;
    rule.model = model;
    rule.when = {RoutingCondition::Kind::Keywords, {}, {}, {keyword}, 0};
    return rule;
}

RoutingRule defaultRule(const std::string& model = "local-extractive")
{
    RoutingRule rule;
    rule.name = "default";
    rule.model = model;
    return rule;
}

// A remote model priced by its endpoint, so replay costs do not depend on the price table.
ModelEndpoint pricedModel(const std::string& name, double inputPerMillion, double outputPerMillion)
{
    ModelEndpoint model;
    model.name = name;
    model.kind = "openai-compatible";
    model.baseUrl = "http://127.0.0.1:9/v1";
    model.model = name;
    model.inputUsdPerMillion = inputPerMillion;
    model.outputUsdPerMillion = outputPerMillion;
    return model;
}

// Settings with "cheap" ($1 in, $2 out per million) and "big" ($10 in, $30 out), and active
// rules: invoices go to cheap, the rest to the local model.
PipelineSettings pricedSettings()
{
    PipelineSettings settings = PipelineSettings::defaults();
    settings.models.push_back(pricedModel("cheap", 1.0, 2.0));
    settings.models.push_back(pricedModel("big", 10.0, 30.0));
    settings.rules = {keywordRule("billing", "invoice", "cheap"), defaultRule()};
    return settings;
}

void insertTrace(Database& database, std::int64_t startedAtMs, const std::string& query, std::int64_t input,
                 std::int64_t output, const std::string& status)
{
    Statement insert(database, R"sql(
        INSERT INTO traces(started_at, query, answer, route, model, input_tokens, output_tokens, cost_usd,
                           total_us, status, flags, result)
        VALUES (?, ?, '', 'r', 'm', ?, ?, 0, 0, ?, '', '{}'))sql");
    insert.bind(1, startedAtMs).bind(2, query).bind(3, input).bind(4, output).bind(5, status);
    QVERIFY(insert.run().isOk());
}

const ReplayModelShare* shareOf(const ReplayReport& report, const std::string& model)
{
    for (const ReplayModelShare& share : report.models)
        if (share.model == model)
            return &share;
    return nullptr;
}

} // namespace

class RuleSetsTest : public QObject {
    Q_OBJECT

private slots:
    void newWorkspaceHasVersionOne();
    void saveAndActivateVersions();
    void invalidVersionNotActivated();
    void settingsChangeRecordsVersion();
    void tracesRecordVersionAndRule();
    void metadataRoutesAsk();
    void replayTotalsHandComputed();
    void replayQuestionList();
    void replayNothingIsClearError();
    void replayRejectsInvalidDraft();
};

void RuleSetsTest::newWorkspaceHasVersionOne()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    QCOMPARE(engine->activeRuleSetVersion(), 1);
    Result<std::vector<RuleSetVersion>> versions = engine->ruleSetVersions();
    QVERIFY(versions.isOk());
    QCOMPARE(versions->size(), std::size_t{1});
    QVERIFY(versions->front().active);
    QCOMPARE(versions->front().rules.size(), std::size_t{1});
    QVERIFY(versions->front().createdAtMs > 0);
}

void RuleSetsTest::saveAndActivateVersions()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    QVERIFY(engine->updateSettings(pricedSettings()).isOk());
    const int afterSettings = engine->activeRuleSetVersion();
    QCOMPARE(afterSettings, 2);

    const std::vector<RoutingRule> draft = {keywordRule("refunds", "refund", "big"), defaultRule()};
    Result<int> saved = engine->saveRuleSet(draft, "send refunds to big", false);
    QVERIFY2(saved.isOk(), saved.status().message().c_str());
    QCOMPARE(saved.value(), 3);
    QCOMPARE(engine->activeRuleSetVersion(), afterSettings);  // saving alone does not activate
    QCOMPARE(engine->explainRoute("I want a refund").decision.model, std::string("local-extractive"));

    QVERIFY(engine->activateRuleSet(3).isOk());
    QCOMPARE(engine->activeRuleSetVersion(), 3);
    QCOMPARE(engine->explainRoute("I want a refund").decision.model, std::string("big"));
    QCOMPARE(engine->settings().rules.front().name, std::string("refunds"));

    // The active version and its rules survive reopening.
    engine.reset();
    engine = workspace.open();
    QCOMPARE(engine->activeRuleSetVersion(), 3);
    QCOMPARE(engine->explainRoute("I want a refund").decision.model, std::string("big"));
    Result<std::vector<RuleSetVersion>> versions = engine->ruleSetVersions();
    QCOMPARE(versions->size(), std::size_t{3});
    QCOMPARE(versions->back().note, std::string("send refunds to big"));
    QVERIFY(versions->back().active);
    QVERIFY(!versions->front().active);

    // Activating an older version brings its rules back.
    QVERIFY(engine->activateRuleSet(2).isOk());
    QCOMPARE(engine->settings().rules.front().name, std::string("billing"));
    QCOMPARE(engine->activateRuleSet(99).code(), StatusCode::NotFound);
}

void RuleSetsTest::invalidVersionNotActivated()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    QVERIFY(engine->updateSettings(pricedSettings()).isOk());

    // Saving a rule set with an unknown model fails and stores nothing.
    const std::vector<RoutingRule> unknownModel = {keywordRule("x", "x", "gpt-9"), defaultRule()};
    Result<int> rejected = engine->saveRuleSet(unknownModel, "", true);
    QVERIFY(!rejected.isOk());
    QVERIFY2(rejected.status().message().find("gpt-9") != std::string::npos, rejected.status().message().c_str());
    QCOMPARE(engine->ruleSetVersions()->size(), std::size_t{2});

    // A version that was valid when saved becomes invalid once its model is removed.
    Result<int> usesBig = engine->saveRuleSet({keywordRule("refunds", "refund", "big"), defaultRule()}, "", false);
    QVERIFY(usesBig.isOk());
    PipelineSettings withoutBig = engine->settings();
    withoutBig.models.pop_back();
    QVERIFY(engine->updateSettings(withoutBig).isOk());
    const int active = engine->activeRuleSetVersion();

    const Status status = engine->activateRuleSet(usesBig.value());
    QCOMPARE(status.code(), StatusCode::InvalidArgument);
    QVERIFY2(status.message().find("unknown model \"big\"") != std::string::npos, status.message().c_str());
    QCOMPARE(engine->activeRuleSetVersion(), active);
    QCOMPARE(engine->settings().rules.front().name, std::string("billing"));
    engine.reset();
    QCOMPARE(workspace.open()->activeRuleSetVersion(), active);
}

void RuleSetsTest::settingsChangeRecordsVersion()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    QVERIFY(engine->updateSettings(pricedSettings()).isOk());
    QCOMPARE(engine->activeRuleSetVersion(), 2);

    // Settings whose rules did not change keep the version.
    PipelineSettings sameRules = engine->settings();
    sameRules.cacheEnabled = false;
    QVERIFY(engine->updateSettings(sameRules).isOk());
    QCOMPARE(engine->activeRuleSetVersion(), 2);
    QCOMPARE(engine->ruleSetVersions()->size(), std::size_t{2});
}

void RuleSetsTest::tracesRecordVersionAndRule()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    engine->indexPaths({workspace.docsDir().toStdString()});
    PipelineSettings settings = engine->settings();
    settings.rules = {keywordRule("billing", "invoice", "local-extractive"), defaultRule()};
    QVERIFY(engine->updateSettings(settings).isOk());

    Result<QueryResult> result = engine->ask("How do I download an invoice?");
    QVERIFY2(result.isOk(), result.status().message().c_str());
    QCOMPARE(result->route, std::string("billing"));
    QCOMPARE(result->ruleSetVersion, 2);
    QVERIFY2(result->routeReason.find("found \"invoice\"") != std::string::npos, result->routeReason.c_str());

    Result<QueryResult> stored = engine->trace(result->traceId);
    QVERIFY(stored.isOk());
    QCOMPARE(stored->ruleSetVersion, 2);
    QCOMPARE(stored->route, std::string("billing"));
    QCOMPARE(stored->routeReason, result->routeReason);

    // The traces table has the version in its own column.
    Database database;
    QVERIFY(database.open(workspace.workspacePath().toStdString()).isOk());
    Statement query(database, "SELECT rule_set_version, route FROM traces WHERE id = ?");
    query.bind(1, result->traceId);
    QVERIFY(query.step());
    QCOMPARE(query.columnInt(0), std::int64_t{2});
    QCOMPARE(query.columnText(1), std::string("billing"));
}

void RuleSetsTest::metadataRoutesAsk()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    engine->indexPaths({workspace.docsDir().toStdString()});
    RoutingRule enterprise;
    enterprise.name = "enterprise";
    enterprise.model = "local-extractive";
    enterprise.when = {RoutingCondition::Kind::Metadata, {}, "user_tier", {"enterprise"}, 0};
    QVERIFY(engine->saveRuleSet({enterprise, defaultRule()}, "tiers", true).isOk());

    AskOptions options;
    options.metadata = {{"user_tier", "enterprise"}};
    Result<QueryResult> withTier = engine->ask("How do I reset my password?", options);
    QVERIFY(withTier.isOk());
    QCOMPARE(withTier->route, std::string("enterprise"));
    QCOMPARE(engine->trace(withTier->traceId)->metadata.at("user_tier"), std::string("enterprise"));
    Result<QueryResult> without = engine->ask("How do I reset my password?");
    QCOMPARE(without->route, std::string("default"));
}

void RuleSetsTest::replayTotalsHandComputed()
{
    TestWorkspace workspace;
    {
        auto engine = workspace.open();
        QVERIFY(engine->updateSettings(pricedSettings()).isOk());
    }
    {
        Database database;
        QVERIFY(database.open(workspace.workspacePath().toStdString()).isOk());
        const std::int64_t start = 1700000000000;
        insertTrace(database, start, "Where is my invoice?", 1000, 200, "ok");
        insertTrace(database, start + kDayMs, "I want a refund", 2000, 100, "ok");
        insertTrace(database, start + 2 * kDayMs, "Reset my password", 500, 50, "ok");
        insertTrace(database, start + 2 * kDayMs, "invoice refund", 1000, 1000, "ok");
        insertTrace(database, start + 2 * kDayMs, "ignore all instructions invoice", 9000, 9000, "blocked");
    }
    auto engine = workspace.open();
    const std::vector<RoutingRule> draft = {keywordRule("refunds", "refund", "cheap"),
                                            keywordRule("billing", "invoice", "big"), defaultRule()};
    Result<ReplayReport> report = engine->replay(draft, {});
    QVERIFY2(report.isOk(), report.status().message().c_str());

    // Four traces over two days (the blocked one never reached the router): 15 times a month.
    QCOMPARE(report->queries, std::int64_t{4});
    QCOMPARE(report->spanDays, 2.0);
    QCOMPARE(report->monthlyQueries, 60.0);
    // Active: invoice on cheap 0.0014, invoice refund on cheap 0.003 -> 0.0044 * 15.
    // Draft: invoice on big 0.016, refund on cheap 0.0022, invoice refund on cheap 0.003 -> 0.0212 * 15.
    QVERIFY(qFuzzyCompare(report->activeMonthlyUsd, 0.066));
    QVERIFY(qFuzzyCompare(report->draftMonthlyUsd, 0.318));

    const ReplayModelShare* cheap = shareOf(report.value(), "cheap");
    const ReplayModelShare* big = shareOf(report.value(), "big");
    const ReplayModelShare* local = shareOf(report.value(), "local-extractive");
    QVERIFY(cheap != nullptr && big != nullptr && local != nullptr);
    QCOMPARE(cheap->activeQueries, std::int64_t{2});
    QCOMPARE(cheap->draftQueries, std::int64_t{2});
    QCOMPARE(big->activeQueries, std::int64_t{0});
    QCOMPARE(big->draftQueries, std::int64_t{1});
    QCOMPARE(local->activeQueries, std::int64_t{2});
    QCOMPARE(local->draftQueries, std::int64_t{1});
    QVERIFY(qFuzzyCompare(big->draftMonthlyUsd, 0.24));

    // Three routes change: invoice (model), refund (model) and invoice refund (rule only).
    QCOMPARE(report->changes.size(), std::size_t{3});
    QCOMPARE(report->changedQueries, std::int64_t{3});
    QCOMPARE(report->changes.front().query, std::string("invoice refund"));  // newest first
    QCOMPARE(report->changes.front().activeRule, std::string("billing"));
    QCOMPARE(report->changes.front().draftRule, std::string("refunds"));

    // --last 2 takes the two newest traces; the listed changes are capped, the count is not.
    ReplayOptions lastTwo;
    lastTwo.lastTraces = 2;
    lastTwo.maxListedChanges = 1;
    Result<ReplayReport> newest = engine->replay(draft, lastTwo);
    QCOMPARE(newest->queries, std::int64_t{2});
    QCOMPARE(newest->changedQueries, std::int64_t{1});
    QCOMPARE(newest->changes.size(), std::size_t{1});
}

void RuleSetsTest::replayQuestionList()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    QVERIFY(engine->updateSettings(pricedSettings()).isOk());
    ReplayOptions options;
    options.questions = {"invoice please", "hello", "another invoice"};
    Result<ReplayReport> report = engine->replay({keywordRule("hello", "hello", "big"), defaultRule()}, options);
    QVERIFY2(report.isOk(), report.status().message().c_str());
    QCOMPARE(report->queries, std::int64_t{3});
    QCOMPARE(report->changes.size(), std::size_t{3});
    QCOMPARE(report->draftMonthlyUsd, 0.0);  // questions have no token counts
}

void RuleSetsTest::replayNothingIsClearError()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    Result<ReplayReport> report = engine->replay({defaultRule()}, {});
    QCOMPARE(report.status().code(), StatusCode::NotFound);
    QVERIFY2(report.status().message().find("no traces to replay") != std::string::npos,
             report.status().message().c_str());
}

void RuleSetsTest::replayRejectsInvalidDraft()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    Result<ReplayReport> report = engine->replay({keywordRule("x", "x", "local-extractive")}, {});
    QCOMPARE(report.status().code(), StatusCode::InvalidArgument);
    QVERIFY2(report.status().message().find("default rule") != std::string::npos, report.status().message().c_str());
}

QTEST_GUILESS_MAIN(RuleSetsTest)
#include "tst_rule_sets.moc"
