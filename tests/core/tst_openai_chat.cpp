// SPDX-License-Identifier: MIT
#include "llmops/generator.h"

#include "LoopbackHttpServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <thread>

using namespace llmops;
using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;
using llmops::test::RecordedRequest;

namespace {

const char* const kKeyVariable = "LLMOPS_TEST_CHAT_KEY";
const char* const kKeyValue = "sk-test-5e3c1a9f-do-not-print";
const char* const kChatPath = "/v1/chat/completions";

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

ModelEndpoint endpointFor(const std::string& baseUrl, const std::string& apiKeyEnv = kKeyVariable)
{
    ModelEndpoint endpoint;
    endpoint.name = "test-remote";
    endpoint.kind = "openai-compatible";
    endpoint.baseUrl = baseUrl + "/v1";
    endpoint.model = "test-model";
    endpoint.apiKeyEnv = apiKeyEnv;
    endpoint.timeoutMs = 5000;
    endpoint.stream = false;  // this suite covers the single-document response
    return endpoint;
}

RetrievalHit makeHit(const std::string& headingPath, const std::string& title, const std::string& text)
{
    RetrievalHit hit;
    hit.chunk.headingPath = headingPath;
    hit.chunk.text = text;
    hit.documentTitle = title;
    hit.documentPath = "docs/" + title + ".md";
    return hit;
}

GenerationRequest sampleRequest()
{
    GenerationRequest request;
    request.query = "How do I reset the router?";
    request.systemPrompt = "You are the router support assistant.";
    request.context = {
        makeHit("Router Guide > Reset", "Router Guide", "Hold the reset button for ten seconds."),
        makeHit("", "FAQ", "The lights blink amber while the router restarts."),
    };
    return request;
}

std::string chatResponse(const std::string& content, int promptTokens, int completionTokens)
{
    QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), qs(content)}};
    QJsonObject choice{{QStringLiteral("index"), 0},
                       {QStringLiteral("message"), message},
                       {QStringLiteral("finish_reason"), QStringLiteral("stop")}};
    QJsonObject usage{{QStringLiteral("prompt_tokens"), promptTokens},
                      {QStringLiteral("completion_tokens"), completionTokens}};
    QJsonObject body{{QStringLiteral("id"), QStringLiteral("chatcmpl-1")},
                     {QStringLiteral("model"), QStringLiteral("test-model-2025")},
                     {QStringLiteral("choices"), QJsonArray{choice}},
                     {QStringLiteral("usage"), usage}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString();
}

QList<int> toList(const std::vector<int>& numbers)
{
    return QList<int>(numbers.begin(), numbers.end());
}

} // namespace

class TestOpenAiChat : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void answerParsedWithUsageAndCitations();
    void requestWireFormat();
    void emptyKeyVariableSendsNoAuthorization();
    void missingKeyVariableRejected();
    void httpErrors_data();
    void httpErrors();
    void longBodyExcerptTruncated();
    void deadPortIsIoError();
    void droppedConnectionIsIoError();
    void slowServerTimesOut();
    void cancelFromOtherThread();
    void cancelBeforeSendSendsNothing();
    void parseCitationMarkers_data();
    void parseCitationMarkers();
};

void TestOpenAiChat::initTestCase()
{
    // Requests must reach the loopback server directly, whatever proxy the environment names.
    for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        qunsetenv(name);
    qputenv("no_proxy", "*");
    qputenv("NO_PROXY", "*");
    qputenv(kKeyVariable, kKeyValue);
}

void TestOpenAiChat::answerParsedWithUsageAndCitations()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    const std::string answer = "Hold the reset button [1]. See also [3] and [2][1].";
    server.route("POST", kChatPath, LoopbackResponse::json(200, chatResponse(answer, 120, 17)));

    OpenAiChatGenerator generator(endpointFor(server.baseUrl()));
    const Result<Completion> result = generator.generate(sampleRequest());

    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(qs(result->text), qs(answer));
    QCOMPARE(toList(result->citedContext), (QList<int>{1, 2}));
    QCOMPARE(result->usage.inputTokens, 120);
    QCOMPARE(result->usage.outputTokens, 17);
    QCOMPARE(qs(result->model), QStringLiteral("test-model-2025"));
    QCOMPARE(qs(result->finishReason), QStringLiteral("stop"));
}

void TestOpenAiChat::requestWireFormat()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("POST", kChatPath, LoopbackResponse::json(200, chatResponse("ok [1]", 1, 1)));

    OpenAiChatGenerator generator(endpointFor(server.baseUrl()));
    const Result<Completion> result = generator.generate(sampleRequest());
    QVERIFY2(result.isOk(), result.status().toString().c_str());

    const std::vector<RecordedRequest> requests = server.requests();
    QCOMPARE(requests.size(), size_t(1));
    const RecordedRequest& request = requests.front();
    QCOMPARE(qs(request.method), QStringLiteral("POST"));
    QCOMPARE(qs(request.path), QString::fromLatin1(kChatPath));
    QCOMPARE(qs(request.header("Authorization")), QStringLiteral("Bearer ") + QString::fromLatin1(kKeyValue));
    QVERIFY(qs(request.header("Content-Type")).startsWith(QStringLiteral("application/json")));

    QJsonParseError error;
    const QJsonObject body = QJsonDocument::fromJson(QByteArray::fromStdString(request.body), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(body.value(QStringLiteral("model")).toString(), QStringLiteral("test-model"));
    QCOMPARE(body.value(QStringLiteral("temperature")).toDouble(-1), 0.0);
    QCOMPARE(body.value(QStringLiteral("stream")).toBool(true), false);

    const QJsonArray messages = body.value(QStringLiteral("messages")).toArray();
    QCOMPARE(messages.size(), 2);
    const QJsonObject system = messages.at(0).toObject();
    const QJsonObject user = messages.at(1).toObject();
    QCOMPARE(system.value(QStringLiteral("role")).toString(), QStringLiteral("system"));
    QCOMPARE(system.value(QStringLiteral("content")).toString(), QStringLiteral("You are the router support assistant."));
    QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("user"));

    const QString prompt = user.value(QStringLiteral("content")).toString();
    const qsizetype first = prompt.indexOf(QStringLiteral("[1] (Router Guide > Reset)\nHold the reset button for ten seconds."));
    const qsizetype second = prompt.indexOf(QStringLiteral("[2] (FAQ)\nThe lights blink amber while the router restarts."));
    const qsizetype question = prompt.indexOf(QStringLiteral("How do I reset the router?"));
    QVERIFY2(first >= 0, qPrintable(prompt));
    QVERIFY2(second > first, qPrintable(prompt));
    QVERIFY2(question > second, qPrintable(prompt));
    QVERIFY2(prompt.contains(QStringLiteral("only the numbered context")), qPrintable(prompt));
    QVERIFY2(prompt.contains(QStringLiteral("[1]")), qPrintable(prompt));
}

void TestOpenAiChat::emptyKeyVariableSendsNoAuthorization()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("POST", kChatPath, LoopbackResponse::json(200, chatResponse("fine", 1, 1)));

    OpenAiChatGenerator generator(endpointFor(server.baseUrl(), ""));
    const Result<Completion> result = generator.generate(sampleRequest());

    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(server.requests().size(), size_t(1));
    QVERIFY(!server.requests().front().hasHeader("Authorization"));
}

void TestOpenAiChat::missingKeyVariableRejected()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("POST", kChatPath, LoopbackResponse::json(200, chatResponse("fine", 1, 1)));

    OpenAiChatGenerator generator(endpointFor(server.baseUrl(), "LLMOPS_TEST_KEY_THAT_IS_NOT_SET"));
    const Result<Completion> result = generator.generate(sampleRequest());

    QVERIFY(!result.isOk());
    QCOMPARE(result.status().code(), StatusCode::InvalidArgument);
    QVERIFY2(qs(result.status().message()).contains(QStringLiteral("LLMOPS_TEST_KEY_THAT_IS_NOT_SET")),
             result.status().message().c_str());
    QCOMPARE(server.requests().size(), size_t(0));
}

void TestOpenAiChat::httpErrors_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<QString>("body");  // "%KEY%" is replaced by the API key
    QTest::addColumn<QString>("retryAfter");
    QTest::addColumn<int>("code");
    QTest::addColumn<QStringList>("fragments");

    const int upstream = int(StatusCode::Upstream);
    QTest::newRow("401 echoing the key")
        << 401 << QStringLiteral(R"({"error":{"message":"Incorrect API key provided: %KEY%"}})") << QString()
        << upstream << QStringList{QStringLiteral("401"), QString::fromLatin1(kKeyVariable)};
    QTest::newRow("403 with the key in the message")
        << 403 << QStringLiteral(R"({"error":{"message":"key %KEY% may not use test-model"}})") << QString()
        << upstream << QStringList{QStringLiteral("403"), QString::fromLatin1(kKeyVariable), QStringLiteral("may not use")};
    QTest::newRow("429 with Retry-After")
        << 429 << QStringLiteral(R"({"error":{"message":"slow down"}})") << QStringLiteral("7")
        << int(StatusCode::RateLimited) << QStringList{QStringLiteral("429"), QStringLiteral("slow down"), QStringLiteral("7 s")};
    QTest::newRow("500 with a JSON error")
        << 500 << QStringLiteral(R"({"error":{"message":"model overloaded","type":"server_error"}})") << QString()
        << upstream << QStringList{QStringLiteral("500"), QStringLiteral("model overloaded")};
    QTest::newRow("502 with an HTML body")
        << 502 << QStringLiteral("<html>Bad gateway</html>") << QString()
        << upstream << QStringList{QStringLiteral("502"), QStringLiteral("<html>Bad gateway</html>")};
    QTest::newRow("200 with malformed JSON")
        << 200 << QStringLiteral(R"({"choices": [ {"message": )") << QString()
        << upstream << QStringList{QStringLiteral("not valid JSON"), QStringLiteral(R"({"choices": [)")};
    QTest::newRow("200 without choices")
        << 200 << QStringLiteral(R"({"id":"chatcmpl-2","object":"chat.completion"})") << QString()
        << upstream << QStringList{QStringLiteral("\"choices\""), QStringLiteral("chat.completion")};
    QTest::newRow("200 with empty choices")
        << 200 << QStringLiteral(R"({"choices":[]})") << QString()
        << upstream << QStringList{QStringLiteral("\"choices\"")};
    QTest::newRow("200 with null content")
        << 200 << QStringLiteral(R"({"choices":[{"message":{"role":"assistant","content":null}}]})") << QString()
        << upstream << QStringList{QStringLiteral("choices[0].message.content")};
    QTest::newRow("200 echoing the key without choices")
        << 200 << QStringLiteral(R"({"debug":"%KEY%"})") << QString()
        << upstream << QStringList{QStringLiteral("\"choices\""), QStringLiteral("[redacted]")};
}

void TestOpenAiChat::httpErrors()
{
    QFETCH(int, httpStatus);
    QFETCH(QString, body);
    QFETCH(QString, retryAfter);
    QFETCH(int, code);
    QFETCH(QStringList, fragments);

    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    LoopbackResponse response = LoopbackResponse::json(
        httpStatus, body.replace(QStringLiteral("%KEY%"), QString::fromLatin1(kKeyValue)).toStdString());
    if (!retryAfter.isEmpty())
        response.headers.emplace_back("Retry-After", retryAfter.toStdString());
    server.route("POST", kChatPath, response);

    OpenAiChatGenerator generator(endpointFor(server.baseUrl()));
    const Result<Completion> result = generator.generate(sampleRequest());

    QVERIFY(!result.isOk());
    const QString message = qs(result.status().message());
    QCOMPARE(int(result.status().code()), code);
    QVERIFY2(message.contains(QStringLiteral("test-remote")), qPrintable(message));
    for (const QString& fragment : fragments)
        QVERIFY2(message.contains(fragment), qPrintable(fragment + QStringLiteral(" missing from: ") + message));
    QVERIFY2(!message.contains(QString::fromLatin1(kKeyValue)), qPrintable(message));
}

void TestOpenAiChat::longBodyExcerptTruncated()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("POST", kChatPath, LoopbackResponse::json(200, std::string(5000, 'x')));

    OpenAiChatGenerator generator(endpointFor(server.baseUrl()));
    const Result<Completion> result = generator.generate(sampleRequest());

    QVERIFY(!result.isOk());
    const std::string& message = result.status().message();
    QVERIFY2(message.find(std::string(200, 'x')) != std::string::npos, message.c_str());
    QVERIFY2(message.find(std::string(201, 'x')) == std::string::npos, message.c_str());
}

void TestOpenAiChat::deadPortIsIoError()
{
    const int port = llmops::test::unusedLoopbackPort();
    QVERIFY(port > 0);

    OpenAiChatGenerator generator(endpointFor("http://127.0.0.1:" + std::to_string(port)));
    const Result<Completion> result = generator.generate(sampleRequest());

    QVERIFY(!result.isOk());
    const QString message = qs(result.status().message());
    QCOMPARE(result.status().code(), StatusCode::IoError);
    QVERIFY2(message.contains(QStringLiteral("127.0.0.1:%1/v1/chat/completions").arg(port)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("running")), qPrintable(message));
}

void TestOpenAiChat::droppedConnectionIsIoError()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    LoopbackResponse response;
    response.closeWithoutResponse = true;
    server.route("POST", kChatPath, response);

    OpenAiChatGenerator generator(endpointFor(server.baseUrl()));
    const Result<Completion> result = generator.generate(sampleRequest());

    QVERIFY(!result.isOk());
    QCOMPARE(result.status().code(), StatusCode::IoError);
    QCOMPARE(server.requests().size(), size_t(1));
}

void TestOpenAiChat::slowServerTimesOut()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    LoopbackResponse response = LoopbackResponse::json(200, chatResponse("late", 1, 1));
    response.firstByteDelay = std::chrono::milliseconds(3000);
    server.route("POST", kChatPath, response);

    ModelEndpoint endpoint = endpointFor(server.baseUrl());
    endpoint.timeoutMs = 300;
    OpenAiChatGenerator generator(endpoint);
    QElapsedTimer timer;
    timer.start();
    const Result<Completion> result = generator.generate(sampleRequest());
    const qint64 elapsedMs = timer.elapsed();

    QVERIFY(!result.isOk());
    const QString message = qs(result.status().message());
    QCOMPARE(result.status().code(), StatusCode::Timeout);
    QVERIFY2(message.contains(QStringLiteral("300 ms")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("/v1/chat/completions")), qPrintable(message));
    QVERIFY2(elapsedMs < 2000, qPrintable(QString::number(elapsedMs)));
}

void TestOpenAiChat::cancelFromOtherThread()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    LoopbackResponse response = LoopbackResponse::json(200, chatResponse("late", 1, 1));
    response.firstByteDelay = std::chrono::milliseconds(20000);
    server.route("POST", kChatPath, response);

    ModelEndpoint endpoint = endpointFor(server.baseUrl());
    endpoint.timeoutMs = 30000;
    OpenAiChatGenerator generator(endpoint);
    std::atomic<bool> cancel{false};
    GenerationRequest request = sampleRequest();
    request.cancel = &cancel;

    QElapsedTimer timer;
    timer.start();
    std::thread canceller([&cancel] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    const Result<Completion> result = generator.generate(request);
    const qint64 elapsedMs = timer.elapsed();
    canceller.join();

    QVERIFY(!result.isOk());
    QCOMPARE(result.status().code(), StatusCode::Cancelled);
    QVERIFY2(elapsedMs < 1500, qPrintable(QString::number(elapsedMs)));

    // The server is still inside its delay; stopping it must cut the delay short.
    timer.restart();
    server.stop();
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
}

void TestOpenAiChat::cancelBeforeSendSendsNothing()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("POST", kChatPath, LoopbackResponse::json(200, chatResponse("fine", 1, 1)));

    std::atomic<bool> cancel{true};
    GenerationRequest request = sampleRequest();
    request.cancel = &cancel;
    OpenAiChatGenerator generator(endpointFor(server.baseUrl()));
    const Result<Completion> result = generator.generate(request);

    QVERIFY(!result.isOk());
    QCOMPARE(result.status().code(), StatusCode::Cancelled);
    QCOMPARE(server.requests().size(), size_t(0));
}

void TestOpenAiChat::parseCitationMarkers_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxNumber");
    QTest::addColumn<QList<int>>("expected");

    QTest::newRow("empty") << QString() << 5 << QList<int>{};
    QTest::newRow("no markers") << QStringLiteral("Plain answer.") << 5 << QList<int>{};
    QTest::newRow("single") << QStringLiteral("Reset it [1].") << 5 << QList<int>{1};
    QTest::newRow("first appearance order") << QStringLiteral("A [3]. B [1]. C [3].") << 5 << QList<int>{3, 1};
    QTest::newRow("adjacent") << QStringLiteral("Both [2][1].") << 5 << QList<int>{2, 1};
    QTest::newRow("comma list") << QStringLiteral("See [1, 2].") << 5 << QList<int>{1, 2};
    QTest::newRow("comma list without spaces") << QStringLiteral("See [4,2,4].") << 5 << QList<int>{4, 2};
    QTest::newRow("spaces inside") << QStringLiteral("See [ 2 ].") << 5 << QList<int>{2};
    QTest::newRow("zero ignored") << QStringLiteral("See [0] and [1].") << 5 << QList<int>{1};
    QTest::newRow("above max ignored") << QStringLiteral("See [6] and [5].") << 5 << QList<int>{5};
    QTest::newRow("max zero") << QStringLiteral("See [1].") << 0 << QList<int>{};
    QTest::newRow("out of range in list") << QStringLiteral("See [1, 9, 2].") << 3 << QList<int>{1, 2};
    QTest::newRow("two digits") << QStringLiteral("See [12].") << 12 << QList<int>{12};
    QTest::newRow("huge number") << QStringLiteral("See [99999999999999999999].") << 5 << QList<int>{};
    QTest::newRow("negative") << QStringLiteral("See [-1].") << 5 << QList<int>{};
    QTest::newRow("word") << QStringLiteral("See [note] and [a1].") << 5 << QList<int>{};
    QTest::newRow("markdown link") << QStringLiteral("[guide](http://x/1) then [2]") << 5 << QList<int>{2};
    QTest::newRow("trailing comma") << QStringLiteral("See [1,] then [3].") << 5 << QList<int>{3};
    QTest::newRow("unclosed") << QStringLiteral("See [1") << 5 << QList<int>{};
    QTest::newRow("nested bracket") << QStringLiteral("See [[2]].") << 5 << QList<int>{2};
    QTest::newRow("range not expanded") << QStringLiteral("See [1-3].") << 5 << QList<int>{};
}

void TestOpenAiChat::parseCitationMarkers()
{
    QFETCH(QString, text);
    QFETCH(int, maxNumber);
    QFETCH(QList<int>, expected);

    QCOMPARE(toList(llmops::parseCitationMarkers(text.toStdString(), maxNumber)), expected);
}

QTEST_GUILESS_MAIN(TestOpenAiChat)
#include "tst_openai_chat.moc"
