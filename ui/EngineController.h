// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/engine.h"
#include "llmops/settings.h"

#include <QObject>
#include <QStringList>
#include <QThread>

namespace llmops::ui {

class EngineWorker;

// Runs an EngineWorker on its own thread and posts requests to it from the GUI thread.
//
// Every request returns at once; outcomes arrive through the worker's signals, which reach
// receivers on the GUI thread as queued calls. Connect to them through worker().
class EngineController : public QObject {
    Q_OBJECT

public:
    explicit EngineController(QObject* parent = nullptr);

    // Cancels what is running, then stops the engine thread and waits for it. The running
    // indexing step or model call finishes first, so this can take as long as one file or one
    // model call.
    ~EngineController() override;

    EngineWorker* worker() const { return m_worker; }

    void openWorkspace(const QString& path);
    void refreshDocuments();
    void updateSettings(const llmops::PipelineSettings& settings);

    // Queues a connection test of endpoint and returns its number.
    quint64 testConnection(const llmops::ModelEndpoint& endpoint);

    // Queues an indexing run and returns its job number.
    quint64 indexPaths(const QStringList& paths);

    // Queues a question and returns its number. answerReady and askFailed carry the number, so
    // receivers can drop the result of a question that a newer one replaced.
    quint64 ask(const QString& question);

    // Review queue requests; see the matching EngineWorker slots. loadReview returns the
    // request number that reviewLoaded carries.
    quint64 loadReview(const llmops::ReviewFilter& filter);
    void loadReviewTrace(qint64 itemId, qint64 traceId);
    void setReviewVerdict(qint64 itemId, const QString& verdict, const QString& note, const QString& correctedAnswer);
    void addToAllowList(const QString& phrase);
    void addReviewItemToDataset(qint64 itemId, const QString& datasetName);

    // Rule sets: list the versions, store rules as a new version, activate one. Outcomes arrive
    // through ruleSetsLoaded, ruleSetSaved and ruleSetFailed.
    void loadRuleSets();
    void saveRuleSet(const std::vector<llmops::RoutingRule>& rules, const QString& note, bool activate);
    void activateRuleSet(int version);

    // Queues a replay of the newest lastTraces traces through rules and returns its number.
    quint64 replay(const std::vector<llmops::RoutingRule>& rules, int lastTraces);

    // Dashboard requests; see the matching EngineWorker slots. The load functions return the
    // request number that the reply carries. A new loadMetrics cancels the older ones.
    quint64 loadMetrics(const llmops::MetricsQuery& query);
    quint64 loadTraceList(const llmops::TraceFilter& filter);
    void loadTraceDetail(qint64 traceId);
    void exportOtlp(const QString& path, const std::vector<qint64>& traceIds, bool includeContent);

    // Cancel every indexing run, question or replay requested so far. Queued ones end at once.
    void cancelIndexing();
    void cancelQuery();
    void cancelReplay();
    void cancelMetrics();

private:
    QThread m_thread;
    EngineWorker* m_worker = nullptr;  // deleted on its own thread when m_thread finishes
    quint64 m_lastJobId = 0;
    quint64 m_lastQueryId = 0;
    quint64 m_lastTestId = 0;
    quint64 m_lastReviewRequestId = 0;
    quint64 m_lastReplayId = 0;
    quint64 m_lastMetricsId = 0;
    quint64 m_lastTraceListId = 0;
};

} // namespace llmops::ui
