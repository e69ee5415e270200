// SPDX-License-Identifier: MIT
#include "PlaygroundPanel.h"

#include "AnswerHtml.h"
#include "EngineController.h"
#include "EngineWorker.h"
#include "ErrorBanner.h"
#include "StageTimeline.h"

#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace llmops::ui {

namespace {

QGroupBox* groupBox(const QString& title, QWidget* content, QWidget* parent)
{
    auto* box = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(content);
    return box;
}

QLabel* valueLabel(QWidget* parent)
{
    auto* label = new QLabel(QStringLiteral("-"), parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// Route and model are empty when the input guard blocked the question before routing.
QString orNone(const std::string& value)
{
    return value.empty() ? PlaygroundPanel::tr("none") : fromUtf8(value);
}

QString yesNo(bool value)
{
    return value ? PlaygroundPanel::tr("yes") : PlaygroundPanel::tr("no");
}

} // namespace

PlaygroundPanel::PlaygroundPanel(EngineController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
{
    setupWidgets();
    setupConnections();
    setBusy(false);
}

void PlaygroundPanel::setupWidgets()
{
    m_banner = new ErrorBanner(this);

    m_answerBrowser = new QTextBrowser(this);
    m_answerBrowser->setOpenLinks(false);
    m_answerBrowser->setPlaceholderText(tr("Ask a question to see the answer here."));
    m_citationBrowser = new QTextBrowser(this);
    m_citationBrowser->setOpenLinks(false);

    m_flagList = new QTreeWidget(this);
    m_flagList->setHeaderLabels({tr("Kind"), tr("Detail")});
    m_flagList->setRootIsDecorated(false);
    m_flagList->header()->resizeSection(0, 160);

    m_timeline = new StageTimeline(this);

    auto* grid = new QGridLayout;
    grid->addWidget(groupBox(tr("Answer"), m_answerBrowser, this), 0, 0);
    grid->addWidget(groupBox(tr("Citations and claim support"), m_citationBrowser, this), 0, 1);
    grid->addWidget(createDetailsBox(), 1, 0);
    grid->addWidget(groupBox(tr("Flags"), m_flagList, this), 1, 1);
    grid->addWidget(groupBox(tr("Stage timeline"), m_timeline, this), 2, 0, 1, 2);
    grid->setRowStretch(0, 2);
    grid->setRowStretch(1, 1);
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(createQuestionRow());
    layout->addLayout(grid, 1);
}

QWidget* PlaygroundPanel::createQuestionRow()
{
    auto* row = new QWidget(this);
    m_questionEdit = new QPlainTextEdit(row);
    m_questionEdit->setPlaceholderText(tr("Type a question, then press Ask or Ctrl+Return"));
    m_questionEdit->setTabChangesFocus(true);
    m_questionEdit->setFixedHeight(m_questionEdit->fontMetrics().lineSpacing() * 3 + 14);

    m_askButton = new QPushButton(tr("Ask"), row);
    m_askButton->setToolTip(tr("Run the question through the pipeline (Ctrl+Return)"));
    m_cancelButton = new QPushButton(tr("Cancel"), row);
    m_busyBar = new QProgressBar(row);
    m_busyBar->setRange(0, 0);  // an indeterminate bar: the engine reports no query progress
    m_busyBar->setMaximumWidth(120);
    m_busyBar->setTextVisible(false);
    m_stateLabel = new QLabel(row);
    m_stateLabel->setTextFormat(Qt::PlainText);

    auto* buttons = new QGridLayout;
    buttons->addWidget(m_askButton, 0, 0);
    buttons->addWidget(m_cancelButton, 0, 1);
    buttons->addWidget(m_busyBar, 1, 0, 1, 2);
    buttons->addWidget(m_stateLabel, 2, 0, 1, 2);
    buttons->setRowStretch(3, 1);

    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_questionEdit, 1);
    layout->addLayout(buttons);
    return row;
}

QWidget* PlaygroundPanel::createDetailsBox()
{
    auto* box = new QGroupBox(tr("Query"), this);
    m_sentLabel = valueLabel(box);
    m_sentLabel->setWordWrap(true);
    m_sentLabel->setToolTip(tr("The question as the model and the stored trace see it, after redaction"));
    m_routeLabel = valueLabel(box);
    m_modelLabel = valueLabel(box);
    m_costLabel = valueLabel(box);
    m_tokensLabel = valueLabel(box);
    m_cacheLabel = valueLabel(box);
    m_totalLabel = valueLabel(box);

    auto* form = new QFormLayout(box);
    form->addRow(tr("Sent as:"), m_sentLabel);
    form->addRow(tr("Route:"), m_routeLabel);
    form->addRow(tr("Model:"), m_modelLabel);
    form->addRow(tr("Cost:"), m_costLabel);
    form->addRow(tr("Tokens:"), m_tokensLabel);
    form->addRow(tr("State:"), m_cacheLabel);
    form->addRow(tr("Total time:"), m_totalLabel);
    return box;
}

void PlaygroundPanel::setupConnections()
{
    connect(m_askButton, &QPushButton::clicked, this, &PlaygroundPanel::ask);
    connect(m_cancelButton, &QPushButton::clicked, this, &PlaygroundPanel::cancel);
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter}) {
        auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | key), this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &PlaygroundPanel::ask);
    }
    connect(m_answerBrowser, &QTextBrowser::anchorClicked, this, &PlaygroundPanel::followAnswerLink);

    const EngineWorker* worker = m_controller->worker();
    connect(worker, &EngineWorker::answerTextStreamed, this, &PlaygroundPanel::appendStreamedText);
    connect(worker, &EngineWorker::answerReady, this, &PlaygroundPanel::showAnswer);
    connect(worker, &EngineWorker::askFailed, this, &PlaygroundPanel::showAskFailure);
    connect(worker, &EngineWorker::workspaceOpened, m_banner, &ErrorBanner::clear);
}

void PlaygroundPanel::setQuestion(const QString& question)
{
    m_questionEdit->setPlainText(question);
}

QString PlaygroundPanel::question() const
{
    return m_questionEdit->toPlainText();
}

void PlaygroundPanel::ask()
{
    // The engine rejects empty and over-long questions; its message lands in the banner.
    m_banner->clear();
    if (isBusy())
        m_controller->cancelQuery();  // the older question's result would be dropped anyway
    m_cancelRequested = false;
    m_pendingQueryId = m_controller->ask(question().trimmed());
    m_streamStarted = false;
    setBusy(true);
}

void PlaygroundPanel::appendStreamedText(quint64 queryId, const QString& piece)
{
    if (queryId != m_pendingQueryId)
        return;
    if (!m_streamStarted) {
        m_answerBrowser->clear();
        m_streamStarted = true;
    }
    // Plain text while streaming; the cited, linked answer replaces it when the result arrives.
    QTextCursor cursor(m_answerBrowser->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(piece);
}

void PlaygroundPanel::cancel()
{
    if (!isBusy())
        return;
    m_cancelRequested = true;
    m_cancelButton->setEnabled(false);
    m_stateLabel->setText(tr("Cancelling..."));
    m_controller->cancelQuery();
}

void PlaygroundPanel::showError(const QString& message)
{
    m_banner->showError(message);
}

void PlaygroundPanel::setBusy(bool busy)
{
    m_cancelButton->setEnabled(busy);
    m_busyBar->setVisible(busy);
    m_stateLabel->setText(busy ? tr("Running...") : QString());
}

void PlaygroundPanel::showAnswer(quint64 queryId, const llmops::QueryResult& result)
{
    if (queryId != m_pendingQueryId)
        return;  // an answer to a question that was replaced by a newer one
    m_pendingQueryId = 0;
    setBusy(false);

    m_result = result;
    // A blocked question has no answer to read, so the findings that blocked it are shown in
    // full where the answer would be. The flag list cuts long details.
    QString answerHtml = answerToHtml(result);
    if (result.blocked)
        answerHtml += tr("<p><b>Findings</b></p>") + flagsToHtml(result.flags);
    m_answerBrowser->setHtml(answerHtml);
    showCitations(result);
    showDetails(result);
    showFlags(result);
    m_timeline->setSpans(result.spans, result.totalUs);
    emit answerShown(result);
}

void PlaygroundPanel::showAskFailure(quint64 queryId, const QString& message)
{
    if (queryId != m_pendingQueryId)
        return;
    m_pendingQueryId = 0;
    setBusy(false);

    if (m_cancelRequested) {
        m_stateLabel->setText(tr("Cancelled."));
    } else {
        m_banner->showError(message);
    }
    emit questionFailed(message);
}

void PlaygroundPanel::showDetails(const llmops::QueryResult& result)
{
    // A question may be 8 KiB long, so the label shows its start and the tooltip all of it.
    const QString sent = fromUtf8(result.query);
    constexpr qsizetype kSentPreviewChars = 300;
    m_sentLabel->setText(sent.size() > kSentPreviewChars ? sent.left(kSentPreviewChars) + QStringLiteral("…") : sent);
    m_sentLabel->setToolTip(sent);
    const bool routed = !result.route.empty() && result.ruleSetVersion > 0;
    m_routeLabel->setText(routed ? tr("%1 (rule set v%2)").arg(fromUtf8(result.route)).arg(result.ruleSetVersion)
                                 : orNone(result.route));
    m_routeLabel->setToolTip(fromUtf8(result.routeReason));
    m_modelLabel->setText(orNone(result.model));
    m_costLabel->setText(QStringLiteral("%1 USD").arg(result.costUsd, 0, 'f', 6));
    m_tokensLabel->setText(
        tr("%1 in, %2 out").arg(result.usage.inputTokens).arg(result.usage.outputTokens));
    m_cacheLabel->setText(tr("cached: %1, blocked: %2, trace #%3")
                              .arg(yesNo(result.cached), yesNo(result.blocked))
                              .arg(result.traceId));
    m_totalLabel->setText(QStringLiteral("%1 ms").arg(double(result.totalUs) / 1000.0, 0, 'f', 3));
}

void PlaygroundPanel::showCitations(const llmops::QueryResult& result)
{
    QString html = result.citations.empty() ? tr("<p>The answer cites no documents.</p>") : citationsToHtml(result);
    if (!result.claims.empty())
        html += tr("<h4>Claim support</h4>") + claimsToHtml(result);
    m_citationBrowser->setHtml(html);
}

void PlaygroundPanel::showFlags(const llmops::QueryResult& result)
{
    m_flagList->clear();
    for (const auto& flag : result.flags) {
        auto* item = new QTreeWidgetItem(m_flagList, {fromUtf8(flag.kind), fromUtf8(flag.detail)});
        item->setToolTip(1, fromUtf8(flag.detail));
    }
    if (result.flags.empty())
        new QTreeWidgetItem(m_flagList, {tr("none"), tr("No guardrail or validator findings.")});
}

void PlaygroundPanel::followAnswerLink(const QUrl& url)
{
    if (url.hasFragment())
        m_citationBrowser->scrollToAnchor(url.fragment());
}

} // namespace llmops::ui
