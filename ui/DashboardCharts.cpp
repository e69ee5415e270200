// SPDX-License-Identifier: MIT
#include "DashboardCharts.h"

#include "EngineTypes.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGridLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <map>

namespace llmops::ui {
namespace {

constexpr double kMsPerUs = 0.001;

// Axis labels by bucket size: hours and minutes for short buckets, days for long ones.
QString axisFormat(qint64 bucketMs)
{
    return bucketMs < 86400000 ? QStringLiteral("MM-dd HH:mm") : QStringLiteral("yyyy-MM-dd");
}

} // namespace

bool DashboardCharts::isShown(const QAbstractSeries* series)
{
    return series->opacity() > 0.0;
}

DashboardCharts::DashboardCharts(QWidget* parent) : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    m_views = {makeView(tr("Cost per model and route"), tr("USD")), makeView(tr("Latency"), tr("ms")),
               makeView(tr("Unsupported claims, cache hits and blocks"), tr("%")), makeView(tr("Queries"), tr("count"))};
    for (std::size_t i = 0; i < m_views.size(); ++i)
        grid->addWidget(m_views[i], static_cast<int>(i / 2), static_cast<int>(i % 2));
}

QChartView* DashboardCharts::makeView(const QString& title, const QString& unit)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setProperty("unit", unit);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(320, 220);
    return view;
}

void DashboardCharts::setReport(const llmops::MetricsReport& report)
{
    m_report = report;
    for (QChartView* view : m_views) {
        QChart* chart = view->chart();
        chart->removeAllSeries();
        for (QAbstractAxis* axis : chart->axes()) {
            chart->removeAxis(axis);
            delete axis;
        }
    }
    fillCost(report);
    fillLatency(report);
    fillRates(report);
    fillVolume(report);
}

void DashboardCharts::fillCost(const llmops::MetricsReport& report)
{
    // One series per model and route, with a zero for the buckets where it had no traffic.
    std::map<std::pair<std::string, std::string>, std::map<std::int64_t, double>> byPair;
    for (const llmops::ModelRouteCost& cost : report.costs)
        byPair[{cost.model, cost.route}][cost.bucketStartMs] += cost.costUsd;
    double maxValue = 0.0;
    for (const auto& [pair, costs] : byPair) {
        auto* series = new QLineSeries;
        // Blocked questions reach no route or model.
        series->setName(pair.first.empty() && pair.second.empty()
                            ? tr("blocked (no model)")
                            : fromUtf8(pair.first) + QStringLiteral(" · ") + fromUtf8(pair.second));
        for (const llmops::MetricsBucket& bucket : report.buckets) {
            const auto found = costs.find(bucket.startMs);
            const double value = found == costs.end() ? 0.0 : found->second;
            maxValue = std::max(maxValue, value);
            series->append(static_cast<qreal>(bucket.startMs), value);
        }
        addSeries(m_views[Cost], series, tr("USD"));
    }
    finishChart(m_views[Cost], maxValue);
}

void DashboardCharts::fillLatency(const llmops::MetricsReport& report)
{
    auto* p50 = new QLineSeries;
    auto* p95 = new QLineSeries;
    auto* firstToken = new QLineSeries;
    p50->setName(tr("p50"));
    p95->setName(tr("p95"));
    firstToken->setName(tr("first token p50"));
    double maxValue = 0.0;
    for (const llmops::MetricsBucket& bucket : report.buckets) {
        const auto x = static_cast<qreal>(bucket.startMs);
        const llmops::LatencyFigures& latency = bucket.figures.latency;
        p50->append(x, static_cast<double>(latency.p50Us) * kMsPerUs);
        p95->append(x, static_cast<double>(latency.p95Us) * kMsPerUs);
        firstToken->append(x, static_cast<double>(latency.firstTokenP50Us) * kMsPerUs);
        maxValue = std::max(maxValue, static_cast<double>(latency.p95Us) * kMsPerUs);
    }
    for (QLineSeries* series : {p50, p95, firstToken})
        addSeries(m_views[Latency], series, tr("ms"));
    finishChart(m_views[Latency], maxValue);
}

void DashboardCharts::fillRates(const llmops::MetricsReport& report)
{
    auto* unsupported = new QLineSeries;
    auto* cacheHits = new QLineSeries;
    auto* blocks = new QLineSeries;
    unsupported->setName(tr("unsupported claims"));
    cacheHits->setName(tr("cache hits"));
    blocks->setName(tr("blocked"));
    double maxValue = 0.0;
    for (const llmops::MetricsBucket& bucket : report.buckets) {
        const auto x = static_cast<qreal>(bucket.startMs);
        const llmops::MetricsFigures& figures = bucket.figures;
        unsupported->append(x, figures.hallucinationRate() * 100.0);
        cacheHits->append(x, figures.cacheHitRate() * 100.0);
        blocks->append(x, figures.blockRate() * 100.0);
        maxValue = std::max({maxValue, figures.hallucinationRate() * 100.0, figures.cacheHitRate() * 100.0,
                             figures.blockRate() * 100.0});
    }
    for (QLineSeries* series : {unsupported, cacheHits, blocks})
        addSeries(m_views[Rates], series, tr("%"));
    finishChart(m_views[Rates], maxValue);
}

void DashboardCharts::fillVolume(const llmops::MetricsReport& report)
{
    auto* queries = new QLineSeries;
    queries->setName(tr("queries"));
    double maxValue = 0.0;
    for (const llmops::MetricsBucket& bucket : report.buckets) {
        queries->append(static_cast<qreal>(bucket.startMs), static_cast<double>(bucket.figures.queries));
        maxValue = std::max(maxValue, static_cast<double>(bucket.figures.queries));
    }
    addSeries(m_views[Volume], queries, tr("queries"));
    finishChart(m_views[Volume], maxValue);
}

void DashboardCharts::addSeries(QChartView* view, QLineSeries* series, const QString& unit)
{
    series->setPointsVisible(m_report.buckets.size() <= 60);
    view->chart()->addSeries(series);
    connect(series, &QXYSeries::hovered, this, [series, unit](const QPointF& point, bool entered) {
        if (!entered || !isShown(series)) {
            QToolTip::hideText();
            return;
        }
        const QString time = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(point.x())).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        QToolTip::showText(QCursor::pos(), QStringLiteral("%1\n%2: %3 %4").arg(time, series->name()).arg(point.y(), 0, 'g', 4).arg(unit));
    });
    connect(series, &QXYSeries::clicked, this, [this, series](const QPointF& point) {
        if (!isShown(series))
            return;
        const qint64 start = bucketAt(static_cast<qint64>(point.x()));
        if (start >= 0)
            emit bucketActivated(start, start + m_report.query.bucketMs);
    });
}

void DashboardCharts::finishChart(QChartView* view, double maxValue)
{
    QChart* chart = view->chart();
    auto* timeAxis = new QDateTimeAxis;
    timeAxis->setFormat(axisFormat(m_report.query.bucketMs));
    timeAxis->setTickCount(6);
    // The axis shows local time: QDateTime converts the UTC milliseconds on display.
    timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(m_report.query.fromMs),
                       QDateTime::fromMSecsSinceEpoch(std::max(m_report.query.toMs, m_report.query.fromMs + 1)));
    auto* valueAxis = new QValueAxis;
    valueAxis->setRange(0.0, maxValue > 0.0 ? maxValue * 1.1 : 1.0);
    valueAxis->applyNiceNumbers();
    valueAxis->setLabelFormat(maxValue < 1.0 ? QStringLiteral("%.3f") : QStringLiteral("%.0f"));
    valueAxis->setTitleText(chart->property("unit").toString());
    chart->addAxis(timeAxis, Qt::AlignBottom);
    chart->addAxis(valueAxis, Qt::AlignLeft);
    for (QAbstractSeries* series : chart->series()) {
        series->attachAxis(timeAxis);
        series->attachAxis(valueAxis);
    }
    connectLegend(chart);
}

void DashboardCharts::connectLegend(QChart* chart)
{
    for (QLegendMarker* marker : chart->legend()->markers()) {
        connect(marker, &QLegendMarker::clicked, marker, [marker] {
            // Opacity rather than setVisible: a hidden series loses its legend marker, and the
            // marker must stay to be clicked again.
            QAbstractSeries* series = marker->series();
            const bool shown = !isShown(series);
            series->setOpacity(shown ? 1.0 : 0.0);
            QColor label = marker->labelBrush().color();
            label.setAlphaF(shown ? 1.0 : 0.4);
            marker->setLabelBrush(label);
        });
    }
}

qint64 DashboardCharts::bucketAt(qint64 timeMs) const
{
    if (m_report.buckets.empty())
        return -1;
    const qint64 offset = std::max<qint64>(0, timeMs - m_report.query.fromMs + m_report.query.bucketMs / 2);
    const auto index = std::min<std::size_t>(static_cast<std::size_t>(offset / m_report.query.bucketMs),
                                             m_report.buckets.size() - 1);
    return m_report.buckets[index].startMs;
}

QString DashboardCharts::savePng(Chart chart, const QString& path) const
{
    const QPixmap image = m_views[static_cast<std::size_t>(chart)]->grab();
    if (!image.save(path, "PNG"))
        return tr("Cannot save the chart to %1; check that the folder exists and is writable.").arg(path);
    return {};
}

} // namespace llmops::ui
