// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/metrics.h"

#include <QAbstractTableModel>

namespace llmops::ui {

// The dashboard's buckets as a table: one row per bucket, its start in local time, and the
// figures the charts draw. Used for the CSV export and the figures tab under the charts.
class MetricsTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Start, Queries, Cost, LatencyP50, LatencyP95, FirstTokenP50, Hallucination, CacheHit, Blocked, ColumnCount };

    explicit MetricsTableModel(QObject* parent = nullptr);

    void setReport(const llmops::MetricsReport& report);
    const llmops::MetricsReport& report() const { return m_report; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const llmops::MetricsBucket& bucket, int column) const;

    llmops::MetricsReport m_report;
};

// Milliseconds since the epoch as local "yyyy-MM-dd HH:mm".
QString localTimeText(qint64 unixMs);

} // namespace llmops::ui
