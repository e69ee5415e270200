// SPDX-License-Identifier: MIT
#include "WorkspaceStore.h"

#include <array>
#include <cstdlib>
#include <filesystem>

#include <sqlite3.h>

namespace llmops {
namespace {

// Migration n brings a workspace from schema n-1 to n. Never edit a released migration:
// add a new one, because existing workspaces have already run the old text.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // 1: documents, chunks, embeddings and full-text search over chunk text.
    R"sql(
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        metadata TEXT NOT NULL DEFAULT '{}',
        content_hash TEXT,
        mtime INTEGER,
        size INTEGER,
        status TEXT NOT NULL,
        error TEXT,
        indexed_at INTEGER);
    CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        heading_path TEXT NOT NULL,
        text TEXT NOT NULL,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL);
    CREATE INDEX chunks_by_document ON chunks(document_id);
    CREATE TABLE embeddings (
        chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
        embedder TEXT NOT NULL,
        vector BLOB NOT NULL);
    CREATE VIRTUAL TABLE chunks_fts USING fts5(
        heading_path, text, content='chunks', content_rowid='id', tokenize='porter unicode61');
    CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts(rowid, heading_path, text) VALUES (new.id, new.heading_path, new.text);
    END;
    CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts(chunks_fts, rowid, heading_path, text)
        VALUES ('delete', old.id, old.heading_path, old.text);
    END;
    )sql",

    // 2: traces with one span per pipeline stage, and the exact-match answer cache.
    R"sql(
    CREATE TABLE traces (
        id INTEGER PRIMARY KEY,
        started_at INTEGER NOT NULL,
        query TEXT NOT NULL,
        answer TEXT NOT NULL,
        route TEXT NOT NULL,
        model TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        total_us INTEGER NOT NULL,
        status TEXT NOT NULL,
        flags TEXT NOT NULL,
        result TEXT NOT NULL);
    CREATE INDEX traces_by_time ON traces(started_at);
    CREATE TABLE spans (
        id INTEGER PRIMARY KEY,
        trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        name TEXT NOT NULL,
        start_us INTEGER NOT NULL,
        duration_us INTEGER NOT NULL,
        status TEXT NOT NULL,
        detail TEXT NOT NULL);
    CREATE INDEX spans_by_trace ON spans(trace_id);
    CREATE TABLE answer_cache (
        key TEXT PRIMARY KEY,
        result TEXT NOT NULL,
        created_at INTEGER NOT NULL);
    )sql",

    // 3: the output validator's verdict on each answer sentence, and the review queue of
    // flagged responses. A review item refers to a trace or, for eval regressions, to an
    // eval item by a free-form reference.
    R"sql(
    CREATE TABLE claim_verdicts (
        id INTEGER PRIMARY KEY,
        trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        claim TEXT NOT NULL,
        begin_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        score REAL NOT NULL,
        supported INTEGER NOT NULL,
        context_number INTEGER NOT NULL,
        chunk_id INTEGER,
        document_path TEXT NOT NULL,
        heading_path TEXT NOT NULL);
    CREATE INDEX claim_verdicts_by_trace ON claim_verdicts(trace_id);
    CREATE TABLE review_items (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN
            ('guardrail_block', 'unsupported_claim', 'pii_leak', 'eval_regression', 'alert')),
        trace_id INTEGER REFERENCES traces(id) ON DELETE CASCADE,
        eval_ref TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
        verdict TEXT NOT NULL DEFAULT '' CHECK (verdict IN ('', 'correct', 'hallucination', 'false_alarm')),
        note TEXT NOT NULL DEFAULT '',
        corrected_answer TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL);
    CREATE INDEX review_items_by_status ON review_items(status, created_at);
    CREATE INDEX review_items_by_trace ON review_items(trace_id);
    )sql",

    // 4: versioned routing rule sets; each trace records the version that routed it and the
    // request metadata that routing conditions can test.
    R"sql(
    CREATE TABLE rule_sets (
        version INTEGER PRIMARY KEY,
        rules TEXT NOT NULL,
        note TEXT NOT NULL,
        created_at INTEGER NOT NULL);
    ALTER TABLE traces ADD COLUMN rule_set_version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE traces ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
    )sql",

    // 5: the dashboard. Traces written by `llmops dev-generate-traces` are marked synthetic,
    // the time to the first streamed token gets a column, and a covering index lets the
    // aggregation over a time range read index pages only, never the result JSON rows; the
    // trace list filters by model through traces_by_model. Figures per UTC hour are kept in rollup tables, filled when a dashboard query first reads
    // an hour; the triggers drop an hour's rollup whenever a trace of that hour changes.
    R"sql(
    ALTER TABLE traces ADD COLUMN synthetic INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE traces ADD COLUMN first_token_us INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX traces_metrics ON traces(started_at, status, model, route, cost_usd, total_us,
                                          first_token_us, flags);
    CREATE INDEX traces_by_model ON traces(model, started_at);
    CREATE TABLE metric_rollups (
        hour_start INTEGER PRIMARY KEY,
        queries INTEGER NOT NULL,
        blocked INTEGER NOT NULL,
        cached INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        answered INTEGER NOT NULL,
        unsupported INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        latencies BLOB NOT NULL,
        first_tokens BLOB NOT NULL);
    CREATE TABLE metric_rollup_costs (
        hour_start INTEGER NOT NULL,
        model TEXT NOT NULL,
        route TEXT NOT NULL,
        cost_usd REAL NOT NULL,
        queries INTEGER NOT NULL,
        PRIMARY KEY (hour_start, model, route)) WITHOUT ROWID;
    CREATE TRIGGER traces_rollup_insert AFTER INSERT ON traces BEGIN
        DELETE FROM metric_rollups WHERE hour_start = new.started_at - new.started_at % 3600000;
        DELETE FROM metric_rollup_costs WHERE hour_start = new.started_at - new.started_at % 3600000;
    END;
    CREATE TRIGGER traces_rollup_delete AFTER DELETE ON traces BEGIN
        DELETE FROM metric_rollups WHERE hour_start = old.started_at - old.started_at % 3600000;
        DELETE FROM metric_rollup_costs WHERE hour_start = old.started_at - old.started_at % 3600000;
    END;
    CREATE TRIGGER traces_rollup_update AFTER UPDATE ON traces BEGIN
        DELETE FROM metric_rollups WHERE hour_start IN (old.started_at - old.started_at % 3600000,
                                                        new.started_at - new.started_at % 3600000);
        DELETE FROM metric_rollup_costs WHERE hour_start IN (old.started_at - old.started_at % 3600000,
                                                             new.started_at - new.started_at % 3600000);
    END;
    )sql",

    // 6: evaluation data sets by name and version, runs of a version against the pipeline with
    // the settings they used, one result row per item and run, and alerts that fired.
    R"sql(
    CREATE TABLE eval_datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        UNIQUE (name, version));
    CREATE TABLE eval_items (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES eval_datasets(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        question TEXT NOT NULL,
        reference TEXT NOT NULL DEFAULT '',
        reference_contexts TEXT NOT NULL DEFAULT '[]',
        document_ids TEXT NOT NULL DEFAULT '[]',
        tags TEXT NOT NULL DEFAULT '[]',
        assertions TEXT NOT NULL DEFAULT '[]',
        response TEXT NOT NULL DEFAULT '');
    CREATE INDEX eval_items_by_dataset ON eval_items(dataset_id, ordinal);
    CREATE TABLE eval_runs (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES eval_datasets(id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('running', 'cancelled', 'done')),
        concurrency INTEGER NOT NULL,
        settings TEXT NOT NULL,
        price_table_version TEXT NOT NULL,
        rule_set_version INTEGER NOT NULL,
        judge_model TEXT NOT NULL DEFAULT '',
        judge_prompt TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        finished_at INTEGER);
    CREATE TABLE eval_results (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL REFERENCES eval_items(id) ON DELETE CASCADE,
        answer TEXT NOT NULL,
        contexts TEXT NOT NULL,
        trace_id INTEGER NOT NULL,
        latency_us INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        error TEXT NOT NULL DEFAULT '',
        faithfulness REAL,
        answer_relevancy REAL,
        context_recall REAL,
        context_precision REAL,
        finished_at INTEGER NOT NULL,
        UNIQUE (run_id, item_id));
    CREATE TABLE eval_alerts (
        id INTEGER PRIMARY KEY,
        rule TEXT NOT NULL,
        run_id INTEGER REFERENCES eval_runs(id) ON DELETE CASCADE,
        baseline_run_id INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL,
        created_at INTEGER NOT NULL);
    )sql",
};

int currentVersion(Database& database)
{
    Statement query(database, "SELECT MAX(version) FROM schema_version");
    return query.step() ? static_cast<int>(query.columnInt(0)) : 0;
}

bool hasTable(Database& database, const char* name)
{
    Statement query(database, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    query.bind(1, std::string_view(name));
    return query.step();
}

} // namespace

Status migrateSchema(Database& database, int targetVersion)
{
    Status status = database.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    if (!status.isOk())
        return status;

    for (int version = currentVersion(database) + 1; version <= targetVersion; ++version) {
        Transaction transaction(database);
        if (!transaction.beginStatus().isOk())
            return transaction.beginStatus();
        status = database.execute(kMigrations[static_cast<std::size_t>(version - 1)]);
        if (status.isOk())
            status = database.execute("INSERT INTO schema_version(version) VALUES (" + std::to_string(version) + ")");
        if (status.isOk())
            status = transaction.commit();
        if (!status.isOk())
            return Status::ioError("migration to workspace schema " + std::to_string(version) +
                                   " failed: " + status.message());
    }
    return Status::ok();
}

Status WorkspaceStore::checkIsWorkspace(const std::string& path)
{
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        return Status::invalidArgument(path + " is a folder; pass the path of a workspace file");
    return Status::ok();
}

Status WorkspaceStore::open(const std::string& path)
{
    m_path = path;
    Status status = checkIsWorkspace(path);
    if (status.isOk())
        status = m_database.open(path);
    if (!status.isOk())
        return status;

    // A database of another application has tables but no schema_version: leave it alone.
    bool empty = false;
    {
        // The header is not read with a stream of our own: closing any descriptor of the file
        // drops every POSIX lock this process holds on it, including those of other open
        // connections (an eval run opens several), and another process could then delete the
        // write-ahead log under them. SQLite reads the header here and reports a foreign file.
        Statement count(m_database, "SELECT COUNT(*) FROM sqlite_master");
        if ((sqlite3_errcode(m_database.handle()) & 0xFF) == SQLITE_NOTADB)
            return Status::corruption(path + " is not a workspace database (it is not an SQLite file); open "
                                             "another file or choose a new path");
        empty = count.step() && count.columnInt(0) == 0;
    }  // finalised here: an open statement would hold a read transaction and block the WAL switch
    if (!empty && !hasTable(m_database, "schema_version") && !hasTable(m_database, "documents")) {
        Statement check(m_database, "PRAGMA quick_check");
        const bool intact = check.step() && check.columnText(0) == "ok";
        if (!intact)
            return Status::corruption(path + " is a damaged SQLite database (" + m_database.errorMessage() +
                                      "); restore it from a backup or choose a new path");
    }
    if (!empty && !hasTable(m_database, "schema_version"))
        return Status::corruption(path + " is an SQLite database but not an llmops workspace; open another "
                                         "file or choose a new path");

    if (hasTable(m_database, "schema_version") && currentVersion(m_database) > kSchemaVersion)
        return Status::invalidArgument(path + " uses workspace schema " + std::to_string(currentVersion(m_database)) +
                                       ", newer than this build's " + std::to_string(kSchemaVersion) +
                                       "; update llmops to open it");

    status = m_database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    if (!status.isOk())
        return Status::ioError("cannot configure the workspace " + path + ": " + status.message());
    return migrateSchema(m_database, kSchemaVersion);
}

std::optional<std::string> WorkspaceStore::setting(const std::string& key)
{
    Statement query(m_database, "SELECT value FROM settings WHERE key = ?");
    query.bind(1, key);
    if (!query.step())
        return std::nullopt;
    return query.columnText(0);
}

Status WorkspaceStore::setSetting(const std::string& key, const std::string& value)
{
    Statement upsert(m_database, "INSERT INTO settings(key, value) VALUES (?, ?) "
                                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    upsert.bind(1, key).bind(2, value);
    return upsert.run();
}

std::int64_t WorkspaceStore::indexVersion()
{
    const auto value = setting("index_version");
    return value ? std::strtoll(value->c_str(), nullptr, 10) : 0;
}

Status WorkspaceStore::bumpIndexVersion()
{
    return setSetting("index_version", std::to_string(indexVersion() + 1));
}

} // namespace llmops
