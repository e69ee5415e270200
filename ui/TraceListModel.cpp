// SPDX-License-Identifier: MIT
#include "TraceListModel.h"

#include "MetricsTableModel.h"

namespace llmops::ui {

TraceListModel::TraceListModel(QObject* parent) : QAbstractTableModel(parent) {}

void TraceListModel::setRows(const TraceRows& rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

qint64 TraceListModel::traceIdAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows[static_cast<std::size_t>(row)].id : 0;
}

int TraceListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TraceListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const llmops::TraceRow& row = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole)
        return display(row, index.column());
    if (role == Qt::ToolTipRole && index.column() == Query)
        return fromUtf8(row.query);
    if (role == Qt::UserRole)
        return QVariant::fromValue<qint64>(row.id);
    if (role == Qt::TextAlignmentRole && (index.column() == Latency || index.column() == FirstToken || index.column() == Cost))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant TraceListModel::display(const llmops::TraceRow& row, int column) const
{
    switch (column) {
    case Time: return localTimeText(row.startedAtMs);
    case Route: return fromUtf8(row.route);
    case Model: return fromUtf8(row.model);
    case Latency: return QString::number(static_cast<double>(row.totalUs) / 1000.0, 'f', 1);
    case FirstToken: return row.firstTokenUs > 0 ? QString::number(static_cast<double>(row.firstTokenUs) / 1000.0, 'f', 1) : QString();
    case Cost: return QString::number(row.costUsd, 'f', 6);
    case Flags: return fromUtf8(row.flags);
    case Status: return row.synthetic ? fromUtf8(row.status) + tr(" (synthetic)") : fromUtf8(row.status);
    case Query: return fromUtf8(row.query).simplified().left(200);
    default: return {};
    }
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time");
    case Route: return tr("Route");
    case Model: return tr("Model");
    case Latency: return tr("Latency (ms)");
    case FirstToken: return tr("First token (ms)");
    case Cost: return tr("Cost (USD)");
    case Flags: return tr("Flags");
    case Status: return tr("Status");
    case Query: return tr("Question");
    default: return {};
    }
}

llmops::TraceFilter::Sort TraceListModel::sortFor(int column)
{
    if (column == Latency)
        return llmops::TraceFilter::Sort::Latency;
    if (column == Cost)
        return llmops::TraceFilter::Sort::Cost;
    return llmops::TraceFilter::Sort::Time;
}

void TraceListModel::sort(int column, Qt::SortOrder order)
{
    emit sortRequested(sortFor(column), order == Qt::DescendingOrder);
}

} // namespace llmops::ui
