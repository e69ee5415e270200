// SPDX-License-Identifier: MIT
// An API key planted in the environment must never reach the workspace files, traces, JSON
// output or error messages, even when a provider echoes it back.
#include <QtTest>

#include <QProcess>

#include "LoopbackHttpServer.h"
#include "TestWorkspace.h"
#include "llmops/engine.h"

using namespace llmops;
using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;
using llmops::test::RecordedRequest;

namespace {

const QByteArray kKey = "sk-planted-7f3a9c1e5b2d4068a1c3e5f7091b3d5f";
const char* kKeyVariable = "LLMOPS_TEST_PLANTED_KEY";

} // namespace

class SecretsTest : public QObject {
    Q_OBJECT

private slots:
    void plantedKeyNeverStored();
};

void SecretsTest::plantedKeyNeverStored()
{
    qputenv(kKeyVariable, kKey);
    LoopbackHttpServer server;
    QVERIFY(server.start());
    // A provider that quotes the key it rejected, and one that answers.
    server.route("POST", "/echo/v1/chat/completions", [](const RecordedRequest& request) {
        return LoopbackResponse::json(401, "{\"error\":{\"message\":\"invalid key " + request.header("Authorization") + "\"}}");
    });
    server.route("POST", "/good/v1/chat/completions", LoopbackResponse::json(200, R"({"choices":[{"index":0,
        "message":{"role":"assistant","content":"Refunds take 5 days [1]."},"finish_reason":"stop"}],
        "usage":{"prompt_tokens":10,"completion_tokens":5}})"));

    llmops::test::TestWorkspace workspace;
    workspace.addSupportPages();
    {
        auto engine = workspace.open();
        QCOMPARE(engine->indexPaths({workspace.docsDir().toStdString()}).indexed(), 4);
        PipelineSettings settings = PipelineSettings::defaults();
        for (const char* name : {"echo", "good"}) {
            ModelEndpoint endpoint;
            endpoint.name = name;
            endpoint.kind = "openai-compatible";
            endpoint.baseUrl = server.baseUrl() + "/" + name + "/v1";
            endpoint.model = "test-model";
            endpoint.apiKeyEnv = kKeyVariable;
            endpoint.maxRetries = 0;
            settings.models.push_back(endpoint);
        }
        settings.rules.front().model = "echo";
        settings.rules.front().fallbacks = {"good"};
        settings.cacheEnabled = false;
        QVERIFY(engine->updateSettings(settings).isOk());

        auto result = engine->ask("How long do refunds take?");
        QVERIFY2(result.isOk(), result.status().toString().c_str());
        QVERIFY(!QByteArray::fromStdString(queryResultToJson(result.value())).contains(kKey));
        for (const Span& span : result->spans)
            QVERIFY2(!QByteArray::fromStdString(span.detail).contains(kKey), span.detail.c_str());

        // With no fallback the error itself is returned: it must not carry the key either.
        settings.rules.front().fallbacks.clear();
        QVERIFY(engine->updateSettings(settings).isOk());
        auto failed = engine->ask("How long do refunds take?");
        QVERIFY(!failed.isOk());
        QVERIFY2(!QByteArray::fromStdString(failed.status().message()).contains(kKey), failed.status().message().c_str());
    }
    // The key did reach the provider, so the check above is not vacuous.
    QVERIFY(QByteArray::fromStdString(server.requests().front().header("Authorization")).contains(kKey));

    // The CLI's output and errors, then every byte of the workspace.
    QProcess cli;
    cli.start(QStringLiteral(LLMOPS_CLI_PATH), {QStringLiteral("--workspace"), workspace.workspacePath(),
                                                QStringLiteral("ask"), QStringLiteral("--json"),
                                                QStringLiteral("How long do refunds take?")});
    QVERIFY(cli.waitForFinished(60000));
    QVERIFY(!cli.readAllStandardOutput().contains(kKey));
    QVERIFY(!cli.readAllStandardError().contains(kKey));
    QProcess traces;
    traces.start(QStringLiteral(LLMOPS_CLI_PATH), {QStringLiteral("--workspace"), workspace.workspacePath(),
                                                   QStringLiteral("traces"), QStringLiteral("--json")});
    QVERIFY(traces.waitForFinished(60000));
    QVERIFY(!traces.readAllStandardOutput().contains(kKey));

    const QByteArray stored = workspace.storedBytes();
    QVERIFY(stored.size() > 0);
    QVERIFY(!stored.contains(kKey));
    QVERIFY(!stored.contains(kKey.mid(3, 20)));  // no fragment of it either
}

QTEST_GUILESS_MAIN(SecretsTest)
#include "tst_secrets.moc"
