// SPDX-License-Identifier: MIT
#include "DashboardPanel.h"

#include "CsvExport.h"
#include "DashboardCharts.h"
#include "EngineController.h"
#include "EngineWorker.h"
#include "ErrorBanner.h"
#include "MetricsTableModel.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace llmops::ui {
namespace {

constexpr qint64 kMinuteMs = 60000;
constexpr qint64 kHourMs = 60 * kMinuteMs;
constexpr qint64 kDayMs = 24 * kHourMs;

enum Tile { QueriesTile, CostTile, LatencyTile, HallucinationTile, CacheTile, BlockTile, TileCount };

// "+12.5 % vs previous", or a note when the previous period had nothing to compare with.
QString change(double current, double previous)
{
    if (previous == 0.0)
        return current == 0.0 ? QObject::tr("no change") : QObject::tr("new this period");
    const double percent = (current - previous) / previous * 100.0;
    return QStringLiteral("%1%2 % vs previous").arg(percent >= 0.0 ? QStringLiteral("+") : QString()).arg(percent, 0, 'f', 1);
}

QString tileText(const QString& title, const QString& value, const QString& comparison)
{
    return QStringLiteral("<div style='font-size:small'>%1</div><div style='font-size:x-large;font-weight:600'>%2</div>"
                          "<div style='font-size:small;color:#666'>%3</div>")
        .arg(title.toHtmlEscaped(), value.toHtmlEscaped(), comparison.toHtmlEscaped());
}

qint64 rangeLength(DashboardPanel::Range range)
{
    switch (range) {
    case DashboardPanel::Range::LastHour: return kHourMs;
    case DashboardPanel::Range::LastDay: return kDayMs;
    case DashboardPanel::Range::LastWeek: return 7 * kDayMs;
    default: return 30 * kDayMs;
    }
}

// Minutes up to two hours, hours up to eight days, else six hours: the preset ranges get
// 24 to 168 points.
qint64 autoBucket(qint64 lengthMs)
{
    if (lengthMs <= 2 * kHourMs)
        return kMinuteMs;
    if (lengthMs <= 8 * kDayMs)
        return kHourMs;
    return 6 * kHourMs;
}

} // namespace

DashboardPanel::DashboardPanel(EngineController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller)
{
    m_banner = new ErrorBanner(this);
    m_charts = new DashboardCharts(this);
    m_model = new MetricsTableModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();

    auto* views = new QTabWidget(this);
    views->addTab(m_charts, tr("Charts"));
    views->addTab(m_table, tr("Figures per bucket"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(buildControls());
    layout->addWidget(buildTiles());
    layout->addWidget(views, 1);

    connect(controller->worker(), &EngineWorker::metricsLoaded, this, &DashboardPanel::showReport);
    connect(controller->worker(), &EngineWorker::metricsFailed, this, [this](quint64 requestId, const QString& message) {
        if (requestId != m_pendingRequest)
            return;
        m_pendingRequest = 0;
        m_cancelButton->setEnabled(false);
        showError(message);
    });
    connect(controller->worker(), &EngineWorker::workspaceOpened, this, &DashboardPanel::refresh);
    connect(m_charts, &DashboardCharts::bucketActivated, this, &DashboardPanel::tracesRequested);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const qint64 start = m_model->data(index, Qt::UserRole).toLongLong();
        emit tracesRequested(start, start + m_model->report().query.bucketMs);
    });
}

QWidget* DashboardPanel::buildControls()
{
    auto* box = new QWidget(this);
    m_rangeCombo = new QComboBox(box);
    m_rangeCombo->addItems({tr("Last hour"), tr("Last day"), tr("Last week"), tr("Last month"), tr("Custom")});
    m_rangeCombo->setCurrentIndex(static_cast<int>(Range::LastDay));
    m_bucketCombo = new QComboBox(box);
    m_bucketCombo->addItem(tr("Automatic buckets"), QVariant::fromValue<qint64>(0));
    m_bucketCombo->addItem(tr("1 minute"), QVariant::fromValue<qint64>(kMinuteMs));
    m_bucketCombo->addItem(tr("5 minutes"), QVariant::fromValue<qint64>(5 * kMinuteMs));
    m_bucketCombo->addItem(tr("1 hour"), QVariant::fromValue<qint64>(kHourMs));
    m_bucketCombo->addItem(tr("1 day"), QVariant::fromValue<qint64>(kDayMs));
    m_fromEdit = new QDateTimeEdit(QDateTime::currentDateTime().addDays(-1), box);
    m_toEdit = new QDateTimeEdit(QDateTime::currentDateTime(), box);
    for (QDateTimeEdit* edit : {m_fromEdit, m_toEdit}) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setCalendarPopup(true);
    }
    m_refreshButton = new QPushButton(tr("Refresh"), box);
    m_cancelButton = new QPushButton(tr("Cancel"), box);
    m_cancelButton->setEnabled(false);
    m_chartCombo = new QComboBox(box);
    m_chartCombo->addItems({tr("Cost chart"), tr("Latency chart"), tr("Rates chart"), tr("Volume chart")});
    auto* pngButton = new QPushButton(tr("Save PNG…"), box);
    auto* csvButton = new QPushButton(tr("Export CSV…"), box);
    m_statusLabel = new QLabel(box);

    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    for (QWidget* widget : std::initializer_list<QWidget*>{m_rangeCombo, m_fromEdit, m_toEdit, m_bucketCombo,
                                                           m_refreshButton, m_cancelButton, m_statusLabel})
        row->addWidget(widget);
    row->addStretch(1);
    for (QWidget* widget : std::initializer_list<QWidget*>{m_chartCombo, pngButton, csvButton})
        row->addWidget(widget);
    updateCustomRange();

    connect(m_rangeCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateCustomRange();
        refresh();
    });
    connect(m_bucketCombo, &QComboBox::currentIndexChanged, this, &DashboardPanel::refresh);
    connect(m_refreshButton, &QPushButton::clicked, this, &DashboardPanel::refresh);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        m_controller->cancelMetrics();
        m_pendingRequest = 0;
        m_cancelButton->setEnabled(false);
        m_statusLabel->setText(tr("Refresh cancelled."));
    });
    connect(pngButton, &QPushButton::clicked, this, &DashboardPanel::exportChart);
    connect(csvButton, &QPushButton::clicked, this, &DashboardPanel::exportCsv);
    return box;
}

QWidget* DashboardPanel::buildTiles()
{
    auto* box = new QWidget(this);
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < TileCount; ++i) {
        auto* tile = new QLabel(box);
        tile->setFrameShape(QFrame::StyledPanel);
        tile->setTextFormat(Qt::RichText);
        tile->setMinimumWidth(150);
        tile->setContentsMargins(8, 4, 8, 4);
        grid->addWidget(tile, 0, i);
        m_tiles.push_back(tile);
    }
    showTiles({});
    return box;
}

void DashboardPanel::updateCustomRange()
{
    const bool custom = m_rangeCombo->currentIndex() == static_cast<int>(Range::Custom);
    m_fromEdit->setVisible(custom);
    m_toEdit->setVisible(custom);
}

llmops::MetricsQuery DashboardPanel::queryFor(Range range, qint64 bucketMs, qint64 nowMs, qint64 customFromMs,
                                              qint64 customToMs)
{
    llmops::MetricsQuery query;
    if (range == Range::Custom) {
        query.fromMs = customFromMs;
        query.toMs = customToMs;
    } else {
        query.toMs = nowMs;
        query.fromMs = nowMs - rangeLength(range);
    }
    query.bucketMs = bucketMs > 0 ? bucketMs : autoBucket(query.toMs - query.fromMs);
    return query;
}

void DashboardPanel::refresh()
{
    const auto range = static_cast<Range>(m_rangeCombo->currentIndex());
    const llmops::MetricsQuery query =
        queryFor(range, m_bucketCombo->currentData().toLongLong(), QDateTime::currentMSecsSinceEpoch(),
                 m_fromEdit->dateTime().toMSecsSinceEpoch(), m_toEdit->dateTime().toMSecsSinceEpoch());
    m_banner->clear();
    m_statusLabel->setText(tr("Computing…"));
    m_cancelButton->setEnabled(true);
    m_pendingRequest = m_controller->loadMetrics(query);
}

void DashboardPanel::showReport(quint64 requestId, const llmops::MetricsReport& report)
{
    if (requestId != m_pendingRequest)
        return;  // a newer range was requested meanwhile
    m_pendingRequest = 0;
    m_cancelButton->setEnabled(false);
    m_statusLabel->setText(tr("%1 buckets, times in local time").arg(report.buckets.size()));
    m_model->setReport(report);
    m_charts->setReport(report);
    showTiles(report);
    emit figuresShown();
}

void DashboardPanel::showTiles(const llmops::MetricsReport& report)
{
    const llmops::MetricsFigures& now = report.totals;
    const llmops::MetricsFigures& before = report.previousTotals;
    const auto percent = [](double share) { return QString::number(share * 100.0, 'f', 1) + QStringLiteral(" %"); };
    m_tiles[QueriesTile]->setText(tileText(tr("Queries"), QString::number(now.queries),
                                           change(static_cast<double>(now.queries), static_cast<double>(before.queries))));
    m_tiles[CostTile]->setText(tileText(tr("Cost"), QStringLiteral("$") + QString::number(now.costUsd, 'f', 2),
                                        change(now.costUsd, before.costUsd)));
    m_tiles[LatencyTile]->setText(tileText(tr("Latency p95"),
                                           QString::number(static_cast<double>(now.latency.p95Us) / 1000.0, 'f', 0) + tr(" ms"),
                                           change(static_cast<double>(now.latency.p95Us), static_cast<double>(before.latency.p95Us))));
    m_tiles[HallucinationTile]->setText(tileText(tr("Unsupported claims"), percent(now.hallucinationRate()),
                                                 change(now.hallucinationRate(), before.hallucinationRate())));
    m_tiles[CacheTile]->setText(tileText(tr("Cache hits"), percent(now.cacheHitRate()),
                                         change(now.cacheHitRate(), before.cacheHitRate())));
    m_tiles[BlockTile]->setText(tileText(tr("Blocked by guardrails"), percent(now.blockRate()),
                                         change(now.blockRate(), before.blockRate())));
}

void DashboardPanel::exportChart()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save chart"), QStringLiteral("chart.png"),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    const QString problem = m_charts->savePng(static_cast<DashboardCharts::Chart>(m_chartCombo->currentIndex()), path);
    if (!problem.isEmpty())
        showError(problem);
}

void DashboardPanel::exportCsv()
{
    const QString problem = saveModelCsv(this, *m_model, QStringLiteral("dashboard.csv"));
    if (!problem.isEmpty())
        showError(problem);
}

void DashboardPanel::showError(const QString& message)
{
    m_statusLabel->clear();
    m_banner->showError(message);
}

} // namespace llmops::ui
