// SPDX-License-Identifier: MIT
#pragma once

#include "EngineTypes.h"

#include <QAbstractTableModel>

namespace llmops::ui {

// The review queue, one row per ReviewItem, newest first as Engine::reviewItems() lists them.
class ReviewTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum class Column { Id, Created, Kind, Status, Verdict, Route, Model, Question, Count };

    enum Role {
        // Raw values for sorting: id and creation time as numbers, text otherwise.
        SortRole = Qt::UserRole + 1,
        // The item id, in every column.
        IdRole,
    };

    explicit ReviewTableModel(QObject* parent = nullptr);

    // Replaces all rows.
    void setItems(ReviewItems items);
    // Replaces the row with the same id and returns its row number, or -1 when no row has it.
    int updateItem(const llmops::ReviewItem& item);

    const ReviewItems& items() const { return m_items; }
    // The row of the item with this id, or -1.
    int rowOf(qint64 id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const llmops::ReviewItem& item, Column column) const;

    ReviewItems m_items;
};

} // namespace llmops::ui
