// SPDX-License-Identifier: MIT
#include "Sqlite.h"

#include <sqlite3.h>

#include <cstring>

namespace llmops {

Database::~Database()
{
    if (m_handle != nullptr)
        sqlite3_close_v2(m_handle);
}

Status Database::open(const std::string& path)
{
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &m_handle, flags, nullptr) != SQLITE_OK) {
        const std::string message = m_handle != nullptr ? sqlite3_errmsg(m_handle) : "out of memory";
        sqlite3_close_v2(m_handle);
        m_handle = nullptr;
        return Status::ioError("cannot open the workspace " + path + ": " + message);
    }

    // Wait for another process's write lock instead of failing at once (the CLI and the
    // console may share a workspace).
    sqlite3_busy_timeout(m_handle, 5000);
    sqlite3_extended_result_codes(m_handle, 1);
    return Status::ok();
}

Status Database::execute(std::string_view sql)
{
    char* error = nullptr;
    const std::string statement(sql);
    if (sqlite3_exec(m_handle, statement.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error != nullptr ? error : errorMessage();
        sqlite3_free(error);
        return Status::ioError("SQLite: " + message);
    }
    return Status::ok();
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_handle);
}

int Database::changes() const
{
    return sqlite3_changes(m_handle);
}

std::string Database::errorMessage() const
{
    return m_handle != nullptr ? sqlite3_errmsg(m_handle) : "no database";
}

Statement::Statement(Database& database, std::string_view sql) : m_database(database)
{
    const int rc = sqlite3_prepare_v3(database.handle(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr);
    if (rc != SQLITE_OK)
        m_prepareStatus = Status::internal("SQLite cannot prepare a statement: " + database.errorMessage());
    m_status = m_prepareStatus;
}

Statement::~Statement()
{
    sqlite3_finalize(m_statement);
}

Statement& Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_statement, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_statement, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text64(m_statement, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement& Statement::bindBlob(int index, const void* data, std::size_t bytes)
{
    sqlite3_bind_blob64(m_statement, index, data, bytes, SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    sqlite3_bind_null(m_statement, index);
    return *this;
}

bool Statement::step()
{
    if (m_statement == nullptr)
        return false;
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE) {
        const int primary = rc & 0xFF;
        const std::string message = "SQLite: " + m_database.errorMessage();
        m_status = primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ? Status::corruption(message)
                                                                          : Status::ioError(message);
    }
    return false;
}

Status Statement::run()
{
    while (step()) {
    }
    return m_status;
}

std::int64_t Statement::columnInt(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

double Statement::columnDouble(int column) const
{
    return sqlite3_column_double(m_statement, column);
}

std::string Statement::columnText(int column) const
{
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, column));
    return text != nullptr ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column)))
                           : std::string();
}

std::vector<float> Statement::columnFloats(int column) const
{
    const void* blob = sqlite3_column_blob(m_statement, column);
    const auto bytes = static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column));
    std::vector<float> values(bytes / sizeof(float));
    if (blob != nullptr && !values.empty())
        std::memcpy(values.data(), blob, values.size() * sizeof(float));
    return values;
}

std::vector<std::int64_t> Statement::columnInt64s(int column) const
{
    const void* blob = sqlite3_column_blob(m_statement, column);
    const auto bytes = static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column));
    std::vector<std::int64_t> values(bytes / sizeof(std::int64_t));
    if (blob != nullptr && !values.empty())
        std::memcpy(values.data(), blob, values.size() * sizeof(std::int64_t));
    return values;
}

bool Statement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

void Statement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    m_status = m_prepareStatus;
}

Transaction::Transaction(Database& database) : m_database(database)
{
    m_beginStatus = database.execute("BEGIN IMMEDIATE");
    m_open = m_beginStatus.isOk();
}

Transaction::~Transaction()
{
    if (m_open)
        (void)m_database.execute("ROLLBACK");
}

Status Transaction::commit()
{
    Status status = m_database.execute("COMMIT");
    if (status.isOk())
        m_open = false;
    return status;
}

} // namespace llmops
