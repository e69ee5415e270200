// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/metrics.h"
#include "llmops/types.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTextBrowser;

namespace llmops::ui {

class EngineController;
class ErrorBanner;
class StageTimeline;
class TraceListModel;

// The Traces page: a filterable, sortable trace list and, for the selected trace, a waterfall
// of its spans, the spans' attributes, the full question and answer, and the cost breakdown.
// The list exports as CSV and the listed traces as OTLP/JSON.
class TracesPanel : public QWidget {
    Q_OBJECT

public:
    explicit TracesPanel(EngineController* controller, QWidget* parent = nullptr);

    // Lists the traces of [fromMs, toMs), keeping the other filters; 0 and 0 list all times.
    void showTimeRange(qint64 fromMs, qint64 toMs);

    // Loads the list again with the current filters.
    void refresh();

    void showError(const QString& message);

    // The filter the list was last requested with.
    const llmops::TraceFilter& filter() const { return m_filter; }

    TraceListModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    StageTimeline* waterfall() const { return m_waterfall; }
    QTextBrowser* detailBrowser() const { return m_detail; }
    QLineEdit* textFilter() const { return m_textEdit; }
    QComboBox* flagFilter() const { return m_flagCombo; }
    qint64 shownTraceId() const { return m_shownTraceId; }

    // Renders a trace's question, answer, cost breakdown and span attributes as HTML.
    static QString detailHtml(const llmops::QueryResult& trace);

signals:
    void listShown();
    void traceShown(qint64 traceId);

private:
    QWidget* buildFilters();
    QWidget* buildDetail();
    void applyFilters();
    void showRows(quint64 requestId, const std::vector<llmops::TraceRow>& rows);
    void showTrace(qint64 traceId, const llmops::QueryResult& trace);
    void selectionChanged();
    void exportCsv();
    void exportOtlp();

    EngineController* m_controller;
    ErrorBanner* m_banner = nullptr;
    QLabel* m_rangeLabel = nullptr;
    QLineEdit* m_routeEdit = nullptr;
    QLineEdit* m_modelEdit = nullptr;
    QComboBox* m_flagCombo = nullptr;
    QComboBox* m_statusCombo = nullptr;
    QLineEdit* m_textEdit = nullptr;
    QCheckBox* m_contentCheck = nullptr;
    QLabel* m_countLabel = nullptr;
    TraceListModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    StageTimeline* m_waterfall = nullptr;
    QTextBrowser* m_detail = nullptr;
    llmops::TraceFilter m_filter;
    quint64 m_pendingList = 0;
    qint64 m_shownTraceId = 0;
};

} // namespace llmops::ui
