// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/metrics.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;
class QTableView;

namespace llmops::ui {

class DashboardCharts;
class EngineController;
class ErrorBanner;
class MetricsTableModel;

// The Dashboard page: a time range and bucket size, headline tiles with the period's totals
// against the previous period of the same length, the charts and a table of the buckets.
// Figures are computed on the engine thread; a newer refresh cancels an older one.
class DashboardPanel : public QWidget {
    Q_OBJECT

public:
    explicit DashboardPanel(EngineController* controller, QWidget* parent = nullptr);

    enum class Range { LastHour, LastDay, LastWeek, LastMonth, Custom };

    // Requests the figures of the chosen range ending now (or the custom range).
    void refresh();

    // The query for a range ending at nowMs with the chosen bucket (0 picks one for the range).
    static llmops::MetricsQuery queryFor(Range range, qint64 bucketMs, qint64 nowMs, qint64 customFromMs,
                                         qint64 customToMs);

    void showError(const QString& message);

    DashboardCharts* charts() const { return m_charts; }
    MetricsTableModel* model() const { return m_model; }
    QComboBox* rangeCombo() const { return m_rangeCombo; }
    QComboBox* bucketCombo() const { return m_bucketCombo; }
    QLabel* tile(int index) const { return m_tiles[static_cast<std::size_t>(index)]; }
    bool isLoading() const { return m_pendingRequest != 0; }

signals:
    // The figures of a refresh are shown.
    void figuresShown();
    // The user clicked a point: show the traces of [fromMs, toMs).
    void tracesRequested(qint64 fromMs, qint64 toMs);

private:
    QWidget* buildControls();
    QWidget* buildTiles();
    void showReport(quint64 requestId, const llmops::MetricsReport& report);
    void showTiles(const llmops::MetricsReport& report);
    void exportChart();
    void exportCsv();
    void updateCustomRange();

    EngineController* m_controller;
    ErrorBanner* m_banner = nullptr;
    QComboBox* m_rangeCombo = nullptr;
    QComboBox* m_bucketCombo = nullptr;
    QDateTimeEdit* m_fromEdit = nullptr;
    QDateTimeEdit* m_toEdit = nullptr;
    QPushButton* m_refreshButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QComboBox* m_chartCombo = nullptr;
    QLabel* m_statusLabel = nullptr;
    std::vector<QLabel*> m_tiles;
    DashboardCharts* m_charts = nullptr;
    MetricsTableModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    quint64 m_pendingRequest = 0;
};

} // namespace llmops::ui
