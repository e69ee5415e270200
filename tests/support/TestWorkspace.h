// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <string>

#include "llmops/engine.h"

namespace llmops::test {

// Writes a UTF-8 text file, creating its folder; returns the absolute path.
QString writeFile(const QString& path, const QByteArray& bytes);

// A temporary folder holding a workspace path and documents written by the test.
class TestWorkspace {
public:
    TestWorkspace();

    bool isValid() const { return m_dir.isValid(); }
    QString workspacePath() const { return m_dir.filePath(QStringLiteral("test.llmops")); }
    QString docsDir() const { return m_dir.filePath(QStringLiteral("docs")); }
    QString filePath(const QString& relative) const { return m_dir.filePath(relative); }

    // Writes docs/<relative> and returns its absolute path.
    QString addDocument(const QString& relative, const QByteArray& bytes) const;

    // Writes a small support centre of four Markdown pages under docs/.
    void addSupportPages() const;

    // Returns every byte the workspace stores: the database, its write-ahead log and shared
    // memory, and the vector index, for tests that search them for a secret.
    QByteArray storedBytes() const;

    // Opens (or reopens) the workspace; the test fails when it cannot.
    std::unique_ptr<Engine> open() const;

private:
    QTemporaryDir m_dir;
};

} // namespace llmops::test
