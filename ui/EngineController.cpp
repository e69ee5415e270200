// SPDX-License-Identifier: MIT
#include "EngineController.h"

#include "EngineTypes.h"
#include "EngineWorker.h"

namespace llmops::ui {

EngineController::EngineController(QObject* parent)
    : QObject(parent)
    , m_worker(new EngineWorker)
{
    registerEngineMetaTypes();

    // The worker has no parent because a QObject with a parent cannot move to another thread.
    // It is deleted on the engine thread, which closes the engine on the thread that opened it.
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("llmops-engine"));
    m_thread.start();
}

EngineController::~EngineController()
{
    cancelIndexing();
    cancelQuery();
    m_worker->cancelConnectionTest(m_lastTestId);
    cancelReplay();
    cancelMetrics();
    m_thread.quit();
    m_thread.wait();
}

void EngineController::openWorkspace(const QString& path)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, path] { worker->openWorkspace(path); },
                              Qt::QueuedConnection);
}

void EngineController::refreshDocuments()
{
    QMetaObject::invokeMethod(m_worker, &EngineWorker::refreshDocuments, Qt::QueuedConnection);
}

void EngineController::updateSettings(const llmops::PipelineSettings& settings)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, settings] { worker->updateSettings(settings); }, Qt::QueuedConnection);
}

quint64 EngineController::testConnection(const llmops::ModelEndpoint& endpoint)
{
    const quint64 testId = ++m_lastTestId;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, testId, endpoint] { worker->testConnection(testId, endpoint); },
        Qt::QueuedConnection);
    return testId;
}

quint64 EngineController::indexPaths(const QStringList& paths)
{
    const quint64 jobId = ++m_lastJobId;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, jobId, paths] { worker->indexPaths(jobId, paths); },
        Qt::QueuedConnection);
    return jobId;
}

quint64 EngineController::ask(const QString& question)
{
    const quint64 queryId = ++m_lastQueryId;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, queryId, question] { worker->ask(queryId, question); },
        Qt::QueuedConnection);
    return queryId;
}

quint64 EngineController::loadReview(const llmops::ReviewFilter& filter)
{
    const quint64 requestId = ++m_lastReviewRequestId;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, requestId, filter] { worker->loadReview(requestId, filter); },
        Qt::QueuedConnection);
    return requestId;
}

void EngineController::loadReviewTrace(qint64 itemId, qint64 traceId)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, itemId, traceId] { worker->loadReviewTrace(itemId, traceId); },
        Qt::QueuedConnection);
}

void EngineController::setReviewVerdict(qint64 itemId, const QString& verdict, const QString& note,
                                        const QString& correctedAnswer)
{
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, itemId, verdict, note, correctedAnswer] {
            worker->setReviewVerdict(itemId, verdict, note, correctedAnswer);
        },
        Qt::QueuedConnection);
}

void EngineController::addReviewItemToDataset(qint64 itemId, const QString& datasetName)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, itemId, datasetName] { worker->addReviewItemToDataset(itemId, datasetName); },
        Qt::QueuedConnection);
}

void EngineController::addToAllowList(const QString& phrase)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, phrase] { worker->addToAllowList(phrase); }, Qt::QueuedConnection);
}

void EngineController::loadRuleSets()
{
    QMetaObject::invokeMethod(m_worker, &EngineWorker::loadRuleSets, Qt::QueuedConnection);
}

void EngineController::saveRuleSet(const std::vector<llmops::RoutingRule>& rules, const QString& note, bool activate)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, rules, note, activate] { worker->saveRuleSet(rules, note, activate); },
        Qt::QueuedConnection);
}

void EngineController::activateRuleSet(int version)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, version] { worker->activateRuleSet(version); }, Qt::QueuedConnection);
}

quint64 EngineController::replay(const std::vector<llmops::RoutingRule>& rules, int lastTraces)
{
    const quint64 replayId = ++m_lastReplayId;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, replayId, rules, lastTraces] { worker->replay(replayId, rules, lastTraces); },
        Qt::QueuedConnection);
    return replayId;
}

void EngineController::cancelReplay()
{
    m_worker->cancelReplay(m_lastReplayId);
}

void EngineController::cancelIndexing()
{
    m_worker->cancelIndexing(m_lastJobId);
}

void EngineController::cancelQuery()
{
    m_worker->cancelQuery(m_lastQueryId);
}

} // namespace llmops::ui

namespace llmops::ui {

void EngineController::cancelMetrics()
{
    m_worker->cancelMetrics(m_lastMetricsId);
}

quint64 EngineController::loadMetrics(const llmops::MetricsQuery& query)
{
    // Only the newest range matters: an older refresh still running stops early.
    cancelMetrics();
    const quint64 requestId = ++m_lastMetricsId;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, requestId, query] { worker->loadMetrics(requestId, query); },
        Qt::QueuedConnection);
    return requestId;
}

quint64 EngineController::loadTraceList(const llmops::TraceFilter& filter)
{
    const quint64 requestId = ++m_lastTraceListId;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, requestId, filter] { worker->loadTraceList(requestId, filter); },
        Qt::QueuedConnection);
    return requestId;
}

void EngineController::loadTraceDetail(qint64 traceId)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, traceId] { worker->loadTraceDetail(traceId); }, Qt::QueuedConnection);
}

void EngineController::exportOtlp(const QString& path, const std::vector<qint64>& traceIds, bool includeContent)
{
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, path, traceIds, includeContent] { worker->exportOtlp(path, traceIds, includeContent); },
        Qt::QueuedConnection);
}

} // namespace llmops::ui
