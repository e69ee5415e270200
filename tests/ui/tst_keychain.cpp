// SPDX-License-Identifier: MIT
// API keys read from the OS keychain through QtKeychain: the key reaches the provider, never
// the workspace files, traces or messages, and a missing entry or keychain gives an error that
// names the fix.
// The round trips need a keyring; ctest runs this suite beside a private one.
#include <QtTest>

#include <QProcess>
#include <QRandomGenerator>

#include "Keychain.h"
#include "LoopbackHttpServer.h"
#include "TestWorkspace.h"
#include "llmops/engine.h"
#include "llmops/secrets.h"

using namespace llmops;
using llmops::test::LoopbackHttpServer;
using llmops::test::LoopbackResponse;
using llmops::test::RecordedRequest;

namespace {

const char* kAnswer = R"({"choices":[{"index":0,"message":{"role":"assistant",
    "content":"Refunds take 5 days [1]."},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5}})";

ModelEndpoint keychainEndpoint(const std::string& baseUrl, const std::string& entry)
{
    ModelEndpoint endpoint;
    endpoint.name = "keyed";
    endpoint.kind = "openai-compatible";
    endpoint.baseUrl = baseUrl;
    endpoint.model = "test-model";
    endpoint.apiKeyKeychain = entry;
    endpoint.maxRetries = 0;
    endpoint.stream = false;
    return endpoint;
}

// Opens a workspace with the support pages indexed and every question routed to endpoint.
std::unique_ptr<Engine> openRoutedTo(const llmops::test::TestWorkspace& workspace, const ModelEndpoint& endpoint)
{
    workspace.addSupportPages();
    auto engine = workspace.open();
    if (!engine || engine->indexPaths({workspace.docsDir().toStdString()}).indexed() == 0)
        return nullptr;
    PipelineSettings settings = PipelineSettings::defaults();
    settings.models.push_back(endpoint);
    settings.rules.front().model = endpoint.name;
    if (!engine->updateSettings(settings).isOk())
        return nullptr;
    return engine;
}

// An entry name of its own per run, so a failed run leaves nothing a later run could read.
std::string uniqueEntry(const char* stem)
{
    return std::string(stem) + "-" + std::to_string(QRandomGenerator::global()->generate());
}

} // namespace

class KeychainTest : public QObject {
    Q_OBJECT

private slots:
    void withoutReaderTheErrorNamesTheEntry();
    void environmentVariableWinsOverKeychain();
    void keyFromKeychainReachesProviderOnly();
    void missingEntryNamesIt();
    void deletedEntryIsGone();
    void commandLineStoresChecksAndDeletes();

private:
    static bool haveKeyring();
};

bool KeychainTest::haveKeyring()
{
    return qEnvironmentVariableIsSet("LLMOPS_TEST_KEYRING");
}

void KeychainTest::withoutReaderTheErrorNamesTheEntry()
{
    setKeychainReader({});
    LoopbackHttpServer server;
    QVERIFY(server.start());
    server.route("POST", "/v1/chat/completions", LoopbackResponse::json(200, kAnswer));

    llmops::test::TestWorkspace workspace;
    auto engine = openRoutedTo(workspace, keychainEndpoint(server.baseUrl() + "/v1", "prod-openai"));
    QVERIFY(engine);

    auto result = engine->ask("How long do refunds take?");
    QVERIFY(!result.isOk());
    const std::string message = result.status().message();
    QVERIFY2(message.find("\"prod-openai\"") != std::string::npos, message.c_str());
    QVERIFY2(message.find("api_key_env") != std::string::npos, message.c_str());
    QCOMPARE(server.requests().size(), std::size_t(0));  // no call went out without its key
}

void KeychainTest::environmentVariableWinsOverKeychain()
{
    // The reader must not even be called when the variable contains a key.
    bool readerCalled = false;
    setKeychainReader([&readerCalled](const std::string&) -> Result<std::string> {
        readerCalled = true;
        return std::string("from-keychain");
    });
    qputenv("LLMOPS_TEST_OVERRIDE_KEY", "from-environment");
    LoopbackHttpServer server;
    QVERIFY(server.start());
    server.route("POST", "/v1/chat/completions", LoopbackResponse::json(200, kAnswer));

    llmops::test::TestWorkspace workspace;
    ModelEndpoint endpoint = keychainEndpoint(server.baseUrl() + "/v1", "any");
    endpoint.apiKeyEnv = "LLMOPS_TEST_OVERRIDE_KEY";
    auto engine = openRoutedTo(workspace, endpoint);
    QVERIFY(engine);
    auto result = engine->ask("How long do refunds take?");
    QVERIFY2(result.isOk(), result.status().toString().c_str());
    QCOMPARE(server.requests().front().header("Authorization"), std::string("Bearer from-environment"));
    QVERIFY(!readerCalled);
    qunsetenv("LLMOPS_TEST_OVERRIDE_KEY");
    setKeychainReader({});
}

void KeychainTest::keyFromKeychainReachesProviderOnly()
{
    if (!haveKeyring())
        QSKIP("no private keyring: install dbus-daemon (dbus-run-session) and gnome-keyring, then run through ctest");

    const std::string entry = uniqueEntry("llmops-test-openai");
    const std::string key = "sk-keychain-4b1d9e7a2c5f8063b9d1e4a7c0f3b6d9";
    const Status stored = keychain::writeSecret(entry, key);
    QVERIFY2(stored.isOk(), stored.toString().c_str());
    keychain::installEngineReader();

    LoopbackHttpServer server;
    QVERIFY(server.start());
    server.route("POST", "/v1/chat/completions", LoopbackResponse::json(200, kAnswer));
    llmops::test::TestWorkspace workspace;
    {
        auto engine = openRoutedTo(workspace, keychainEndpoint(server.baseUrl() + "/v1", entry));
        QVERIFY(engine);

        auto result = engine->ask("How long do refunds take?");
        QVERIFY2(result.isOk(), result.status().toString().c_str());
        QCOMPARE(server.requests().front().header("Authorization"), "Bearer " + key);
        QVERIFY(!QByteArray::fromStdString(queryResultToJson(result.value())).contains(key.c_str()));
        QVERIFY(QByteArray::fromStdString(settingsToJson(engine->settings())).contains(entry.c_str()));
    }
    // Only the entry name is stored; the key is in no byte of the workspace.
    QVERIFY(!workspace.storedBytes().contains(key.c_str()));
    QVERIFY(keychain::deleteSecret(entry).isOk());
    setKeychainReader({});
}

void KeychainTest::missingEntryNamesIt()
{
    if (!haveKeyring())
        QSKIP("no private keyring: install dbus-daemon (dbus-run-session) and gnome-keyring, then run through ctest");

    const std::string entry = uniqueEntry("llmops-test-missing");
    Result<std::string> secret = keychain::readSecret(entry);
    QVERIFY(!secret.isOk());
    QCOMPARE(secret.status().code(), StatusCode::NotFound);
    const std::string message = secret.status().message();
    QVERIFY2(message.find("\"" + entry + "\"") != std::string::npos, message.c_str());
    QVERIFY2(message.find("llmops keychain set") != std::string::npos, message.c_str());
}

void KeychainTest::deletedEntryIsGone()
{
    if (!haveKeyring())
        QSKIP("no private keyring: install dbus-daemon (dbus-run-session) and gnome-keyring, then run through ctest");

    const std::string entry = uniqueEntry("llmops-test-delete");
    QVERIFY(keychain::writeSecret(entry, "first").isOk());
    QVERIFY(keychain::writeSecret(entry, "second").isOk());
    Result<std::string> secret = keychain::readSecret(entry);
    QVERIFY2(secret.isOk(), secret.status().toString().c_str());
    QCOMPARE(secret.value(), std::string("second"));

    QVERIFY(keychain::deleteSecret(entry).isOk());
    QCOMPARE(keychain::readSecret(entry).status().code(), StatusCode::NotFound);
    QVERIFY(keychain::deleteSecret(entry).isOk());  // deleting twice is not an error
}

// Runs the command-line tool with stdin as its standard input; returns its exit code.
static int runCli(const QStringList& arguments, const QByteArray& stdinBytes, QByteArray* output)
{
    QProcess process;
    process.start(QStringLiteral(LLMOPS_CLI_PATH), arguments);
    process.write(stdinBytes);
    process.closeWriteChannel();
    process.waitForFinished(30000);
    *output = process.readAllStandardOutput() + process.readAllStandardError();
    return process.exitCode();
}

void KeychainTest::commandLineStoresChecksAndDeletes()
{
    if (!haveKeyring())
        QSKIP("no private keyring: install dbus-daemon (dbus-run-session) and gnome-keyring, then run through ctest");

    const QString entry = QString::fromStdString(uniqueEntry("llmops-test-cli"));
    const QByteArray key = "sk-cli-0d3f6a9c2e5b8174";
    QByteArray output;
    QCOMPARE(runCli({QStringLiteral("keychain"), QStringLiteral("set"), entry}, key + "\n", &output), 0);
    QVERIFY2(!output.contains(key), output.constData());

    QCOMPARE(runCli({QStringLiteral("keychain"), QStringLiteral("check"), entry}, {}, &output), 0);
    QVERIFY2(output.contains("contains a key of 23 characters"), output.constData());
    QVERIFY2(!output.contains(key), output.constData());
    Result<std::string> stored = keychain::readSecret(entry.toStdString());
    QVERIFY2(stored.isOk(), stored.status().toString().c_str());
    QCOMPARE(QByteArray::fromStdString(stored.value()), key);

    QCOMPARE(runCli({QStringLiteral("keychain"), QStringLiteral("set"), entry}, "\n", &output), 1);
    QVERIFY2(output.contains("no key, or more than one line"), output.constData());
    QCOMPARE(runCli({QStringLiteral("keychain"), QStringLiteral("set"), entry}, "sk-one\nX-Injected: two\n", &output), 1);

    QCOMPARE(runCli({QStringLiteral("keychain"), QStringLiteral("delete"), entry}, {}, &output), 0);
    QCOMPARE(runCli({QStringLiteral("keychain"), QStringLiteral("check"), entry}, {}, &output), 1);
    QVERIFY2(output.contains("has no entry"), output.constData());
}

QTEST_GUILESS_MAIN(KeychainTest)
#include "tst_keychain.moc"
