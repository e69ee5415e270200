// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

#include "llmops/types.h"

#include <QWidget>

namespace llmops::ui {

// A waterfall of a trace's spans: one row per pipeline stage with its name, a bar placed and
// sized to scale on the trace's time axis, its duration in milliseconds and a colour for its
// status. The detail line of a span is shown as the row's tool tip.
class StageTimeline : public QWidget {
    Q_OBJECT

public:
    explicit StageTimeline(QWidget* parent = nullptr);

    // Replaces the spans. totalUs is the trace's length; when it is shorter than the last span's
    // end, the axis is stretched to that end instead.
    void setSpans(std::vector<llmops::Span> spans, std::int64_t totalUs);
    void clear();

    const std::vector<llmops::Span>& spans() const { return m_spans; }

    // The fill colour for a span status such as "ok", "hit" or "error".
    static QColor statusColor(const std::string& status);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Geometry {
        int labelWidth = 0;
        int durationWidth = 0;
        QRect plot;  // where the bars go
    };
    Geometry geometry() const;
    QRect barRect(const Geometry& geometry, std::size_t row) const;
    int rowAt(const QPoint& position) const;
    void paintAxis(QPainter& painter, const Geometry& geometry) const;
    void paintRow(QPainter& painter, const Geometry& geometry, std::size_t row) const;

    std::vector<llmops::Span> m_spans;
    std::int64_t m_axisUs = 0;
};

} // namespace llmops::ui
