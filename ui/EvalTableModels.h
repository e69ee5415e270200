// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>

#include "EvalWorker.h"

namespace llmops::ui {

// A score as shown in the tables: three decimals, or a dash when it was not measured.
QString scoreText(const std::optional<double>& score);

// The runs of a data set, newest first: id, data set, status, items, cost and the metric means.
class EvalRunTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    using QAbstractTableModel::QAbstractTableModel;
    void setRuns(EvalRuns runs);
    const llmops::EvalRun* runAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    EvalRuns m_runs;
};

// One run's items: question, answer, latency, cost and each metric.
class EvalResultTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    using QAbstractTableModel::QAbstractTableModel;
    void setResults(EvalResults results);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    EvalResults m_results;
};

// Two runs compared: one row per metric with the means, the change, its 95% interval and a mark
// where the interval excludes zero; then the cost and latency changes per item.
class EvalComparisonModel : public QAbstractTableModel {
    Q_OBJECT

public:
    using QAbstractTableModel::QAbstractTableModel;
    void setComparison(const llmops::EvalComparison& comparison);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    llmops::EvalComparison m_comparison;
};

} // namespace llmops::ui
