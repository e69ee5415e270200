// SPDX-License-Identifier: MIT
#include "DocumentTableModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>

namespace llmops::ui {

namespace {

bool isFailed(const llmops::Engine::DocumentRow& row)
{
    return row.status == "failed";
}

// The error without a leading "<path>: ", which the Path column already shows.
QString shortError(const llmops::Engine::DocumentRow& row)
{
    const QString error = fromUtf8(row.error);
    const QString pathPrefix = fromEnginePath(row.path) + QStringLiteral(": ");
    return error.startsWith(pathPrefix) ? error.mid(pathPrefix.size()) : error;
}

} // namespace

DocumentTableModel::DocumentTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void DocumentTableModel::setDocuments(DocumentRows rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int DocumentTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DocumentTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant DocumentTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};

    const auto& row = m_rows[std::size_t(index.row())];
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, column);
    case Qt::ToolTipRole:
        return column == Column::Error ? fromUtf8(row.error) : fromEnginePath(row.path);
    case Qt::ForegroundRole:
        return isFailed(row) ? QVariant(QBrush(QColor(0xb0, 0x1e, 0x14))) : QVariant();
    case Qt::TextAlignmentRole:
        return column == Column::Chunks ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case SortRole:
        return sortData(row, column);
    case FailedRole:
        return isFailed(row);
    case PathRole:
        return fromEnginePath(row.path);
    default:
        return {};
    }
}

QVariant DocumentTableModel::displayData(const llmops::Engine::DocumentRow& row, Column column) const
{
    switch (column) {
    case Column::Name:
        return QFileInfo(fromEnginePath(row.path)).fileName();
    case Column::Title:
        return fromUtf8(row.title);
    case Column::Status:
        return fromUtf8(row.status);
    case Column::Chunks:
        return row.chunks;
    case Column::IndexedAt:
        if (row.indexedAtMs <= 0)
            return QString();
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(row.indexedAtMs), QLocale::ShortFormat);
    case Column::Error:
        return shortError(row);
    case Column::Path:
        return fromEnginePath(row.path);
    case Column::Count:
        break;
    }
    return {};
}

QVariant DocumentTableModel::sortData(const llmops::Engine::DocumentRow& row, Column column) const
{
    switch (column) {
    case Column::Chunks:
        return row.chunks;
    case Column::IndexedAt:
        return qint64(row.indexedAtMs);
    default:
        return displayData(row, column);
    }
}

QVariant DocumentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);

    switch (Column(section)) {
    case Column::Name: return tr("Document");
    case Column::Title: return tr("Title");
    case Column::Status: return tr("Status");
    case Column::Chunks: return tr("Chunks");
    case Column::IndexedAt: return tr("Indexed at");
    case Column::Error: return tr("Error");
    case Column::Path: return tr("Path");
    case Column::Count: break;
    }
    return {};
}

} // namespace llmops::ui
