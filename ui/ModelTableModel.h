// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/settings.h"

#include <QAbstractTableModel>

#include <vector>

namespace llmops::ui {

// The model endpoints being edited on the Models page, one row each. The API key column shows
// the name of the environment variable only, and the key status column whether this process's
// environment sets it; the key itself is never read.
class ModelTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum class Column {
        Name,
        Kind,
        BaseUrl,
        Model,
        ApiKeyVariable,
        ApiKeyStatus,
        Timeout,
        Retries,
        InputPrice,
        OutputPrice,
        Count
    };

    enum Role {
        // Raw values for sorting: numbers for the timeout, retries and prices, text otherwise.
        SortRole = Qt::UserRole + 1,
        // The endpoint's name, in every column.
        NameRole,
    };

    explicit ModelTableModel(QObject* parent = nullptr);

    // Replaces all rows.
    void setEndpoints(std::vector<llmops::ModelEndpoint> endpoints);
    const std::vector<llmops::ModelEndpoint>& endpoints() const { return m_endpoints; }
    const llmops::ModelEndpoint& endpoint(int row) const { return m_endpoints.at(std::size_t(row)); }

    // Returns the row of the endpoint named name, or -1.
    int rowOf(const QString& name) const;

    // Appends an endpoint and returns its row.
    int addEndpoint(const llmops::ModelEndpoint& endpoint);
    void replaceEndpoint(int row, const llmops::ModelEndpoint& endpoint);
    void removeEndpoint(int row);

    // Re-reads which API key variables are set, for a process whose environment changed.
    void refreshKeyStatus();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Returns "set", "not set", or "" for an endpoint that names no variable.
    static QString keyStatusText(const std::string& variable);

private:
    QVariant displayData(const llmops::ModelEndpoint& endpoint, Column column) const;
    QVariant sortData(const llmops::ModelEndpoint& endpoint, Column column) const;

    std::vector<llmops::ModelEndpoint> m_endpoints;
};

} // namespace llmops::ui
