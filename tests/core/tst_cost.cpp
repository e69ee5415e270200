// SPDX-License-Identifier: MIT
#include <QtTest>

#include <cmath>

#include "LoopbackHttpServer.h"
#include "TestPaths.h"
#include "TestWorkspace.h"
#include "llmops/cost.h"
#include "llmops/engine.h"

using namespace llmops;
using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;
using llmops::test::TestWorkspace;

namespace {

// Relative comparison, because the costs are sums of products of small binary fractions.
bool closeTo(double actual, double expected)
{
    return std::fabs(actual - expected) <= 1e-12 + 1e-9 * std::fabs(expected);
}

#define COMPARE_USD(actual, expected)                                                              \
    QVERIFY2(closeTo(actual, expected),                                                            \
             qPrintable(QStringLiteral("%1 is %2, expected %3")                                    \
                            .arg(QStringLiteral(#actual))                                          \
                            .arg(actual, 0, 'g', 12)                                               \
                            .arg(expected, 0, 'g', 12)))

// Token counts as a provider reports them, converted to TokenUsage the way the generators do.
// OpenAI's prompt_tokens already include prompt_tokens_details.cached_tokens. Anthropic's
// input_tokens exclude cache_read_input_tokens and cache_creation_input_tokens, so the three are
// summed into inputTokens (see AnthropicUsage::toTokenUsage).
TokenUsage reportedUsage(const QString& format, qint64 prompt, qint64 cacheRead, qint64 cacheWrite, qint64 output,
                         qint64 reasoning)
{
    TokenUsage usage;
    usage.inputTokens = format == QLatin1String("anthropic") ? prompt + cacheRead + cacheWrite : prompt;
    usage.cachedInputTokens = cacheRead;
    usage.cacheWriteTokens = cacheWrite;
    usage.outputTokens = output;
    usage.reasoningTokens = reasoning;
    return usage;
}

ModelEndpoint endpoint(const QString& kind, const QString& model)
{
    ModelEndpoint result;
    result.name = "test";
    result.kind = kind.toStdString();
    result.model = model.toStdString();
    return result;
}

PriceTable bundledTable()
{
    Result<PriceTable> table = PriceTable::bundled();
    if (!table.isOk())
        qFatal("the bundled price table does not parse: %s", table.status().message().c_str());
    return std::move(table.value());
}

// The keys of a table's models, read back from its LiteLLM-format JSON.
QStringList modelKeys(const PriceTable& table)
{
    const QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(table.toJson())).object();
    QStringList keys = root.keys();
    keys.removeAll(QStringLiteral("_meta"));
    return keys;
}

} // namespace

class CostTest : public QObject {
    Q_OBJECT

private slots:
    void goldenCases_data();
    void goldenCases();
    void localModelCostsZero();
    void endpointPriceWins();
    void unknownModelNotFound();
    void lookupVariants_data();
    void lookupVariants();
    void lookupPrefersProvider();
    void importRejectsBadValues_data();
    void importRejectsBadValues();
    void importSkipsAndCounts();
    void importMissingFile();
    void tableRoundTrips();
    void bundledMatchesLiteLlmFile();
    void pipelineRecordsCost();
};

void CostTest::goldenCases_data()
{
    // format: how the provider counts prompt tokens ("openai": prompt includes cache reads;
    // "anthropic": prompt is input_tokens, cache reads and writes are counted beside it).
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("format");
    QTest::addColumn<qint64>("prompt");
    QTest::addColumn<qint64>("cacheRead");
    QTest::addColumn<qint64>("cacheWrite");
    QTest::addColumn<qint64>("output");
    QTest::addColumn<qint64>("reasoning");
    QTest::addColumn<QString>("pricedModel");
    QTest::addColumn<qint64>("tier");
    QTest::addColumn<double>("uncachedUsd");
    QTest::addColumn<double>("cachedUsd");
    QTest::addColumn<double>("writeUsd");
    QTest::addColumn<double>("outputUsd");
    QTest::addColumn<double>("reasoningUsd");
    QTest::addColumn<double>("totalUsd");

    // gpt-4o: input $2.50/M, cached $1.25/M, output $10/M. prompt_tokens 10,000 include 4,000
    // cached: 6,000 x 2.5e-6 = 0.015; 4,000 x 1.25e-6 = 0.005; 500 x 1e-5 = 0.005.
    QTest::newRow("openai cached inside prompt") << "openai-compatible" << "gpt-4o" << "openai" << qint64(10000)
                                                 << qint64(4000) << qint64(0) << qint64(500) << qint64(0) << "gpt-4o"
                                                 << qint64(0) << 0.015 << 0.005 << 0.0 << 0.005 << 0.0 << 0.025;
    // gpt-4o-mini: $0.15/M in, $0.60/M out. 1,000,000 x 1.5e-7 = 0.15; 100,000 x 6e-7 = 0.06.
    QTest::newRow("openai plain") << "openai-compatible" << "gpt-4o-mini" << "openai" << qint64(1000000) << qint64(0)
                                  << qint64(0) << qint64(100000) << qint64(0) << "gpt-4o-mini" << qint64(0) << 0.15
                                  << 0.0 << 0.0 << 0.06 << 0.0 << 0.21;
    // o3: $2/M in, $8/M out, no reasoning price, so reasoning is billed as output.
    // 2,000 x 2e-6 = 0.004; (3,000 - 2,500) x 8e-6 = 0.004; 2,500 x 8e-6 = 0.02.
    QTest::newRow("openai reasoning at output price")
        << "openai-compatible" << "o3" << "openai" << qint64(2000) << qint64(0) << qint64(0) << qint64(3000)
        << qint64(2500) << "o3" << qint64(0) << 0.004 << 0.0 << 0.0 << 0.004 << 0.02 << 0.028;
    // gpt-5.4: over 272,000 prompt tokens input $5/M, cached $0.50/M, output $22.50/M.
    // 200,000 x 5e-6 = 1.0; 100,000 x 5e-7 = 0.05; 1,000 x 2.25e-5 = 0.0225.
    QTest::newRow("openai 272k tier") << "openai-compatible" << "gpt-5.4" << "openai" << qint64(300000)
                                      << qint64(100000) << qint64(0) << qint64(1000) << qint64(0) << "gpt-5.4"
                                      << qint64(272000) << 1.0 << 0.05 << 0.0 << 0.0225 << 0.0 << 1.0725;
    // claude-sonnet-4-5: $3/M in, $0.30/M cache read, $3.75/M cache write, $15/M out.
    // input_tokens 1,000 x 3e-6 = 0.003; 50,000 x 3e-7 = 0.015; 20,000 x 3.75e-6 = 0.075;
    // 800 x 1.5e-5 = 0.012. The prompt is 71,000 tokens, under the 200k tier.
    QTest::newRow("anthropic cache writes beside input")
        << "anthropic" << "claude-sonnet-4-5" << "anthropic" << qint64(1000) << qint64(50000) << qint64(20000)
        << qint64(800) << qint64(0) << "claude-sonnet-4-5" << qint64(0) << 0.003 << 0.015 << 0.075 << 0.012 << 0.0
        << 0.105;
    // claude-sonnet-4-5 over 200,000: input $6/M, cache read $0.60/M, output $22.50/M. The
    // cache reads count toward the threshold: 150,000 + 60,000 = 210,000 > 200,000.
    // 150,000 x 6e-6 = 0.9; 60,000 x 6e-7 = 0.036; 2,000 x 2.25e-5 = 0.045.
    QTest::newRow("anthropic 200k tier") << "anthropic" << "claude-sonnet-4-5" << "anthropic" << qint64(150000)
                                         << qint64(60000) << qint64(0) << qint64(2000) << qint64(0)
                                         << "claude-sonnet-4-5" << qint64(200000) << 0.9 << 0.036 << 0.0 << 0.045
                                         << 0.0 << 0.981;
    // Exactly 200,000 prompt tokens is not over the threshold: 200,000 x 3e-6 = 0.6.
    QTest::newRow("anthropic at 200k boundary") << "anthropic" << "claude-sonnet-4-5" << "anthropic" << qint64(200000)
                                                << qint64(0) << qint64(0) << qint64(0) << qint64(0)
                                                << "claude-sonnet-4-5" << qint64(0) << 0.6 << 0.0 << 0.0 << 0.0 << 0.0
                                                << 0.6;
    // claude-haiku-4-5 has no long-prompt tier: 250,000 x 1e-6 = 0.25; 1,000 x 5e-6 = 0.005.
    QTest::newRow("anthropic without tier") << "anthropic" << "claude-haiku-4-5" << "anthropic" << qint64(250000)
                                            << qint64(0) << qint64(0) << qint64(1000) << qint64(0)
                                            << "claude-haiku-4-5" << qint64(0) << 0.25 << 0.0 << 0.0 << 0.005 << 0.0
                                            << 0.255;
    // gemini-2.5-pro: $1.25/M in, $0.125/M cached, $10/M out, reasoning as output.
    // 80,000 x 1.25e-6 = 0.1; 20,000 x 1.25e-7 = 0.0025; 600 x 1e-5 = 0.006; 400 x 1e-5 = 0.004.
    QTest::newRow("google cached and reasoning")
        << "openai-compatible" << "gemini-2.5-pro" << "openai" << qint64(100000) << qint64(20000) << qint64(0)
        << qint64(1000) << qint64(400) << "gemini/gemini-2.5-pro" << qint64(0) << 0.1 << 0.0025 << 0.0 << 0.006
        << 0.004 << 0.1125;
    // gemini-2.5-pro over 200,000: $2.50/M in, $15/M out. 300,000 x 2.5e-6 = 0.75; 10,000 x 1.5e-5 = 0.15.
    QTest::newRow("google 200k tier") << "openai-compatible" << "gemini/gemini-2.5-pro" << "openai" << qint64(300000)
                                      << qint64(0) << qint64(0) << qint64(10000) << qint64(0)
                                      << "gemini/gemini-2.5-pro" << qint64(200000) << 0.75 << 0.0 << 0.0 << 0.15
                                      << 0.0 << 0.9;
    // mistral-large-latest: $0.50/M in, $1.50/M out. 10,000 x 5e-7 = 0.005; 2,000 x 1.5e-6 = 0.003.
    QTest::newRow("mistral") << "openai-compatible" << "mistral-large-latest" << "openai" << qint64(10000) << qint64(0)
                             << qint64(0) << qint64(2000) << qint64(0) << "mistral/mistral-large-latest" << qint64(0)
                             << 0.005 << 0.0 << 0.0 << 0.003 << 0.0 << 0.008;
    // Llama 3.3 70B on Groq: $0.59/M in, $0.79/M out. 100,000 x 5.9e-7 = 0.059; 10,000 x 7.9e-7 = 0.0079.
    QTest::newRow("open model") << "openai-compatible" << "llama-3.3-70b-versatile" << "openai" << qint64(100000)
                                << qint64(0) << qint64(0) << qint64(10000) << qint64(0)
                                << "groq/llama-3.3-70b-versatile" << qint64(0) << 0.059 << 0.0 << 0.0 << 0.0079
                                << 0.0 << 0.0669;
    // Llama 3.1 8B on Groq lists no cache price, so cached tokens cost the input price, $0.05/M:
    // 6,000 x 5e-8 = 0.0003; 4,000 x 5e-8 = 0.0002; 1,000 x 8e-8 = 0.00008.
    QTest::newRow("open model without cache price")
        << "openai-compatible" << "groq/llama-3.1-8b-instant" << "openai" << qint64(10000) << qint64(4000) << qint64(0)
        << qint64(1000) << qint64(0) << "groq/llama-3.1-8b-instant" << qint64(0) << 0.0003 << 0.0002 << 0.0 << 0.00008
        << 0.0 << 0.00058;
    // qwen-turbo: $0.05/M in, $0.20/M out, reasoning $0.50/M. 1,000 x 5e-8 = 0.00005;
    // 500 x 2e-7 = 0.0001; 1,500 x 5e-7 = 0.00075.
    QTest::newRow("reasoning price of its own") << "openai-compatible" << "qwen-turbo" << "openai" << qint64(1000)
                                                << qint64(0) << qint64(0) << qint64(2000) << qint64(1500)
                                                << "dashscope/qwen-turbo" << qint64(0) << 0.00005 << 0.0 << 0.0
                                                << 0.0001 << 0.00075 << 0.0009;
    // deepseek-chat: $0.28/M in, $0.028/M cached, $0.42/M out. 4,000 x 2.8e-7 = 0.00112;
    // 6,000 x 2.8e-8 = 0.000168; 1,000 x 4.2e-7 = 0.00042.
    QTest::newRow("deepseek cached") << "openai-compatible" << "deepseek-chat" << "openai" << qint64(10000)
                                     << qint64(6000) << qint64(0) << qint64(1000) << qint64(0)
                                     << "deepseek/deepseek-chat" << qint64(0) << 0.00112 << 0.000168 << 0.0 << 0.00042
                                     << 0.0 << 0.001708;
}

void CostTest::goldenCases()
{
    QFETCH(QString, kind);
    QFETCH(QString, model);
    QFETCH(QString, format);
    QFETCH(qint64, prompt);
    QFETCH(qint64, cacheRead);
    QFETCH(qint64, cacheWrite);
    QFETCH(qint64, output);
    QFETCH(qint64, reasoning);
    QFETCH(QString, pricedModel);
    QFETCH(qint64, tier);
    QFETCH(double, uncachedUsd);
    QFETCH(double, cachedUsd);
    QFETCH(double, writeUsd);
    QFETCH(double, outputUsd);
    QFETCH(double, reasoningUsd);
    QFETCH(double, totalUsd);

    const PriceTable table = bundledTable();
    const TokenUsage usage = reportedUsage(format, prompt, cacheRead, cacheWrite, output, reasoning);
    Result<CostBreakdown> cost = computeCost(usage, endpoint(kind, model), table);
    QVERIFY2(cost.isOk(), cost.status().toString().c_str());
    QCOMPARE(QString::fromStdString(cost->pricedModel), pricedModel);
    QCOMPARE(QString::fromStdString(cost->source), QStringLiteral("table"));
    QCOMPARE(QString::fromStdString(cost->tableVersion), QStringLiteral("litellm-2026-07-24"));
    QCOMPARE(cost->tierAboveTokens, tier);
    COMPARE_USD(cost->uncachedInputUsd, uncachedUsd);
    COMPARE_USD(cost->cachedInputUsd, cachedUsd);
    COMPARE_USD(cost->cacheWriteUsd, writeUsd);
    COMPARE_USD(cost->outputUsd, outputUsd);
    COMPARE_USD(cost->reasoningUsd, reasoningUsd);
    COMPARE_USD(cost->totalUsd, totalUsd);
}

void CostTest::localModelCostsZero()
{
    const TokenUsage usage = reportedUsage(QStringLiteral("openai"), 500000, 1000, 0, 9000, 100);
    Result<CostBreakdown> cost = computeCost(usage, endpoint(QStringLiteral("local-extractive"), {}), bundledTable());
    QVERIFY(cost.isOk());
    QCOMPARE(QString::fromStdString(cost->source), QStringLiteral("local"));
    QCOMPARE(cost->totalUsd, 0.0);
}

void CostTest::endpointPriceWins()
{
    // $1/M in and $2/M out replace gpt-4o's table prices for every input bucket:
    // 10,000 x 1e-6 = 0.01 (6,000 uncached 0.006, 4,000 cached 0.004); 1,000 x 2e-6 = 0.002.
    ModelEndpoint priced = endpoint(QStringLiteral("openai-compatible"), QStringLiteral("gpt-4o"));
    priced.inputUsdPerMillion = 1.0;
    priced.outputUsdPerMillion = 2.0;
    const TokenUsage usage = reportedUsage(QStringLiteral("openai"), 10000, 4000, 0, 1000, 0);
    Result<CostBreakdown> cost = computeCost(usage, priced, bundledTable());
    QVERIFY(cost.isOk());
    QCOMPARE(QString::fromStdString(cost->source), QStringLiteral("endpoint"));
    QVERIFY(cost->tableVersion.empty());
    COMPARE_USD(cost->uncachedInputUsd, 0.006);
    COMPARE_USD(cost->cachedInputUsd, 0.004);
    COMPARE_USD(cost->outputUsd, 0.002);
    COMPARE_USD(cost->totalUsd, 0.012);
}

void CostTest::unknownModelNotFound()
{
    const TokenUsage usage = reportedUsage(QStringLiteral("openai"), 100, 0, 0, 10, 0);
    Result<CostBreakdown> cost =
        computeCost(usage, endpoint(QStringLiteral("openai-compatible"), QStringLiteral("my-finetune-7b")), bundledTable());
    QVERIFY(!cost.isOk());
    QCOMPARE(cost.status().code(), StatusCode::NotFound);
    const QString message = QString::fromStdString(cost.status().message());
    QVERIFY2(message.contains(QStringLiteral("\"my-finetune-7b\"")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("litellm-2026-07-24")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("prices import")), qPrintable(message));
}

void CostTest::lookupVariants_data()
{
    QTest::addColumn<QString>("modelId");
    QTest::addColumn<QString>("key");  // empty: not found
    QTest::newRow("exact") << "gpt-4o" << "gpt-4o";
    QTest::newRow("provider prefix removed") << "openai/gpt-4o" << "gpt-4o";
    QTest::newRow("two prefixes removed") << "openrouter/anthropic/claude-haiku-4-5" << "claude-haiku-4-5";
    QTest::newRow("provider prefix added") << "gemini-2.5-pro" << "gemini/gemini-2.5-pro";
    QTest::newRow("prefix added before a path") << "openai/gpt-oss-120b" << "together_ai/openai/gpt-oss-120b";
    QTest::newRow("exact with prefix") << "mistral/mistral-small-latest" << "mistral/mistral-small-latest";
    QTest::newRow("unknown") << "llama3.1:8b" << "";
    QTest::newRow("case differs") << "GPT-4O" << "";
}

void CostTest::lookupVariants()
{
    QFETCH(QString, modelId);
    QFETCH(QString, key);
    const PriceTable table = bundledTable();
    const ModelPrice* price = table.find(modelId.toStdString());
    QCOMPARE(price != nullptr ? QString::fromStdString(price->model) : QString(), key);
}

void CostTest::lookupPrefersProvider()
{
    const std::string json = R"({
        "alpha/shared-model": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6,
                               "litellm_provider": "alpha", "mode": "chat"},
        "beta/shared-model": {"input_cost_per_token": 3e-6, "output_cost_per_token": 4e-6,
                              "litellm_provider": "beta", "mode": "chat"}})";
    Result<PriceTable> table = PriceTable::fromJson(json, "two providers");
    QVERIFY2(table.isOk(), table.status().toString().c_str());
    QCOMPARE(table->find("shared-model", "beta")->model, std::string("beta/shared-model"));
    QCOMPARE(table->find("shared-model")->model, std::string("alpha/shared-model"));
}

void CostTest::importRejectsBadValues_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QStringList>("expected");  // substrings of the error message
    QTest::newRow("price as string")
        << R"({"m1": {"mode": "chat", "input_cost_per_token": "3e-7", "output_cost_per_token": 1e-6}})"
        << QStringList{"prices.json", "\"m1\"", "input_cost_per_token", "string"};
    QTest::newRow("negative price")
        << R"({"m2": {"mode": "chat", "input_cost_per_token": 1e-7, "output_cost_per_token": -1e-6}})"
        << QStringList{"\"m2\"", "output_cost_per_token", "negative"};
    QTest::newRow("tier price as boolean")
        << R"({"m3": {"mode": "chat", "input_cost_per_token": 1e-7, "output_cost_per_token": 1e-6,
                      "input_cost_per_token_above_200k_tokens": true}})"
        << QStringList{"\"m3\"", "input_cost_per_token_above_200k_tokens", "boolean"};
    QTest::newRow("provider as number")
        << R"({"m4": {"mode": "chat", "litellm_provider": 7, "input_cost_per_token": 1e-7, "output_cost_per_token": 1e-6}})"
        << QStringList{"\"m4\"", "litellm_provider", "string"};
    QTest::newRow("mode as array") << R"({"m5": {"mode": ["chat"]}})" << QStringList{"\"m5\"", "mode"};
    QTest::newRow("not an object") << R"([1, 2])" << QStringList{"prices.json", "array", "object"};
    QTest::newRow("not JSON") << R"({"m6": )" << QStringList{"prices.json", "not valid JSON"};
}

void CostTest::importRejectsBadValues()
{
    QFETCH(QString, json);
    QFETCH(QStringList, expected);
    Result<PriceTable> table = PriceTable::fromJson(json.toStdString(), "/tmp/prices.json");
    QVERIFY(!table.isOk());
    QCOMPARE(table.status().code(), StatusCode::InvalidArgument);
    const QString message = QString::fromStdString(table.status().message());
    for (const QString& part : expected)
        QVERIFY2(message.contains(part), qPrintable(message + QStringLiteral(" lacks ") + part));
}

void CostTest::importSkipsAndCounts()
{
    // Non-chat entries are skipped before their other keys are read, so a string price in an
    // embedding entry is no error.
    const std::string json = R"({
        "last_updated": "2026-01-02T03:04:05+00:00",
        "chat-model": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "mode": "chat"},
        "embed-model": {"input_cost_per_token": "1e-8", "mode": "embedding"},
        "no-mode": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6},
        "free-text-chat": {"mode": "chat", "input_cost_per_character": 1e-7}})";
    Result<PriceTable> table = PriceTable::fromJson(json, "counts");
    QVERIFY2(table.isOk(), table.status().toString().c_str());
    QCOMPARE(table->size(), std::size_t{1});
    QCOMPARE(table->skippedEntries(), std::size_t{3});  // last_updated, embed-model, no-mode
    QCOMPARE(table->unpricedEntries(), std::size_t{1});
    QCOMPARE(table->version(), std::string("litellm-2026-01-02"));
    QVERIFY(table->find("chat-model") != nullptr);
    QVERIFY(table->find("free-text-chat") == nullptr);
}

void CostTest::importMissingFile()
{
    Result<PriceTable> table = PriceTable::importFile("/nonexistent/llmops/prices.json");
    QVERIFY(!table.isOk());
    QCOMPARE(table.status().code(), StatusCode::IoError);
    QVERIFY(table.status().message().find("/nonexistent/llmops/prices.json") != std::string::npos);
}

void CostTest::tableRoundTrips()
{
    const PriceTable bundled = bundledTable();
    QVERIFY(bundled.size() >= 30);
    Result<PriceTable> again = PriceTable::fromJson(bundled.toJson(), "round trip");
    QVERIFY2(again.isOk(), again.status().toString().c_str());
    QCOMPARE(again->size(), bundled.size());
    QCOMPARE(again->version(), bundled.version());
    QCOMPARE(again->source(), bundled.source());

    const ModelPrice* before = bundled.find("claude-sonnet-4-5");
    const ModelPrice* after = again->find("claude-sonnet-4-5");
    QVERIFY(before != nullptr && after != nullptr);
    QCOMPARE(after->inputUsdPerToken, before->inputUsdPerToken);
    QCOMPARE(after->cacheWriteUsdPerToken, before->cacheWriteUsdPerToken);
    QCOMPARE(after->tiers.size(), std::size_t{1});
    QCOMPARE(after->tiers.front().aboveInputTokens, std::int64_t{200000});
    QCOMPARE(after->tiers.front().cacheWriteUsdPerToken, before->tiers.front().cacheWriteUsdPerToken);
}

void CostTest::bundledMatchesLiteLlmFile()
{
    REQUIRE_SHARED_DATA(path, "model-prices/litellm-2026-07-24.json");
    Result<PriceTable> imported = PriceTable::importFile(path.toStdString());
    QVERIFY2(imported.isOk(), imported.status().toString().c_str());
    QCOMPARE(imported->version(), std::string("litellm-2026-07-24"));
    QVERIFY(imported->size() > 1000);
    QVERIFY(imported->skippedEntries() > 0);

    // A handful of prices, as published in that file.
    const ModelPrice* gpt4o = imported->find("gpt-4o");
    QVERIFY(gpt4o != nullptr);
    QCOMPARE(gpt4o->inputUsdPerToken, 2.5e-06);
    QCOMPARE(gpt4o->outputUsdPerToken, 1e-05);
    QCOMPARE(gpt4o->cacheReadUsdPerToken.value_or(-1), 1.25e-06);
    const ModelPrice* sonnet = imported->find("claude-sonnet-4-5");
    QVERIFY(sonnet != nullptr);
    QCOMPARE(sonnet->cacheWriteUsdPerToken.value_or(-1), 3.75e-06);
    QCOMPARE(sonnet->tiers.size(), std::size_t{1});
    QCOMPARE(sonnet->tiers.front().inputUsdPerToken, 6e-06);
    const ModelPrice* gemini = imported->find("gemini/gemini-2.5-pro");
    QVERIFY(gemini != nullptr);
    QCOMPARE(gemini->tiers.front().outputUsdPerToken.value_or(-1), 1.5e-05);
    const ModelPrice* mistral = imported->find("mistral/mistral-large-latest");
    QVERIFY(mistral != nullptr);
    QCOMPARE(mistral->inputUsdPerToken, 5e-07);
    const ModelPrice* qwen = imported->find("dashscope/qwen-turbo");
    QVERIFY(qwen != nullptr);
    QCOMPARE(qwen->reasoningUsdPerToken.value_or(-1), 5e-07);

    // Every bundled figure was taken from this file, so each bundled model must agree with it.
    const PriceTable bundled = bundledTable();
    for (const QString& key : modelKeys(bundled)) {
        const ModelPrice* mine = bundled.find(key.toStdString());
        const ModelPrice* theirs = imported->find(key.toStdString());
        QVERIFY2(mine != nullptr && theirs != nullptr, qPrintable(key));
        QVERIFY2(mine->inputUsdPerToken == theirs->inputUsdPerToken, qPrintable(key));
        QVERIFY2(mine->outputUsdPerToken == theirs->outputUsdPerToken, qPrintable(key));
        QVERIFY2(mine->cacheReadUsdPerToken == theirs->cacheReadUsdPerToken, qPrintable(key));
        QVERIFY2(mine->cacheWriteUsdPerToken == theirs->cacheWriteUsdPerToken, qPrintable(key));
        QVERIFY2(mine->tiers.size() == theirs->tiers.size(), qPrintable(key));
    }
}

void CostTest::pipelineRecordsCost()
{
    // A remote gpt-4o endpoint without its own prices is priced from the bundled table.
    // prompt_tokens 1,000 with 400 cached, 100 completion tokens:
    // 600 x 2.5e-6 = 0.0015; 400 x 1.25e-6 = 0.0005; 100 x 1e-5 = 0.001; total 0.003.
    LoopbackHttpServer server;
    QVERIFY(server.start());
    server.route("POST", "/v1/chat/completions",
                 LoopbackResponse::json(200, R"({"id":"c1","model":"gpt-4o","choices":[{"index":0,
                     "message":{"role":"assistant","content":"Open Billing and press Download PDF [1]."},
                     "finish_reason":"stop"}],"usage":{"prompt_tokens":1000,"completion_tokens":100,
                     "prompt_tokens_details":{"cached_tokens":400}}})"));
    TestWorkspace workspace;
    workspace.addSupportPages();
    std::unique_ptr<Engine> engine = workspace.open();
    QVERIFY(engine != nullptr);
    (void)engine->indexPaths({workspace.docsDir().toStdString()});
    PipelineSettings settings = PipelineSettings::defaults();
    ModelEndpoint remote = endpoint(QStringLiteral("openai-compatible"), QStringLiteral("gpt-4o"));
    remote.name = "remote";
    remote.baseUrl = server.baseUrl() + "/v1";
    remote.stream = false;
    settings.models.push_back(remote);
    settings.rules.insert(settings.rules.begin(), {"all to remote", {}, "", 0, "remote", {}, {}});
    QVERIFY(engine->updateSettings(settings).isOk());

    AskOptions noCache;
    noCache.useCache = false;
    Result<QueryResult> result = engine->ask("How do I download an invoice?", noCache);
    QVERIFY2(result.isOk(), result.status().toString().c_str());
    COMPARE_USD(result->costUsd, 0.003);
    COMPARE_USD(result->cost.cachedInputUsd, 0.0005);
    QCOMPARE(result->cost.pricedModel, std::string("gpt-4o"));
    QCOMPARE(result->cost.tableVersion, std::string("litellm-2026-07-24"));

    // The stored trace keeps the breakdown and the table version.
    Result<QueryResult> stored = engine->trace(result->traceId);
    QVERIFY(stored.isOk());
    COMPARE_USD(stored->cost.uncachedInputUsd, 0.0015);
    QCOMPARE(stored->cost.tableVersion, std::string("litellm-2026-07-24"));
    const QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(queryResultToJson(stored.value()))).object();
    QCOMPARE(json.value(QStringLiteral("cost")).toObject().value(QStringLiteral("price_table_version")).toString(),
             QStringLiteral("litellm-2026-07-24"));

    // An imported table prices later questions and survives reopening the workspace. Here gpt-4o
    // costs $1/M for input and cached input alike and $3/M output: 1,000 x 1e-6 + 100 x 3e-6 = 0.0013.
    const QString priceFile = workspace.filePath(QStringLiteral("prices.json"));
    llmops::test::writeFile(priceFile, R"({"_meta": {"version": "custom-1"},
        "gpt-4o": {"input_cost_per_token": 1e-6, "output_cost_per_token": 3e-6, "litellm_provider": "openai",
                   "mode": "chat"}})");
    QVERIFY(engine->importPriceTable(priceFile.toStdString()).isOk());
    engine.reset();
    engine = workspace.open();
    QVERIFY(engine != nullptr);
    QCOMPARE(engine->priceTable().version(), std::string("custom-1"));
    Result<QueryResult> repriced = engine->ask("How do I download an invoice?", noCache);
    QVERIFY2(repriced.isOk(), repriced.status().toString().c_str());
    COMPARE_USD(repriced->costUsd, 0.0013);
    QCOMPARE(repriced->cost.tableVersion, std::string("custom-1"));
}

QTEST_GUILESS_MAIN(CostTest)
#include "tst_cost.moc"
