// SPDX-License-Identifier: MIT
#include "EvalFixture.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include "TestPaths.h"
#include "llmops/eval.h"

namespace llmops::test {
namespace {

// The first passage of the prompt: the chunk text on the lines after "[1] (label)".
std::string firstPassage(const std::string& body)
{
    const auto request = nlohmann::json::parse(body, nullptr, false);
    std::string prompt;
    if (request.is_object() && request.contains("messages")) {
        for (const auto& message : request["messages"])
            prompt += message.value("content", "") + "\n";
    }
    const std::size_t label = prompt.find("[1] (");
    const std::size_t start = label == std::string::npos ? label : prompt.find('\n', label);
    if (start == std::string::npos)
        return "The documents do not say.";
    const std::size_t end = prompt.find("\n\n", start + 1);
    return prompt.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
}

} // namespace

bool EvalModelServer::start()
{
    server.route("POST", "/v1/chat/completions", [this](const RecordedRequest& request) {
        const std::string answer = offTopic ? "Penguins eat krill near the southern ice shelf."
                                            : firstPassage(request.body);
        const nlohmann::json reply = {
            {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", answer}}},
                          {"finish_reason", "stop"}}}},
            {"usage", {{"prompt_tokens", 400}, {"completion_tokens", 40}}}};
        LoopbackResponse response = LoopbackResponse::json(200, reply.dump());
        response.firstByteDelay = delay;
        return response;
    });
    return server.start();
}

void EvalModelServer::configure(Engine& engine) const
{
    PipelineSettings settings = engine.settings();
    ModelEndpoint endpoint;
    endpoint.name = "eval-model";
    endpoint.kind = "openai-compatible";
    endpoint.baseUrl = server.baseUrl() + "/v1";
    endpoint.model = "eval-model";
    endpoint.stream = false;
    endpoint.maxRetries = 0;
    endpoint.inputUsdPerMillion = 1.0;
    endpoint.outputUsdPerMillion = 1.0;
    settings.models.push_back(endpoint);
    settings.rules = {RoutingRule{}};
    settings.rules.front().name = "default";
    settings.rules.front().model = "eval-model";
    const Status status = engine.updateSettings(settings);
    QVERIFY2(status.isOk(), status.message().c_str());
}

void prepareEvalWorkspace(const TestWorkspace& workspace, const EvalModelServer& model)
{
    workspace.addSupportPages();
    auto engine = workspace.open();
    QVERIFY(engine);
    engine->indexPaths({workspace.docsDir().toStdString()});
    model.configure(*engine);

    auto store = EvalStore::open(workspace.workspacePath().toStdString());
    QVERIFY(store.isOk());
    const std::string path = (testDataDir() + QStringLiteral("/evals/lumen-small.jsonl")).toStdString();
    const auto items = readDatasetFile(path);
    QVERIFY2(items.isOk(), items.status().message().c_str());
    QVERIFY(store.value()->importDataset("lumen", items.value(), path).isOk());
}

std::pair<std::int64_t, std::int64_t> runFaithfulThenOffTopic(const TestWorkspace& workspace, EvalModelServer& model)
{
    const std::string path = workspace.workspacePath().toStdString();
    std::pair<std::int64_t, std::int64_t> ids{0, 0};
    for (std::int64_t* id : {&ids.first, &ids.second}) {
        model.offTopic = id == &ids.second;
        const auto run = startEvalRun(path, "lumen", 2);
        if (!run.isOk() || !runEval(path, run.value(), EvalRunOptions{}).isOk()) {
            QTest::qFail("an eval run of the lumen data set failed", __FILE__, __LINE__);
            return {0, 0};
        }
        *id = run.value();
    }
    return ids;
}

} // namespace llmops::test
