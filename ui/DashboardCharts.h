// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/metrics.h"

#include <QWidget>

#include <vector>

class QAbstractSeries;
class QChart;
class QChartView;
class QLineSeries;
class QXYSeries;

namespace llmops::ui {

// The dashboard's four charts over time: cost per model and route, latency (p50, p95 and
// time to first token), the hallucination, cache hit and block rates, and query volume.
// Fed a MetricsReport; never reads the workspace. Hovering a point shows its value, clicking
// a legend entry hides or shows its series, and clicking a point emits bucketActivated.
class DashboardCharts : public QWidget {
    Q_OBJECT

public:
    explicit DashboardCharts(QWidget* parent = nullptr);

    void setReport(const llmops::MetricsReport& report);

    enum Chart { Cost, Latency, Rates, Volume, ChartCount };
    QChartView* chartView(Chart chart) const { return m_views[static_cast<std::size_t>(chart)]; }

    // Saves one chart as a PNG image; returns an empty string or the reason it failed.
    QString savePng(Chart chart, const QString& path) const;

    // False for a series hidden through its legend entry.
    static bool isShown(const QAbstractSeries* series);

    // The start of the bucket nearest to a time on the x axis, or -1 without buckets.
    qint64 bucketAt(qint64 timeMs) const;

signals:
    // A point was clicked: the bucket [startMs, endMs).
    void bucketActivated(qint64 startMs, qint64 endMs);

private:
    QChartView* makeView(const QString& title, const QString& unit);
    void fillCost(const llmops::MetricsReport& report);
    void fillLatency(const llmops::MetricsReport& report);
    void fillRates(const llmops::MetricsReport& report);
    void fillVolume(const llmops::MetricsReport& report);
    // Adds series to the chart of view, with axes, hover values and click-through.
    void addSeries(QChartView* view, QLineSeries* series, const QString& unit);
    void finishChart(QChartView* view, double maxValue);
    void connectLegend(QChart* chart);

    std::vector<QChartView*> m_views;
    llmops::MetricsReport m_report;
};

} // namespace llmops::ui
