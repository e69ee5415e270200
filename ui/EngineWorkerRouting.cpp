// SPDX-License-Identifier: MIT
// The EngineWorker slots for rule sets and replays.
#include "EngineWorker.h"

#include "Logging.h"

namespace llmops::ui {

void EngineWorker::cancelReplay(quint64 upToReplayId)
{
    m_replayCancel.cancelUpTo(upToReplayId);
}

void EngineWorker::loadRuleSets()
{
    if (!m_engine) {
        emit ruleSetFailed(noWorkspaceMessage());
        return;
    }
    auto versions = m_engine->ruleSetVersions();
    if (!versions.isOk()) {
        const QString message = fromUtf8(versions.status().message());
        qCWarning(lcUi) << "listing rule sets failed:" << message;
        emit ruleSetFailed(message);
        return;
    }
    emit ruleSetsLoaded(versions.value(), m_engine->activeRuleSetVersion());
}

void EngineWorker::saveRuleSet(const std::vector<llmops::RoutingRule>& rules, const QString& note, bool activate)
{
    if (!m_engine) {
        emit ruleSetFailed(noWorkspaceMessage());
        return;
    }
    auto version = m_engine->saveRuleSet(rules, note.toStdString(), activate);
    if (!version.isOk()) {
        const QString message = fromUtf8(version.status().message());
        qCWarning(lcUi) << "saving the rule set failed:" << message;
        emit ruleSetFailed(message);
        return;
    }
    qCInfo(lcUi) << "saved rule set version" << version.value() << "active:" << activate;
    emit ruleSetSaved(version.value(), activate);
    if (activate)
        emit ruleSetActivated(m_engine->settings());
    loadRuleSets();
}

void EngineWorker::activateRuleSet(int version)
{
    if (!m_engine) {
        emit ruleSetFailed(noWorkspaceMessage());
        return;
    }
    const llmops::Status status = m_engine->activateRuleSet(version);
    if (!status.isOk()) {
        const QString message = fromUtf8(status.message());
        qCWarning(lcUi) << "activating rule set" << version << "failed:" << message;
        emit ruleSetFailed(message);
        return;
    }
    qCInfo(lcUi) << "activated rule set version" << version;
    emit ruleSetActivated(m_engine->settings());
    loadRuleSets();
}

void EngineWorker::replay(quint64 replayId, const std::vector<llmops::RoutingRule>& rules, int lastTraces)
{
    if (!m_engine) {
        emit replayFailed(replayId, noWorkspaceMessage());
        return;
    }
    m_replayCancel.begin(replayId);
    llmops::ReplayOptions options;
    options.lastTraces = lastTraces;
    options.cancel = m_replayCancel.flag();
    auto report = m_engine->replay(rules, options);
    if (!report.isOk()) {
        const QString message = fromUtf8(report.status().message());
        qCInfo(lcUi) << "replay" << replayId << "failed:" << message;
        emit replayFailed(replayId, message);
        return;
    }
    qCInfo(lcUi) << "replayed" << report->queries << "queries," << report->changedQueries << "change route";
    emit replayFinished(replayId, report.value());
}

} // namespace llmops::ui
