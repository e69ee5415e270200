// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/replay.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace llmops::ui {

// Shows a replay: totals, the share and projected monthly cost per model under the active and
// the draft rules, and the queries whose route changes.
class ReplayResultView : public QWidget {
    Q_OBJECT

public:
    explicit ReplayResultView(QWidget* parent = nullptr);

    void setReport(const llmops::ReplayReport& report);
    void clear();

    QLabel* summaryLabel() const { return m_summary; }
    QTableWidget* shareTable() const { return m_shares; }
    QTableWidget* changeTable() const { return m_changes; }

private:
    void fillShares(const llmops::ReplayReport& report);
    void fillChanges(const llmops::ReplayReport& report);

    QLabel* m_summary = nullptr;
    QTableWidget* m_shares = nullptr;
    QTableWidget* m_changes = nullptr;
};

} // namespace llmops::ui
