// SPDX-License-Identifier: MIT
#include "TracesPanel.h"

#include "CsvExport.h"
#include "EngineController.h"
#include "EngineWorker.h"
#include "ErrorBanner.h"
#include "MetricsTableModel.h"
#include "StageTimeline.h"
#include "TraceListModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace llmops::ui {
namespace {

QString usd(double value)
{
    return QStringLiteral("$%1").arg(value, 0, 'f', 6);
}

QString escaped(const std::string& text)
{
    return fromUtf8(text).toHtmlEscaped();
}

QString costTable(const llmops::QueryResult& trace)
{
    const llmops::CostBreakdown& cost = trace.cost;
    const llmops::TokenUsage& usage = trace.usage;
    QString html = QStringLiteral("<h3>%1</h3><table cellpadding='2'>").arg(QObject::tr("Cost"));
    const auto row = [&html](const QString& label, const QString& value) {
        html += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td></tr>").arg(label, value);
    };
    row(QObject::tr("Input tokens (cached read / written)"),
        QStringLiteral("%1 (%2 / %3)").arg(usage.inputTokens).arg(usage.cachedInputTokens).arg(usage.cacheWriteTokens));
    row(QObject::tr("Output tokens (reasoning)"), QStringLiteral("%1 (%2)").arg(usage.outputTokens).arg(usage.reasoningTokens));
    row(QObject::tr("Uncached input"), usd(cost.uncachedInputUsd));
    row(QObject::tr("Cached input"), usd(cost.cachedInputUsd));
    row(QObject::tr("Cache writes"), usd(cost.cacheWriteUsd));
    row(QObject::tr("Output"), usd(cost.outputUsd));
    row(QObject::tr("Reasoning"), usd(cost.reasoningUsd));
    row(QStringLiteral("<b>%1</b>").arg(QObject::tr("Total")), QStringLiteral("<b>%1</b>").arg(usd(trace.costUsd)));
    html += QStringLiteral("</table><p>%1 %2 %3</p>")
                .arg(QObject::tr("Priced from:"), escaped(cost.source), escaped(cost.pricedModel + " " + cost.tableVersion));
    return html;
}

QString spanTable(const llmops::QueryResult& trace)
{
    QString html = QStringLiteral("<h3>%1</h3><table cellpadding='2'><tr><th align='left'>%2</th><th>%3</th>"
                                  "<th>%4</th><th>%5</th><th align='left'>%6</th></tr>")
                       .arg(QObject::tr("Spans"), QObject::tr("stage"), QObject::tr("start (ms)"),
                            QObject::tr("duration (ms)"), QObject::tr("status"), QObject::tr("detail"));
    for (const llmops::Span& span : trace.spans) {
        html += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td><td align='right'>%3</td><td>%4</td><td>%5</td></tr>")
                    .arg(escaped(span.name))
                    .arg(static_cast<double>(span.startUs) / 1000.0, 0, 'f', 2)
                    .arg(static_cast<double>(span.durationUs) / 1000.0, 0, 'f', 2)
                    .arg(escaped(span.status), escaped(span.detail));
    }
    return html + QStringLiteral("</table>");
}

} // namespace

TracesPanel::TracesPanel(EngineController* controller, QWidget* parent) : QWidget(parent), m_controller(controller)
{
    m_banner = new ErrorBanner(this);
    m_model = new TraceListModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(TraceListModel::Time, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(buildDetail());
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(buildFilters());
    layout->addWidget(splitter, 1);

    EngineWorker* worker = controller->worker();
    connect(worker, &EngineWorker::traceListLoaded, this, &TracesPanel::showRows);
    connect(worker, &EngineWorker::traceDetailLoaded, this, &TracesPanel::showTrace);
    connect(worker, &EngineWorker::tracesFailed, this, &TracesPanel::showError);
    connect(worker, &EngineWorker::otlpExported, this, [this](const QString& path, qint64 traces) {
        m_countLabel->setText(tr("Exported %1 traces to %2").arg(traces).arg(path));
    });
    connect(worker, &EngineWorker::workspaceOpened, this, &TracesPanel::refresh);
    connect(m_model, &TraceListModel::sortRequested, this, [this](llmops::TraceFilter::Sort sort, bool descending) {
        m_filter.sort = sort;
        m_filter.descending = descending;
        refresh();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TracesPanel::selectionChanged);
}

QWidget* TracesPanel::buildFilters()
{
    auto* box = new QWidget(this);
    m_rangeLabel = new QLabel(tr("All times"), box);
    auto* allTimes = new QPushButton(tr("All times"), box);
    m_routeEdit = new QLineEdit(box);
    m_routeEdit->setPlaceholderText(tr("route"));
    m_modelEdit = new QLineEdit(box);
    m_modelEdit->setPlaceholderText(tr("model"));
    m_flagCombo = new QComboBox(box);
    m_flagCombo->addItem(tr("any flag"), QString());
    for (const char* kind : {"unsupported_claim", "pii_leak", "prompt_injection", "generator_error", "retrieval_degraded"})
        m_flagCombo->addItem(QString::fromLatin1(kind), QString::fromLatin1(kind));
    m_statusCombo = new QComboBox(box);
    m_statusCombo->addItem(tr("any status"), QString());
    for (const char* status : {"ok", "cached", "blocked", "error"})
        m_statusCombo->addItem(QString::fromLatin1(status), QString::fromLatin1(status));
    m_textEdit = new QLineEdit(box);
    m_textEdit->setPlaceholderText(tr("text in question or answer"));
    m_textEdit->setClearButtonEnabled(true);
    auto* apply = new QPushButton(tr("Filter"), box);
    m_countLabel = new QLabel(box);
    m_contentCheck = new QCheckBox(tr("with questions and answers"), box);
    auto* csv = new QPushButton(tr("Export CSV…"), box);
    auto* otlp = new QPushButton(tr("Export OTLP…"), box);

    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    for (QWidget* widget : std::initializer_list<QWidget*>{m_rangeLabel, allTimes, m_routeEdit, m_modelEdit, m_flagCombo,
                                                           m_statusCombo, m_textEdit, apply, m_countLabel})
        row->addWidget(widget);
    row->addStretch(1);
    for (QWidget* widget : std::initializer_list<QWidget*>{m_contentCheck, otlp, csv})
        row->addWidget(widget);

    connect(allTimes, &QPushButton::clicked, this, [this] { showTimeRange(0, 0); });
    connect(apply, &QPushButton::clicked, this, &TracesPanel::applyFilters);
    for (QLineEdit* edit : {m_routeEdit, m_modelEdit, m_textEdit})
        connect(edit, &QLineEdit::returnPressed, this, &TracesPanel::applyFilters);
    connect(m_flagCombo, &QComboBox::currentIndexChanged, this, &TracesPanel::applyFilters);
    connect(m_statusCombo, &QComboBox::currentIndexChanged, this, &TracesPanel::applyFilters);
    connect(csv, &QPushButton::clicked, this, &TracesPanel::exportCsv);
    connect(otlp, &QPushButton::clicked, this, &TracesPanel::exportOtlp);
    return box;
}

QWidget* TracesPanel::buildDetail()
{
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_waterfall = new StageTimeline(splitter);
    m_detail = new QTextBrowser(splitter);
    m_detail->setOpenLinks(false);
    splitter->addWidget(m_waterfall);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    return splitter;
}

void TracesPanel::showTimeRange(qint64 fromMs, qint64 toMs)
{
    m_filter.fromMs = fromMs;
    m_filter.toMs = toMs;
    m_rangeLabel->setText(fromMs == 0 && toMs == 0 ? tr("All times")
                                                   : tr("%1 to %2").arg(localTimeText(fromMs), localTimeText(toMs)));
    refresh();
}

void TracesPanel::applyFilters()
{
    m_filter.route = m_routeEdit->text().trimmed().toStdString();
    m_filter.model = m_modelEdit->text().trimmed().toStdString();
    m_filter.flag = m_flagCombo->currentData().toString().toStdString();
    m_filter.status = m_statusCombo->currentData().toString().toStdString();
    m_filter.text = m_textEdit->text().toStdString();
    refresh();
}

void TracesPanel::refresh()
{
    m_banner->clear();
    m_pendingList = m_controller->loadTraceList(m_filter);
}

void TracesPanel::showRows(quint64 requestId, const std::vector<llmops::TraceRow>& rows)
{
    if (requestId != m_pendingList)
        return;
    m_model->setRows(rows);
    m_countLabel->setText(rows.size() >= static_cast<std::size_t>(m_filter.limit)
                              ? tr("first %1 traces").arg(rows.size())
                              : tr("%1 traces").arg(rows.size()));
    m_table->resizeColumnsToContents();
    if (!rows.empty())
        m_table->selectRow(0);
    else {
        m_waterfall->clear();
        m_detail->clear();
    }
    emit listShown();
}

void TracesPanel::selectionChanged()
{
    const qint64 traceId = m_model->traceIdAt(m_table->currentIndex().row());
    if (traceId > 0)
        m_controller->loadTraceDetail(traceId);
}

void TracesPanel::showTrace(qint64 traceId, const llmops::QueryResult& trace)
{
    if (traceId != m_model->traceIdAt(m_table->currentIndex().row()))
        return;  // the selection moved on while the trace loaded
    m_shownTraceId = traceId;
    m_waterfall->setSpans(trace.spans, trace.totalUs);
    m_detail->setHtml(detailHtml(trace));
    emit traceShown(traceId);
}

QString TracesPanel::detailHtml(const llmops::QueryResult& trace)
{
    QString html = QStringLiteral("<h3>%1 %2</h3><p>%3 → %4</p>")
                       .arg(tr("Trace"))
                       .arg(trace.traceId)
                       .arg(escaped(trace.route), escaped(trace.model));
    if (!trace.routeReason.empty())
        html += QStringLiteral("<p>%1</p>").arg(escaped(trace.routeReason));
    html += QStringLiteral("<h3>%1</h3><pre style='white-space:pre-wrap'>%2</pre>").arg(tr("Question"), escaped(trace.query));
    html += QStringLiteral("<h3>%1</h3><pre style='white-space:pre-wrap'>%2</pre>").arg(tr("Answer"), escaped(trace.answer));
    if (!trace.flags.empty()) {
        html += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Flags"));
        for (const llmops::Flag& flag : trace.flags)
            html += QStringLiteral("<li><b>%1</b>: %2</li>").arg(escaped(flag.kind), escaped(flag.detail));
        html += QStringLiteral("</ul>");
    }
    return html + costTable(trace) + spanTable(trace);
}

void TracesPanel::exportCsv()
{
    const QString problem = saveModelCsv(this, *m_model, QStringLiteral("traces.csv"));
    if (!problem.isEmpty())
        showError(problem);
}

void TracesPanel::exportOtlp()
{
    if (m_model->rows().empty()) {
        showError(tr("No traces are listed; change the filters to list the traces to export."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export traces as OTLP/JSON"),
                                                      QStringLiteral("traces.otlp.json"), tr("JSON files (*.json)"));
    if (path.isEmpty())
        return;
    std::vector<qint64> ids;
    for (const llmops::TraceRow& row : m_model->rows())
        ids.push_back(row.id);
    m_controller->exportOtlp(path, ids, m_contentCheck->isChecked());
}

void TracesPanel::showError(const QString& message)
{
    m_banner->showError(message);
}

} // namespace llmops::ui
