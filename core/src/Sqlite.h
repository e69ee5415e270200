// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "llmops/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace llmops {

// An open SQLite connection. Errors are returned as Status values that name the statement's
// purpose and SQLite's message.
class Database {
public:
    Database() = default;
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Opens or creates the file. The connection is closed again when opening fails.
    Status open(const std::string& path);

    // Runs one or more statements that return no rows.
    Status execute(std::string_view sql);

    sqlite3* handle() const { return m_handle; }
    std::int64_t lastInsertId() const;
    int changes() const;

    // The current SQLite error message, for building a Status.
    std::string errorMessage() const;

private:
    sqlite3* m_handle = nullptr;
};

// A prepared statement. bind* use 1-based parameter indexes; column* use 0-based indexes.
class Statement {
public:
    Statement(Database& database, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Ok when the SQL compiled; otherwise the error with SQLite's message.
    const Status& prepareStatus() const { return m_prepareStatus; }

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bindBlob(int index, const void* data, std::size_t bytes);
    Statement& bindNull(int index);

    // Steps once: true while a row is available, false when done or on error (see status()).
    bool step();

    // Runs to completion and returns Ok or the error.
    Status run();

    // Ok unless the last step failed.
    const Status& status() const { return m_status; }

    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::vector<float> columnFloats(int column) const;
    std::vector<std::int64_t> columnInt64s(int column) const;  // a blob of native-order int64 values
    bool columnIsNull(int column) const;

    void reset();

private:
    Database& m_database;
    sqlite3_stmt* m_statement = nullptr;
    Status m_prepareStatus;
    Status m_status;
};

// Begins a transaction and rolls it back on destruction unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(Database& database);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    const Status& beginStatus() const { return m_beginStatus; }
    Status commit();

private:
    Database& m_database;
    Status m_beginStatus;
    bool m_open = false;
};

} // namespace llmops
