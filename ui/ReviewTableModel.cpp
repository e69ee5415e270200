// SPDX-License-Identifier: MIT
#include "ReviewTableModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

namespace llmops::ui {

namespace {

QString createdText(std::int64_t createdAtMs)
{
    return QDateTime::fromMSecsSinceEpoch(createdAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

// An item without a trace (an eval regression) shows its eval reference instead of a question.
QString questionText(const llmops::ReviewItem& item)
{
    if (item.traceId == 0)
        return fromUtf8(item.evalRef);
    return fromUtf8(item.query).simplified();
}

} // namespace

ReviewTableModel::ReviewTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ReviewTableModel::setItems(ReviewItems items)
{
    beginResetModel();
    m_items = std::move(items);
    endResetModel();
}

int ReviewTableModel::updateItem(const llmops::ReviewItem& item)
{
    const int row = rowOf(item.id);
    if (row < 0)
        return -1;
    m_items[std::size_t(row)] = item;
    emit dataChanged(index(row, 0), index(row, int(Column::Count) - 1));
    return row;
}

int ReviewTableModel::rowOf(qint64 id) const
{
    for (std::size_t row = 0; row < m_items.size(); ++row) {
        if (m_items[row].id == id)
            return int(row);
    }
    return -1;
}

int ReviewTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int ReviewTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant ReviewTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};

    const llmops::ReviewItem& item = m_items[std::size_t(index.row())];
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(item, column);
    case Qt::ToolTipRole:
        return column == Column::Question ? QVariant(fromUtf8(item.query)) : QVariant();
    case Qt::ForegroundRole:
        return item.status == "done" ? QVariant(QBrush(QColor(0x70, 0x70, 0x70))) : QVariant();
    case SortRole:
        if (column == Column::Id)
            return qint64(item.id);
        if (column == Column::Created)
            return qint64(item.createdAtMs);
        return displayData(item, column);
    case IdRole:
        return qint64(item.id);
    default:
        return {};
    }
}

QVariant ReviewTableModel::displayData(const llmops::ReviewItem& item, Column column) const
{
    switch (column) {
    case Column::Id: return qint64(item.id);
    case Column::Created: return createdText(item.createdAtMs);
    case Column::Kind: return fromUtf8(item.kind);
    case Column::Status: return fromUtf8(item.status);
    case Column::Verdict: return fromUtf8(item.verdict);
    case Column::Route: return fromUtf8(item.route);
    case Column::Model: return fromUtf8(item.model);
    case Column::Question: return questionText(item);
    case Column::Count: break;
    }
    return {};
}

QVariant ReviewTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Id: return tr("Id");
    case Column::Created: return tr("Created");
    case Column::Kind: return tr("Kind");
    case Column::Status: return tr("Status");
    case Column::Verdict: return tr("Verdict");
    case Column::Route: return tr("Route");
    case Column::Model: return tr("Model");
    case Column::Question: return tr("Question");
    case Column::Count: break;
    }
    return {};
}

} // namespace llmops::ui
