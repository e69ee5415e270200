// SPDX-License-Identifier: MIT
// Embedders behind HTTP: the OpenAI /embeddings and Ollama /api/embed wire formats against a
// loopback server, their errors, and a workspace that indexes, answers, switches embedder and
// keeps answering when the embedder dies.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

#include "HttpEmbedder.h"
#include "LoopbackHttpServer.h"
#include "TestWorkspace.h"
#include "llmops/engine.h"

using namespace llmops;
using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;
using llmops::test::RecordedRequest;

namespace {

QJsonObject parseObject(const std::string& body)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
}

std::vector<std::string> inputsOf(const RecordedRequest& request)
{
    std::vector<std::string> texts;
    const QJsonValue input = parseObject(request.body).value(QStringLiteral("input"));
    for (const QJsonValue& text : input.toArray())
        texts.push_back(text.toString().toStdString());
    return texts;
}

QJsonArray toJson(const std::vector<float>& vector, float scale = 1.0f)
{
    QJsonArray array;
    for (float value : vector)
        array.append(double(value * scale));
    return array;
}

// Embeds like the offline hashing embedder, scaled by 3 so the client's normalisation shows.
// OpenAI's items come in reverse order, which the index field must undo.
LoopbackResponse openAiReply(const RecordedRequest& request)
{
    const HashingEmbedder hashing(64);
    const std::vector<std::string> texts = inputsOf(request);
    QJsonArray data;
    for (std::size_t i = texts.size(); i-- > 0;)
        data.append(QJsonObject{{QStringLiteral("object"), QStringLiteral("embedding")},
                                {QStringLiteral("index"), int(i)},
                                {QStringLiteral("embedding"), toJson(hashing.embedOne(texts[i]), 3.0f)}});
    const QJsonObject reply{{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}};
    return LoopbackResponse::json(200, QJsonDocument(reply).toJson(QJsonDocument::Compact).toStdString());
}

LoopbackResponse ollamaReply(const RecordedRequest& request)
{
    const HashingEmbedder hashing(64);
    QJsonArray embeddings;
    for (const std::string& text : inputsOf(request))
        embeddings.append(toJson(hashing.embedOne(text)));
    const QJsonObject reply{{QStringLiteral("model"), QStringLiteral("nomic-embed-text")},
                            {QStringLiteral("embeddings"), embeddings}};
    return LoopbackResponse::json(200, QJsonDocument(reply).toJson(QJsonDocument::Compact).toStdString());
}

EmbedderSettings remoteSettings(const std::string& kind, const std::string& baseUrl)
{
    EmbedderSettings settings;
    settings.kind = kind;
    settings.baseUrl = baseUrl;
    settings.model = kind == "ollama" ? "nomic-embed-text" : "test-embed";
    settings.timeoutMs = 3000;
    return settings;
}

double norm(const std::vector<float>& vector)
{
    double sum = 0.0;
    for (float value : vector)
        sum += double(value) * value;
    return std::sqrt(sum);
}

bool hasFlag(const QueryResult& result, const std::string& kind)
{
    return std::any_of(result.flags.begin(), result.flags.end(), [&](const Flag& flag) { return flag.kind == kind; });
}

} // namespace

class HttpEmbedderTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void openAiWireFormat();
    void batchesSplitRequests();
    void ollamaWireFormat();
    void errorsNameTheEmbedder_data();
    void errorsNameTheEmbedder();
    void changedDimensionRejected();
    void deadEndpointNamesUrl();
    void workspaceIndexesThroughRemoteEmbedder();
    void unreachableEmbedderKeepsSettings();
    void failingEmbedderFallsBackToKeywords();

private:
    LoopbackHttpServer m_server;
};

void HttpEmbedderTest::initTestCase()
{
    QVERIFY(m_server.start());
    m_server.route("POST", "/openai/v1/embeddings", openAiReply);
    m_server.route("POST", "/ollama/api/embed", ollamaReply);
}

void HttpEmbedderTest::openAiWireFormat()
{
    qputenv("LLMOPS_TEST_EMBED_KEY", "sk-embed-test");
    EmbedderSettings settings = remoteSettings("openai-compatible", m_server.baseUrl() + "/openai/v1");
    settings.apiKeyEnv = "LLMOPS_TEST_EMBED_KEY";
    settings.dimensions = 64;
    HttpEmbedder embedder(settings);

    const std::size_t before = m_server.requests().size();
    auto vectors = embedder.embed({"refund policy", "two-factor codes"});
    QVERIFY2(vectors.isOk(), vectors.status().toString().c_str());
    QCOMPARE(vectors->size(), std::size_t(2));

    const RecordedRequest request = m_server.requests().at(before);
    QCOMPARE(request.header("Authorization"), std::string("Bearer sk-embed-test"));
    const QJsonObject body = parseObject(request.body);
    QCOMPARE(body.value(QStringLiteral("model")).toString(), QStringLiteral("test-embed"));
    QCOMPARE(body.value(QStringLiteral("encoding_format")).toString(), QStringLiteral("float"));
    QCOMPARE(body.value(QStringLiteral("dimensions")).toInt(), 64);

    // Matched by index despite the reversed order, and normalised despite the scale of 3.
    const HashingEmbedder hashing(64);
    const std::vector<float> expected = hashing.embedOne("refund policy");
    QCOMPARE(vectors->front().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        QVERIFY(std::abs(vectors->front()[i] - expected[i]) < 1e-5f);
    QVERIFY(std::abs(norm(vectors->back()) - 1.0) < 1e-5);
    QCOMPARE(embedder.id(), std::string("openai-compatible:test-embed:64"));
    qunsetenv("LLMOPS_TEST_EMBED_KEY");
}

void HttpEmbedderTest::batchesSplitRequests()
{
    EmbedderSettings settings = remoteSettings("openai-compatible", m_server.baseUrl() + "/openai/v1");
    settings.batchSize = 2;
    HttpEmbedder embedder(settings);

    const std::size_t before = m_server.requests().size();
    auto vectors = embedder.embed({"a one", "b two", "c three", "d four", "e five"});
    QVERIFY2(vectors.isOk(), vectors.status().toString().c_str());
    QCOMPARE(vectors->size(), std::size_t(5));
    QCOMPARE(m_server.requests().size() - before, std::size_t(3));
    QCOMPARE(inputsOf(m_server.requests().back()), std::vector<std::string>{"e five"});
    QCOMPARE(embedder.dimension(), 64);
}

void HttpEmbedderTest::ollamaWireFormat()
{
    HttpEmbedder embedder(remoteSettings("ollama", m_server.baseUrl() + "/ollama"));
    const std::size_t before = m_server.requests().size();
    auto vectors = embedder.embed({"invoices", "contact support"});
    QVERIFY2(vectors.isOk(), vectors.status().toString().c_str());
    QCOMPARE(vectors->size(), std::size_t(2));

    const RecordedRequest request = m_server.requests().at(before);
    QCOMPARE(request.path, std::string("/ollama/api/embed"));
    QVERIFY(!request.hasHeader("Authorization"));  // a local server needs no key
    QCOMPARE(parseObject(request.body).value(QStringLiteral("model")).toString(), QStringLiteral("nomic-embed-text"));
    QVERIFY(!parseObject(request.body).contains(QStringLiteral("encoding_format")));
    QCOMPARE(embedder.id(), std::string("ollama:nomic-embed-text"));
}

void HttpEmbedderTest::errorsNameTheEmbedder_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unauthorised") << 401 << QStringLiteral(R"({"error":{"message":"bad key"}})")
                                  << QStringLiteral("api_key_env or api_key_keychain");
    QTest::newRow("server error") << 500 << QStringLiteral(R"({"error":{"message":"model crashed"}})")
                                  << QStringLiteral("HTTP 500 (the provider reports: model crashed)");
    QTest::newRow("malformed") << 200 << QStringLiteral(R"({"data":[{"index":0,"embedding":[0.1,)")
                               << QStringLiteral("not an OpenAI embedding response");
    QTest::newRow("missing vector") << 200 << QStringLiteral(R"({"data":[{"index":0,"embedding":[0.1,0.2]}]})")
                                    << QStringLiteral("left a text without a vector");
    QTest::newRow("extra item") << 200 << QStringLiteral(R"({"data":[{"index":5,"embedding":[0.1]}]})")
                                << QStringLiteral("index 5");
}

void HttpEmbedderTest::errorsNameTheEmbedder()
{
    QFETCH(int, status);
    QFETCH(QString, body);
    QFETCH(QString, expected);
    const std::string path = "/error-" + std::to_string(QTest::currentDataTag()[0]) + std::to_string(status);
    m_server.route("POST", path + "/embeddings", LoopbackResponse::json(status, body.toStdString()));

    HttpEmbedder embedder(remoteSettings("openai-compatible", m_server.baseUrl() + path));
    auto vectors = embedder.embed({"first text", "second text"});
    QVERIFY(!vectors.isOk());
    const QString message = QString::fromStdString(vectors.status().message());
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(message.contains(QString::fromStdString(path)) || message.contains(QStringLiteral("embedder")),
             qPrintable(message));
}

void HttpEmbedderTest::changedDimensionRejected()
{
    HttpEmbedder embedder(remoteSettings("openai-compatible", m_server.baseUrl() + "/openai/v1"));
    embedder.setDimension(1536);  // what the workspace stored
    auto vectors = embedder.embed({"refund"});
    QVERIFY(!vectors.isOk());
    const std::string message = vectors.status().message();
    QVERIFY2(message.find("64 dimensions where the workspace has 1536") != std::string::npos, message.c_str());
}

void HttpEmbedderTest::deadEndpointNamesUrl()
{
    const int port = llmops::test::unusedLoopbackPort();
    QVERIFY(port > 0);
    HttpEmbedder embedder(remoteSettings("ollama", "http://127.0.0.1:" + std::to_string(port)));
    auto vectors = embedder.embed({"anything"});
    QVERIFY(!vectors.isOk());
    QCOMPARE(vectors.status().code(), StatusCode::IoError);
    const std::string message = vectors.status().message();
    QVERIFY2(message.find(":" + std::to_string(port) + "/api/embed") != std::string::npos, message.c_str());
}

void HttpEmbedderTest::workspaceIndexesThroughRemoteEmbedder()
{
    llmops::test::TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    QVERIFY(engine);
    PipelineSettings settings = PipelineSettings::defaults();
    settings.embedder = remoteSettings("openai-compatible", m_server.baseUrl() + "/openai/v1");
    QVERIFY2(engine->updateSettings(settings).isOk(), "switching an empty workspace to the remote embedder");

    const std::size_t before = m_server.requests().size();
    QCOMPARE(engine->indexPaths({workspace.docsDir().toStdString()}).indexed(), 4);
    QVERIFY(m_server.requests().size() - before >= 4);  // one request per file at least

    auto answer = engine->ask("How do I enable two-factor authentication?");
    QVERIFY2(answer.isOk(), answer.status().toString().c_str());
    QVERIFY(!answer->citations.empty());
    QVERIFY2(answer->citations.front().documentPath.find("two-factor.md") != std::string::npos,
             answer->citations.front().documentPath.c_str());
    QVERIFY(!hasFlag(answer.value(), "retrieval_degraded"));

    // Reopening needs no call: the stored vectors came from the same embedder.
    engine.reset();
    const std::size_t beforeOpen = m_server.requests().size();
    engine = workspace.open();
    QVERIFY(engine);
    QCOMPARE(m_server.requests().size(), beforeOpen);

    // Back to the offline embedder: every chunk is embedded again, locally.
    settings.embedder = EmbedderSettings{};
    QVERIFY(engine->updateSettings(settings).isOk());
    QCOMPARE(m_server.requests().size(), beforeOpen);
    answer = engine->ask("Where are my invoices listed?", {false, nullptr, {}});
    QVERIFY2(answer.isOk(), answer.status().toString().c_str());
    QVERIFY(!answer->citations.empty());
    QVERIFY(answer->citations.front().documentPath.find("invoices.html") != std::string::npos);
}

void HttpEmbedderTest::unreachableEmbedderKeepsSettings()
{
    llmops::test::TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    QVERIFY(engine);
    QCOMPARE(engine->indexPaths({workspace.docsDir().toStdString()}).indexed(), 4);

    const int port = llmops::test::unusedLoopbackPort();
    PipelineSettings settings = PipelineSettings::defaults();
    settings.embedder = remoteSettings("ollama", "http://127.0.0.1:" + std::to_string(port));
    const Status status = engine->updateSettings(settings);
    QVERIFY(!status.isOk());
    QVERIFY2(status.message().find("previous embedder stays") != std::string::npos, status.message().c_str());
    QCOMPARE(engine->settings().embedder.kind, std::string("hashing"));

    // Moving a working remote embedder to a dead URL keeps the vectors' id, yet is rejected too.
    settings.embedder = remoteSettings("openai-compatible", m_server.baseUrl() + "/openai/v1");
    QVERIFY(engine->updateSettings(settings).isOk());
    PipelineSettings moved = settings;
    moved.embedder.baseUrl = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    const Status movedStatus = engine->updateSettings(moved);
    QVERIFY(!movedStatus.isOk());
    QVERIFY2(movedStatus.message().find("did not answer") != std::string::npos, movedStatus.message().c_str());
    QCOMPARE(engine->settings().embedder.baseUrl, settings.embedder.baseUrl);

    auto answer = engine->ask("How long do refunds take?");
    QVERIFY2(answer.isOk(), answer.status().toString().c_str());
    QVERIFY(!hasFlag(answer.value(), "retrieval_degraded"));
}

void HttpEmbedderTest::failingEmbedderFallsBackToKeywords()
{
    // An embedder that works while indexing, then fails: questions still get keyword results.
    bool failing = false;
    m_server.route("POST", "/flaky/v1/embeddings", [&failing](const RecordedRequest& request) {
        return failing ? LoopbackResponse::json(503, R"({"error":{"message":"overloaded"}})") : openAiReply(request);
    });
    llmops::test::TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    QVERIFY(engine);
    PipelineSettings settings = PipelineSettings::defaults();
    settings.embedder = remoteSettings("openai-compatible", m_server.baseUrl() + "/flaky/v1");
    QVERIFY(engine->updateSettings(settings).isOk());
    QCOMPARE(engine->indexPaths({workspace.docsDir().toStdString()}).indexed(), 4);

    failing = true;
    auto answer = engine->ask("How do I request a refund?");
    QVERIFY2(answer.isOk(), answer.status().toString().c_str());
    QVERIFY(hasFlag(answer.value(), "retrieval_degraded"));
    QVERIFY(!answer->citations.empty());
    QVERIFY(answer->citations.front().documentPath.find("refunds.md") != std::string::npos);

    // Indexing with a failing embedder fails per file and keeps what was stored.
    workspace.addDocument(QStringLiteral("new.md"), "# Shipping\n\nParcels ship within two days.\n");
    const IndexReport report = engine->indexPaths({workspace.docsDir().toStdString()});
    QCOMPARE(report.indexed(), 0);
    QVERIFY(engine->stats().documents >= 4);
    failing = false;
}

QTEST_GUILESS_MAIN(HttpEmbedderTest)
#include "tst_http_embedder.moc"
