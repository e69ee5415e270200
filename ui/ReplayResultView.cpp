// SPDX-License-Identifier: MIT
#include "ReplayResultView.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace llmops::ui {
namespace {

QString money(double usd)
{
    return QStringLiteral("$%1").arg(usd, 0, 'f', usd < 1.0 ? 4 : 2);
}

QString share(std::int64_t part, std::int64_t whole)
{
    const double percent = whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
    return QStringLiteral("%1% (%2)").arg(percent, 0, 'f', 1).arg(part);
}

QTableWidget* makeTable(const QStringList& headers, QWidget* parent)
{
    auto* table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->setVisible(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return table;
}

void setRow(QTableWidget* table, int row, const QStringList& cells)
{
    for (int column = 0; column < cells.size(); ++column)
        table->setItem(row, column, new QTableWidgetItem(cells[column]));
}

} // namespace

ReplayResultView::ReplayResultView(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(tr("Run a replay to compare the draft rules with the active ones."), this);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_shares = makeTable({tr("Model"), tr("Active"), tr("Draft"), tr("Active $/month"), tr("Draft $/month")}, this);
    m_changes = makeTable({tr("Trace"), tr("Query"), tr("Active route"), tr("Draft route")}, this);
    m_changes->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_changes->setWordWrap(false);
    layout->addWidget(m_summary);
    layout->addWidget(m_shares, 1);
    layout->addWidget(new QLabel(tr("Queries whose route changes:"), this));
    layout->addWidget(m_changes, 2);
}

void ReplayResultView::clear()
{
    m_shares->setRowCount(0);
    m_changes->setRowCount(0);
}

void ReplayResultView::setReport(const llmops::ReplayReport& report)
{
    const double change = report.draftMonthlyUsd - report.activeMonthlyUsd;
    m_summary->setText(tr("<b>%1 queries</b> replayed against active v%2 (%3 days of traces, about %4 a month). "
                          "Projected monthly cost: active <b>%5</b>, draft <b>%6</b> (%7%8). "
                          "%9 queries change route.")
                           .arg(report.queries)
                           .arg(report.activeVersion)
                           .arg(report.spanDays, 0, 'f', 1)
                           .arg(report.monthlyQueries, 0, 'f', 0)
                           .arg(money(report.activeMonthlyUsd), money(report.draftMonthlyUsd),
                                change >= 0 ? QStringLiteral("+") : QStringLiteral("-"), money(std::abs(change)))
                           .arg(report.changedQueries));
    fillShares(report);
    fillChanges(report);
}

void ReplayResultView::fillShares(const llmops::ReplayReport& report)
{
    m_shares->setRowCount(static_cast<int>(report.models.size()));
    for (std::size_t i = 0; i < report.models.size(); ++i) {
        const llmops::ReplayModelShare& model = report.models[i];
        setRow(m_shares, static_cast<int>(i),
               {QString::fromStdString(model.model), share(model.activeQueries, report.queries),
                share(model.draftQueries, report.queries), money(model.activeMonthlyUsd),
                money(model.draftMonthlyUsd)});
    }
}

void ReplayResultView::fillChanges(const llmops::ReplayReport& report)
{
    m_changes->setRowCount(static_cast<int>(report.changes.size()));
    for (std::size_t i = 0; i < report.changes.size(); ++i) {
        const llmops::ReplayChange& change = report.changes[i];
        const QString arrow = QStringLiteral(" → ");
        setRow(m_changes, static_cast<int>(i),
               {change.traceId > 0 ? QString::number(change.traceId) : QString(),
                QString::fromStdString(change.query),
                QString::fromStdString(change.activeRule) + arrow + QString::fromStdString(change.activeModel),
                QString::fromStdString(change.draftRule) + arrow + QString::fromStdString(change.draftModel)});
    }
}

} // namespace llmops::ui
