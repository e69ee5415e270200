// SPDX-License-Identifier: MIT
// The Models page edits, saves and tests model endpoints against a loopback server.
#include "EmbedderBox.h"
#include "EngineController.h"
#include "ErrorBanner.h"
#include "MainWindow.h"
#include "ModelTableModel.h"
#include "ModelsPanel.h"

#include "LoopbackHttpServer.h"
#include "TestWorkspace.h"
#include "llmops/engine.h"
#include "llmops/secrets.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include <memory>

using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;
using llmops::ui::ModelsPanel;
using llmops::ui::ModelTableModel;
using Column = ModelTableModel::Column;

namespace {

const QString kReply = QStringLiteral("The desk is open from 9:00 to 17:00 on weekdays [1].");

// A non-streamed OpenAI chat completion, which the client accepts even when it asked for a stream.
LoopbackResponse chatReply()
{
    return LoopbackResponse::json(
        200, "{\"id\":\"t1\",\"model\":\"probe-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
             "\"content\":\"" + kReply.toStdString() + "\"},\"finish_reason\":\"stop\"}],"
             "\"usage\":{\"prompt_tokens\":41,\"completion_tokens\":14}}");
}

llmops::ModelEndpoint remoteEndpoint(const std::string& name, const std::string& baseUrl)
{
    llmops::ModelEndpoint endpoint;
    endpoint.name = name;
    endpoint.kind = "openai-compatible";
    endpoint.baseUrl = baseUrl;
    endpoint.model = "probe-model";
    endpoint.timeoutMs = 5000;
    return endpoint;
}

const llmops::ModelEndpoint* findModel(const llmops::PipelineSettings& settings, const std::string& name)
{
    for (const llmops::ModelEndpoint& model : settings.models) {
        if (model.name == name)
            return &model;
    }
    return nullptr;
}

// Fills the form of a page with no row selected, as for a new endpoint.
void fillNewEndpoint(ModelsPanel* panel, const QString& name, const QString& kind, const QString& baseUrl,
                     const QString& inputPrice = QStringLiteral("0.15"))
{
    panel->table()->clearSelection();
    panel->nameEdit()->setText(name);
    panel->kindCombo()->setCurrentText(kind);
    panel->baseUrlEdit()->setText(baseUrl);
    panel->modelIdEdit()->setText(QStringLiteral("probe-model"));
    panel->apiKeyVariableEdit()->clear();
    panel->keychainEntryEdit()->clear();
    panel->inputPriceEdit()->setText(inputPrice);
    panel->outputPriceEdit()->setText(QStringLiteral("0.60"));
}

std::unique_ptr<llmops::ui::MainWindow> openWindow(const llmops::test::TestWorkspace& workspace)
{
    auto window = std::make_unique<llmops::ui::MainWindow>();
    window->resize(1400, 900);
    window->openWorkspace(workspace.workspacePath());
    return window;
}

} // namespace

class TestModelsPanel : public QObject {
    Q_OBJECT

private slots:
    void tableModelPassesTester();
    void tableShowsEndpointFields();
    void formRejectsInvalidInput_data();
    void formRejectsInvalidInput();
    void keyStatusHidesValue();
    void saveTestAndReopen();
    void removingRoutedModelKeepsSettings();
    void embedderSavedOrKept();
};

void TestModelsPanel::tableModelPassesTester()
{
    ModelTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    model.setEndpoints(llmops::PipelineSettings::defaults().models);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(Column::Count));
    QCOMPARE(model.addEndpoint(remoteEndpoint("a", "http://127.0.0.1:1/v1")), 1);
    QCOMPARE(model.addEndpoint(remoteEndpoint("b", "http://127.0.0.1:2/v1")), 2);
    model.replaceEndpoint(1, remoteEndpoint("a2", "http://127.0.0.1:3/v1"));
    QCOMPARE(model.rowOf(QStringLiteral("a2")), 1);
    QCOMPARE(model.rowOf(QStringLiteral("a")), -1);
    model.removeEndpoint(0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(QStringLiteral("b")), 1);
    model.setEndpoints({});
    QCOMPARE(model.rowCount(), 0);
}

void TestModelsPanel::tableShowsEndpointFields()
{
    ModelTableModel model;
    llmops::ModelEndpoint endpoint = remoteEndpoint("gpt-small", "https://api.example.test/v1");
    endpoint.apiKeyEnv = "LLMOPS_TEST_UNSET_VARIABLE_7F3";
    endpoint.maxRetries = 4;
    endpoint.inputUsdPerMillion = 0.15;
    endpoint.outputUsdPerMillion = 0.6;
    model.setEndpoints({endpoint});

    const auto cell = [&model](Column column, int role = Qt::DisplayRole) {
        return model.data(model.index(0, int(column)), role);
    };
    QCOMPARE(cell(Column::Name).toString(), QStringLiteral("gpt-small"));
    QCOMPARE(cell(Column::Kind).toString(), QStringLiteral("openai-compatible"));
    QCOMPARE(cell(Column::BaseUrl).toString(), QStringLiteral("https://api.example.test/v1"));
    QCOMPARE(cell(Column::Model).toString(), QStringLiteral("probe-model"));
    QCOMPARE(cell(Column::ApiKeyVariable).toString(), QStringLiteral("LLMOPS_TEST_UNSET_VARIABLE_7F3"));
    QCOMPARE(cell(Column::ApiKeyStatus).toString(), QStringLiteral("not set"));
    QCOMPARE(cell(Column::Timeout).toString(), QStringLiteral("5000 ms"));
    QCOMPARE(cell(Column::Timeout, ModelTableModel::SortRole).toInt(), 5000);
    QCOMPARE(cell(Column::Retries).toInt(), 4);
    QCOMPARE(cell(Column::InputPrice).toString(), QStringLiteral("$0.15"));
    QCOMPARE(cell(Column::OutputPrice, ModelTableModel::SortRole).toDouble(), 0.6);
    QCOMPARE(cell(Column::Kind, ModelTableModel::NameRole).toString(), QStringLiteral("gpt-small"));
}

void TestModelsPanel::formRejectsInvalidInput_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QString>("inputPrice");
    QTest::addColumn<QString>("expectedProblem");

    const QString url = QStringLiteral("http://127.0.0.1:8080/v1");
    const QString kind = QStringLiteral("openai-compatible");
    QTest::newRow("empty name") << QString() << kind << url << QStringLiteral("1") << QStringLiteral("Enter a name");
    QTest::newRow("duplicate name") << QStringLiteral("local-extractive") << kind << url << QStringLiteral("1")
                                    << QStringLiteral("named \"local-extractive\" already exists");
    QTest::newRow("unknown kind") << QStringLiteral("m") << QStringLiteral("gemini") << url << QStringLiteral("1")
                                  << QStringLiteral("Unknown kind \"gemini\"");
    QTest::newRow("ftp url") << QStringLiteral("m") << kind << QStringLiteral("ftp://127.0.0.1/v1")
                             << QStringLiteral("1") << QStringLiteral("not an http:// or https:// URL");
    QTest::newRow("missing url") << QStringLiteral("m") << kind << QString() << QStringLiteral("1")
                                 << QStringLiteral("Enter the base URL");
    QTest::newRow("negative price") << QStringLiteral("m") << kind << url << QStringLiteral("-0.5")
                                    << QStringLiteral("input price must not be negative, got -0.5");
    QTest::newRow("price not a number") << QStringLiteral("m") << kind << url << QStringLiteral("cheap")
                                        << QStringLiteral("\"cheap\" is not a number");
}

void TestModelsPanel::formRejectsInvalidInput()
{
    QFETCH(QString, name);
    QFETCH(QString, kind);
    QFETCH(QString, baseUrl);
    QFETCH(QString, inputPrice);
    QFETCH(QString, expectedProblem);

    llmops::ui::EngineController controller;
    ModelsPanel panel(&controller);
    panel.model()->setEndpoints(llmops::PipelineSettings::defaults().models);

    fillNewEndpoint(&panel, name, kind, baseUrl, inputPrice);
    QVERIFY2(panel.formProblemLabel()->text().contains(expectedProblem), qPrintable(panel.formProblemLabel()->text()));
    QVERIFY(!panel.addButton()->isEnabled());
    QVERIFY(!panel.testButton()->isEnabled());

    // The same form with the offending field fixed is accepted.
    fillNewEndpoint(&panel, QStringLiteral("fixed"), QStringLiteral("openai-compatible"),
                    QStringLiteral("https://127.0.0.1:8080/v1"));
    QVERIFY2(panel.formProblemLabel()->text().isEmpty(), qPrintable(panel.formProblemLabel()->text()));
    QVERIFY(panel.addButton()->isEnabled());
    QVERIFY(panel.testButton()->isEnabled());
}

void TestModelsPanel::keyStatusHidesValue()
{
    const QByteArray variable = "LLMOPS_TEST_MODELS_PANEL_KEY";
    const QByteArray secret = "sk-planted-5a7c1e9b";
    llmops::ui::EngineController controller;
    ModelsPanel panel(&controller);

    qunsetenv(variable.constData());
    panel.apiKeyVariableEdit()->setText(QString::fromLatin1(variable));
    QVERIFY2(panel.keyStatusLabel()->text().startsWith(QStringLiteral("not set")),
             qPrintable(panel.keyStatusLabel()->text()));

    qputenv(variable.constData(), secret);
    panel.apiKeyVariableEdit()->setText(QString::fromLatin1(variable) + QStringLiteral(" "));
    QVERIFY2(panel.keyStatusLabel()->text().startsWith(QStringLiteral("set")),
             qPrintable(panel.keyStatusLabel()->text()));
    QVERIFY(!panel.keyStatusLabel()->text().contains(QString::fromLatin1(secret)));
    QCOMPARE(ModelTableModel::keyStatusText(variable.toStdString()), QStringLiteral("set"));
    qunsetenv(variable.constData());
}

void TestModelsPanel::saveTestAndReopen()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("POST", "/v1/chat/completions", chatReply());
    const QString baseUrl = QString::fromStdString(server.baseUrl()) + QStringLiteral("/v1");

    llmops::test::TestWorkspace workspace;
    QVERIFY(workspace.isValid());
    {
        auto window = openWindow(workspace);
        ModelsPanel* panel = window->modelsPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->saveButton()->isEnabled(), 30000);
        QCOMPARE(panel->model()->rowCount(), 1);

        fillNewEndpoint(panel, QStringLiteral("loopback"), QStringLiteral("openai-compatible"), baseUrl);
        panel->timeoutSpin()->setValue(4000);
        panel->retriesSpin()->setValue(3);
        // The keychain itself is tested in tst_keychain; here a reader stands in for it.
        panel->keychainEntryEdit()->setText(QStringLiteral(" loopback-key "));
        llmops::setKeychainReader([](const std::string& entry) -> llmops::Result<std::string> {
            return "key-of-" + entry;
        });
        QVERIFY2(panel->addButton()->isEnabled(), qPrintable(panel->formProblemLabel()->text()));
        QTest::mouseClick(panel->addButton(), Qt::LeftButton);
        QCOMPARE(panel->model()->rowCount(), 2);
        QVERIFY(panel->hasUnsavedChanges());

        QTest::mouseClick(panel->saveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->hasUnsavedChanges(), 10000);
        QCOMPARE(panel->saveStateLabel()->text(), QStringLiteral("Saved"));
        QVERIFY(panel->banner()->isHidden());

        // A test against the live server shows the latency and the reply.
        QCOMPARE(panel->nameEdit()->text(), QStringLiteral("loopback"));
        QTest::mouseClick(panel->testButton(), Qt::LeftButton);
        QVERIFY(panel->isTesting());
        QVERIFY(!panel->testButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isTesting(), 10000);
        const QString success = panel->testResultLabel()->text();
        QVERIFY2(success.startsWith(QStringLiteral("loopback replied in ")), qPrintable(success));
        QVERIFY2(success.contains(QStringLiteral(" ms:")), qPrintable(success));
        QVERIFY2(success.contains(kReply), qPrintable(success));
        QVERIFY(panel->testButton()->isEnabled());
        QCOMPARE(server.requests().size(), std::size_t{1});
        QVERIFY(server.requests().front().body.find("support desk") != std::string::npos);
        QCOMPARE(server.requests().front().header("Authorization"), std::string("Bearer key-of-loopback-key"));

        // A dead port fails with the client's message, which names the port.
        const int deadPort = llmops::test::unusedLoopbackPort();
        QVERIFY(deadPort > 0);
        panel->baseUrlEdit()->setText(QStringLiteral("http://127.0.0.1:%1/v1").arg(deadPort));
        QTest::mouseClick(panel->testButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isTesting(), 10000);
        const QString failure = panel->testResultLabel()->text();
        QVERIFY2(failure.startsWith(QStringLiteral("loopback failed after ")), qPrintable(failure));
        QVERIFY2(failure.contains(QStringLiteral(":%1").arg(deadPort)), qPrintable(failure));
        llmops::setKeychainReader({});
    }

    // The saved endpoint is in the workspace; the dead URL was only tested, never saved.
    auto engine = workspace.open();
    const llmops::ModelEndpoint* saved = findModel(engine->settings(), "loopback");
    QVERIFY(saved);
    QCOMPARE(QString::fromStdString(saved->baseUrl), baseUrl);
    QCOMPARE(saved->kind, std::string("openai-compatible"));
    QCOMPARE(saved->model, std::string("probe-model"));
    QCOMPARE(saved->timeoutMs, 4000);
    QCOMPARE(saved->maxRetries, 3);
    QCOMPARE(saved->apiKeyKeychain, std::string("loopback-key"));
    QCOMPARE(saved->inputUsdPerMillion, 0.15);
    QCOMPARE(saved->outputUsdPerMillion, 0.6);
    QVERIFY(findModel(engine->settings(), "local-extractive"));
}

void TestModelsPanel::removingRoutedModelKeepsSettings()
{
    llmops::test::TestWorkspace workspace;
    QVERIFY(workspace.isValid());
    {
        auto engine = workspace.open();
        llmops::PipelineSettings settings = llmops::PipelineSettings::defaults();
        settings.models.push_back(remoteEndpoint("routed", "http://127.0.0.1:9/v1"));
        settings.rules.front().model = "routed";
        QVERIFY(engine->updateSettings(settings).isOk());
    }

    {
        auto window = openWindow(workspace);
        ModelsPanel* panel = window->modelsPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->saveButton()->isEnabled(), 30000);
        const int row = panel->model()->rowOf(QStringLiteral("routed"));
        QVERIFY(row >= 0);

        panel->table()->selectRow(row);
        QCOMPARE(panel->nameEdit()->text(), QStringLiteral("routed"));
        QTest::mouseClick(panel->removeButton(), Qt::LeftButton);
        QCOMPARE(panel->model()->rowOf(QStringLiteral("routed")), -1);

        QSignalSpy failed(panel, &ModelsPanel::saveFailed);
        QTest::mouseClick(panel->saveButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        const QString message = panel->banner()->message();
        QVERIFY(!panel->banner()->isHidden());
        QVERIFY2(message.contains(QStringLiteral("unknown model \"routed\"")), qPrintable(message));
        QCOMPARE(panel->saveStateLabel()->text(), QStringLiteral("Not saved"));
        QVERIFY(panel->hasUnsavedChanges());
    }

    auto engine = workspace.open();
    QVERIFY(findModel(engine->settings(), "routed"));
    QCOMPARE(engine->settings().rules.front().model, std::string("routed"));
}

// Answers OpenAI embedding requests with one small vector per input text.
LoopbackResponse embeddingsReply(const llmops::test::RecordedRequest& request)
{
    const QJsonObject body = QJsonDocument::fromJson(QByteArray::fromStdString(request.body)).object();
    const qsizetype count = body.value(QStringLiteral("input")).toArray().size();
    QJsonArray data;
    for (qsizetype i = 0; i < count; ++i)
        data.append(QJsonObject{{QStringLiteral("index"), int(i)},
                                {QStringLiteral("embedding"), QJsonArray{1.0, double(i % 7), 0.5, double(i % 3)}}});
    const QJsonObject reply{{QStringLiteral("data"), data}};
    return LoopbackResponse::json(200, QJsonDocument(reply).toJson(QJsonDocument::Compact).toStdString());
}

void TestModelsPanel::embedderSavedOrKept()
{
    LoopbackHttpServer server;
    QVERIFY2(server.start(), server.errorString().c_str());
    server.route("POST", "/v1/embeddings", embeddingsReply);

    llmops::test::TestWorkspace workspace;
    workspace.addSupportPages();
    {
        auto engine = workspace.open();
        QVERIFY(engine->indexPaths({workspace.docsDir().toStdString()}).indexed() > 0);
    }
    {
        auto window = openWindow(workspace);
        ModelsPanel* panel = window->modelsPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->saveButton()->isEnabled(), 30000);
        llmops::ui::EmbedderBox* box = panel->embedderBox();
        QCOMPARE(box->kindCombo()->currentText(), QStringLiteral("hashing"));
        QVERIFY(!box->baseUrlEdit()->isEnabled());

        // An embedder that cannot be reached is rejected and the stored one stays.
        box->kindCombo()->setCurrentText(QStringLiteral("openai-compatible"));
        QVERIFY(box->baseUrlEdit()->isEnabled());
        QVERIFY(box->noteLabel()->text().contains(QStringLiteral("embeds every chunk again")));
        box->baseUrlEdit()->setText(QStringLiteral("http://127.0.0.1:%1/v1").arg(llmops::test::unusedLoopbackPort()));
        box->modelEdit()->setText(QStringLiteral("test-embed"));
        QVERIFY(panel->hasUnsavedChanges());
        QSignalSpy failed(panel, &ModelsPanel::saveFailed);
        panel->save();
        QVERIFY(failed.wait(30000));
        QVERIFY2(failed.front().front().toString().contains(QStringLiteral("previous embedder stays")),
                 qPrintable(failed.front().front().toString()));

        // The loopback server embeds, so the save goes through.
        box->baseUrlEdit()->setText(QString::fromStdString(server.baseUrl()) + QStringLiteral("/v1"));
        QSignalSpy saved(panel, &ModelsPanel::settingsSaved);
        panel->save();
        QVERIFY(saved.wait(30000));
        QVERIFY(!server.requests().empty());
    }
    auto engine = workspace.open();
    QCOMPARE(engine->settings().embedder.kind, std::string("openai-compatible"));
    QCOMPARE(engine->settings().embedder.model, std::string("test-embed"));
}

QTEST_MAIN(TestModelsPanel)
#include "tst_models_panel.moc"
