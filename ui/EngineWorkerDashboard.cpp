// SPDX-License-Identifier: MIT
// The dashboard and trace explorer slots of EngineWorker, run on the engine thread like the others.
#include "EngineWorker.h"

#include "Logging.h"

namespace llmops::ui {

void EngineWorker::cancelMetrics(quint64 upToRequestId)
{
    m_metricsCancel.cancelUpTo(upToRequestId);
}

void EngineWorker::loadMetrics(quint64 requestId, const llmops::MetricsQuery& query)
{
    if (!m_engine) {
        emit metricsFailed(requestId, noWorkspaceMessage());
        return;
    }
    m_metricsCancel.begin(requestId);
    if (m_metricsCancel.isCancelled())
        return;  // a newer refresh replaced this one while it waited

    auto report = m_engine->metrics(query, m_metricsCancel.flag());
    if (!report.isOk()) {
        if (report.status().code() == llmops::StatusCode::Cancelled)
            return;
        const QString message = tr("The dashboard figures could not be computed: %1").arg(fromUtf8(report.status().message()));
        qCWarning(lcUi) << "dashboard refresh failed:" << message;
        emit metricsFailed(requestId, message);
        return;
    }
    emit metricsLoaded(requestId, report.value());
}

void EngineWorker::loadTraceList(quint64 requestId, const llmops::TraceFilter& filter)
{
    if (!m_engine) {
        emit tracesFailed(noWorkspaceMessage());
        return;
    }
    auto rows = m_engine->listTraces(filter);
    if (!rows.isOk()) {
        const QString message = tr("The trace list could not be read: %1").arg(fromUtf8(rows.status().message()));
        qCWarning(lcUi) << "listing traces failed:" << message;
        emit tracesFailed(message);
        return;
    }
    emit traceListLoaded(requestId, rows.value());
}

void EngineWorker::loadTraceDetail(qint64 traceId)
{
    if (!m_engine) {
        emit tracesFailed(noWorkspaceMessage());
        return;
    }
    auto trace = m_engine->trace(traceId);
    if (!trace.isOk()) {
        const QString message = tr("Trace %1 could not be read: %2").arg(traceId).arg(fromUtf8(trace.status().message()));
        qCWarning(lcUi) << "reading trace failed:" << message;
        emit tracesFailed(message);
        return;
    }
    emit traceDetailLoaded(traceId, trace.value());
}

void EngineWorker::exportOtlp(const QString& path, const std::vector<qint64>& traceIds, bool includeContent)
{
    if (!m_engine) {
        emit tracesFailed(noWorkspaceMessage());
        return;
    }
    llmops::OtlpExportOptions options;
    options.traceIds.assign(traceIds.begin(), traceIds.end());
    options.includeContent = includeContent;
    auto written = m_engine->exportOtlpFile(toEnginePath(path), options);
    if (!written.isOk()) {
        const QString message = tr("The OTLP export failed: %1").arg(fromUtf8(written.status().message()));
        qCWarning(lcUi) << "OTLP export failed:" << message;
        emit tracesFailed(message);
        return;
    }
    qCInfo(lcUi) << "exported" << written.value() << "traces as OTLP to" << path;
    emit otlpExported(path, written.value());
}

} // namespace llmops::ui
