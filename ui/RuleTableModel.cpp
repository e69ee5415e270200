// SPDX-License-Identifier: MIT
#include "RuleTableModel.h"

#include <QBrush>
#include <QColor>

namespace llmops::ui {

QString conditionSummary(const llmops::RoutingRule& rule)
{
    const llmops::RoutingCondition condition = llmops::effectiveCondition(rule);
    if (condition.kind == llmops::RoutingCondition::Kind::Always)
        return QObject::tr("always (default)");
    return QString::fromStdString(llmops::conditionToText(condition));
}

RuleTableModel::RuleTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void RuleTableModel::setRules(std::vector<llmops::RoutingRule> rules)
{
    beginResetModel();
    m_rules = std::move(rules);
    recheck();
    endResetModel();
}

void RuleTableModel::setModels(std::vector<std::string> models)
{
    m_models = std::move(models);
    recheck();
    if (!m_rules.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

bool RuleTableModel::hasErrors() const
{
    return std::any_of(m_issues.begin(), m_issues.end(), [](const llmops::RuleIssue& issue) { return issue.error; });
}

QString RuleTableModel::issuesOf(int row) const
{
    QStringList messages;
    for (const llmops::RuleIssue& issue : m_issues) {
        if (issue.rule == row)
            messages.append(QString::fromStdString(issue.message));
    }
    return messages.join(QLatin1Char('\n'));
}

void RuleTableModel::recheck()
{
    m_issues = llmops::checkRules(m_rules, m_models);
}

int RuleTableModel::severityOf(int row) const
{
    int severity = 0;
    for (const llmops::RuleIssue& issue : m_issues) {
        if (issue.rule == row)
            severity = std::max(severity, issue.error ? 2 : 1);
    }
    return severity;
}

int RuleTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rules.size());
}

int RuleTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(Column::Count);
}

QVariant RuleTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const llmops::RoutingRule& rule = m_rules[static_cast<std::size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    const int severity = severityOf(index.row());
    if (role == SeverityRole)
        return severity;
    if (role == Qt::ForegroundRole && column == Column::Issues && severity > 0)
        return QBrush(severity == 2 ? QColor(0xb0, 0x00, 0x20) : QColor(0xa0, 0x60, 0x00));
    if (role == Qt::ToolTipRole)
        return issuesOf(index.row());
    if (role != Qt::DisplayRole)
        return {};

    switch (column) {
    case Column::Position:
        return index.row() + 1;
    case Column::Name:
        return QString::fromStdString(rule.name);
    case Column::Condition:
        return conditionSummary(rule);
    case Column::Model:
        return QString::fromStdString(rule.model);
    case Column::Fallbacks: {
        QStringList names;
        for (const std::string& name : rule.fallbacks)
            names.append(QString::fromStdString(name));
        return names.join(QStringLiteral(", "));
    }
    case Column::Issues:
        return severity == 0 ? QString() : issuesOf(index.row()).section(QLatin1Char('\n'), 0, 0);
    case Column::Count:
        break;
    }
    return {};
}

QVariant RuleTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (static_cast<Column>(section)) {
    case Column::Position:
        return tr("#");
    case Column::Name:
        return tr("Rule");
    case Column::Condition:
        return tr("Condition");
    case Column::Model:
        return tr("Model");
    case Column::Fallbacks:
        return tr("Fallbacks");
    case Column::Issues:
        return tr("Problems");
    case Column::Count:
        break;
    }
    return {};
}

} // namespace llmops::ui
