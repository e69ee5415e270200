// SPDX-License-Identifier: MIT
#include "MetricsTableModel.h"

#include <QDateTime>

namespace llmops::ui {
namespace {

QString percent(double share)
{
    return QString::number(share * 100.0, 'f', 1) + QLatin1Char('%');
}

QString milliseconds(std::int64_t microseconds)
{
    return QString::number(static_cast<double>(microseconds) / 1000.0, 'f', 1);
}

} // namespace

QString localTimeText(qint64 unixMs)
{
    return QDateTime::fromMSecsSinceEpoch(unixMs).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

MetricsTableModel::MetricsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void MetricsTableModel::setReport(const llmops::MetricsReport& report)
{
    beginResetModel();
    m_report = report;
    endResetModel();
}

int MetricsTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_report.buckets.size());
}

int MetricsTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MetricsTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const llmops::MetricsBucket& bucket = m_report.buckets[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole)
        return display(bucket, index.column());
    if (role == Qt::TextAlignmentRole && index.column() != Start)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::UserRole)
        return QVariant::fromValue<qint64>(bucket.startMs);
    return {};
}

QVariant MetricsTableModel::display(const llmops::MetricsBucket& bucket, int column) const
{
    const llmops::MetricsFigures& figures = bucket.figures;
    switch (column) {
    case Start: return localTimeText(bucket.startMs);
    case Queries: return QVariant::fromValue<qint64>(figures.queries);
    case Cost: return QString::number(figures.costUsd, 'f', 4);
    case LatencyP50: return milliseconds(figures.latency.p50Us);
    case LatencyP95: return milliseconds(figures.latency.p95Us);
    case FirstTokenP50: return milliseconds(figures.latency.firstTokenP50Us);
    case Hallucination: return percent(figures.hallucinationRate());
    case CacheHit: return percent(figures.cacheHitRate());
    case Blocked: return percent(figures.blockRate());
    default: return {};
    }
}

QVariant MetricsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Start: return tr("Bucket start (local)");
    case Queries: return tr("Queries");
    case Cost: return tr("Cost (USD)");
    case LatencyP50: return tr("p50 (ms)");
    case LatencyP95: return tr("p95 (ms)");
    case FirstTokenP50: return tr("First token p50 (ms)");
    case Hallucination: return tr("Unsupported claims");
    case CacheHit: return tr("Cache hits");
    case Blocked: return tr("Blocked");
    default: return {};
    }
}

} // namespace llmops::ui
