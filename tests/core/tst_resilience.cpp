// SPDX-License-Identifier: MIT
// Retries, fallbacks and cooldowns of the generator stage against a loopback model server.
#include <QtTest>

#include <atomic>
#include <random>

#include "LoopbackHttpServer.h"
#include "ModelCalls.h"
#include "TestWorkspace.h"
#include "llmops/engine.h"

using namespace llmops;
using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;
using llmops::test::RecordedRequest;

namespace {

const char* kAnswer = R"({"id":"c1","model":"m","choices":[{"index":0,"message":{"role":"assistant",
    "content":"Refunds reach your card within 5 business days [1]."},"finish_reason":"stop"}],
    "usage":{"prompt_tokens":100,"completion_tokens":10}})";

ModelEndpoint remote(const std::string& name, const std::string& baseUrl, int maxRetries)
{
    ModelEndpoint endpoint;
    endpoint.name = name;
    endpoint.kind = "openai-compatible";
    endpoint.baseUrl = baseUrl;
    endpoint.model = "test-model";
    endpoint.timeoutMs = 3000;
    endpoint.maxRetries = maxRetries;
    endpoint.retryBaseMs = 1;  // keep backoff waits short; Retry-After still applies
    return endpoint;
}

// Settings that send every question to "primary", then to the given fallbacks.
PipelineSettings routeTo(std::vector<ModelEndpoint> endpoints, std::vector<std::string> fallbacks)
{
    PipelineSettings settings = PipelineSettings::defaults();
    settings.cacheEnabled = false;
    for (ModelEndpoint& endpoint : endpoints)
        settings.models.push_back(std::move(endpoint));
    settings.rules.front().model = "primary";
    settings.rules.front().fallbacks = std::move(fallbacks);
    return settings;
}

std::vector<Span> generatorSpans(const QueryResult& result)
{
    std::vector<Span> spans;
    for (const Span& span : result.spans) {
        if (span.name == "generator")
            spans.push_back(span);
    }
    return spans;
}

int requestsTo(const LoopbackHttpServer& server, const std::string& path)
{
    int count = 0;
    for (const RecordedRequest& request : server.requests())
        count += request.path == path ? 1 : 0;
    return count;
}

} // namespace

class ResilienceTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void retryableStatuses_data();
    void retryableStatuses();
    void backoffHonoursRetryAfter();
    void rateLimitRetriedAfterDelay();
    void serverErrorFallsBack();
    void clientErrorNotRetried();
    void everyModelFailing();
    void cooldownSkipsFailingModel();
    void slowFirstTokenTimesOut();
    void firstTokenTimeRecorded();
    void attemptSpanListsTokenBuckets();
    void keyWithLineBreakRejected();
    void cachedAnswerKeepsAnsweringModel();
    void longRetryAfterFallsBackAtOnce();

private:
    std::unique_ptr<llmops::test::TestWorkspace> m_workspace;
    std::unique_ptr<Engine> m_engine;
    LoopbackHttpServer m_server;
};

void ResilienceTest::init()
{
    m_engine.reset();
    m_workspace = std::make_unique<llmops::test::TestWorkspace>();
    m_workspace->addSupportPages();
    m_engine = m_workspace->open();
    QVERIFY(m_engine);
    QCOMPARE(m_engine->indexPaths({m_workspace->docsDir().toStdString()}).indexed(), 4);
    if (m_server.port() == 0)
        QVERIFY(m_server.start());
}

void ResilienceTest::retryableStatuses_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<bool>("retryable");
    for (int status : {429, 500, 502, 503, 504, 529})
        QTest::newRow(qPrintable(QString::number(status))) << status << true;
    for (int status : {400, 401, 403, 404, 422})
        QTest::newRow(qPrintable(QString::number(status))) << status << false;
}

void ResilienceTest::retryableStatuses()
{
    QFETCH(int, httpStatus);
    QFETCH(bool, retryable);
    Status status = Status::upstream("failed");
    status.setHttpStatus(httpStatus);
    QCOMPARE(isRetryable(status), retryable);
    QVERIFY(isRetryable(Status::timeout("slow")));
    QVERIFY(!isRetryable(Status::ioError("connection refused")));
}

void ResilienceTest::backoffHonoursRetryAfter()
{
    std::mt19937_64 random(1);
    Status limited = Status::rateLimited("slow down");
    for (int retry = 1; retry <= 10; ++retry) {
        const auto delay = backoffDelay(retry, 500, limited, random);
        QVERIFY(delay.count() >= 0);
        QVERIFY(delay.count() <= 8000);  // the cap
    }
    limited.setRetryAfterMs(2000);
    QVERIFY(backoffDelay(1, 500, limited, random).count() >= 2000);
    limited.setRetryAfterMs(600000);  // ten minutes is capped at 30 s
    QCOMPARE(backoffDelay(1, 500, limited, random).count(), 30000LL);
}

void ResilienceTest::rateLimitRetriedAfterDelay()
{
    auto calls = std::make_shared<std::atomic<int>>(0);
    m_server.route("POST", "/limited/v1/chat/completions", [calls](const RecordedRequest&) {
        if (calls->fetch_add(1) == 0) {
            LoopbackResponse response = LoopbackResponse::json(429, R"({"error":{"message":"slow down"}})");
            response.headers.push_back({"Retry-After", "1"});
            return response;
        }
        return LoopbackResponse::json(200, kAnswer);
    });
    QVERIFY(m_engine->updateSettings(routeTo({remote("primary", m_server.baseUrl() + "/limited/v1", 2)}, {})).isOk());

    auto result = m_engine->ask("How long do refunds take?");
    QVERIFY2(result.isOk(), result.status().toString().c_str());
    const std::vector<Span> attempts = generatorSpans(result.value());
    QCOMPARE(attempts.size(), std::size_t{2});
    QCOMPARE(QString::fromStdString(attempts[0].status), QStringLiteral("error"));
    QVERIFY2(attempts[0].detail.find("429") != std::string::npos, attempts[0].detail.c_str());
    QCOMPARE(QString::fromStdString(attempts[1].status), QStringLiteral("ok"));
    // The second attempt waited for Retry-After: 1 second.
    QVERIFY(attempts[1].startUs - (attempts[0].startUs + attempts[0].durationUs) >= 950000);
}

void ResilienceTest::serverErrorFallsBack()
{
    m_server.route("POST", "/down/v1/chat/completions",
                   LoopbackResponse::json(503, R"({"error":{"message":"maintenance"}})"));
    m_server.route("POST", "/backup/v1/chat/completions", LoopbackResponse::json(200, kAnswer));
    QVERIFY(m_engine->updateSettings(routeTo({remote("primary", m_server.baseUrl() + "/down/v1", 2),
                                              remote("backup", m_server.baseUrl() + "/backup/v1", 2)},
                                             {"backup"}))
                .isOk());

    auto result = m_engine->ask("How long do refunds take?");
    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(QString::fromStdString(result->model), QStringLiteral("backup"));
    QCOMPARE(requestsTo(m_server, "/down/v1/chat/completions"), 3);  // the first try and two retries
    const std::vector<Span> attempts = generatorSpans(result.value());
    QCOMPARE(attempts.size(), std::size_t{4});
    QVERIFY(attempts[2].detail.find("primary attempt 3") == 0);
    QVERIFY(attempts[3].detail.find("backup attempt 1") == 0);
    QVERIFY(result->answer.find("5 business days") != std::string::npos);
}

void ResilienceTest::clientErrorNotRetried()
{
    m_server.route("POST", "/bad/v1/chat/completions",
                   LoopbackResponse::json(400, R"({"error":{"message":"unknown parameter"}})"));
    QVERIFY(m_engine->updateSettings(routeTo({remote("primary", m_server.baseUrl() + "/bad/v1", 2)},
                                             {"local-extractive"}))
                .isOk());

    auto result = m_engine->ask("How long do refunds take?");
    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(requestsTo(m_server, "/bad/v1/chat/completions"), 1);
    QCOMPARE(QString::fromStdString(result->model), QStringLiteral("local-extractive"));
    QCOMPARE(generatorSpans(result.value()).size(), std::size_t{2});
}

void ResilienceTest::everyModelFailing()
{
    m_server.route("POST", "/broken/v1/chat/completions",
                   LoopbackResponse::json(500, R"({"error":{"message":"boom"}})"));
    const int deadPort = llmops::test::unusedLoopbackPort();
    QVERIFY(m_engine->updateSettings(
                    routeTo({remote("primary", m_server.baseUrl() + "/broken/v1", 1),
                             remote("backup", QStringLiteral("http://127.0.0.1:%1/v1").arg(deadPort).toStdString(), 1)},
                            {"backup"}))
                .isOk());

    auto result = m_engine->ask("How long do refunds take?");
    QVERIFY(!result.isOk());
    const std::string message = result.status().message();
    QVERIFY2(message.find("primary attempt 2") != std::string::npos, message.c_str());
    QVERIFY2(message.find("backup attempt 1") != std::string::npos, message.c_str());
    QVERIFY2(message.find(std::to_string(deadPort)) != std::string::npos, message.c_str());

    auto traces = m_engine->recentTraces(1);
    QCOMPARE(QString::fromStdString(traces->front().status), QStringLiteral("error"));
}

void ResilienceTest::cooldownSkipsFailingModel()
{
    m_server.route("POST", "/flaky/v1/chat/completions",
                   LoopbackResponse::json(500, R"({"error":{"message":"boom"}})"));
    QVERIFY(m_engine->updateSettings(routeTo({remote("primary", m_server.baseUrl() + "/flaky/v1", 0)},
                                             {"local-extractive"}))
                .isOk());

    for (int i = 0; i < ModelCaller::kCooldownFailures; ++i)
        QVERIFY(m_engine->ask("How long do refunds take?").isOk());
    QCOMPARE(requestsTo(m_server, "/flaky/v1/chat/completions"), ModelCaller::kCooldownFailures);

    auto cooled = m_engine->ask("How long do refunds take?");
    QVERIFY(cooled.isOk());
    QCOMPARE(requestsTo(m_server, "/flaky/v1/chat/completions"), ModelCaller::kCooldownFailures);
    const std::vector<Span> attempts = generatorSpans(cooled.value());
    QCOMPARE(QString::fromStdString(attempts.front().status), QStringLiteral("skipped"));
    QCOMPARE(QString::fromStdString(cooled->model), QStringLiteral("local-extractive"));
}

void ResilienceTest::slowFirstTokenTimesOut()
{
    LoopbackResponse slow = LoopbackResponse::json(200, kAnswer);
    slow.firstByteDelay = std::chrono::milliseconds(3000);
    m_server.route("POST", "/slow/v1/chat/completions", slow);
    ModelEndpoint endpoint = remote("primary", m_server.baseUrl() + "/slow/v1", 0);
    endpoint.firstTokenTimeoutMs = 300;
    QVERIFY(m_engine->updateSettings(routeTo({endpoint}, {"local-extractive"})).isOk());

    QElapsedTimer timer;
    timer.start();
    auto result = m_engine->ask("How long do refunds take?");
    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(QString::fromStdString(result->model), QStringLiteral("local-extractive"));
    const std::vector<Span> attempts = generatorSpans(result.value());
    QVERIFY2(attempts.front().detail.find("first-token limit") != std::string::npos, attempts.front().detail.c_str());
    QVERIFY(timer.elapsed() < 2500);  // gave up well before the server's 3 s delay
}

void ResilienceTest::firstTokenTimeRecorded()
{
    LoopbackResponse stream;
    stream.headers = {{"Content-Type", "text/event-stream"}};
    stream.firstByteDelay = std::chrono::milliseconds(120);
    stream.body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Refunds take 5 days [1].\"},"
                  "\"finish_reason\":\"stop\"}]}\n\n"
                  "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":6}}\n\n"
                  "data: [DONE]\n\n";
    m_server.route("POST", "/sse/v1/chat/completions", stream);
    QVERIFY(m_engine->updateSettings(routeTo({remote("primary", m_server.baseUrl() + "/sse/v1", 0)}, {})).isOk());

    auto result = m_engine->ask("How long do refunds take?");
    QVERIFY2(result.isOk(), result.status().toString().c_str());
    const std::string detail = generatorSpans(result.value()).back().detail;
    const std::size_t at = detail.find("first token ");
    QVERIFY2(at != std::string::npos, detail.c_str());
    QVERIFY2(std::stod(detail.substr(at + 12)) >= 100.0, detail.c_str());
}

void ResilienceTest::attemptSpanListsTokenBuckets()
{
    const char* answer = R"({"id":"c2","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant",
        "content":"Refunds reach your card within 5 business days [1]."},"finish_reason":"stop"}],
        "usage":{"prompt_tokens":1200,"completion_tokens":40,
                 "prompt_tokens_details":{"cached_tokens":1024},
                 "completion_tokens_details":{"reasoning_tokens":16}}})";
    m_server.route("POST", "/cached/v1/chat/completions", LoopbackResponse::json(200, answer));
    ModelEndpoint endpoint = remote("primary", m_server.baseUrl() + "/cached/v1", 0);
    endpoint.model = "gpt-4o";
    endpoint.stream = false;
    QVERIFY(m_engine->updateSettings(routeTo({endpoint}, {})).isOk());

    auto result = m_engine->ask("How long do refunds take?");
    QVERIFY2(result.isOk(), result.status().toString().c_str());
    const std::string detail = generatorSpans(result.value()).back().detail;
    QVERIFY2(detail.find("1200 in (1024 cached) / 40 out (16 reasoning) tokens") != std::string::npos, detail.c_str());
    QVERIFY2(detail.find(", $") != std::string::npos, detail.c_str());
    QVERIFY(result->cost.cachedInputUsd > 0.0);
}

void ResilienceTest::keyWithLineBreakRejected()
{
    m_server.route("POST", "/keyed/v1/chat/completions", LoopbackResponse::json(200, kAnswer));
    qputenv("LLMOPS_TEST_BROKEN_KEY", "sk-abc\r\nX-Injected: evil");
    ModelEndpoint endpoint = remote("primary", m_server.baseUrl() + "/keyed/v1", 0);
    endpoint.apiKeyEnv = "LLMOPS_TEST_BROKEN_KEY";
    QVERIFY(m_engine->updateSettings(routeTo({endpoint}, {})).isOk());

    auto result = m_engine->ask("How long do refunds take?");
    QVERIFY(!result.isOk());
    QVERIFY2(result.status().message().find("line break") != std::string::npos, result.status().message().c_str());
    QVERIFY(result.status().message().find("X-Injected") == std::string::npos);
    QCOMPARE(requestsTo(m_server, "/keyed/v1/chat/completions"), 0);
    qunsetenv("LLMOPS_TEST_BROKEN_KEY");
}

void ResilienceTest::cachedAnswerKeepsAnsweringModel()
{
    m_server.route("POST", "/down/v1/chat/completions", LoopbackResponse::json(500, R"({"error":{"message":"down"}})"));
    m_server.route("POST", "/up/v1/chat/completions", LoopbackResponse::json(200, kAnswer));
    PipelineSettings settings = routeTo({remote("primary", m_server.baseUrl() + "/down/v1", 0),
                                         remote("backup", m_server.baseUrl() + "/up/v1", 0)},
                                        {"backup"});
    settings.cacheEnabled = true;
    QVERIFY(m_engine->updateSettings(settings).isOk());

    auto first = m_engine->ask("How long do refunds take?");
    QVERIFY2(first.isOk(), first.status().toString().c_str());
    QCOMPARE(first->model, std::string("backup"));
    auto cached = m_engine->ask("How long do refunds take?");
    QVERIFY2(cached.isOk(), cached.status().toString().c_str());
    QVERIFY(cached->cached);
    QCOMPARE(cached->model, std::string("backup"));
}

void ResilienceTest::longRetryAfterFallsBackAtOnce()
{
    LoopbackResponse limited = LoopbackResponse::json(429, R"({"error":{"message":"slow down"}})");
    limited.headers.push_back({"Retry-After", "3600"});
    m_server.route("POST", "/hour/v1/chat/completions", limited);
    m_server.route("POST", "/ok/v1/chat/completions", LoopbackResponse::json(200, kAnswer));
    QVERIFY(m_engine->updateSettings(routeTo({remote("primary", m_server.baseUrl() + "/hour/v1", 2),
                                              remote("backup", m_server.baseUrl() + "/ok/v1", 0)},
                                             {"backup"}))
                .isOk());

    QElapsedTimer timer;
    timer.start();
    auto result = m_engine->ask("How long do refunds take?");
    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(result->model, std::string("backup"));
    QCOMPARE(requestsTo(m_server, "/hour/v1/chat/completions"), 1);  // no retry into an hour's wait
    QVERIFY(timer.elapsed() < 2500);
}

QTEST_GUILESS_MAIN(ResilienceTest)
#include "tst_resilience.moc"
