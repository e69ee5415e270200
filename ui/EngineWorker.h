// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "EngineTypes.h"
#include "JobCancellation.h"
#include "llmops/engine.h"

#include <QObject>
#include <QString>
#include <QStringList>

namespace llmops::ui {

// Owns the llmops::Engine and runs every call to it on the thread this object lives on.
//
// The slots run as queued calls posted by EngineController. Each slot reports its outcome with
// the signals below, whose arguments are value structs that are safe to copy to the GUI thread.
// Only cancelIndexing() and cancelQuery() may be called from another thread.
class EngineWorker : public QObject {
    Q_OBJECT

public:
    explicit EngineWorker(QObject* parent = nullptr);
    ~EngineWorker() override;

    // Cancels the indexing runs and questions numbered up to id. Thread-safe.
    void cancelIndexing(quint64 upToJobId);
    void cancelQuery(quint64 upToQueryId);

public slots:
    // Opens or creates the workspace at path, creating its folder when missing. On failure the
    // workspace that was open before stays open.
    void openWorkspace(const QString& path);

    void indexPaths(quint64 jobId, const QStringList& paths);
    void ask(quint64 queryId, const QString& question);
    void refreshDocuments();

signals:
    void workspaceOpened(const QString& path, const llmops::WorkspaceStats& stats);
    void workspaceFailed(const QString& message);

    void indexingStarted(int filesTotal);
    void indexingProgress(int filesDone, int filesTotal, qint64 chunksDone, const QString& currentPath);
    void indexingFinished(const llmops::IndexReport& report);
    void indexingFailed(const QString& message);

    // A piece of answer text as a remote model streams it; answerReady follows with the whole result.
    void answerTextStreamed(quint64 queryId, const QString& piece);
    void answerReady(quint64 queryId, const llmops::QueryResult& result);
    void askFailed(quint64 queryId, const QString& message);

    void documentsLoaded(const llmops::ui::DocumentRows& rows);
    void documentsFailed(const QString& message);
    void statsChanged(const llmops::WorkspaceStats& stats);

private:
    QString noWorkspaceMessage() const;
    void publishState();

    std::unique_ptr<llmops::Engine> m_engine;
    JobCancellation m_indexingCancel;
    JobCancellation m_queryCancel;
};

} // namespace llmops::ui
