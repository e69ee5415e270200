// SPDX-License-Identifier: MIT
#include "llmops/generator.h"
#include "llmops/settings.h"

#include "LoopbackHttpServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <string>
#include <vector>

using namespace llmops;
using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;
using llmops::test::RecordedRequest;

namespace {

const char* const kKeyVariable = "LLMOPS_TEST_PROVIDER_KEY";
const char* const kKeyValue = "sk-provider-test-8d1f-do-not-print";

// The answer every recorded stream spells out, in these deltas. The third one has two- and
// three-byte UTF-8 characters.
const std::vector<std::string> kDeltas = {"Hold the reset ", "button [1]. ", "Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC", " [2]"};

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

std::string fullText()
{
    std::string text;
    for (const std::string& delta : kDeltas)
        text += delta;
    return text;
}

std::string compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

QJsonObject parseObject(const std::string& text)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

std::string sse(const std::string& data, const std::string& event = {})
{
    return (event.empty() ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
}

// One SSE event or NDJSON line per entry, so a test can drop or break the last ones.
std::vector<std::string> openAiEvents()
{
    auto chunk = [](const QJsonObject& delta, const QJsonValue& finishReason) {
        const QJsonObject choice{{QStringLiteral("index"), 0},
                                 {QStringLiteral("delta"), delta},
                                 {QStringLiteral("finish_reason"), finishReason}};
        return sse(compact({{QStringLiteral("id"), QStringLiteral("chatcmpl-7")},
                            {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                            {QStringLiteral("model"), QStringLiteral("gpt-test-2025")},
                            {QStringLiteral("choices"), QJsonArray{choice}},
                            {QStringLiteral("usage"), QJsonValue::Null}}));
    };

    std::vector<std::string> events;
    events.push_back(chunk({{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), QString()}},
                           QJsonValue::Null));
    for (const std::string& delta : kDeltas)
        events.push_back(chunk({{QStringLiteral("content"), qs(delta)}}, QJsonValue::Null));
    events.push_back(chunk({}, QStringLiteral("stop")));

    const QJsonObject usage{{QStringLiteral("prompt_tokens"), 1200},
                            {QStringLiteral("completion_tokens"), 40},
                            {QStringLiteral("total_tokens"), 1240},
                            {QStringLiteral("prompt_tokens_details"), QJsonObject{{QStringLiteral("cached_tokens"), 1024}}},
                            {QStringLiteral("completion_tokens_details"),
                             QJsonObject{{QStringLiteral("reasoning_tokens"), 12}}}};
    events.push_back(sse(compact({{QStringLiteral("id"), QStringLiteral("chatcmpl-7")},
                                  {QStringLiteral("model"), QStringLiteral("gpt-test-2025")},
                                  {QStringLiteral("choices"), QJsonArray{}},
                                  {QStringLiteral("usage"), usage}})));
    events.push_back(sse("[DONE]"));
    return events;
}

std::string anthropicDelta(const std::string& text)
{
    const QJsonObject delta{{QStringLiteral("type"), QStringLiteral("text_delta")}, {QStringLiteral("text"), qs(text)}};
    return sse(compact({{QStringLiteral("type"), QStringLiteral("content_block_delta")},
                        {QStringLiteral("index"), 0},
                        {QStringLiteral("delta"), delta}}),
               "content_block_delta");
}

std::vector<std::string> anthropicEvents()
{
    std::vector<std::string> events;
    events.push_back(sse(R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",)"
                         R"("model":"claude-test-1","content":[],"stop_reason":null,"usage":{"input_tokens":30,)"
                         R"("cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"output_tokens":1}}})",
                         "message_start"));
    events.push_back(sse(R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})",
                         "content_block_start"));
    events.push_back(sse(R"({"type": "ping"})", "ping"));
    for (const std::string& delta : kDeltas)
        events.push_back(anthropicDelta(delta));
    events.push_back(sse(R"({"type":"content_block_stop","index":0})", "content_block_stop"));
    events.push_back(sse(R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},)"
                         R"("usage":{"output_tokens":45}})",
                         "message_delta"));
    events.push_back(sse(R"({"type":"message_stop"})", "message_stop"));
    return events;
}

std::vector<std::string> ollamaLines()
{
    std::vector<std::string> lines;
    for (const std::string& delta : kDeltas) {
        const QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), qs(delta)}};
        lines.push_back(compact({{QStringLiteral("model"), QStringLiteral("llama-test")},
                                 {QStringLiteral("created_at"), QStringLiteral("2025-01-01T00:00:00Z")},
                                 {QStringLiteral("message"), message},
                                 {QStringLiteral("done"), false}})
                        + "\n");
    }
    lines.push_back(R"({"model":"llama-test","created_at":"2025-01-01T00:00:01Z","message":{"role":"assistant",)"
                    R"("content":""},"done":true,"done_reason":"stop","total_duration":5191566416,)"
                    R"("load_duration":2154458,"prompt_eval_count":26,"prompt_eval_duration":383809000,)"
                    R"("eval_count":290,"eval_duration":4799921000})"
                    "\n");
    return lines;
}

std::vector<std::string> recordedEvents(const QString& kind)
{
    if (kind == QLatin1String("anthropic"))
        return anthropicEvents();
    if (kind == QLatin1String("ollama"))
        return ollamaLines();
    return openAiEvents();
}

std::string joined(const std::vector<std::string>& events)
{
    std::string body;
    for (const std::string& event : events)
        body += event;
    return body;
}

std::string chatPath(const QString& kind)
{
    if (kind == QLatin1String("anthropic"))
        return "/v1/messages";
    if (kind == QLatin1String("ollama"))
        return "/api/chat";
    return "/v1/chat/completions";
}

ModelEndpoint endpointFor(const QString& kind, const LoopbackHttpServer& server)
{
    ModelEndpoint endpoint;
    endpoint.name = "test-" + kind.toStdString();
    endpoint.kind = kind.toStdString();
    endpoint.baseUrl = kind == QLatin1String("openai-compatible") ? server.baseUrl() + "/v1" : server.baseUrl();
    endpoint.model = "test-model";
    endpoint.apiKeyEnv = kind == QLatin1String("ollama") ? "" : kKeyVariable;
    endpoint.timeoutMs = 10000;
    return endpoint;
}

LoopbackResponse streamed(const QString& kind, std::string body)
{
    LoopbackResponse response;
    const char* type = kind == QLatin1String("ollama") ? "application/x-ndjson" : "text/event-stream";
    response.headers = {{"Content-Type", type}};
    response.body = std::move(body);
    return response;
}

// Splits body into pieces of pieceSize bytes, to be sent one after another.
std::vector<std::string> piecesOf(const std::string& body, size_t pieceSize)
{
    std::vector<std::string> pieces;
    for (size_t start = 0; start < body.size(); start += pieceSize)
        pieces.push_back(body.substr(start, pieceSize));
    return pieces;
}

GenerationRequest sampleRequest(std::vector<std::string>* tokens)
{
    GenerationRequest request;
    request.query = "How do I reset the router?";
    request.systemPrompt = "You are the router support assistant.";
    request.context.resize(2);
    request.context[0].chunk.text = "Hold the reset button for ten seconds.";
    request.context[0].documentTitle = "Router Guide";
    request.context[1].chunk.text = "The lights blink amber while the router restarts.";
    request.context[1].documentTitle = "FAQ";
    if (tokens != nullptr)
        request.onToken = [tokens](std::string_view text) { tokens->emplace_back(text); };
    return request;
}

Result<Completion> generateWith(const ModelEndpoint& endpoint, const GenerationRequest& request)
{
    Result<std::unique_ptr<Generator>> generator = makeGenerator(endpoint);
    if (!generator.isOk())
        return generator.status();
    return generator.value()->generate(request);
}

Result<Completion> runAgainst(const QString& kind, const LoopbackResponse& response, std::vector<std::string>* tokens)
{
    LoopbackHttpServer server;
    if (!server.start())
        return Status::internal("loopback server did not start: " + server.errorString());
    server.route("POST", chatPath(kind), response);
    return generateWith(endpointFor(kind, server), sampleRequest(tokens));
}

void addKindRows()
{
    QTest::addColumn<QString>("kind");
    for (const char* kind : {"openai-compatible", "anthropic", "ollama"})
        QTest::newRow(kind) << QString::fromLatin1(kind);
}

// The final event each stream format needs, as error messages name it.
QString finalEventName(const QString& kind)
{
    if (kind == QLatin1String("anthropic"))
        return QStringLiteral("message_stop");
    if (kind == QLatin1String("ollama"))
        return QStringLiteral("\"done\": true");
    return QStringLiteral("[DONE]");
}

} // namespace

class TestProviders : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void happyPath_data();
    void happyPath();
    void requestWireFormat_data();
    void requestWireFormat();
    void oneBytePieces_data();
    void oneBytePieces();
    void crlfLineEnds_data();
    void crlfLineEnds();
    void truncatedStream_data();
    void truncatedStream();
    void connectionDroppedMidStream_data();
    void connectionDroppedMidStream();
    void malformedJsonLine_data();
    void malformedJsonLine();
    void anthropicErrorEvent_data();
    void anthropicErrorEvent();
    void anthropicHttpErrorBody();
    void ollamaErrorLine();
    void ollamaLastLineWithoutNewline();
    void openAiServerIgnoringStreamFlag();
    void openAiNonStreamingRequest();
    void settingsForNewKinds();
};

void TestProviders::initTestCase()
{
    // Requests must reach the loopback server directly, whatever proxy the environment names.
    for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        qunsetenv(name);
    qputenv("no_proxy", "*");
    qputenv("NO_PROXY", "*");
    qputenv(kKeyVariable, kKeyValue);
}

void TestProviders::happyPath_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<qint64>("input");
    QTest::addColumn<qint64>("output");
    QTest::addColumn<qint64>("cachedInput");
    QTest::addColumn<qint64>("cacheWrite");
    QTest::addColumn<qint64>("reasoning");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("finishReason");
    QTest::addColumn<double>("durationMs");
    QTest::addColumn<double>("generationMs");

    // OpenAI counts cached tokens inside prompt_tokens; Anthropic reports 30 uncached, 200
    // written and 1000 read from the cache as separate buckets, which add up to 1230.
    QTest::newRow("openai-compatible") << QStringLiteral("openai-compatible") << qint64(1200) << qint64(40)
                                       << qint64(1024) << qint64(0) << qint64(12) << QStringLiteral("gpt-test-2025")
                                       << QStringLiteral("stop") << 0.0 << 0.0;
    QTest::newRow("anthropic") << QStringLiteral("anthropic") << qint64(1230) << qint64(45) << qint64(1000)
                               << qint64(200) << qint64(0) << QStringLiteral("claude-test-1")
                               << QStringLiteral("end_turn") << 0.0 << 0.0;
    QTest::newRow("ollama") << QStringLiteral("ollama") << qint64(26) << qint64(290) << qint64(0) << qint64(0)
                            << qint64(0) << QStringLiteral("llama-test") << QStringLiteral("stop") << 5191.566416
                            << 4799.921;
}

void TestProviders::happyPath()
{
    QFETCH(QString, kind);
    QFETCH(qint64, input);
    QFETCH(qint64, output);
    QFETCH(qint64, cachedInput);
    QFETCH(qint64, cacheWrite);
    QFETCH(qint64, reasoning);
    QFETCH(QString, model);
    QFETCH(QString, finishReason);
    QFETCH(double, durationMs);
    QFETCH(double, generationMs);

    std::vector<std::string> tokens;
    const Result<Completion> result = runAgainst(kind, streamed(kind, joined(recordedEvents(kind))), &tokens);

    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(qs(result->text), qs(fullText()));
    QCOMPARE(result->usage.inputTokens, input);
    QCOMPARE(result->usage.outputTokens, output);
    QCOMPARE(result->usage.cachedInputTokens, cachedInput);
    QCOMPARE(result->usage.cacheWriteTokens, cacheWrite);
    QCOMPARE(result->usage.reasoningTokens, reasoning);
    QCOMPARE(qs(result->model), model);
    QCOMPARE(qs(result->finishReason), finishReason);
    QCOMPARE(result->providerDurationMs, durationMs);
    QCOMPARE(result->providerGenerationMs, generationMs);
    QCOMPARE(QList<int>(result->citedContext.begin(), result->citedContext.end()), (QList<int>{1, 2}));

    // onToken receives each delta once, in order, and nothing else.
    QCOMPARE(tokens.size(), kDeltas.size());
    for (size_t i = 0; i < kDeltas.size(); ++i)
        QCOMPARE(qs(tokens[i]), qs(kDeltas[i]));
}

void TestProviders::requestWireFormat_data()
{
    addKindRows();
}

void TestProviders::requestWireFormat()
{
    QFETCH(QString, kind);
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("POST", chatPath(kind), streamed(kind, joined(recordedEvents(kind))));

    const Result<Completion> result = generateWith(endpointFor(kind, server), sampleRequest(nullptr));
    QVERIFY2(result.isOk(), result.status().toString().c_str());

    QCOMPARE(server.requests().size(), size_t(1));
    const RecordedRequest request = server.requests().front();
    const QJsonObject body = parseObject(request.body);
    QCOMPARE(qs(request.path), qs(chatPath(kind)));
    QCOMPARE(body.value(QStringLiteral("model")).toString(), QStringLiteral("test-model"));
    QCOMPARE(body.value(QStringLiteral("stream")).toBool(false), true);
    const QJsonArray messages = body.value(QStringLiteral("messages")).toArray();
    const QString userPrompt = messages.last().toObject().value(QStringLiteral("content")).toString();
    QVERIFY2(userPrompt.contains(QStringLiteral("[2] (FAQ)")), qPrintable(userPrompt));

    if (kind == QLatin1String("anthropic")) {
        QCOMPARE(qs(request.header("x-api-key")), QString::fromLatin1(kKeyValue));
        QCOMPARE(qs(request.header("anthropic-version")), QStringLiteral("2023-06-01"));
        QVERIFY(!request.hasHeader("Authorization"));
        QCOMPARE(body.value(QStringLiteral("system")).toString(), QStringLiteral("You are the router support assistant."));
        QCOMPARE(body.value(QStringLiteral("max_tokens")).toInt(), 1024);
        QCOMPARE(messages.size(), 1);
    } else {
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.first().toObject().value(QStringLiteral("role")).toString(), QStringLiteral("system"));
    }
    if (kind == QLatin1String("openai-compatible")) {
        QCOMPARE(qs(request.header("Authorization")), QStringLiteral("Bearer ") + QString::fromLatin1(kKeyValue));
        const QJsonObject options = body.value(QStringLiteral("stream_options")).toObject();
        QCOMPARE(options.value(QStringLiteral("include_usage")).toBool(false), true);
    }
    if (kind == QLatin1String("ollama"))
        QVERIFY(!request.hasHeader("Authorization"));
}

void TestProviders::oneBytePieces_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("chunked");
    for (const char* kind : {"openai-compatible", "anthropic", "ollama"}) {
        QTest::addRow("%s chunked", kind) << QString::fromLatin1(kind) << true;
        QTest::addRow("%s close-delimited", kind) << QString::fromLatin1(kind) << false;
    }
}

void TestProviders::oneBytePieces()
{
    QFETCH(QString, kind);
    QFETCH(bool, chunked);
    LoopbackResponse response = streamed(kind, {});
    response.pieces = piecesOf(joined(recordedEvents(kind)), 1);
    response.chunked = chunked;

    std::vector<std::string> tokens;
    const Result<Completion> result = runAgainst(kind, response, &tokens);

    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(qs(result->text), qs(fullText()));
    QVERIFY(result->usage.inputTokens > 0);
    QVERIFY(result->usage.outputTokens > 0);
    std::string concatenated;
    for (const std::string& token : tokens)
        concatenated += token;
    QCOMPARE(qs(concatenated), qs(result->text));
}

void TestProviders::crlfLineEnds_data()
{
    addKindRows();
}

void TestProviders::crlfLineEnds()
{
    QFETCH(QString, kind);
    std::string body;
    for (char c : joined(recordedEvents(kind)))
        body += c == '\n' ? std::string("\r\n") : std::string(1, c);

    // Pieces of 5 bytes put some cuts between CR and LF.
    LoopbackResponse response = streamed(kind, {});
    response.pieces = piecesOf(body, 5);
    const Result<Completion> result = runAgainst(kind, response, nullptr);

    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(qs(result->text), qs(fullText()));
    QVERIFY(result->usage.outputTokens > 0);
}

void TestProviders::truncatedStream_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("cutInsideEvent");
    for (const char* kind : {"openai-compatible", "anthropic", "ollama"}) {
        QTest::addRow("%s without final event", kind) << QString::fromLatin1(kind) << false;
        QTest::addRow("%s cut inside final event", kind) << QString::fromLatin1(kind) << true;
    }
}

void TestProviders::truncatedStream()
{
    QFETCH(QString, kind);
    QFETCH(bool, cutInsideEvent);
    std::vector<std::string> events = recordedEvents(kind);
    const std::string last = events.back();
    events.pop_back();
    std::string body = joined(events);
    if (cutInsideEvent)
        body += last.substr(0, last.size() / 2);

    std::vector<std::string> tokens;
    const Result<Completion> result = runAgainst(kind, streamed(kind, body), &tokens);

    QVERIFY(!result.isOk());
    const QString message = qs(result.status().message());
    QCOMPARE(result.status().code(), StatusCode::Upstream);
    QVERIFY2(message.contains(QStringLiteral("test-") + kind), qPrintable(message));
    QVERIFY2(message.contains(finalEventName(kind)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("after 4 text deltas")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Hold the reset button [1].")), qPrintable(message));
    QCOMPARE(tokens.size(), kDeltas.size());
}

void TestProviders::connectionDroppedMidStream_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("finalEventSent");
    for (const char* kind : {"openai-compatible", "anthropic", "ollama"}) {
        QTest::addRow("%s before final event", kind) << QString::fromLatin1(kind) << false;
        QTest::addRow("%s after final event", kind) << QString::fromLatin1(kind) << true;
    }
}

void TestProviders::connectionDroppedMidStream()
{
    QFETCH(QString, kind);
    QFETCH(bool, finalEventSent);
    std::vector<std::string> events = recordedEvents(kind);
    if (!finalEventSent)
        events.pop_back();

    // The server closes the socket without the last chunk, so the HTTP transfer itself fails.
    LoopbackResponse response = streamed(kind, {});
    response.pieces = events;
    response.closeMidBody = true;
    const Result<Completion> result = runAgainst(kind, response, nullptr);

    if (finalEventSent) {
        QVERIFY2(result.isOk(), result.status().toString().c_str());
        QCOMPARE(qs(result->text), qs(fullText()));
        QCOMPARE(QList<int>(result->citedContext.begin(), result->citedContext.end()), (QList<int>{1, 2}));
        return;
    }
    QVERIFY(!result.isOk());
    const QString message = qs(result.status().message());
    QCOMPARE(result.status().code(), StatusCode::Upstream);
    QVERIFY2(message.contains(finalEventName(kind)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("after 4 text deltas")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Hold the reset button [1].")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("failed: ")), qPrintable(message));  // the transport error
}

void TestProviders::malformedJsonLine_data()
{
    addKindRows();
}

void TestProviders::malformedJsonLine()
{
    QFETCH(QString, kind);
    std::vector<std::string> events = recordedEvents(kind);
    const std::string broken = kind == QLatin1String("ollama") ? std::string("{\"message\": {\"content\": \"x\"\n")
                                                                 : sse("{\"choices\": [ {\"delta\": ", "content_block_delta");
    events.insert(events.begin() + 2, broken);

    const Result<Completion> result = runAgainst(kind, streamed(kind, joined(events)), nullptr);

    QVERIFY(!result.isOk());
    const QString message = qs(result.status().message());
    QCOMPARE(result.status().code(), StatusCode::Upstream);
    QVERIFY2(message.contains(QStringLiteral("not a JSON object")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("test-") + kind), qPrintable(message));
}

void TestProviders::anthropicErrorEvent_data()
{
    QTest::addColumn<QString>("errorType");
    QTest::addColumn<QString>("errorMessage");
    QTest::addColumn<int>("code");
    QTest::newRow("overloaded") << QStringLiteral("overloaded_error") << QStringLiteral("Overloaded")
                                << int(StatusCode::Upstream);
    QTest::newRow("rate limited") << QStringLiteral("rate_limit_error") << QStringLiteral("Too many tokens")
                                  << int(StatusCode::RateLimited);
}

void TestProviders::anthropicErrorEvent()
{
    QFETCH(QString, errorType);
    QFETCH(QString, errorMessage);
    QFETCH(int, code);
    std::vector<std::string> events = anthropicEvents();
    const QJsonObject error{{QStringLiteral("type"), errorType}, {QStringLiteral("message"), errorMessage}};
    const std::string errorEvent =
        sse(compact({{QStringLiteral("type"), QStringLiteral("error")}, {QStringLiteral("error"), error}}), "error");
    events.insert(events.begin() + 5, errorEvent);  // after message_start, block start, ping and 2 deltas

    std::vector<std::string> tokens;
    const Result<Completion> result = runAgainst(QStringLiteral("anthropic"), streamed(QStringLiteral("anthropic"), joined(events)), &tokens);

    QVERIFY(!result.isOk());
    const QString message = qs(result.status().message());
    QCOMPARE(int(result.status().code()), code);
    QVERIFY2(message.contains(errorType), qPrintable(message));
    QVERIFY2(message.contains(errorMessage), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("after 2 text deltas")), qPrintable(message));
    QCOMPARE(tokens.size(), size_t(2));
}

void TestProviders::anthropicHttpErrorBody()
{
    const LoopbackResponse response = LoopbackResponse::json(
        529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");

    const Result<Completion> result = runAgainst(QStringLiteral("anthropic"), response, nullptr);

    QVERIFY(!result.isOk());
    const QString message = qs(result.status().message());
    QCOMPARE(result.status().code(), StatusCode::Upstream);
    QVERIFY2(message.contains(QStringLiteral("HTTP 529")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("overloaded_error: Overloaded")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("/v1/messages")), qPrintable(message));
}

void TestProviders::ollamaErrorLine()
{
    std::vector<std::string> lines = ollamaLines();
    lines.insert(lines.begin() + 1, "{\"error\":\"model runner has unexpectedly stopped\"}\n");

    const Result<Completion> result = runAgainst(QStringLiteral("ollama"), streamed(QStringLiteral("ollama"), joined(lines)), nullptr);

    QVERIFY(!result.isOk());
    const QString message = qs(result.status().message());
    QCOMPARE(result.status().code(), StatusCode::Upstream);
    QVERIFY2(message.contains(QStringLiteral("model runner has unexpectedly stopped")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("after 1 text deltas")), qPrintable(message));
}

void TestProviders::ollamaLastLineWithoutNewline()
{
    std::string body = joined(ollamaLines());
    body.pop_back();

    const Result<Completion> result = runAgainst(QStringLiteral("ollama"), streamed(QStringLiteral("ollama"), body), nullptr);

    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(qs(result->text), qs(fullText()));
    QCOMPARE(result->usage.outputTokens, std::int64_t{290});
}

void TestProviders::openAiServerIgnoringStreamFlag()
{
    const QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), qs(fullText())}};
    const QJsonObject choice{{QStringLiteral("index"), 0},
                             {QStringLiteral("message"), message},
                             {QStringLiteral("finish_reason"), QStringLiteral("length")}};
    const QJsonObject usage{{QStringLiteral("prompt_tokens"), 90},
                            {QStringLiteral("completion_tokens"), 9},
                            {QStringLiteral("prompt_tokens_details"), QJsonObject{{QStringLiteral("cached_tokens"), 64}}}};
    const std::string document = compact({{QStringLiteral("choices"), QJsonArray{choice}}, {QStringLiteral("usage"), usage}});

    std::vector<std::string> tokens;
    const Result<Completion> result = runAgainst(QStringLiteral("openai-compatible"), LoopbackResponse::json(200, "\n " + document), &tokens);

    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(qs(result->text), qs(fullText()));
    QCOMPARE(qs(result->finishReason), QStringLiteral("length"));
    QCOMPARE(result->usage.inputTokens, std::int64_t{90});
    QCOMPARE(result->usage.cachedInputTokens, std::int64_t{64});
    QCOMPARE(tokens.size(), size_t(1));
    QCOMPARE(qs(tokens.front()), qs(fullText()));
}

void TestProviders::openAiNonStreamingRequest()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("POST", chatPath(QStringLiteral("openai-compatible")),
                 LoopbackResponse::json(200, R"({"choices":[{"message":{"content":"ok"}}]})"));
    ModelEndpoint endpoint = endpointFor(QStringLiteral("openai-compatible"), server);
    endpoint.stream = false;

    const Result<Completion> result = generateWith(endpoint, sampleRequest(nullptr));

    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(qs(result->text), QStringLiteral("ok"));
    const QJsonObject body = parseObject(server.requests().front().body);
    QCOMPARE(body.value(QStringLiteral("stream")).toBool(true), false);
    QVERIFY(!body.contains(QStringLiteral("stream_options")));
}

void TestProviders::settingsForNewKinds()
{
    PipelineSettings settings = PipelineSettings::defaults();
    ModelEndpoint anthropic{"claude", "anthropic", "https://api.anthropic.example", "claude-x", "KEY", 30000, 3.0, 15.0};
    anthropic.maxOutputTokens = 2048;
    ModelEndpoint ollama{"local-llama", "ollama", "http://127.0.0.1:11434", "llama3.2", "", 30000, 0.0, 0.0};
    ModelEndpoint openAi{"gpt", "openai-compatible", "http://127.0.0.1:8080/v1", "gpt-x", "", 30000, 0.0, 0.0};
    openAi.stream = false;
    settings.models.insert(settings.models.end(), {anthropic, ollama, openAi});
    QVERIFY2(validateSettings(settings).isOk(), validateSettings(settings).toString().c_str());

    const Result<PipelineSettings> parsed = settingsFromJson(settingsToJson(settings));
    QVERIFY2(parsed.isOk(), parsed.status().toString().c_str());
    QCOMPARE(parsed->models.size(), settings.models.size());
    const std::vector<ModelEndpoint>& models = parsed->models;
    QCOMPARE(models[models.size() - 3].maxOutputTokens, 2048);
    QCOMPARE(qs(models[models.size() - 2].kind), QStringLiteral("ollama"));
    QCOMPARE(models[models.size() - 1].stream, false);
    QCOMPARE(models[models.size() - 2].stream, true);
    for (const ModelEndpoint& model : models)
        QVERIFY2(makeGenerator(model).isOk(), model.kind.c_str());

    settings.models[settings.models.size() - 3].maxOutputTokens = 0;
    QCOMPARE(validateSettings(settings).code(), StatusCode::InvalidArgument);
    settings.models[settings.models.size() - 3].maxOutputTokens = 1;
    settings.models.back().kind = "bedrock";
    const Status unknown = validateSettings(settings);
    QCOMPARE(unknown.code(), StatusCode::InvalidArgument);
    QVERIFY2(qs(unknown.message()).contains(QStringLiteral("ollama")), unknown.message().c_str());
    QVERIFY(!makeGenerator(settings.models.back()).isOk());
}

QTEST_GUILESS_MAIN(TestProviders)
#include "tst_providers.moc"
