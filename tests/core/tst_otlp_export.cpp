// SPDX-License-Identifier: MIT
// The OpenTelemetry export: schema round trip, span tree, GenAI attributes, content opt-in,
// file and loopback collector delivery, and API keys kept out.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "JsonSchemaCheck.h"
#include "LoopbackHttpServer.h"
#include "TestPaths.h"
#include "TestWorkspace.h"
#include "llmops/engine.h"

using namespace llmops;
using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;
using llmops::test::RecordedRequest;
using llmops::test::TestWorkspace;

namespace {

constexpr const char* kKeyVariable = "LLMOPS_TEST_OTLP_KEY";
const QByteArray kKey = "sk-otlp-test-5d1c0a9e7b3f42e8a6c4";

QJsonObject schema()
{
    QFile file(llmops::test::testDataDir() + QStringLiteral("/otlp-trace-request.schema.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the OTLP schema %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

QJsonObject parse(const std::string& json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(json), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("export is not JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

QJsonArray spansOf(const QJsonObject& request)
{
    return request["resourceSpans"][0]["scopeSpans"][0]["spans"].toArray();
}

// The attributes of a span as key -> value object.
QMap<QString, QJsonObject> attributesOf(const QJsonObject& span)
{
    QMap<QString, QJsonObject> attributes;
    for (const QJsonValue attribute : span["attributes"].toArray())
        attributes[attribute["key"].toString()] = attribute["value"].toObject();
    return attributes;
}

std::unique_ptr<Engine> workspaceWithSyntheticTraces(const TestWorkspace& workspace, int count)
{
    auto engine = workspace.open();
    SyntheticTraceOptions options;
    options.count = count;
    options.days = 1;
    options.seed = 7;
    if (!engine->generateSyntheticTraces(options).isOk())
        qWarning("synthetic traces were not written");
    return engine;
}

} // namespace

class OtlpExportTest : public QObject {
    Q_OBJECT

private slots:
    void exportMatchesTheSchema();
    void validatorRejectsBrokenExports();
    void childSpansHangUnderTheirQuery();
    void contentOnlyWhenAskedFor();
    void writesFilesAndNamesProblems();
    void postsToLoopbackCollector();
    void apiKeyNeverExported();
};

void OtlpExportTest::exportMatchesTheSchema()
{
    TestWorkspace workspace;
    auto engine = workspaceWithSyntheticTraces(workspace, 60);
    OtlpExportOptions options;
    options.includeContent = true;
    Result<std::string> json = engine->otlpExport(options);
    QVERIFY2(json.isOk(), json.status().message().c_str());

    const QJsonObject request = parse(json.value());
    const QStringList errors = llmops::test::checkJsonSchema(request, schema());
    QVERIFY2(errors.isEmpty(), qPrintable(errors.mid(0, 5).join('\n')));

    // Round trip: the parsed document written again and read back is the same document.
    const QByteArray again = QJsonDocument(request).toJson(QJsonDocument::Compact);
    QCOMPARE(QJsonDocument::fromJson(again).object(), request);
}

void OtlpExportTest::validatorRejectsBrokenExports()
{
    TestWorkspace workspace;
    auto engine = workspaceWithSyntheticTraces(workspace, 3);
    QJsonObject request = parse(engine->otlpExport({}).value());
    QJsonArray spans = spansOf(request);
    QJsonObject span = spans[0].toObject();
    span.remove("traceId");
    span["spanId"] = "0000000000000000";
    span["kind"] = 9;
    span["surprise"] = true;
    spans[0] = span;
    QJsonObject attribute = spans.at(1)["attributes"][0].toObject();
    attribute["value"] = QJsonObject{{"stringValue", "a"}, {"intValue", "1"}};
    QJsonObject second = spans[1].toObject();
    QJsonArray attributes = second["attributes"].toArray();
    attributes[0] = attribute;
    second["attributes"] = attributes;
    spans[1] = second;

    QJsonObject scope = request["resourceSpans"][0]["scopeSpans"][0].toObject();
    scope["spans"] = spans;
    QJsonObject resource = request["resourceSpans"][0].toObject();
    resource["scopeSpans"] = QJsonArray{scope};
    request["resourceSpans"] = QJsonArray{resource};

    const QStringList errors = llmops::test::checkJsonSchema(request, schema());
    const QString all = errors.join('\n');
    QVERIFY2(all.contains("missing required member traceId"), qPrintable(all));
    QVERIFY2(all.contains("spanId: \"0000000000000000\" does not match"), qPrintable(all));
    QVERIFY2(all.contains("kind: above the maximum"), qPrintable(all));
    QVERIFY2(all.contains("unexpected member surprise"), qPrintable(all));
    QVERIFY2(all.contains("needs exactly one of its value members, has 2"), qPrintable(all));
}

void OtlpExportTest::childSpansHangUnderTheirQuery()
{
    TestWorkspace workspace;
    auto engine = workspaceWithSyntheticTraces(workspace, 200);
    const QJsonArray spans = spansOf(parse(engine->otlpExport({}).value()));

    QMap<QString, QJsonObject> roots;  // span id -> root span
    for (const QJsonValue span : spans) {
        if (span["parentSpanId"].toString().isEmpty())
            roots[span["spanId"].toString()] = span.toObject();
    }
    QCOMPARE(roots.size(), 200);

    int modelCalls = 0;
    for (const QJsonValue value : spans) {
        const QJsonObject span = value.toObject();
        QVERIFY(span["endTimeUnixNano"].toString().toULongLong() >= span["startTimeUnixNano"].toString().toULongLong());
        const auto attributes = attributesOf(span);
        if (span["parentSpanId"].toString().isEmpty()) {
            QVERIFY(attributes.contains("llmops.cost_usd"));
            QCOMPARE(attributes["llmops.synthetic"]["boolValue"].toBool(), true);
            continue;
        }
        const QJsonObject root = roots.value(span["parentSpanId"].toString());
        QVERIFY2(!root.isEmpty(), "a stage span whose parent is not a query span");
        QCOMPARE(span["traceId"], root["traceId"]);
        QVERIFY(span["startTimeUnixNano"].toString().toULongLong() >= root["startTimeUnixNano"].toString().toULongLong());
        if (attributes["llmops.stage"]["stringValue"] != "generator" ||
            attributes["llmops.stage.status"]["stringValue"] != "ok")
            continue;

        ++modelCalls;
        QCOMPARE(span["kind"].toInt(), 3);  // client
        QCOMPARE(attributes["gen_ai.operation.name"]["stringValue"].toString(), QStringLiteral("chat"));
        QVERIFY(!attributes["gen_ai.provider.name"]["stringValue"].toString().isEmpty());
        QCOMPARE(attributes["gen_ai.request.model"], attributes["gen_ai.response.model"]);
        QVERIFY(attributes["gen_ai.usage.input_tokens"]["intValue"].toString().toLongLong() > 0);
        QVERIFY(attributes["gen_ai.usage.output_tokens"]["intValue"].toString().toLongLong() > 0);
        QVERIFY(attributes.contains("gen_ai.usage.cache_read.input_tokens"));
        QVERIFY(attributes.contains("gen_ai.usage.reasoning.output_tokens"));
        QCOMPARE(attributes["gen_ai.response.finish_reasons"].value("arrayValue")["values"][0]["stringValue"].toString(),
                 QStringLiteral("stop"));
        QVERIFY(attributes["llmops.cost_usd"]["doubleValue"].toDouble() > 0.0);
        QVERIFY(!attributes.contains("gen_ai.input.messages"));
    }
    QVERIFY2(modelCalls > 100, qPrintable(QString::number(modelCalls)));
}

void OtlpExportTest::contentOnlyWhenAskedFor()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    QVERIFY(engine->indexPaths({workspace.docsDir().toStdString()}).indexed() > 0);
    const std::string question = "How long do refunds take to reach my card?";
    Result<QueryResult> answer = engine->ask(question);
    QVERIFY2(answer.isOk(), answer.status().message().c_str());

    const std::string without = engine->otlpExport({}).value();
    QVERIFY(without.find(question) == std::string::npos);
    QVERIFY(without.find(answer->answer.substr(0, 30)) == std::string::npos);

    OtlpExportOptions options;
    options.includeContent = true;
    const std::string with = engine->otlpExport(options).value();
    QVERIFY(with.find(question) != std::string::npos);
    const auto generator = attributesOf(spansOf(parse(with))[5].toObject());
    QVERIFY2(generator["gen_ai.input.messages"]["stringValue"].toString().contains(QString::fromStdString(question)),
             with.c_str());
    QCOMPARE(generator["gen_ai.provider.name"]["stringValue"].toString(), QStringLiteral("llmops.local"));
}

void OtlpExportTest::writesFilesAndNamesProblems()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    Result<std::int64_t> empty = engine->exportOtlpFile(workspace.filePath("none.json").toStdString(), {});
    QCOMPARE(empty.status().code(), StatusCode::NotFound);
    QVERIFY(!QFile::exists(workspace.filePath("none.json")));

    auto filled = workspaceWithSyntheticTraces(workspace, 12);
    OtlpExportOptions newest;
    newest.last = 5;
    const QString path = workspace.filePath("traces.json");
    Result<std::int64_t> written = filled->exportOtlpFile(path.toStdString(), newest);
    QVERIFY2(written.isOk(), written.status().message().c_str());
    QCOMPARE(written.value(), 5);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject request = QJsonDocument::fromJson(file.readAll()).object();
    QVERIFY(llmops::test::checkJsonSchema(request, schema()).isEmpty());

    const std::string missingFolder = workspace.filePath("no/such/folder/t.json").toStdString();
    Result<std::int64_t> failed = filled->exportOtlpFile(missingFolder, newest);
    QCOMPARE(failed.status().code(), StatusCode::IoError);
    QVERIFY2(failed.status().message().find("no/such/folder") != std::string::npos, failed.status().message().c_str());

    OtlpExportOptions unknown;
    unknown.traceIds = {424242};
    QCOMPARE(filled->otlpExport(unknown).status().code(), StatusCode::NotFound);
}

void OtlpExportTest::postsToLoopbackCollector()
{
    LoopbackHttpServer collector;
    QVERIFY(collector.start());
    collector.route("POST", "/v1/traces", LoopbackResponse::json(200, "{}"));
    collector.route("POST", "/broken/v1/traces", LoopbackResponse::json(500, "{\"error\":\"down\"}"));

    TestWorkspace workspace;
    auto engine = workspaceWithSyntheticTraces(workspace, 4);
    Result<std::int64_t> sent = engine->sendOtlp(collector.baseUrl() + "/v1/traces", {});
    QVERIFY2(sent.isOk(), sent.status().message().c_str());
    QCOMPARE(sent.value(), 4);
    const RecordedRequest request = collector.requests().front();
    QCOMPARE(request.header("Content-Type"), std::string("application/json"));
    QCOMPARE(parse(request.body), parse(engine->otlpExport({}).value()));

    Result<std::int64_t> refused = engine->sendOtlp(collector.baseUrl() + "/broken/v1/traces?token=abc", {});
    QCOMPARE(refused.status().code(), StatusCode::IoError);
    QVERIFY(refused.status().message().find("HTTP 500") != std::string::npos);
    QVERIFY(refused.status().message().find("token=abc") == std::string::npos);
}

void OtlpExportTest::apiKeyNeverExported()
{
    qputenv(kKeyVariable, kKey);
    LoopbackHttpServer server;
    QVERIFY(server.start());
    server.route("POST", "/v1/chat/completions", LoopbackResponse::json(200, R"({"choices":[{"index":0,
        "message":{"role":"assistant","content":"Refunds take 5 business days [1]."},"finish_reason":"stop"}],
        "usage":{"prompt_tokens":40,"completion_tokens":8}})"));

    TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    QVERIFY(engine->indexPaths({workspace.docsDir().toStdString()}).indexed() > 0);
    PipelineSettings settings = PipelineSettings::defaults();
    ModelEndpoint endpoint;
    endpoint.name = "remote";
    endpoint.kind = "openai-compatible";
    endpoint.baseUrl = server.baseUrl() + "/v1";
    endpoint.model = "test-model";
    endpoint.apiKeyEnv = kKeyVariable;
    endpoint.stream = false;
    settings.models.push_back(endpoint);
    settings.rules.front().model = "remote";
    QVERIFY(engine->updateSettings(settings).isOk());
    QVERIFY(engine->ask("How long do refunds take?").isOk());
    // The key reached the provider, so its absence below means something.
    QVERIFY(QByteArray::fromStdString(server.requests().front().header("Authorization")).contains(kKey));

    OtlpExportOptions options;
    options.includeContent = true;
    const std::string json = engine->otlpExport(options).value();
    QVERIFY(json.find(kKey.toStdString()) == std::string::npos);
    QVERIFY(json.find(kKeyVariable) == std::string::npos);
    const QJsonArray spans = spansOf(parse(json));
    bool sawModelCall = false;
    for (const QJsonValue span : spans) {
        const auto attributes = attributesOf(span.toObject());
        if (attributes.contains("gen_ai.provider.name")) {
            QCOMPARE(attributes["gen_ai.provider.name"]["stringValue"].toString(), QStringLiteral("openai"));
            QCOMPARE(attributes["gen_ai.request.model"]["stringValue"].toString(), QStringLiteral("test-model"));
            QCOMPARE(attributes["gen_ai.usage.input_tokens"]["intValue"].toString(), QStringLiteral("40"));
            sawModelCall = true;
        }
    }
    QVERIFY(sawModelCall);
}

QTEST_GUILESS_MAIN(OtlpExportTest)
#include "tst_otlp_export.moc"
