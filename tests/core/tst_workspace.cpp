// SPDX-License-Identifier: MIT
#include <QtTest>

#include "Sqlite.h"
#include "TestWorkspace.h"
#include "WorkspaceStore.h"
#include "llmops/engine.h"

using namespace llmops;
using llmops::test::TestWorkspace;

namespace {

int schemaVersion(const QString& path)
{
    Database database;
    if (!database.open(path.toStdString()).isOk())
        return -1;
    Statement query(database, "SELECT MAX(version) FROM schema_version");
    return query.step() ? static_cast<int>(query.columnInt(0)) : -1;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const FileOutcome* outcomeFor(const IndexReport& report, const QString& fileName)
{
    for (const FileOutcome& file : report.files) {
        if (QString::fromStdString(file.path).endsWith(fileName))
            return &file;
    }
    return nullptr;
}

} // namespace

class WorkspaceTest : public QObject {
    Q_OBJECT

private slots:
    void newWorkspaceHasLatestSchema();
    void olderSchemaMigratesForward();
    void newerSchemaRejected();
    void claimVerdictsReadFromTable();
    void schemaTwoTraceKeepsJsonClaims();
    void textFileRejectedUntouched();
    void foreignDatabaseRejected();
    void unchangedFileSkipped();
    void changedFileReplacesChunks();
    void failingFileKeepsStoredChunks();
    void badFilesReported_data();
    void badFilesReported();
    void missingVectorIndexRebuilt();
    void damagedVectorIndexRebuilt();
    void settingsRoundTrip();
    void invalidSettingsKeepStored();
    void invalidModelValuesRejected_data();
    void invalidModelValuesRejected();
};

void WorkspaceTest::newWorkspaceHasLatestSchema()
{
    TestWorkspace workspace;
    { auto engine = workspace.open(); QVERIFY(engine); }
    QCOMPARE(schemaVersion(workspace.workspacePath()), kSchemaVersion);
    QVERIFY(QFileInfo::exists(workspace.workspacePath() + QStringLiteral(".hnsw")));
}

void WorkspaceTest::olderSchemaMigratesForward()
{
    TestWorkspace workspace;
    {
        Database database;
        QVERIFY(database.open(workspace.workspacePath().toStdString()).isOk());
        QVERIFY(migrateSchema(database, 1).isOk());
        QVERIFY(database.execute("INSERT INTO documents(path, status) VALUES ('/old/page.md', 'indexed')").isOk());
    }
    QCOMPARE(schemaVersion(workspace.workspacePath()), 1);

    auto engine = workspace.open();
    QVERIFY(engine);
    QCOMPARE(schemaVersion(workspace.workspacePath()), kSchemaVersion);
    auto documents = engine->documents();
    QVERIFY(documents.isOk());
    QCOMPARE(documents->size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(documents->front().path), QStringLiteral("/old/page.md"));
    QVERIFY(engine->recentTraces(5).isOk());  // the table added by migration 2 exists
}

void WorkspaceTest::newerSchemaRejected()
{
    TestWorkspace workspace;
    { auto engine = workspace.open(); QVERIFY(engine); }
    {
        Database database;
        QVERIFY(database.open(workspace.workspacePath().toStdString()).isOk());
        QVERIFY(database.execute("INSERT INTO schema_version(version) VALUES (99)").isOk());
    }
    auto engine = Engine::open(workspace.workspacePath().toStdString());
    QVERIFY(!engine.isOk());
    QVERIFY2(engine.status().message().find("schema 99") != std::string::npos, engine.status().message().c_str());
}

void WorkspaceTest::claimVerdictsReadFromTable()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    QVERIFY(engine);
    QCOMPARE(engine->indexPaths({workspace.docsDir().toStdString()}).indexed(), 4);
    auto result = engine->ask("How do I request a refund?");
    QVERIFY(result.isOk());
    QVERIFY(!result->claims.empty());

    // Change the stored rows behind the engine's back: trace() must read the table, not the
    // copy inside the result JSON.
    {
        Database database;
        QVERIFY(database.open(workspace.workspacePath().toStdString()).isOk());
        Statement count(database, "SELECT COUNT(*) FROM claim_verdicts WHERE trace_id = ?");
        count.bind(1, result->traceId);
        QVERIFY(count.step());
        QCOMPARE(static_cast<std::size_t>(count.columnInt(0)), result->claims.size());
        Statement update(database, "UPDATE claim_verdicts SET score = 0.125 WHERE trace_id = ? AND ordinal = 0");
        update.bind(1, result->traceId);
        QVERIFY(update.run().isOk());
    }
    auto stored = engine->trace(result->traceId);
    QVERIFY(stored.isOk());
    QCOMPARE(stored->claims.front().score, 0.125);
    QCOMPARE(stored->claims.front().claim, result->claims.front().claim);
}

void WorkspaceTest::schemaTwoTraceKeepsJsonClaims()
{
    TestWorkspace workspace;
    {
        Database database;
        QVERIFY(database.open(workspace.workspacePath().toStdString()).isOk());
        QVERIFY(migrateSchema(database, 2).isOk());
        QVERIFY(database.execute(R"sql(
            INSERT INTO traces(id, started_at, query, answer, route, model, input_tokens, output_tokens,
                               cost_usd, total_us, status, flags, result)
            VALUES (7, 1000, 'q', 'Refunds take 5 days.', 'default', 'local-extractive', 0, 0, 0, 10, 'ok', '',
                    '{"query":"q","answer":"Refunds take 5 days.","claims":[{"claim":"Refunds take 5 days.",
                      "supported":true,"score":0.8,"best_context":1}]}'))sql")
                    .isOk());
    }

    auto engine = workspace.open();
    QVERIFY(engine);
    auto stored = engine->trace(7);
    QVERIFY2(stored.isOk(), stored.status().toString().c_str());
    QCOMPARE(stored->claims.size(), std::size_t{1});
    QCOMPARE(stored->claims.front().score, 0.8);
    QVERIFY(engine->reviewItems({}).isOk());  // the tables added by migration 3 exist
}

void WorkspaceTest::textFileRejectedUntouched()
{
    TestWorkspace workspace;
    const QByteArray notes = "These are my notes, not a database.\n";
    const QString path = llmops::test::writeFile(workspace.filePath(QStringLiteral("notes.llmops")), notes);

    auto engine = Engine::open(path.toStdString());
    QVERIFY(!engine.isOk());
    QCOMPARE(engine.status().code(), StatusCode::Corruption);
    QVERIFY(engine.status().message().find(path.toStdString()) != std::string::npos);
    QVERIFY(engine.status().message().find("not a workspace") != std::string::npos);
    QCOMPARE(readAll(path), notes);
}

void WorkspaceTest::foreignDatabaseRejected()
{
    TestWorkspace workspace;
    const std::string path = workspace.filePath(QStringLiteral("other.sqlite")).toStdString();
    {
        Database database;
        QVERIFY(database.open(path).isOk());
        QVERIFY(database.execute("CREATE TABLE customers(id INTEGER, name TEXT)").isOk());
    }
    auto engine = Engine::open(path);
    QVERIFY(!engine.isOk());
    QVERIFY(engine.status().message().find("not an llmops workspace") != std::string::npos);
}

void WorkspaceTest::unchangedFileSkipped()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    const IndexReport first = engine->indexPaths({workspace.docsDir().toStdString()});
    QCOMPARE(first.indexed(), 4);
    QCOMPARE(first.failed(), 0);
    const std::int64_t chunks = engine->stats().chunks;
    QVERIFY(chunks >= 4);

    const IndexReport second = engine->indexPaths({workspace.docsDir().toStdString()});
    QCOMPARE(second.unchanged(), 4);
    QCOMPARE(second.indexed(), 0);
    QCOMPARE(engine->stats().chunks, chunks);
}

void WorkspaceTest::changedFileReplacesChunks()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    (void)engine->indexPaths({workspace.docsDir().toStdString()});
    const std::int64_t before = engine->stats().chunks;

    workspace.addDocument(QStringLiteral("contact.txt"),
                          "Contact support\n\nWrite to the helpdesk about zeppelins and nothing else.\n");
    const IndexReport report = engine->indexPaths({workspace.docsDir().toStdString()});
    QCOMPARE(report.indexed(), 1);
    QCOMPARE(report.unchanged(), 3);
    QCOMPARE(engine->stats().chunks, before);  // one chunk replaced by one chunk

    auto answer = engine->ask("Which topic does the helpdesk handle, zeppelins?", {false, nullptr, {}, {}});
    QVERIFY(answer.isOk());
    QVERIFY2(answer->answer.find("zeppelins") != std::string::npos, answer->answer.c_str());
    auto old = engine->ask("When is phone support available on the Business plan?", {false, nullptr, {}, {}});
    QVERIFY(old.isOk());
    QVERIFY2(old->answer.find("9:00") == std::string::npos, old->answer.c_str());
}

void WorkspaceTest::failingFileKeepsStoredChunks()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    auto engine = workspace.open();
    (void)engine->indexPaths({workspace.docsDir().toStdString()});
    const std::int64_t before = engine->stats().chunks;

    workspace.addDocument(QStringLiteral("contact.txt"), QByteArray("Contact \xff\xfe support\n"));
    const IndexReport report = engine->indexPaths({workspace.docsDir().toStdString()});
    QCOMPARE(report.failed(), 1);
    QCOMPARE(engine->stats().chunks, before);

    auto answer = engine->ask("When is phone support available?", {false, nullptr, {}, {}});
    QVERIFY(answer.isOk());
    QVERIFY2(answer->answer.find("9:00") != std::string::npos, answer->answer.c_str());
}

void WorkspaceTest::badFilesReported_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << "empty.md" << QByteArray() << "empty";
    QTest::newRow("binary") << "image.md" << QByteArray("\x89PNG\r\n\x1a\n\0\0\0", 11) << "binary";
    QTest::newRow("invalid utf-8") << "latin1.txt" << QByteArray("caf\xe9 au lait\n") << "UTF-8";
    QTest::newRow("too large") << "huge.txt" << QByteArray(6 * 1024 * 1024, 'a') << "limit";
    QTest::newRow("markup only") << "markup.md" << QByteArray("<div class=\"x\"><img src=\"a.png\"/></div>\n")
                                 << "no indexable text";
}

void WorkspaceTest::badFilesReported()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    TestWorkspace workspace;
    workspace.addSupportPages();
    workspace.addDocument(name, bytes);
    auto engine = workspace.open();

    const IndexReport report = engine->indexPaths({workspace.docsDir().toStdString()});
    QCOMPARE(report.indexed(), 4);
    QCOMPARE(report.failed(), 1);
    const FileOutcome* failed = outcomeFor(report, name);
    QVERIFY(failed != nullptr);
    QCOMPARE(failed->kind, FileOutcome::Kind::Failed);
    const QString message = QString::fromStdString(failed->error);
    QVERIFY2(message.contains(name), qPrintable(message));
    QVERIFY2(message.contains(reason, Qt::CaseInsensitive), qPrintable(message));

    auto documents = engine->documents();
    const auto row = std::find_if(documents->begin(), documents->end(),
                                  [&](const Engine::DocumentRow& r) { return QString::fromStdString(r.path).endsWith(name); });
    QVERIFY(row != documents->end());
    QCOMPARE(QString::fromStdString(row->status), QStringLiteral("failed"));
    QCOMPARE(QString::fromStdString(row->error), message);
}

void WorkspaceTest::missingVectorIndexRebuilt()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    {
        auto engine = workspace.open();
        (void)engine->indexPaths({workspace.docsDir().toStdString()});
    }
    QVERIFY(QFile::remove(workspace.workspacePath() + QStringLiteral(".hnsw")));

    auto engine = workspace.open();
    QVERIFY(engine);
    auto answer = engine->ask("How do I enable two-factor authentication?", {false, nullptr, {}, {}});
    QVERIFY(answer.isOk());
    const bool vectorHit = std::any_of(answer->context.begin(), answer->context.end(),
                                       [](const RetrievalHit& hit) { return hit.vectorRank > 0; });
    QVERIFY(vectorHit);
}

void WorkspaceTest::damagedVectorIndexRebuilt()
{
    TestWorkspace workspace;
    workspace.addSupportPages();
    {
        auto engine = workspace.open();
        (void)engine->indexPaths({workspace.docsDir().toStdString()});
    }
    const QString indexPath = workspace.workspacePath() + QStringLiteral(".hnsw");
    llmops::test::writeFile(indexPath, QByteArray(4096, '\x7f'));

    auto engine = workspace.open();
    QVERIFY(engine);
    auto answer = engine->ask("How do I enable two-factor authentication?", {false, nullptr, {}, {}});
    QVERIFY(answer.isOk());
    QVERIFY(std::any_of(answer->context.begin(), answer->context.end(),
                        [](const RetrievalHit& hit) { return hit.vectorRank > 0; }));
    QVERIFY(readAll(indexPath) != QByteArray(4096, '\x7f'));
}

void WorkspaceTest::settingsRoundTrip()
{
    TestWorkspace workspace;
    PipelineSettings settings = PipelineSettings::defaults();
    settings.retrieval.topK = 7;
    settings.models.push_back({"gpt-small", "openai-compatible", "http://127.0.0.1:9/v1", "small", "KEY_VAR", 5000, 0.15, 0.6});
    settings.rules.insert(settings.rules.begin(), {"billing", {"invoice"}, "", 0, "gpt-small", {}, {}});
    {
        auto engine = workspace.open();
        QVERIFY(engine->updateSettings(settings).isOk());
    }
    auto engine = workspace.open();
    QCOMPARE(engine->settings().retrieval.topK, 7);
    QCOMPARE(engine->settings().models.size(), std::size_t{2});
    QCOMPARE(QString::fromStdString(engine->settings().rules.front().model), QStringLiteral("gpt-small"));
    QCOMPARE(engine->settings().models.back().outputUsdPerMillion, 0.6);
}

void WorkspaceTest::invalidSettingsKeepStored()
{
    TestWorkspace workspace;
    auto engine = workspace.open();
    PipelineSettings bad = PipelineSettings::defaults();
    bad.rules.insert(bad.rules.begin(), {"broken", {}, "([unclosed", 0, "local-extractive", {}, {}});
    const Status status = engine->updateSettings(bad);
    QVERIFY(!status.isOk());
    QVERIFY2(status.message().find("broken") != std::string::npos, status.message().c_str());

    bad = PipelineSettings::defaults();
    bad.rules.front().model = "deleted-model";
    QVERIFY(!engine->updateSettings(bad).isOk());
    QCOMPARE(engine->settings().rules.size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(engine->settings().rules.front().model), QStringLiteral("local-extractive"));

    auto parsed = settingsFromJson(R"({"retrieval": {"top_k": "five"}})");
    QVERIFY(!parsed.isOk());
    QVERIFY2(parsed.status().message().find("top_k") != std::string::npos, parsed.status().message().c_str());
    QVERIFY(!settingsFromJson("{not json").isOk());

    // A misspelt finding kind would leave cards on their default action without a word.
    parsed = settingsFromJson(R"({"input_guard": {"actions": {"pii.credit_card": "block"}}})");
    QVERIFY(!parsed.isOk());
    QVERIFY2(parsed.status().message().find("pii.credit_card") != std::string::npos, parsed.status().message().c_str());
    QVERIFY(!settingsFromJson(R"({"input_guard": {"actions": "block"}})").isOk());
    QVERIFY(settingsFromJson(R"({"input_guard": {"actions": {"pii.card": "block", "pii": "redact"}}})").isOk());
}

void WorkspaceTest::invalidModelValuesRejected_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("negative price") << "input_usd_per_million" << "-5" << "input_usd_per_million is -5";
    QTest::newRow("huge price") << "output_usd_per_million" << "1e308" << "output_usd_per_million is";
    QTest::newRow("negative timeout") << "timeout_ms" << "-1" << "timeout_ms is -1";
    QTest::newRow("retries") << "max_retries" << "1000000" << "max_retries is";
    QTest::newRow("empty name") << "name" << "\"\"" << "empty name";
    QTest::newRow("duplicate name") << "name" << "\"local-extractive\"" << "two model endpoints are named";
    QTest::newRow("not a URL") << "base_url" << "\"ftp://example.invalid/v1\"" << "not an http:// or https:// URL";
    QTest::newRow("key pasted as variable") << "api_key_env" << "\"sk-proj-PASTEDKEY123\""
                                            << "not an environment variable name";
}

void WorkspaceTest::invalidModelValuesRejected()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const std::string json = "{\"models\": [{\"name\": \"local-extractive\"}, {\"name\": \"remote\", "
                             "\"kind\": \"openai-compatible\", \"base_url\": \"http://127.0.0.1:9/v1\", \"model\": \"m\", \"" +
                             field.toStdString() + "\": " + value.toStdString() + "}]}";
    auto parsed = settingsFromJson(json);
    const Status status = parsed.isOk() ? validateSettings(parsed.value()) : parsed.status();
    QVERIFY(!status.isOk());
    QVERIFY2(status.message().find(expected.toStdString()) != std::string::npos, status.message().c_str());
    QVERIFY2(status.message().find("PASTEDKEY") == std::string::npos, status.message().c_str());
}

QTEST_GUILESS_MAIN(WorkspaceTest)
#include "tst_workspace.moc"
