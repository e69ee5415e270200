// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "EngineTypes.h"
#include "JobCancellation.h"
#include "llmops/engine.h"
#include "llmops/settings.h"

#include <QObject>
#include <QString>
#include <QStringList>

namespace llmops::ui {

// Owns the llmops::Engine and runs every call to it on the thread this object lives on.
//
// The slots run as queued calls posted by EngineController. Each slot reports its outcome with
// the signals below, whose arguments are value structs that are safe to copy to the GUI thread.
// Only cancelIndexing(), cancelQuery() and cancelConnectionTest() may be called from another
// thread.
class EngineWorker : public QObject {
    Q_OBJECT

public:
    explicit EngineWorker(QObject* parent = nullptr);
    ~EngineWorker() override;

    // Cancels the indexing runs and questions numbered up to id. Thread-safe.
    void cancelIndexing(quint64 upToJobId);
    void cancelQuery(quint64 upToQueryId);

    // Cancels the connection tests numbered up to id; a running one reports a cancellation.
    // Thread-safe.
    void cancelConnectionTest(quint64 upToTestId);

    // Cancels the replays numbered up to id. Thread-safe.
    void cancelReplay(quint64 upToReplayId);

    // Cancels the dashboard refreshes numbered up to id. Thread-safe.
    void cancelMetrics(quint64 upToRequestId);

public slots:
    // Opens or creates the workspace at path, creating its folder when missing. On failure the
    // workspace that was open before stays open.
    void openWorkspace(const QString& path);

    void indexPaths(quint64 jobId, const QStringList& paths);
    void ask(quint64 queryId, const QString& question);
    void refreshDocuments();

    // Validates and stores settings in the open workspace. On failure the stored settings stay
    // as they were and settingsFailed carries the engine's message.
    void updateSettings(const llmops::PipelineSettings& settings);

    // Sends one short question with one context passage to the endpoint, without retries, and
    // reports the latency and the reply or the error. Needs no workspace. The endpoint's timeout
    // bounds the call, and other requests to this worker wait until it ends.
    void testConnection(quint64 testId, const llmops::ModelEndpoint& endpoint);

    // Review queue (EngineWorkerReview.cpp). loadReview reports the items and counts matching
    // filter with the request number, so a receiver can drop replies to older requests.
    void loadReview(quint64 requestId, const llmops::ReviewFilter& filter);
    // Loads the trace of a review item; items without a trace report an empty result.
    void loadReviewTrace(qint64 itemId, qint64 traceId);
    void setReviewVerdict(qint64 itemId, const QString& verdict, const QString& note, const QString& correctedAnswer);
    void addToAllowList(const QString& phrase);
    // Appends a judged item to an eval data set (reviewItemAddedToDataset, or reviewFailed).
    void addReviewItemToDataset(qint64 itemId, const QString& datasetName);

    // Lists the rule set versions (ruleSetsLoaded), stores rules as a new version and
    // optionally activates it (ruleSetSaved, then ruleSetActivated when it became active, then
    // ruleSetsLoaded), or activates a stored version. Failures arrive as ruleSetFailed.
    void loadRuleSets();
    void saveRuleSet(const std::vector<llmops::RoutingRule>& rules, const QString& note, bool activate);
    void activateRuleSet(int version);

    // Routes the newest lastTraces traces through rules and the active rules without calling a
    // model; reports replayFinished or replayFailed with the replay's number.
    void replay(quint64 replayId, const std::vector<llmops::RoutingRule>& rules, int lastTraces);

    // Dashboard and trace explorer (EngineWorkerDashboard.cpp). Replies carry the request
    // number, so a receiver can drop answers to requests a newer one replaced.
    void loadMetrics(quint64 requestId, const llmops::MetricsQuery& query);
    void loadTraceList(quint64 requestId, const llmops::TraceFilter& filter);
    void loadTraceDetail(qint64 traceId);
    // Writes the traces (all of traceIds, or the newest 1000 when it is empty) as OTLP/JSON.
    void exportOtlp(const QString& path, const std::vector<qint64>& traceIds, bool includeContent);

signals:
    // The workspace's settings, sent just before workspaceOpened.
    void settingsLoaded(const llmops::PipelineSettings& settings);
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

    void settingsSaved(const llmops::PipelineSettings& settings);
    void settingsFailed(const QString& message);

    void reviewLoaded(quint64 requestId, const llmops::ui::ReviewItems& items, const llmops::ReviewCounts& counts);
    void reviewTraceLoaded(qint64 itemId, const llmops::QueryResult& trace);
    void reviewVerdictStored(const llmops::ReviewItem& item);
    void allowListUpdated(const QString& phrase);
    void reviewItemAddedToDataset(qint64 itemId, const QString& datasetName, int version);
    void reviewFailed(const QString& message);

    // latencyMs is the wall time of the call on a steady clock. On success replyOrError is the
    // reply's first 200 characters; on failure it is the error message.
    void connectionTested(const QString& name, bool ok, double latencyMs, const QString& replyOrError);

    void ruleSetsLoaded(const llmops::ui::RuleSetVersions& versions, int activeVersion);
    // A rule set became active; settings are the stored settings with its rules.
    void ruleSetActivated(const llmops::PipelineSettings& settings);
    void ruleSetSaved(int version, bool active);
    void ruleSetFailed(const QString& message);

    void replayFinished(quint64 replayId, const llmops::ReplayReport& report);
    void replayFailed(quint64 replayId, const QString& message);

    void metricsLoaded(quint64 requestId, const llmops::MetricsReport& report);
    void metricsFailed(quint64 requestId, const QString& message);
    void traceListLoaded(quint64 requestId, const llmops::ui::TraceRows& rows);
    void traceDetailLoaded(qint64 traceId, const llmops::QueryResult& trace);
    void tracesFailed(const QString& message);
    void otlpExported(const QString& path, qint64 traces);

private:
    QString noWorkspaceMessage() const;
    void publishState();

    std::unique_ptr<llmops::Engine> m_engine;
    JobCancellation m_indexingCancel;
    JobCancellation m_queryCancel;
    JobCancellation m_connectionTestCancel;
    JobCancellation m_replayCancel;
    JobCancellation m_metricsCancel;
};

} // namespace llmops::ui
