// SPDX-License-Identifier: MIT
#pragma once

#include "EngineTypes.h"

#include <QAbstractTableModel>

namespace llmops::ui {

// The workspace's documents, one row each, as listed by Engine::documents().
class DocumentTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum class Column { Name, Title, Status, Chunks, IndexedAt, Error, Path, Count };

    enum Role {
        // Raw values for sorting: chunk count and index time as numbers, text otherwise.
        SortRole = Qt::UserRole + 1,
        // True for a document whose last indexing failed.
        FailedRole,
        // The absolute path of the document, in every column.
        PathRole,
    };

    explicit DocumentTableModel(QObject* parent = nullptr);

    // Replaces all rows.
    void setDocuments(DocumentRows rows);
    const DocumentRows& documents() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const llmops::Engine::DocumentRow& row, Column column) const;
    QVariant sortData(const llmops::Engine::DocumentRow& row, Column column) const;

    DocumentRows m_rows;
};

} // namespace llmops::ui
