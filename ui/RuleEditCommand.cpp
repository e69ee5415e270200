// SPDX-License-Identifier: MIT
#include "RuleEditCommand.h"

#include "RuleTableModel.h"

namespace llmops::ui {

RuleEditCommand::RuleEditCommand(const QString& text, RuleTableModel* model, std::vector<llmops::RoutingRule> after,
                                 int selectRowAfter, QUndoCommand* parent)
    : QUndoCommand(text, parent)
    , m_model(model)
    , m_before(model->rules())
    , m_after(std::move(after))
    , m_row(selectRowAfter)
{
}

void RuleEditCommand::undo()
{
    m_model->setRules(m_before);
    m_selectedRow = std::min(m_row, m_model->rowCount() - 1);
}

void RuleEditCommand::redo()
{
    m_model->setRules(m_after);
    m_selectedRow = std::min(m_row, m_model->rowCount() - 1);
}

} // namespace llmops::ui
