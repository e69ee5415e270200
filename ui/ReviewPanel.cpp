// SPDX-License-Identifier: MIT
#include "ReviewPanel.h"

#include "AnswerHtml.h"
#include "EngineController.h"
#include "EngineWorker.h"
#include "ErrorBanner.h"
#include "ReviewTableModel.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace llmops::ui {

namespace {

constexpr qint64 kHourMs = 3600 * 1000;

// The first prompt-injection sentence of a trace, the usual false-alarm phrase. Flag spans
// refer to the question as asked, which equals the stored one unless PII was redacted, so a
// span past the stored text gives an empty phrase for the reviewer to type.
QString injectionPhrase(const llmops::QueryResult& trace)
{
    for (const llmops::Flag& flag : trace.flags) {
        if (flag.kind == "prompt_injection" && flag.end <= trace.query.size() && flag.begin < flag.end)
            return fromUtf8(trace.query.substr(flag.begin, flag.end - flag.begin));
    }
    return {};
}

QString itemHeaderHtml(const llmops::ReviewItem& item)
{
    QString html = ReviewPanel::tr("<h3>%1 #%2</h3>").arg(fromUtf8(item.kind).toHtmlEscaped()).arg(item.id);
    if (!item.evalRef.empty())
        html += ReviewPanel::tr("<p>Eval item: %1</p>").arg(fromUtf8(item.evalRef).toHtmlEscaped());
    if (!item.verdict.empty())
        html += ReviewPanel::tr("<p>Verdict: <b>%1</b> %2</p>")
                    .arg(fromUtf8(item.verdict).toHtmlEscaped(), fromUtf8(item.note).toHtmlEscaped());
    return html;
}

QString traceHtml(const llmops::ReviewItem& item, const llmops::QueryResult& trace)
{
    QString html = itemHeaderHtml(item);
    if (item.traceId == 0)
        return html + QStringLiteral("<p>%1</p>").arg(fromUtf8(item.detail).toHtmlEscaped());

    html += ReviewPanel::tr("<p><b>Question</b> (trace %1, route %2, model %3)<br>%4</p>")
                .arg(item.traceId)
                .arg(fromUtf8(trace.route).toHtmlEscaped(), fromUtf8(trace.model).toHtmlEscaped(),
                     fromUtf8(trace.query).toHtmlEscaped());
    html += ReviewPanel::tr("<p><b>Answer</b><br>%1</p>").arg(answerToHtml(trace));
    if (!trace.claims.empty())
        html += ReviewPanel::tr("<p><b>Claims</b></p>") + claimsToHtml(trace);
    html += ReviewPanel::tr("<p><b>Flags</b></p>") + flagsToHtml(trace.flags);
    return html;
}

QPushButton* verdictButton(const QString& text, const QString& key, QWidget* parent)
{
    auto* button = new QPushButton(QStringLiteral("%1 (%2)").arg(text, key), parent);
    button->setToolTip(ReviewPanel::tr("Store this verdict and move to the next item; press %1 in the table")
                           .arg(key));
    return button;
}

} // namespace

ReviewPanel::ReviewPanel(EngineController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new ReviewTableModel(this))
{
    setupWidgets();
    setupConnections();
    setupShortcuts();
}

void ReviewPanel::setupWidgets()
{
    m_banner = new ErrorBanner(this);
    m_countsLabel = new QLabel(this);
    m_countsLabel->setTextFormat(Qt::PlainText);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    const std::pair<ReviewTableModel::Column, int> widths[] = {
        {ReviewTableModel::Column::Id, 40},     {ReviewTableModel::Column::Created, 120},
        {ReviewTableModel::Column::Kind, 125},  {ReviewTableModel::Column::Status, 50},
        {ReviewTableModel::Column::Verdict, 90}, {ReviewTableModel::Column::Route, 90},
        {ReviewTableModel::Column::Model, 90}};
    for (const auto& [column, width] : widths)
        m_table->horizontalHeader()->resizeSection(int(column), width);
    m_table->setToolTip(tr("C: correct, H: hallucination, F: false alarm"));

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(createDetailPane());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(createFilterRow());
    layout->addWidget(m_countsLabel);
    layout->addWidget(splitter, 1);
}

QWidget* ReviewPanel::createFilterRow()
{
    auto* row = new QWidget(this);
    m_kindCombo = new QComboBox(row);
    m_kindCombo->addItem(tr("All kinds"), QString());
    for (const char* kind : {"guardrail_block", "unsupported_claim", "pii_leak", "eval_regression", "alert"})
        m_kindCombo->addItem(QString::fromLatin1(kind), QString::fromLatin1(kind));
    m_statusCombo = new QComboBox(row);
    m_statusCombo->addItem(tr("Open and done"), QString());
    m_statusCombo->addItem(tr("Open"), QStringLiteral("open"));
    m_statusCombo->addItem(tr("Done"), QStringLiteral("done"));
    m_routeEdit = new QLineEdit(row);
    m_routeEdit->setPlaceholderText(tr("Route"));
    m_modelEdit = new QLineEdit(row);
    m_modelEdit->setPlaceholderText(tr("Model"));
    m_periodCombo = new QComboBox(row);
    m_periodCombo->addItem(tr("Any time"), qint64(0));
    m_periodCombo->addItem(tr("Last 24 hours"), 24 * kHourMs);
    m_periodCombo->addItem(tr("Last 7 days"), 7 * 24 * kHourMs);
    m_periodCombo->addItem(tr("Last 30 days"), 30 * 24 * kHourMs);
    m_refreshButton = new QPushButton(tr("Refresh"), row);

    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* widget : std::initializer_list<QWidget*>{m_kindCombo, m_statusCombo, m_routeEdit, m_modelEdit,
                                                           m_periodCombo, m_refreshButton})
        layout->addWidget(widget);
    layout->addStretch(1);
    return row;
}

QWidget* ReviewPanel::createDetailPane()
{
    auto* pane = new QWidget(this);
    m_detailBrowser = new QTextBrowser(pane);
    m_detailBrowser->setPlaceholderText(tr("Select an item to see its trace."));
    m_noteEdit = new QLineEdit(pane);
    m_noteEdit->setPlaceholderText(tr("Why, in a sentence"));
    m_answerEdit = new QPlainTextEdit(pane);
    m_answerEdit->setPlaceholderText(tr("The correct answer, when the original is wrong"));
    m_answerEdit->setTabChangesFocus(true);
    m_answerEdit->setFixedHeight(m_answerEdit->fontMetrics().lineSpacing() * 4 + 12);
    m_correctButton = verdictButton(tr("Correct"), QStringLiteral("C"), pane);
    m_hallucinationButton = verdictButton(tr("Hallucination"), QStringLiteral("H"), pane);
    m_falseAlarmButton = verdictButton(tr("False alarm"), QStringLiteral("F"), pane);
    m_allowEdit = new QLineEdit(pane);
    m_allowEdit->setPlaceholderText(tr("Phrase the injection scanner should accept"));
    m_allowButton = new QPushButton(tr("Add to allow-list"), pane);
    m_datasetEdit = new QLineEdit(QStringLiteral("reviewed"), pane);
    m_datasetEdit->setToolTip(tr("The eval data set that judged items join, as a new version"));
    m_datasetButton = new QPushButton(tr("Add to eval data set"), pane);
    m_datasetButton->setToolTip(tr("Append this item's question and trusted answer (the corrected one, or the "
                                   "original when marked correct)"));
    m_allowStatus = new QLabel(pane);
    m_allowStatus->setTextFormat(Qt::PlainText);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_correctButton);
    buttons->addWidget(m_hallucinationButton);
    buttons->addWidget(m_falseAlarmButton);
    auto* allow = new QHBoxLayout;
    allow->addWidget(m_allowEdit, 1);
    allow->addWidget(m_allowButton);

    auto* form = new QFormLayout;
    form->addRow(tr("Note:"), m_noteEdit);
    form->addRow(tr("Corrected answer:"), m_answerEdit);
    form->addRow(tr("Allow-list:"), allow);
    auto* dataset = new QHBoxLayout;
    dataset->addWidget(m_datasetEdit, 1);
    dataset->addWidget(m_datasetButton);
    form->addRow(tr("Eval data set:"), dataset);
    form->addRow(QString(), m_allowStatus);

    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_detailBrowser, 1);
    layout->addLayout(form);
    layout->addLayout(buttons);
    return pane;
}

void ReviewPanel::setupConnections()
{
    const EngineWorker* worker = m_controller->worker();
    connect(worker, &EngineWorker::reviewLoaded, this, &ReviewPanel::showItems);
    connect(worker, &EngineWorker::reviewTraceLoaded, this, &ReviewPanel::showTrace);
    connect(worker, &EngineWorker::reviewVerdictStored, this, &ReviewPanel::updateStoredItem);
    connect(worker, &EngineWorker::reviewFailed, this, &ReviewPanel::showError);
    connect(worker, &EngineWorker::allowListUpdated, this,
            [this](const QString& phrase) { m_allowStatus->setText(tr("Added to the allow-list: %1").arg(phrase)); });
    // New traces may have queued items, and a new workspace has a queue of its own.
    connect(worker, &EngineWorker::workspaceOpened, this, &ReviewPanel::refresh);
    connect(worker, &EngineWorker::answerReady, this, &ReviewPanel::refresh);

    connect(m_refreshButton, &QPushButton::clicked, this, &ReviewPanel::refresh);
    for (QComboBox* combo : {m_kindCombo, m_statusCombo, m_periodCombo})
        connect(combo, &QComboBox::currentIndexChanged, this, &ReviewPanel::refresh);
    for (QLineEdit* edit : {m_routeEdit, m_modelEdit})
        connect(edit, &QLineEdit::editingFinished, this, &ReviewPanel::refresh);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ReviewPanel::showCurrentItem);
    connect(m_correctButton, &QPushButton::clicked, this, [this] { markCurrent(QStringLiteral("correct")); });
    connect(m_hallucinationButton, &QPushButton::clicked, this,
            [this] { markCurrent(QStringLiteral("hallucination")); });
    connect(m_falseAlarmButton, &QPushButton::clicked, this, [this] { markCurrent(QStringLiteral("false_alarm")); });
    connect(m_allowButton, &QPushButton::clicked, this, &ReviewPanel::addPhraseToAllowList);
    connect(m_datasetButton, &QPushButton::clicked, this, &ReviewPanel::addCurrentToDataset);
    connect(worker, &EngineWorker::reviewItemAddedToDataset, this,
            [this](qint64 itemId, const QString& name, int version) {
                m_allowStatus->setText(tr("Item %1 added to data set \"%2\", version %3").arg(itemId).arg(name).arg(version));
            });
}

void ReviewPanel::setupShortcuts()
{
    // Bound to the table only, so typing a note or an answer never stores a verdict.
    const std::pair<Qt::Key, QString> keys[] = {{Qt::Key_C, QStringLiteral("correct")},
                                                {Qt::Key_H, QStringLiteral("hallucination")},
                                                {Qt::Key_F, QStringLiteral("false_alarm")}};
    for (const auto& [key, verdict] : keys) {
        auto* shortcut = new QShortcut(QKeySequence(key), m_table);
        shortcut->setContext(Qt::WidgetShortcut);
        connect(shortcut, &QShortcut::activated, this, [this, verdict = verdict] { markCurrent(verdict); });
    }
}

llmops::ReviewFilter ReviewPanel::currentFilter() const
{
    llmops::ReviewFilter filter;
    filter.kind = m_kindCombo->currentData().toString().toStdString();
    filter.status = m_statusCombo->currentData().toString().toStdString();
    filter.route = m_routeEdit->text().trimmed().toStdString();
    filter.model = m_modelEdit->text().trimmed().toStdString();
    const qint64 period = m_periodCombo->currentData().toLongLong();
    if (period > 0)
        filter.fromMs = QDateTime::currentMSecsSinceEpoch() - period;
    return filter;
}

void ReviewPanel::refresh()
{
    m_pendingRequestId = m_controller->loadReview(currentFilter());
}

qint64 ReviewPanel::currentItemId() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_model->data(current, ReviewTableModel::IdRole).toLongLong() : 0;
}

void ReviewPanel::showItems(quint64 requestId, const ReviewItems& items, const llmops::ReviewCounts& counts)
{
    if (requestId != m_pendingRequestId)
        return;  // a newer request with other filters is on its way
    const qint64 selectedId = currentItemId();
    m_model->setItems(items);
    showCounts(counts);
    const int row = m_model->rowOf(selectedId);
    selectRow(row >= 0 ? row : 0);
}

void ReviewPanel::showCounts(const llmops::ReviewCounts& counts)
{
    m_countsLabel->setText(tr("%1 items: %2 open, %3 correct, %4 hallucination, %5 false alarm")
                               .arg(counts.total)
                               .arg(counts.open)
                               .arg(counts.correct)
                               .arg(counts.hallucination)
                               .arg(counts.falseAlarm));
}

void ReviewPanel::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount()) {
        if (m_model->rowCount() == 0)
            m_detailBrowser->clear();
        return;
    }
    m_table->setCurrentIndex(m_model->index(row, 0));
}

void ReviewPanel::showCurrentItem()
{
    const int row = m_table->currentIndex().row();
    if (row < 0)
        return;
    const llmops::ReviewItem& item = m_model->items()[std::size_t(row)];
    m_detailBrowser->setHtml(itemHeaderHtml(item));
    m_noteEdit->setText(fromUtf8(item.note));
    m_answerEdit->setPlainText(fromUtf8(item.correctedAnswer));
    m_allowEdit->clear();
    m_allowStatus->clear();
    m_controller->loadReviewTrace(item.id, item.traceId);
}

void ReviewPanel::showTrace(qint64 itemId, const llmops::QueryResult& trace)
{
    const int row = m_model->rowOf(itemId);
    if (itemId != currentItemId() || row < 0)
        return;  // the reviewer moved on before the trace arrived
    m_detailBrowser->setHtml(traceHtml(m_model->items()[std::size_t(row)], trace));
    if (m_allowEdit->text().isEmpty())
        m_allowEdit->setText(injectionPhrase(trace));
}

void ReviewPanel::markCurrent(const QString& verdict)
{
    const qint64 id = currentItemId();
    if (id == 0)
        return;
    m_controller->setReviewVerdict(id, verdict, m_noteEdit->text().trimmed(), m_answerEdit->toPlainText().trimmed());
    selectRow(m_table->currentIndex().row() + 1);
    m_table->setFocus();
}

void ReviewPanel::updateStoredItem(const llmops::ReviewItem& item)
{
    m_model->updateItem(item);
    emit verdictStored(item.id);
    refresh();  // the counts changed, and a status filter may now exclude the item
}

void ReviewPanel::addCurrentToDataset()
{
    const qint64 id = currentItemId();
    const QString name = m_datasetEdit->text().trimmed();
    if (id <= 0 || name.isEmpty()) {
        showError(tr("Select an item and name the data set to add it to."));
        return;
    }
    m_controller->addReviewItemToDataset(id, name);
}

void ReviewPanel::addPhraseToAllowList()
{
    const QString phrase = m_allowEdit->text().trimmed();
    if (phrase.isEmpty()) {
        m_allowStatus->setText(tr("Type the phrase that was wrongly flagged first."));
        return;
    }
    m_controller->addToAllowList(phrase);
}

void ReviewPanel::showError(const QString& message)
{
    m_banner->showError(message);
}

} // namespace llmops::ui
