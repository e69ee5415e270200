// SPDX-License-Identifier: MIT
#pragma once

#include "EngineTypes.h"
#include "llmops/metrics.h"

#include <QAbstractTableModel>

namespace llmops::ui {

// The Traces panel's list. Sorting happens in the database, so sort() only records the order
// and emits sortRequested; the panel then loads the rows again in that order.
class TraceListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Time, Route, Model, Latency, FirstToken, Cost, Flags, Status, Query, ColumnCount };

    explicit TraceListModel(QObject* parent = nullptr);

    void setRows(const TraceRows& rows);
    const TraceRows& rows() const { return m_rows; }
    qint64 traceIdAt(int row) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order) override;

    // The database order for a column: time, latency or cost; other columns sort by time.
    static llmops::TraceFilter::Sort sortFor(int column);

signals:
    void sortRequested(llmops::TraceFilter::Sort sort, bool descending);

private:
    QVariant display(const llmops::TraceRow& row, int column) const;

    TraceRows m_rows;
};

} // namespace llmops::ui
