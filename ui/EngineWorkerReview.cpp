// SPDX-License-Identifier: MIT
// The review queue slots of EngineWorker, run on the engine thread like the others.
#include "EngineWorker.h"

#include "Logging.h"

namespace llmops::ui {

void EngineWorker::loadReview(quint64 requestId, const llmops::ReviewFilter& filter)
{
    if (!m_engine) {
        emit reviewFailed(noWorkspaceMessage());
        return;
    }

    auto items = m_engine->reviewItems(filter);
    auto counts = m_engine->reviewCounts(filter);
    if (!items.isOk() || !counts.isOk()) {
        const QString message =
            tr("The review queue could not be read: %1")
                .arg(fromUtf8((items.isOk() ? counts.status() : items.status()).message()));
        qCWarning(lcUi) << "listing review items failed:" << message;
        emit reviewFailed(message);
        return;
    }
    emit reviewLoaded(requestId, items.value(), counts.value());
}

void EngineWorker::loadReviewTrace(qint64 itemId, qint64 traceId)
{
    if (!m_engine) {
        emit reviewFailed(noWorkspaceMessage());
        return;
    }
    if (traceId <= 0) {
        emit reviewTraceLoaded(itemId, llmops::QueryResult{});
        return;
    }

    auto trace = m_engine->trace(traceId);
    if (!trace.isOk()) {
        const QString message = tr("Trace %1 could not be read: %2").arg(traceId).arg(fromUtf8(trace.status().message()));
        qCWarning(lcUi) << "reading trace failed:" << message;
        emit reviewFailed(message);
        return;
    }
    emit reviewTraceLoaded(itemId, trace.value());
}

void EngineWorker::setReviewVerdict(qint64 itemId, const QString& verdict, const QString& note,
                                    const QString& correctedAnswer)
{
    if (!m_engine) {
        emit reviewFailed(noWorkspaceMessage());
        return;
    }

    const llmops::Status status =
        m_engine->setReviewVerdict(itemId, verdict.toStdString(), note.toStdString(), correctedAnswer.toStdString());
    auto item = status.isOk() ? m_engine->reviewItem(itemId) : llmops::Result<llmops::ReviewItem>(status);
    if (!item.isOk()) {
        const QString message = tr("The verdict for item %1 was not stored: %2")
                                    .arg(itemId)
                                    .arg(fromUtf8(item.status().message()));
        qCWarning(lcUi) << "storing a verdict failed:" << message;
        emit reviewFailed(message);
        return;
    }
    qCInfo(lcUi) << "review item" << itemId << "marked" << verdict;
    emit reviewVerdictStored(item.value());
}

void EngineWorker::addToAllowList(const QString& phrase)
{
    if (!m_engine) {
        emit reviewFailed(noWorkspaceMessage());
        return;
    }

    const llmops::Status status = m_engine->addToAllowList(phrase.toStdString());
    if (!status.isOk()) {
        const QString message = tr("The phrase was not added to the allow-list: %1").arg(fromUtf8(status.message()));
        qCWarning(lcUi) << "adding to the allow-list failed:" << message;
        emit reviewFailed(message);
        return;
    }
    qCInfo(lcUi) << "added a phrase to the injection allow-list";
    emit allowListUpdated(phrase);
    emit settingsSaved(m_engine->settings());
}

void EngineWorker::addReviewItemToDataset(qint64 itemId, const QString& datasetName)
{
    if (!m_engine) {
        emit reviewFailed(noWorkspaceMessage());
        return;
    }

    const llmops::Result<int> version = m_engine->addReviewItemToDataset(itemId, datasetName.toStdString());
    if (!version.isOk()) {
        const QString message = tr("The item was not added to the data set: %1").arg(fromUtf8(version.status().message()));
        qCWarning(lcUi) << "adding review item" << itemId << "to a data set failed:" << message;
        emit reviewFailed(message);
        return;
    }
    qCInfo(lcUi) << "added review item" << itemId << "to data set" << datasetName << "version" << version.value();
    emit reviewItemAddedToDataset(itemId, datasetName, version.value());
}

} // namespace llmops::ui
