// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/routing.h"

#include <QAbstractTableModel>

#include <string>
#include <vector>

namespace llmops::ui {

// The draft routing rules on the Routing page, one row each in evaluation order, with the
// problems checkRules finds against the configured models.
class RuleTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum class Column { Position, Name, Condition, Model, Fallbacks, Issues, Count };

    enum Role {
        // 2 for a row with an error, 1 for a warning (such as a shadowed rule), 0 otherwise.
        SeverityRole = Qt::UserRole + 1,
    };

    explicit RuleTableModel(QObject* parent = nullptr);

    // Replaces all rows and checks them against models.
    void setRules(std::vector<llmops::RoutingRule> rules);
    void setModels(std::vector<std::string> models);
    const std::vector<llmops::RoutingRule>& rules() const { return m_rules; }
    const std::vector<std::string>& models() const { return m_models; }
    const std::vector<llmops::RuleIssue>& issues() const { return m_issues; }
    bool hasErrors() const;

    // The issue messages of one row, joined by line breaks.
    QString issuesOf(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void recheck();
    int severityOf(int row) const;

    std::vector<llmops::RoutingRule> m_rules;
    std::vector<std::string> m_models;
    std::vector<llmops::RuleIssue> m_issues;
};

// The one-line condition of a rule, "always (default)" for a rule without conditions.
QString conditionSummary(const llmops::RoutingRule& rule);

} // namespace llmops::ui
