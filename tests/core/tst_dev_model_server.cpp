// SPDX-License-Identifier: MIT
// Runs `llmops dev-model-server` as a child process and calls it through the model clients.
#include "HttpEmbedder.h"
#include "llmops/generator.h"
#include "llmops/settings.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <memory>
#include <string>
#include <vector>

using namespace llmops;

namespace {

// The dev server under test, started with extra options and killed when the object goes away.
class DevServerProcess {
public:
    ~DevServerProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    // Starts the server on an OS-assigned port and reads the port from its first line. Returns
    // false with a message in errorString() when it does not start within 10 s.
    bool start(const QStringList& options)
    {
        m_process.setProgram(QStringLiteral(LLMOPS_CLI_PATH));
        m_process.setArguments(QStringList{QStringLiteral("dev-model-server"), QStringLiteral("--port"),
                                           QStringLiteral("0"), QStringLiteral("--quiet")}
                               + options);
        m_process.start();
        if (!m_process.waitForStarted(10000)) {
            m_error = m_process.errorString();
            return false;
        }

        static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        while (m_process.waitForReadyRead(10000) || m_process.canReadLine()) {
            const QString line = QString::fromUtf8(m_process.readLine());
            const QRegularExpressionMatch match = listening.match(line);
            if (match.hasMatch()) {
                m_port = match.captured(1).toInt();
                return true;
            }
        }
        m_error = QStringLiteral("no \"listening on\" line; standard error: ")
            + QString::fromUtf8(m_process.readAllStandardError());
        return false;
    }

    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    const QString& errorString() const { return m_error; }

private:
    QProcess m_process;
    int m_port = 0;
    QString m_error;
};

ModelEndpoint endpointFor(const std::string& kind, const DevServerProcess& server, bool stream)
{
    ModelEndpoint endpoint;
    endpoint.name = "dev-" + kind;
    endpoint.kind = kind;
    endpoint.baseUrl = server.baseUrl() + (kind == "openai-compatible" ? "/v1" : "");
    endpoint.model = "dev-model";
    endpoint.stream = stream;
    endpoint.timeoutMs = 10000;
    endpoint.maxRetries = 0;
    return endpoint;
}

Result<Completion> generateWith(const ModelEndpoint& endpoint, std::vector<std::string>* tokens)
{
    GenerationRequest request;
    request.query = "How do I rotate an API key?";
    request.context.resize(1);
    request.context[0].chunk.text = "Open Settings, choose Keys and press Rotate.";
    request.context[0].documentTitle = "Keys";
    request.onToken = [tokens](std::string_view text) { tokens->emplace_back(text); };

    Result<std::unique_ptr<Generator>> generator = makeGenerator(endpoint);
    if (!generator.isOk())
        return generator.status();
    return generator.value()->generate(request);
}

void addFormatRows()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("stream");
    QTest::newRow("openai json") << QStringLiteral("openai-compatible") << false;
    QTest::newRow("openai sse") << QStringLiteral("openai-compatible") << true;
    QTest::newRow("anthropic sse") << QStringLiteral("anthropic") << true;
    QTest::newRow("ollama ndjson") << QStringLiteral("ollama") << true;
}

} // namespace

class TestDevModelServer : public QObject {
    Q_OBJECT

private slots:
    void formatAnswers_data() { addFormatRows(); }
    void formatAnswers();
    void rateLimitFault_data() { addFormatRows(); }
    void rateLimitFault();
    void truncateFault_data();
    void truncateFault();
    void faultOutcomes_data();
    void faultOutcomes();
    void delayFaultsStillAnswer_data();
    void delayFaultsStillAnswer();
    void faultRateRepeatsWithSeed();
    void answerWordsOption();
    void nonLoopbackHostRejected();
    void embeddingRoutes_data();
    void embeddingRoutes();
};

void TestDevModelServer::embeddingRoutes_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("basePath");
    QTest::newRow("openai") << QStringLiteral("openai-compatible") << QStringLiteral("/v1");
    QTest::newRow("ollama") << QStringLiteral("ollama") << QString();
}

void TestDevModelServer::embeddingRoutes()
{
    QFETCH(QString, kind);
    QFETCH(QString, basePath);
    DevServerProcess server;
    QVERIFY2(server.start({}), qPrintable(server.errorString()));

    EmbedderSettings settings;
    settings.kind = kind.toStdString();
    settings.baseUrl = server.baseUrl() + basePath.toStdString();
    settings.model = "dev-embed";
    settings.batchSize = 3;
    HttpEmbedder embedder(settings);
    const Result<std::vector<std::vector<float>>> vectors =
        embedder.embed({"rotate an API key", "rotate the API keys", "refund an annual plan", "invoices"});

    // The server embeds like the offline hashing embedder: related texts are close, others far.
    QVERIFY2(vectors.isOk(), vectors.status().toString().c_str());
    QCOMPARE(vectors->size(), std::size_t(4));
    QCOMPARE(embedder.dimension(), 384);
    const auto cosine = [&](std::size_t a, std::size_t b) {
        double sum = 0.0;
        for (std::size_t i = 0; i < vectors.value()[a].size(); ++i)
            sum += double(vectors.value()[a][i]) * vectors.value()[b][i];
        return sum;
    };
    QVERIFY2(cosine(0, 1) > cosine(0, 2) + 0.2, qPrintable(QString::number(cosine(0, 1))));
}

void TestDevModelServer::formatAnswers()
{
    QFETCH(QString, kind);
    QFETCH(bool, stream);
    DevServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--token-delay-ms"), QStringLiteral("0")}), qPrintable(server.errorString()));

    std::vector<std::string> tokens;
    const Result<Completion> completion = generateWith(endpointFor(kind.toStdString(), server, stream), &tokens);

    QVERIFY2(completion.isOk(), completion.status().toString().c_str());
    QVERIFY(completion->text.find("canned answer") != std::string::npos);
    QVERIFY(completion->text.find("[1]") != std::string::npos);
    QCOMPARE(completion->model, std::string("dev-model"));
    QVERIFY(completion->usage.inputTokens > 0);
    QVERIFY(completion->usage.outputTokens > 1);

    std::string joined;
    for (const std::string& token : tokens)
        joined += token;
    QCOMPARE(joined, completion->text);
    if (stream)
        QCOMPARE(static_cast<std::int64_t>(tokens.size()), completion->usage.outputTokens);
}

void TestDevModelServer::rateLimitFault()
{
    QFETCH(QString, kind);
    QFETCH(bool, stream);
    DevServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--fault"), QStringLiteral("rate-limit"), QStringLiteral("--retry-after"),
                           QStringLiteral("7")}),
             qPrintable(server.errorString()));

    std::vector<std::string> tokens;
    const Result<Completion> completion = generateWith(endpointFor(kind.toStdString(), server, stream), &tokens);

    QVERIFY(!completion.isOk());
    QCOMPARE(completion.status().code(), StatusCode::RateLimited);
    QCOMPARE(completion.status().httpStatus(), 429);
    QCOMPARE(completion.status().retryAfterMs(), 7000LL);
    QVERIFY(tokens.empty());
}

void TestDevModelServer::truncateFault_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("finalEvent");
    QTest::newRow("openai sse") << QStringLiteral("openai-compatible") << QStringLiteral("data: [DONE]");
    QTest::newRow("anthropic sse") << QStringLiteral("anthropic") << QStringLiteral("message_stop");
    QTest::newRow("ollama ndjson") << QStringLiteral("ollama") << QStringLiteral("\"done\": true");
}

void TestDevModelServer::truncateFault()
{
    QFETCH(QString, kind);
    QFETCH(QString, finalEvent);
    DevServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--fault"), QStringLiteral("truncate"), QStringLiteral("--token-delay-ms"),
                           QStringLiteral("0")}),
             qPrintable(server.errorString()));

    std::vector<std::string> tokens;
    const Result<Completion> completion = generateWith(endpointFor(kind.toStdString(), server, true), &tokens);

    QVERIFY(!completion.isOk());
    QCOMPARE(completion.status().code(), StatusCode::Upstream);
    const QString message = QString::fromStdString(completion.status().message());
    QVERIFY2(message.contains(QStringLiteral("without")), qPrintable(message));
    QVERIFY2(message.contains(finalEvent), qPrintable(message));
    QVERIFY(!tokens.empty());
}

void TestDevModelServer::faultOutcomes_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("server-error openai") << QStringLiteral("server-error") << QStringLiteral("openai-compatible") << true
                                         << 500 << QStringLiteral("failed on purpose");
    QTest::newRow("overloaded ollama") << QStringLiteral("overloaded") << QStringLiteral("ollama") << true << 529
                                       << QStringLiteral("overloaded");
    QTest::newRow("overloaded anthropic event") << QStringLiteral("overloaded") << QStringLiteral("anthropic") << true
                                                << 529 << QStringLiteral("overloaded_error");
    QTest::newRow("malformed openai sse") << QStringLiteral("malformed") << QStringLiteral("openai-compatible") << true
                                          << 0 << QStringLiteral("not a JSON object");
    QTest::newRow("malformed openai json") << QStringLiteral("malformed") << QStringLiteral("openai-compatible")
                                           << false << 0 << QStringLiteral("not valid JSON");
    QTest::newRow("malformed anthropic") << QStringLiteral("malformed") << QStringLiteral("anthropic") << true << 0
                                         << QStringLiteral("not a JSON object");
    QTest::newRow("malformed ollama") << QStringLiteral("malformed") << QStringLiteral("ollama") << true << 0
                                      << QStringLiteral("not a JSON object");
}

void TestDevModelServer::faultOutcomes()
{
    QFETCH(QString, fault);
    QFETCH(QString, kind);
    QFETCH(bool, stream);
    QFETCH(int, httpStatus);
    QFETCH(QString, messagePart);
    DevServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--fault"), fault, QStringLiteral("--token-delay-ms"), QStringLiteral("0")}),
             qPrintable(server.errorString()));

    std::vector<std::string> tokens;
    const Result<Completion> completion = generateWith(endpointFor(kind.toStdString(), server, stream), &tokens);

    QVERIFY(!completion.isOk());
    QCOMPARE(completion.status().code(), StatusCode::Upstream);
    QCOMPARE(completion.status().httpStatus(), httpStatus);
    const QString message = QString::fromStdString(completion.status().message());
    QVERIFY2(message.contains(messagePart), qPrintable(message));
}

void TestDevModelServer::delayFaultsStillAnswer_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("kind");
    QTest::newRow("slow-first-byte openai") << QStringLiteral("slow-first-byte") << QStringLiteral("openai-compatible");
    QTest::newRow("stall anthropic") << QStringLiteral("stall") << QStringLiteral("anthropic");
    QTest::newRow("stall ollama") << QStringLiteral("stall") << QStringLiteral("ollama");
}

void TestDevModelServer::delayFaultsStillAnswer()
{
    QFETCH(QString, fault);
    QFETCH(QString, kind);
    DevServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--fault"), fault, QStringLiteral("--delay-ms"), QStringLiteral("400"),
                           QStringLiteral("--token-delay-ms"), QStringLiteral("0")}),
             qPrintable(server.errorString()));

    QElapsedTimer timer;
    timer.start();
    std::vector<std::string> tokens;
    const Result<Completion> completion = generateWith(endpointFor(kind.toStdString(), server, true), &tokens);

    QVERIFY2(completion.isOk(), completion.status().toString().c_str());
    QVERIFY(completion->text.find("[1]") != std::string::npos);
    QVERIFY2(timer.elapsed() >= 400, qPrintable(QString::number(timer.elapsed())));
}

void TestDevModelServer::faultRateRepeatsWithSeed()
{
    // The same seed must pick the same requests, so two servers give the same pattern.
    QString patterns[2];
    for (QString& pattern : patterns) {
        DevServerProcess server;
        QVERIFY2(server.start({QStringLiteral("--fault"), QStringLiteral("server-error"), QStringLiteral("--fault-rate"),
                               QStringLiteral("0.5"), QStringLiteral("--seed"), QStringLiteral("3"),
                               QStringLiteral("--token-delay-ms"), QStringLiteral("0")}),
                 qPrintable(server.errorString()));
        for (int i = 0; i < 12; ++i) {
            std::vector<std::string> tokens;
            const Result<Completion> completion = generateWith(endpointFor("ollama", server, true), &tokens);
            pattern += completion.isOk() ? QLatin1Char('.') : QLatin1Char('x');
        }
    }

    QCOMPARE(patterns[0], patterns[1]);
    QVERIFY2(patterns[0].contains(QLatin1Char('.')), qPrintable(patterns[0]));
    QVERIFY2(patterns[0].contains(QLatin1Char('x')), qPrintable(patterns[0]));
}

void TestDevModelServer::answerWordsOption()
{
    DevServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--token-delay-ms"), QStringLiteral("0"), QStringLiteral("--answer-words"),
                           QStringLiteral("500")}),
             qPrintable(server.errorString()));

    std::vector<std::string> tokens;
    const Result<Completion> completion = generateWith(endpointFor("ollama", server, true), &tokens);

    QVERIFY2(completion.isOk(), completion.status().toString().c_str());
    QCOMPARE(tokens.size(), std::size_t(500));
    QCOMPARE(completion->usage.outputTokens, std::int64_t(500));
    QVERIFY(completion->text.find("[1]") != std::string::npos);
}

void TestDevModelServer::nonLoopbackHostRejected()
{
    QProcess process;
    process.start(QStringLiteral(LLMOPS_CLI_PATH),
                  {QStringLiteral("dev-model-server"), QStringLiteral("--host"), QStringLiteral("0.0.0.0")});
    QVERIFY(process.waitForFinished(10000));

    QCOMPARE(process.exitCode(), 2);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(error.contains(QStringLiteral("127.0.0.1 only")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestDevModelServer)
#include "tst_dev_model_server.moc"
