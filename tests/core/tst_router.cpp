// SPDX-License-Identifier: MIT
#include <QtTest>

#include "Router.h"

using namespace llmops;

namespace {

std::vector<RoutingRule> sampleRules()
{
    return {
        {"code questions", {}, R"(\bapi\b|\bwebhook)", 0, "medium", {}, {}},
        {"billing keywords", {"invoice", "refund"}, "", 0, "cheap", {}, {}},
        {"long questions", {}, "", 25, "expensive", {}, {}},
        {"billing and long", {"invoice"}, "", 25, "never-reached", {}, {}},
        {"default", {}, "", 0, "local-extractive", {}, {}},
    };
}

} // namespace

class RouterTest : public QObject {
    Q_OBJECT

private slots:
    void firstMatchingRuleWins_data();
    void firstMatchingRuleWins();
    void reasonNamesCondition();
    void emptyRulesFallBack();
};

void RouterTest::firstMatchingRuleWins_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("model");
    QTest::newRow("pattern") << "How do I sign an API request?" << "code questions" << "medium";
    QTest::newRow("pattern case-insensitive") << "Webhooks keep failing" << "code questions" << "medium";
    QTest::newRow("keyword") << "Where is my INVOICE?" << "billing keywords" << "cheap";
    QTest::newRow("keyword inside word") << "refunded twice" << "billing keywords" << "cheap";
    QTest::newRow("word count")
        << "I would like to understand in detail how the workspace owner can move every client, every project "
           "and every expense to a brand new workspace without losing history"
        << "long questions" << "expensive";
    QTest::newRow("default") << "Reset my password" << "default" << "local-extractive";
}

void RouterTest::firstMatchingRuleWins()
{
    QFETCH(QString, query);
    QFETCH(QString, rule);
    QFETCH(QString, model);
    const Router router(sampleRules());
    const RouteDecision decision = router.route(query.toStdString());
    QCOMPARE(QString::fromStdString(decision.rule), rule);
    QCOMPARE(QString::fromStdString(decision.model), model);
}

void RouterTest::reasonNamesCondition()
{
    const Router router(sampleRules());
    const RouteDecision keyword = router.route("refund please");
    QVERIFY2(keyword.reason.find("found \"refund\"") != std::string::npos, keyword.reason.c_str());
    const RouteDecision fallback = router.route("hello");
    QCOMPARE(QString::fromStdString(fallback.reason), QStringLiteral("default rule"));
}

void RouterTest::emptyRulesFallBack()
{
    const Router router({});
    const RouteDecision decision = router.route("anything");
    QCOMPARE(QString::fromStdString(decision.model), QStringLiteral("local-extractive"));
    QCOMPARE(QString::fromStdString(decision.rule), QStringLiteral("none"));
}

QTEST_GUILESS_MAIN(RouterTest)
#include "tst_router.moc"
