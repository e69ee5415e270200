// SPDX-License-Identifier: MIT
#include "HttpClient.h"

#include "LoopbackHttpServer.h"

#include <QElapsedTimer>
#include <QTest>

using namespace llmops;
using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;
using llmops::test::RecordedRequest;

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

LoopbackResponse eventStream(bool chunked)
{
    LoopbackResponse response;
    response.headers = {{"Content-Type", "text/event-stream"}};
    response.pieces = {"data: one\n\n", "data: two\n\n", "data: [DONE]\n\n"};
    response.pieceDelay = std::chrono::milliseconds(30);
    response.chunked = chunked;
    return response;
}

} // namespace

class TestHttpClient : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void postSendsHeadersAndBody();
    void responseHeadersCollected();
    void streamedBodyDelivered_data();
    void streamedBodyDelivered();
    void handlerStopIsCancelled();
    void errorBodyCollectedDespiteHandler();
    void unsupportedSchemeRejected();
    void redactUrl_data();
    void redactUrl();
};

void TestHttpClient::initTestCase()
{
    // Requests must reach the loopback server directly, whatever proxy the environment names.
    for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        qunsetenv(name);
    qputenv("no_proxy", "*");
    qputenv("NO_PROXY", "*");
}

void TestHttpClient::postSendsHeadersAndBody()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("PUT", "/items/7", LoopbackResponse::json(201, R"({"stored":true})"));

    HttpRequest request;
    request.method = "PUT";
    request.url = server.baseUrl() + "/items/7?version=2";
    request.headers = {{"X-Trace", "abc"}, {"Content-Type", "text/plain"}};
    request.body = std::string(100000, 'b');
    const Result<HttpResponse> response = sendHttp(request);

    QVERIFY2(response.isOk(), response.status().toString().c_str());
    QCOMPARE(response->status, 201L);
    QCOMPARE(qs(response->body), QStringLiteral(R"({"stored":true})"));
    QCOMPARE(server.requests().size(), size_t(1));
    const RecordedRequest recorded = server.requests().front();
    QCOMPARE(qs(recorded.method), QStringLiteral("PUT"));
    QCOMPARE(qs(recorded.target), QStringLiteral("/items/7?version=2"));
    QCOMPARE(qs(recorded.header("x-trace")), QStringLiteral("abc"));
    QCOMPARE(recorded.body.size(), size_t(100000));
    QVERIFY(!recorded.hasHeader("Expect"));
}

void TestHttpClient::responseHeadersCollected()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    LoopbackResponse reply = LoopbackResponse::json(200, "{}");
    reply.headers.emplace_back("X-Request-Id", "req-42");
    server.route("GET", "/status", reply);

    HttpRequest request;
    request.url = server.baseUrl() + "/status";
    const Result<HttpResponse> response = sendHttp(request);

    QVERIFY2(response.isOk(), response.status().toString().c_str());
    QCOMPARE(qs(response->header("x-request-id")), QStringLiteral("req-42"));
    QCOMPARE(qs(response->header("Content-Type")), QStringLiteral("application/json"));
    QCOMPARE(qs(response->header("X-Missing")), QString());
}

void TestHttpClient::streamedBodyDelivered_data()
{
    QTest::addColumn<bool>("chunked");
    QTest::newRow("chunked framing") << true;
    QTest::newRow("connection close framing") << false;
}

void TestHttpClient::streamedBodyDelivered()
{
    QFETCH(bool, chunked);
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("POST", "/events", eventStream(chunked));

    std::string received;
    int calls = 0;
    HttpRequest request;
    request.method = "POST";
    request.url = server.baseUrl() + "/events";
    request.onData = [&](std::string_view data) {
        received.append(data);
        ++calls;
        return true;
    };
    const Result<HttpResponse> response = sendHttp(request);

    QVERIFY2(response.isOk(), response.status().toString().c_str());
    QCOMPARE(response->status, 200L);
    QCOMPARE(qs(received), QStringLiteral("data: one\n\ndata: two\n\ndata: [DONE]\n\n"));
    QVERIFY(response->body.empty());
    // The pauses between pieces make libcurl deliver them in separate calls.
    QVERIFY2(calls >= 3, qPrintable(QString::number(calls)));
}

void TestHttpClient::handlerStopIsCancelled()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    LoopbackResponse stream = eventStream(true);
    stream.pieceDelay = std::chrono::milliseconds(2000);
    server.route("GET", "/events", stream);

    HttpRequest request;
    request.url = server.baseUrl() + "/events";
    request.onData = [](std::string_view) { return false; };
    QElapsedTimer timer;
    timer.start();
    const Result<HttpResponse> response = sendHttp(request);

    QVERIFY(!response.isOk());
    QCOMPARE(response.status().code(), StatusCode::Cancelled);
    QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
}

void TestHttpClient::errorBodyCollectedDespiteHandler()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("GET", "/events", LoopbackResponse::json(503, R"({"error":{"message":"warming up"}})"));

    bool handlerCalled = false;
    HttpRequest request;
    request.url = server.baseUrl() + "/events";
    request.onData = [&handlerCalled](std::string_view) {
        handlerCalled = true;
        return true;
    };
    const Result<HttpResponse> response = sendHttp(request);

    QVERIFY2(response.isOk(), response.status().toString().c_str());
    QCOMPARE(response->status, 503L);
    QVERIFY(qs(response->body).contains(QStringLiteral("warming up")));
    QVERIFY(!handlerCalled);
}

void TestHttpClient::unsupportedSchemeRejected()
{
    HttpRequest request;
    request.url = "file:///etc/hostname";
    const Result<HttpResponse> response = sendHttp(request);

    QVERIFY(!response.isOk());
    QCOMPARE(response.status().code(), StatusCode::InvalidArgument);
    QVERIFY2(qs(response.status().message()).contains(QStringLiteral("file:///etc/hostname")),
             response.status().message().c_str());
}

void TestHttpClient::redactUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << QStringLiteral("http://127.0.0.1:8080/v1") << QStringLiteral("http://127.0.0.1:8080/v1");
    QTest::newRow("query") << QStringLiteral("https://host/v1/chat?key=secret") << QStringLiteral("https://host/v1/chat");
    QTest::newRow("fragment") << QStringLiteral("https://host/v1#part") << QStringLiteral("https://host/v1");
    QTest::newRow("user info") << QStringLiteral("https://user:pass@host/v1") << QStringLiteral("https://host/v1");
    QTest::newRow("user info without path") << QStringLiteral("https://user:pass@host") << QStringLiteral("https://host");
    QTest::newRow("at sign in path kept") << QStringLiteral("https://host/v1/@me") << QStringLiteral("https://host/v1/@me");
}

void TestHttpClient::redactUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);

    QCOMPARE(qs(llmops::redactUrl(url.toStdString())), expected);
}

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_http_client.moc"
