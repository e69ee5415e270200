// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/settings.h"

#include <QUndoCommand>

#include <vector>

namespace llmops::ui {

class RuleTableModel;

// One edit of the draft rules (add, change, delete, move), kept as the rules before and after
// so that undo and redo restore them exactly. selectRowAfter is the row to select after either.
class RuleEditCommand : public QUndoCommand {
public:
    RuleEditCommand(const QString& text, RuleTableModel* model, std::vector<llmops::RoutingRule> after,
                    int selectRowAfter, QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;

    int selectedRow() const { return m_selectedRow; }

private:
    RuleTableModel* m_model;
    std::vector<llmops::RoutingRule> m_before;
    std::vector<llmops::RoutingRule> m_after;
    int m_row;
    int m_selectedRow = -1;
};

} // namespace llmops::ui
