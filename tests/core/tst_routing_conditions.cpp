// SPDX-License-Identifier: MIT
#include <QtTest>

#include "llmops/routing.h"

using namespace llmops;

namespace {

RoutingRule ruleWhen(const std::string& name, const std::string& condition, const std::string& model = "picked")
{
    RoutingRule rule;
    rule.name = name;
    rule.model = model;
    Result<RoutingCondition> parsed = conditionFromText(condition);
    if (!parsed.isOk())
        qFatal("bad condition in test: %s", parsed.status().message().c_str());
    rule.when = parsed.value();
    return rule;
}

RoutingRule defaultRule()
{
    RoutingRule rule;
    rule.name = "default";
    rule.model = "fallback";
    return rule;
}

// Routes query with the features given and returns the model: "picked" when the condition held.
std::string routeWith(const std::string& condition, const QueryFeatures& features, const std::string& query)
{
    const Router router({ruleWhen("under test", condition), defaultRule()});
    return router.route(features, query).model;
}

QueryFeatures plainFeatures()
{
    QueryFeatures features;
    features.tier = ComplexityTier::Simple;
    features.tierProbabilities = {0.8, 0.15, 0.05};
    features.inputTokens = 10;
    features.words = 8;
    features.language = "en";
    return features;
}

std::vector<std::string> errorsOf(const std::vector<RuleIssue>& issues)
{
    std::vector<std::string> errors;
    for (const RuleIssue& issue : issues)
        if (issue.error)
            errors.push_back(issue.message);
    return errors;
}

const std::vector<std::string> kModels = {"picked", "fallback", "cheap"};

} // namespace

class RoutingConditionsTest : public QObject {
    Q_OBJECT

private slots:
    void eachConditionType_data();
    void eachConditionType();
    void andOrNot();
    void textRoundTrip_data();
    void textRoundTrip();
    void textErrorsNamePosition();
    void jsonRoundTrip();
    void jsonErrorsNameRuleAndField_data();
    void jsonErrorsNameRuleAndField();
    void oldRuleFieldsStillMatch();
    void firstMatchingRuleWins();
    void shadowedRulesWarned_data();
    void shadowedRulesWarned();
    void duplicateNamesWarned();
    void invalidRulesAreErrors_data();
    void invalidRulesAreErrors();
    void patternChecks();
    void backtrackingPatternStaysLinear();
    void deepNestingRejected();
    void longQueryRegexBounded();
    void languageDetection_data();
    void languageDetection();
    void codeDetection_data();
    void codeDetection();
    void explainListsEvaluatedRules();
};

void RoutingConditionsTest::eachConditionType_data()
{
    QTest::addColumn<QString>("condition");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("change");  // which feature the row changes from plainFeatures()
    QTest::addColumn<bool>("matches");

    QTest::newRow("tier matches") << "tier(complex)" << "q" << "complex" << true;
    QTest::newRow("tier differs") << "tier(complex)" << "q" << "" << false;
    QTest::newRow("min tokens at limit") << "min_tokens(10)" << "q" << "" << true;
    QTest::newRow("min tokens above") << "min_tokens(11)" << "q" << "" << false;
    QTest::newRow("max tokens") << "max_tokens(10)" << "q" << "" << true;
    QTest::newRow("max tokens exceeded") << "max_tokens(9)" << "q" << "" << false;
    QTest::newRow("min words") << "min_words(8)" << "q" << "" << true;
    QTest::newRow("min words short") << "min_words(9)" << "q" << "" << false;
    QTest::newRow("regex case-insensitive") << R"(regex("\bAPI\b"))" << "call the api now" << "" << true;
    QTest::newRow("regex absent") << R"(regex("\bapi\b"))" << "capital" << "" << false;
    QTest::newRow("keyword inside word") << R"(keywords("refund", "vat"))" << "Refunded twice" << "" << true;
    QTest::newRow("keyword absent") << R"(keywords("refund"))" << "invoice" << "" << false;
    QTest::newRow("flag prefix") << "flag(pii)" << "q" << "pii" << true;
    QTest::newRow("flag exact") << "flag(pii.email)" << "q" << "pii" << true;
    QTest::newRow("flag other prefix") << "flag(pi)" << "q" << "pii" << false;
    QTest::newRow("flag absent") << "flag(pii)" << "q" << "" << false;
    QTest::newRow("language") << "language(de)" << "q" << "german" << true;
    QTest::newRow("language differs") << "language(de)" << "q" << "" << false;
    QTest::newRow("code") << "code()" << "q" << "code" << true;
    QTest::newRow("no code") << "code()" << "q" << "" << false;
    QTest::newRow("metadata value") << R"(meta(user_tier, "pro", "enterprise"))" << "q" << "enterprise" << true;
    QTest::newRow("metadata other value") << R"(meta(user_tier, "pro"))" << "q" << "enterprise" << false;
    QTest::newRow("metadata missing") << R"(meta(user_tier, "pro"))" << "q" << "" << false;
    QTest::newRow("always") << "always()" << "q" << "" << true;
}

void RoutingConditionsTest::eachConditionType()
{
    QFETCH(QString, condition);
    QFETCH(QString, query);
    QFETCH(QString, change);
    QFETCH(bool, matches);

    QueryFeatures features = plainFeatures();
    if (change == QLatin1String("complex"))
        features.tier = ComplexityTier::Complex;
    if (change == QLatin1String("pii"))
        features.guardFlags = {"prompt_injection", "pii.email"};
    if (change == QLatin1String("german"))
        features.language = "de";
    if (change == QLatin1String("code"))
        features.hasCode = true;
    if (change == QLatin1String("enterprise"))
        features.metadata = {{"user_tier", "enterprise"}};

    const std::string model = routeWith(condition.toStdString(), features, query.toStdString());
    QCOMPARE(QString::fromStdString(model), matches ? QStringLiteral("picked") : QStringLiteral("fallback"));
}

void RoutingConditionsTest::andOrNot()
{
    QueryFeatures features = plainFeatures();
    features.language = "de";
    features.tier = ComplexityTier::Medium;
    const std::string query = "Wo ist meine Rechnung?";

    QCOMPARE(routeWith("language(de) and tier(medium)", features, query), std::string("picked"));
    QCOMPARE(routeWith("language(de) and tier(complex)", features, query), std::string("fallback"));
    QCOMPARE(routeWith("language(en) or tier(medium)", features, query), std::string("picked"));
    QCOMPARE(routeWith("language(en) or tier(complex)", features, query), std::string("fallback"));
    QCOMPARE(routeWith("not language(en)", features, query), std::string("picked"));
    QCOMPARE(routeWith("not language(de)", features, query), std::string("fallback"));
    // "and" binds tighter than "or": false and false or true.
    QCOMPARE(routeWith("code() and language(en) or keywords(rechnung)", features, query), std::string("picked"));
    QCOMPARE(routeWith("code() and (language(en) or keywords(rechnung))", features, query), std::string("fallback"));
    QCOMPARE(routeWith("not (code() or language(en)) and tier(medium)", features, query), std::string("picked"));
}

void RoutingConditionsTest::textRoundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("leaf") << "tier(complex)";
    QTest::newRow("and or") << "tier(complex) and language(de) or code()";
    QTest::newRow("grouped or") << "tier(complex) and (language(de) or code())";
    QTest::newRow("not group") << "not (flag(\"pii\") or min_tokens(500))";
    QTest::newRow("quotes and backslashes") << R"(regex("say \"hi\" \\d+") and keywords("a b", "c"))";
    QTest::newRow("metadata") << R"(meta("user_tier", "pro", "enterprise") and max_tokens(40))";
}

void RoutingConditionsTest::textRoundTrip()
{
    QFETCH(QString, text);
    Result<RoutingCondition> parsed = conditionFromText(text.toStdString());
    QVERIFY2(parsed.isOk(), parsed.status().message().c_str());
    const std::string printed = conditionToText(parsed.value());
    Result<RoutingCondition> reparsed = conditionFromText(printed);
    QVERIFY2(reparsed.isOk(), printed.c_str());
    QCOMPARE(QString::fromStdString(conditionToText(reparsed.value())), QString::fromStdString(printed));
}

void RoutingConditionsTest::textErrorsNamePosition()
{
    const Result<RoutingCondition> unknown = conditionFromText("tier(complex) and colour(red)");
    QVERIFY(!unknown.isOk());
    QVERIFY2(unknown.status().message().find("unknown condition \"colour\"") != std::string::npos,
             unknown.status().message().c_str());
    QVERIFY2(unknown.status().message().find("character 19") != std::string::npos, unknown.status().message().c_str());

    QVERIFY(!conditionFromText("tier(complex").isOk());
    QVERIFY(!conditionFromText("min_tokens(-3)").isOk());
    QVERIFY(!conditionFromText("regex(\"unclosed)").isOk());
    QVERIFY(!conditionFromText("tier(complex) tier(simple)").isOk());
    QVERIFY(!conditionFromText("").isOk());
}

void RoutingConditionsTest::jsonRoundTrip()
{
    std::vector<RoutingRule> rules = {ruleWhen("german complex", "language(de) and not tier(simple)"),
                                      ruleWhen("meta", R"(meta(user_tier, "enterprise") or code())", "cheap"),
                                      defaultRule()};
    rules[0].fallbacks = {"cheap"};
    rules[1].keywords = {"invoice"};
    const std::string json = rulesToJson(rules, 4, "a note");
    Result<std::vector<RoutingRule>> parsed = rulesFromJson(json, "draft.json");
    QVERIFY2(parsed.isOk(), parsed.status().message().c_str());
    QCOMPARE(parsed->size(), rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        QCOMPARE(parsed.value()[i].name, rules[i].name);
        QCOMPARE(parsed.value()[i].model, rules[i].model);
        QCOMPARE(parsed.value()[i].fallbacks, rules[i].fallbacks);
        QCOMPARE(parsed.value()[i].keywords, rules[i].keywords);
        QCOMPARE(conditionToText(parsed.value()[i].when), conditionToText(rules[i].when));
    }

    // A condition may also be written as text inside the JSON.
    Result<std::vector<RoutingRule>> textual = rulesFromJson(
        R"json({"rules": [{"name": "t", "model": "picked", "when": "tier(complex) or code()"}]})json", "inline");
    QVERIFY2(textual.isOk(), textual.status().message().c_str());
    QCOMPARE(conditionToText(textual->front().when), std::string("tier(complex) or code()"));
}

void RoutingConditionsTest::jsonErrorsNameRuleAndField_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown rule key")
        << R"({"rules": [{"name": "a", "model": "m"}, {"name": "billing", "modle": "m"}]})"
        << "rule 2 \"billing\", field \"modle\" is not a known key";
    QTest::newRow("wrong type")
        << R"({"rules": [{"name": "billing", "model": "m", "keywords": "invoice"}]})"
        << "rule 1 \"billing\", field \"keywords\" must be an array of strings, got string";
    QTest::newRow("nested condition type")
        << R"({"rules": [{"name": "x", "model": "m", "when": {"all": [{"tier": "simple"}, {"min_tokens": "many"}]}}]})"
        << "field \"when.all[1].min_tokens\" must be a whole number";
    QTest::newRow("unknown condition")
        << R"({"rules": [{"name": "x", "model": "m", "when": {"colour": "red"}}]})"
        << "field \"when.colour\" is not a known condition";
    QTest::newRow("two keys in one condition")
        << R"({"rules": [{"name": "x", "model": "m", "when": {"tier": "simple", "code": true}}]})"
        << "field \"when\" must be a condition text or an object with exactly one key";
    QTest::newRow("unknown top-level key") << R"({"rules": [], "extra": 1})" << "unknown top-level key \"extra\"";
    QTest::newRow("not json") << "{rules" << "is not valid JSON";
    QTest::newRow("rules not array") << R"({"rules": {}})" << "\"rules\" must be an array";
}

void RoutingConditionsTest::jsonErrorsNameRuleAndField()
{
    QFETCH(QString, json);
    QFETCH(QString, expected);
    const Result<std::vector<RoutingRule>> parsed = rulesFromJson(json.toStdString(), "draft.json");
    QVERIFY(!parsed.isOk());
    const QString message = QString::fromStdString(parsed.status().message());
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(message.startsWith(QStringLiteral("draft.json")), qPrintable(message));
}

void RoutingConditionsTest::oldRuleFieldsStillMatch()
{
    // Settings written before conditions existed: keywords, pattern and minQueryWords.
    Result<std::vector<RoutingRule>> old = rulesFromJson(
        R"([{"name": "billing", "keywords": ["invoice"], "pattern": "", "min_query_words": 0, "model": "cheap",
             "fallbacks": []},
            {"name": "default", "keywords": [], "pattern": "", "min_query_words": 0, "model": "fallback",
             "fallbacks": []}])",
        "old settings");
    QVERIFY2(old.isOk(), old.status().message().c_str());
    QVERIFY(old->front().hasCondition());
    QVERIFY(!old->back().hasCondition());
    QVERIFY(errorsOf(checkRules(old.value(), kModels)).empty());
    const Router router(old.value());
    QCOMPARE(router.route("Where is my invoice?").model, std::string("cheap"));
    QCOMPARE(router.route("Reset my password").model, std::string("fallback"));
}

void RoutingConditionsTest::firstMatchingRuleWins()
{
    const std::vector<RoutingRule> rules = {ruleWhen("refunds", "keywords(refund)", "cheap"),
                                            ruleWhen("invoices", "keywords(invoice)", "picked"), defaultRule()};
    const Router router(rules);
    const RouteDecision both = router.route("refund for invoice 12");
    QCOMPARE(both.rule, std::string("refunds"));
    QCOMPARE(both.ruleIndex, 0);
    QCOMPARE(router.route("invoice 12").rule, std::string("invoices"));
    const RouteDecision none = router.route("hello");
    QCOMPARE(none.rule, std::string("default"));
    QCOMPARE(none.reason, std::string("default rule"));
}

void RoutingConditionsTest::shadowedRulesWarned_data()
{
    QTest::addColumn<QString>("earlier");
    QTest::addColumn<QString>("later");
    QTest::addColumn<bool>("shadowed");
    QTest::newRow("same condition") << "tier(complex)" << "tier(complex)" << true;
    QTest::newRow("later is narrower") << "tier(complex)" << "tier(complex) and language(de)" << true;
    QTest::newRow("earlier is narrower") << "tier(complex) and language(de)" << "tier(complex)" << false;
    QTest::newRow("earlier or branch") << "code() or tier(complex)" << "tier(complex) and min_tokens(5)" << true;
    QTest::newRow("later or both covered") << "code() or tier(complex)" << "code() or tier(complex)" << true;
    QTest::newRow("later or one uncovered") << "code()" << "code() or tier(complex)" << false;
    QTest::newRow("keyword superset") << "keywords(invoice, refund)" << "keywords(refund)" << true;
    QTest::newRow("keyword subset") << "keywords(refund)" << "keywords(invoice, refund)" << false;
    QTest::newRow("lower token bound") << "min_tokens(100)" << "min_tokens(200)" << true;
    QTest::newRow("higher token bound") << "min_tokens(200)" << "min_tokens(100)" << false;
    QTest::newRow("always first") << "always()" << "code()" << true;
    QTest::newRow("unrelated") << "language(de)" << "code()" << false;
}

void RoutingConditionsTest::shadowedRulesWarned()
{
    QFETCH(QString, earlier);
    QFETCH(QString, later);
    QFETCH(bool, shadowed);
    const std::vector<RoutingRule> rules = {ruleWhen("first", earlier.toStdString()),
                                            ruleWhen("second", later.toStdString()), defaultRule()};
    const std::vector<RuleIssue> issues = checkRules(rules, kModels);
    const auto warning = std::find_if(issues.begin(), issues.end(), [](const RuleIssue& i) { return !i.error; });
    QCOMPARE(warning != issues.end(), shadowed);
    if (shadowed) {
        QCOMPARE(warning->rule, 1);
        QVERIFY2(warning->message.find("\"second\" never fires") != std::string::npos, warning->message.c_str());
        QVERIFY2(warning->message.find("\"first\"") != std::string::npos, warning->message.c_str());
    }
    QVERIFY(errorsOf(issues).empty());
}

void RoutingConditionsTest::duplicateNamesWarned()
{
    const std::vector<RoutingRule> rules = {ruleWhen("billing", "keywords(invoice)"),
                                            ruleWhen("billing", "keywords(refund)"), defaultRule()};
    const std::vector<RuleIssue> issues = checkRules(rules, kModels);
    QCOMPARE(issues.size(), std::size_t{1});
    QVERIFY(!issues.front().error);
    QCOMPARE(issues.front().rule, 1);
    QVERIFY2(issues.front().message.find("same name as rule 1") != std::string::npos, issues.front().message.c_str());
}

void RoutingConditionsTest::invalidRulesAreErrors_data()
{
    QTest::addColumn<QString>("condition");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown model") << "code()" << "gpt-9" << "unknown model \"gpt-9\"";
    QTest::newRow("invalid regex") << "regex(\"([a-z\")" << "picked" << "not a valid regular expression";
    QTest::newRow("unknown tier") << "tier(hard)" << "picked" << "tier \"hard\" is unknown";
    QTest::newRow("unknown language") << "language(fr)" << "picked" << "language \"fr\" is unknown";
}

void RoutingConditionsTest::invalidRulesAreErrors()
{
    QFETCH(QString, condition);
    QFETCH(QString, model);
    QFETCH(QString, expected);
    const std::vector<RoutingRule> rules = {ruleWhen("broken rule", condition.toStdString(), model.toStdString()),
                                            defaultRule()};
    const std::vector<std::string> errors = errorsOf(checkRules(rules, kModels));
    QCOMPARE(errors.size(), std::size_t{1});
    QVERIFY2(QString::fromStdString(errors.front()).contains(expected), errors.front().c_str());
    QVERIFY2(errors.front().find("\"broken rule\"") != std::string::npos, errors.front().c_str());

    // A rule set that ends with a conditional rule has no default.
    const std::vector<RoutingRule> noDefault = {ruleWhen("only", "code()")};
    QCOMPARE(errorsOf(checkRules(noDefault, kModels)).size(), std::size_t{1});
    QCOMPARE(errorsOf(checkRules({}, kModels)).size(), std::size_t{1});
}

void RoutingConditionsTest::patternChecks()
{
    QVERIFY(checkRoutingPattern(R"(\b(api|webhook)s?\b)").isOk());
    QVERIFY(checkRoutingPattern("[(+]+").isOk());  // inside a class the brackets are literal
    QVERIFY(checkRoutingPattern("(a+)+b").isOk());  // RE2 needs no ban on nested repetition
    QVERIFY(!checkRoutingPattern(std::string(600, 'a')).isOk());

    const Status lookAhead = checkRoutingPattern("refund(?=s)");
    QVERIFY(!lookAhead.isOk());
    QVERIFY2(lookAhead.message().find("RE2 syntax") != std::string::npos, lookAhead.message().c_str());
    QVERIFY(!checkRoutingPattern(R"((a)\1)").isOk());  // back-references are not supported
}

void RoutingConditionsTest::backtrackingPatternStaysLinear()
{
    // Patterns that make a backtracking engine take cubic or exponential time on a run of one
    // letter. RE2 answers at once; a backtracking engine would hold this test past its timeout.
    const std::vector<std::pair<const char*, const char*>> cases = {
        {"[a-z]*(a|b)*q", "default"}, {"(a+)+$", "rx"}, {"(x+x+)+y", "default"}};
    for (const auto& [pattern, expectedRule] : cases) {
        std::vector<RoutingRule> rules = {{"rx", {}, "", 0, "local-extractive", {}, {}},
                                          {"default", {}, "", 0, "local-extractive", {}, {}}};
        rules[0].when.kind = RoutingCondition::Kind::Regex;
        rules[0].when.text = pattern;
        const Router router(rules, ComplexityClassifier::shipped());
        const RouteDecision decision = router.route(std::string(8000, 'a'));
        QCOMPARE(decision.rule, std::string(expectedRule));
    }
}
void RoutingConditionsTest::longQueryRegexBounded()
{
    // The pattern sits past the bounded prefix, so it is not seen; a match at the start is.
    const std::string query = std::string(kMaxRegexInputBytes + 100, 'x') + " webhook";
    const std::vector<RoutingRule> rules = {ruleWhen("hooks", "regex(\"webhook\")"), defaultRule()};
    const Router router(rules);
    QCOMPARE(router.route(plainFeatures(), query).model, std::string("fallback"));
    QCOMPARE(router.route(plainFeatures(), "webhook " + query).model, std::string("picked"));
}

void RoutingConditionsTest::languageDetection_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("language");
    QTest::newRow("english") << "How do I change the invoice currency?" << "en";
    QTest::newRow("german") << "Wie kann ich die Währung der Rechnung ändern?" << "de";
    QTest::newRow("german without umlauts") << "Wo ist meine Rechnung und wann wird sie bezahlt?" << "de";
    QTest::newRow("french") << "Comment modifier la devise?" << "other";
    QTest::newRow("numbers only") << "12345" << "other";
}

void RoutingConditionsTest::languageDetection()
{
    QFETCH(QString, query);
    QFETCH(QString, language);
    QCOMPARE(QString::fromStdString(detectLanguage(query.toStdString())), language);
}

void RoutingConditionsTest::codeDetection_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<bool>("code");
    QTest::newRow("fenced") << "Why does this fail?\n```\nx = 1\n```" << true;
    QTest::newRow("inline call") << "I call `client.invoices.create(lines)` and get an error" << true;
    QTest::newRow("json") << R"(The API returns {"error": "invalid_grant"})" << true;
    QTest::newRow("indented") << "My config:\n    retries = 3" << true;
    QTest::newRow("prose") << "How do I export my invoices to Excel?" << false;
    QTest::newRow("one brace") << "Totals are off {by a cent" << false;
}

void RoutingConditionsTest::codeDetection()
{
    QFETCH(QString, query);
    QFETCH(bool, code);
    QCOMPARE(containsCode(query.toStdString()), code);
}

void RoutingConditionsTest::explainListsEvaluatedRules()
{
    const std::vector<RoutingRule> rules = {ruleWhen("german", "language(de)"),
                                            ruleWhen("enterprise", R"(meta(user_tier, "enterprise"))", "cheap"),
                                            defaultRule()};
    const Router router(rules);
    const RouteExplanation explanation =
        router.explain("Where is my invoice?", {}, {{"user_tier", "enterprise"}});
    QCOMPARE(explanation.decision.rule, std::string("enterprise"));
    QCOMPARE(explanation.rules.size(), std::size_t{2});  // stops at the rule that fired
    QVERIFY(!explanation.rules[0].matched);
    QVERIFY2(explanation.rules[0].detail.find("language=en: no") != std::string::npos,
             explanation.rules[0].detail.c_str());
    QVERIFY2(explanation.rules[1].detail.find("user_tier=enterprise: yes") != std::string::npos,
             explanation.rules[1].detail.c_str());
    QCOMPARE(explanation.features.language, std::string("en"));
    QCOMPARE(explanation.features.inputTokens, estimateTokens("Where is my invoice?"));
}

void RoutingConditionsTest::deepNestingRejected()
{
    // 32 levels parse; thousands are rejected with a message instead of exhausting the stack.
    const auto nested = [](int depth) {
        return std::string(std::size_t(depth), '(') + "code()" + std::string(std::size_t(depth), ')');
    };
    QVERIFY(conditionFromText(nested(kMaxConditionDepth - 1)).isOk());
    const Result<RoutingCondition> deep = conditionFromText(nested(9000));
    QVERIFY(!deep.isOk());
    QVERIFY2(deep.status().message().find("levels deep") != std::string::npos, deep.status().message().c_str());

    std::string negations;
    for (int i = 0; i < 20000; ++i)
        negations += "not ";
    QVERIFY(!conditionFromText(negations + "code()").isOk());

    std::string json = R"({"rules": [{"name": "deep", "model": "local-extractive", "when": )";
    for (int i = 0; i < 20000; ++i)
        json += R"({"not": )";
    json += R"({"code": true})" + std::string(20000, '}') + R"(}, {"name": "default", "model": "local-extractive"}]})";
    const auto parsed = rulesFromJson(json, "deep.json");
    QVERIFY(!parsed.isOk());
    QVERIFY2(parsed.status().message().find("levels deep") != std::string::npos, parsed.status().message().c_str());
}

QTEST_GUILESS_MAIN(RoutingConditionsTest)
#include "tst_routing_conditions.moc"
