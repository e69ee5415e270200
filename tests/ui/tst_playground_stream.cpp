// SPDX-License-Identifier: MIT
// The Playground shows a remote model's answer while it streams, then the cited result.
#include "MainWindow.h"
#include "PlaygroundPanel.h"

#include "LoopbackHttpServer.h"
#include "TestWorkspace.h"
#include "llmops/engine.h"

#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>
#include <QTextBrowser>

using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;

namespace {

std::string chunkEvent(const std::string& content)
{
    return "data: {\"id\":\"c1\",\"model\":\"stream-test\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" +
           content + "\"},\"finish_reason\":null}]}\n\n";
}

// An OpenAI-style stream whose pieces arrive 400 ms apart, so the test can see the first
// words on screen before the last ones are sent.
LoopbackResponse slowStream()
{
    LoopbackResponse response;
    response.headers = {{"Content-Type", "text/event-stream"}};
    response.pieces = {
        chunkEvent("Refunds reach your card "),
        chunkEvent("within 5 business days [1]."),
        "data: {\"id\":\"c1\",\"model\":\"stream-test\",\"choices\":[{\"index\":0,\"delta\":{},"
        "\"finish_reason\":\"stop\"}]}\n\n"
        "data: {\"id\":\"c1\",\"model\":\"stream-test\",\"choices\":[],"
        "\"usage\":{\"prompt_tokens\":300,\"completion_tokens\":12}}\n\n"
        "data: [DONE]\n\n",
    };
    response.pieceDelay = std::chrono::milliseconds(400);
    return response;
}

} // namespace

class TestPlaygroundStream : public QObject {
    Q_OBJECT

private slots:
    void answerGrowsWhileStreaming();
};

void TestPlaygroundStream::answerGrowsWhileStreaming()
{
    LoopbackHttpServer server;
    QVERIFY(server.start());
    server.route("POST", "/v1/chat/completions", slowStream());

    llmops::test::TestWorkspace workspace;
    workspace.addSupportPages();
    {
        auto engine = workspace.open();
        QCOMPARE(engine->indexPaths({workspace.docsDir().toStdString()}).indexed(), 4);
        llmops::PipelineSettings settings = llmops::PipelineSettings::defaults();
        llmops::ModelEndpoint remote;
        remote.name = "streaming-model";
        remote.kind = "openai-compatible";
        remote.baseUrl = server.baseUrl() + "/v1";
        remote.model = "stream-test";
        settings.models.push_back(remote);
        settings.rules.front().model = remote.name;
        QVERIFY(engine->updateSettings(settings).isOk());
    }

    llmops::ui::MainWindow window;
    window.resize(1400, 900);
    window.openWorkspace(workspace.workspacePath());
    QTRY_VERIFY_WITH_TIMEOUT(!window.workspacePath().isEmpty(), 30000);

    auto* playground = window.playgroundPanel();
    QTest::keyClicks(playground->questionEdit(), QStringLiteral("How long do refunds take?"));
    QTest::mouseClick(playground->askButton(), Qt::LeftButton);

    // The first piece is on screen while the question is still running.
    QTRY_VERIFY_WITH_TIMEOUT(playground->answerBrowser()->toPlainText().contains(QStringLiteral("Refunds reach")),
                             10000);
    QVERIFY(playground->isBusy());
    QVERIFY(!playground->answerBrowser()->toPlainText().contains(QStringLiteral("5 business days")));

    QTRY_VERIFY_WITH_TIMEOUT(!playground->isBusy(), 10000);
    const QString answer = playground->answerBrowser()->toPlainText();
    QVERIFY2(answer.contains(QStringLiteral("Refunds reach your card within 5 business days")), qPrintable(answer));
    QCOMPARE(QString::fromStdString(playground->result().model), QStringLiteral("streaming-model"));
    QCOMPARE(playground->result().citations.size(), std::size_t{1});
}

QTEST_MAIN(TestPlaygroundStream)
#include "tst_playground_stream.moc"
