// SPDX-License-Identifier: MIT
#include "EvalTableModels.h"

#include <QBrush>
#include <QColor>

#include "EngineTypes.h"

namespace llmops::ui {
namespace {

constexpr int kRunFixedColumns = 5;
constexpr int kResultFixedColumns = 4;

QString metricTitle(int metric)
{
    static const char* const titles[] = {"Faithfulness", "Relevancy", "Recall", "Precision"};
    return QString::fromLatin1(titles[metric]);
}

QString signedText(double value, int decimals)
{
    return (value >= 0.0 ? QStringLiteral("+") : QString()) + QString::number(value, 'f', decimals);
}

} // namespace

QString scoreText(const std::optional<double>& score)
{
    return score ? QString::number(*score, 'f', 3) : QStringLiteral("-");
}

void EvalRunTableModel::setRuns(EvalRuns runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

const llmops::EvalRun* EvalRunTableModel::runAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_runs.size()) ? &m_runs[static_cast<std::size_t>(row)] : nullptr;
}

int EvalRunTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int EvalRunTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kRunFixedColumns + kEvalMetricCount;
}

QVariant EvalRunTableModel::data(const QModelIndex& index, int role) const
{
    const llmops::EvalRun* run = runAt(index.row());
    if (!run || role != Qt::DisplayRole || index.column() < 0 || index.column() >= columnCount())
        return {};
    switch (index.column()) {
    case 0: return QVariant::fromValue(run->id);
    case 1: return fromUtf8(run->datasetName) + QStringLiteral(" v") + QString::number(run->datasetVersion);
    case 2: return fromUtf8(run->status);
    case 3: return QStringLiteral("%1/%2").arg(run->itemsDone).arg(run->itemsTotal);
    case 4: return QString::number(run->costUsd, 'f', 6);
    default: return scoreText(run->means[static_cast<std::size_t>(index.column() - kRunFixedColumns)]);
    }
}

QVariant EvalRunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount())
        return {};
    static const char* const titles[] = {"Run", "Data set", "Status", "Items", "Cost $"};
    return section < kRunFixedColumns ? QString::fromLatin1(titles[section]) : metricTitle(section - kRunFixedColumns);
}

void EvalResultTableModel::setResults(EvalResults results)
{
    beginResetModel();
    m_results = std::move(results);
    endResetModel();
}

int EvalResultTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_results.size());
}

int EvalResultTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kResultFixedColumns + kEvalMetricCount;
}

QVariant EvalResultTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const llmops::EvalResult& result = m_results[static_cast<std::size_t>(index.row())];
    if (role == Qt::ToolTipRole && index.column() == 1)
        return fromUtf8(result.error.empty() ? result.answer : result.error);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case 0: return fromUtf8(result.question);
    case 1: return fromUtf8(result.error.empty() ? result.answer : result.error).simplified();
    case 2: return QString::number(static_cast<double>(result.latencyUs) / 1000.0, 'f', 1);
    case 3: return QString::number(result.costUsd, 'f', 6);
    default: return scoreText(result.scores[static_cast<std::size_t>(index.column() - kResultFixedColumns)]);
    }
}

QVariant EvalResultTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount())
        return {};
    static const char* const titles[] = {"Question", "Answer", "Latency ms", "Cost $"};
    return section < kResultFixedColumns ? QString::fromLatin1(titles[section])
                                         : metricTitle(section - kResultFixedColumns);
}

void EvalComparisonModel::setComparison(const llmops::EvalComparison& comparison)
{
    beginResetModel();
    m_comparison = comparison;
    endResetModel();
}

int EvalComparisonModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_comparison.metrics.size());
}

int EvalComparisonModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 7;
}

QVariant EvalComparisonModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const MetricDelta& delta = m_comparison.metrics[static_cast<std::size_t>(index.row())];
    if (role == Qt::ForegroundRole && delta.significant && index.column() >= 4)
        return QBrush(delta.delta < 0.0 ? QColor(0xb0, 0x20, 0x20) : QColor(0x20, 0x80, 0x30));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case 0: return metricTitle(static_cast<int>(delta.metric));
    case 1: return QVariant::fromValue(delta.pairs);
    case 2: return QString::number(delta.meanA, 'f', 3);
    case 3: return QString::number(delta.meanB, 'f', 3);
    case 4: return signedText(delta.delta, 3);
    case 5: return QStringLiteral("[%1, %2]").arg(signedText(delta.interval.low, 3), signedText(delta.interval.high, 3));
    default: return delta.significant ? QStringLiteral("significant") : QString();
    }
}

QVariant EvalComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount())
        return {};
    static const char* const titles[] = {"Metric", "Pairs", "Run A", "Run B", "Change", "95% CI", ""};
    return QString::fromLatin1(titles[section]);
}

} // namespace llmops::ui
