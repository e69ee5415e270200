// SPDX-License-Identifier: MIT
#include "StageTimeline.h"

#include "EngineTypes.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace llmops::ui {

namespace {

constexpr int kRowHeight = 22;
constexpr int kAxisHeight = 18;
constexpr int kMargin = 6;
constexpr int kMinBarWidth = 2;

QString formatMs(std::int64_t us)
{
    return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', 3);
}

} // namespace

StageTimeline::StageTimeline(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
    setMouseTracking(true);
}

void StageTimeline::setSpans(std::vector<llmops::Span> spans, std::int64_t totalUs)
{
    m_spans = std::move(spans);
    m_axisUs = totalUs;
    for (const auto& span : m_spans)
        m_axisUs = std::max(m_axisUs, span.startUs + span.durationUs);
    updateGeometry();
    update();
}

void StageTimeline::clear()
{
    setSpans({}, 0);
}

QColor StageTimeline::statusColor(const std::string& status)
{
    if (status == "ok")
        return QColor(0x3a, 0x9a, 0x5b);
    if (status == "hit")
        return QColor(0x2f, 0x7e, 0xd8);
    if (status == "miss")
        return QColor(0x8e, 0xa4, 0xc8);
    if (status == "skipped")
        return QColor(0xbd, 0xbd, 0xbd);
    if (status == "blocked")
        return QColor(0xe0, 0x8a, 0x1e);
    if (status == "error")
        return QColor(0xc6, 0x28, 0x28);
    return QColor(0x75, 0x75, 0x75);
}

QSize StageTimeline::sizeHint() const
{
    const int rows = std::max<int>(int(m_spans.size()), 1);
    return {600, 2 * kMargin + kAxisHeight + rows * kRowHeight};
}

QSize StageTimeline::minimumSizeHint() const
{
    return {300, sizeHint().height()};
}

StageTimeline::Geometry StageTimeline::geometry() const
{
    const QFontMetrics metrics(font());
    Geometry geometry;
    geometry.labelWidth = metrics.horizontalAdvance(QStringLiteral("retrieval")) + 2 * kMargin;
    for (const auto& span : m_spans) {
        const int nameWidth = metrics.horizontalAdvance(fromUtf8(span.name)) + 2 * kMargin;
        geometry.labelWidth = std::max(geometry.labelWidth, nameWidth);
    }
    geometry.durationWidth = metrics.horizontalAdvance(QStringLiteral("00000.000 ms")) + 2 * kMargin;

    const int left = kMargin + geometry.labelWidth;
    const int right = width() - kMargin - geometry.durationWidth;
    geometry.plot = QRect(QPoint(left, kMargin + kAxisHeight),
                          QPoint(std::max(left + 1, right), height() - kMargin));
    return geometry;
}

QRect StageTimeline::barRect(const Geometry& geometry, std::size_t row) const
{
    const auto& span = m_spans[row];
    const double scale = m_axisUs > 0 ? double(geometry.plot.width()) / double(m_axisUs) : 0.0;
    const int x = geometry.plot.left() + int(double(span.startUs) * scale);
    const int barWidth = std::max(kMinBarWidth, int(double(span.durationUs) * scale));
    const int y = geometry.plot.top() + int(row) * kRowHeight + 4;
    return {x, y, barWidth, kRowHeight - 8};
}

int StageTimeline::rowAt(const QPoint& position) const
{
    const Geometry g = geometry();
    if (position.y() < g.plot.top())
        return -1;
    const int row = (position.y() - g.plot.top()) / kRowHeight;
    return row < int(m_spans.size()) ? row : -1;
}

void StageTimeline::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (m_spans.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("The stage timeline appears after a question."));
        return;
    }

    const Geometry g = geometry();
    paintAxis(painter, g);
    for (std::size_t row = 0; row < m_spans.size(); ++row)
        paintRow(painter, g, row);
}

void StageTimeline::paintAxis(QPainter& painter, const Geometry& g) const
{
    // Gridlines at quarters of the trace, labelled with their time.
    painter.setPen(palette().color(QPalette::Mid));
    const QFontMetrics metrics(font());
    for (int quarter = 0; quarter <= 4; ++quarter) {
        const int x = g.plot.left() + g.plot.width() * quarter / 4;
        painter.drawLine(x, g.plot.top() - 2, x, g.plot.bottom());
        const QString label = formatMs(m_axisUs * quarter / 4);
        const int labelWidth = metrics.horizontalAdvance(label);
        const int labelX = std::clamp(x - labelWidth / 2, g.plot.left(), width() - kMargin - labelWidth);
        painter.drawText(QRect(labelX, kMargin, labelWidth, kAxisHeight - 4), Qt::AlignCenter, label);
    }
}

void StageTimeline::paintRow(QPainter& painter, const Geometry& g, std::size_t row) const
{
    const auto& span = m_spans[row];
    const QRect bar = barRect(g, row);
    const QRect rowRect(0, bar.top() - 4, width(), kRowHeight);

    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRect(kMargin, rowRect.top(), g.labelWidth - kMargin, kRowHeight),
                     Qt::AlignLeft | Qt::AlignVCenter, fromUtf8(span.name));

    painter.fillRect(bar, statusColor(span.status));

    // The duration and the span's detail go where the most of them fits: after the bar, before
    // it, or on the bar itself, which a long model call fills almost to the end of the axis.
    QString label = formatMs(span.durationUs);
    if (!span.detail.empty())
        label += QStringLiteral("   ") + fromUtf8(span.detail);
    const int afterX = std::min(bar.right() + kMargin, width() - kMargin - g.durationWidth + kMargin);
    const QRect after(afterX, rowRect.top(), width() - kMargin - afterX, kRowHeight);
    const QRect before(g.plot.left(), rowRect.top(), bar.left() - kMargin - g.plot.left(), kRowHeight);
    const QRect inside = bar.adjusted(kMargin / 2, -4, -kMargin / 2, 4);

    QRect textRect = after;
    Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter;
    QColor textColor = palette().color(QPalette::Text);
    const bool fitsAfter = painter.fontMetrics().horizontalAdvance(label) <= after.width();
    if (!fitsAfter && before.width() > textRect.width()) {
        textRect = before;
        alignment = Qt::AlignRight | Qt::AlignVCenter;
    }
    if (!fitsAfter && inside.width() > textRect.width()) {
        textRect = inside;
        alignment = Qt::AlignLeft | Qt::AlignVCenter;
        textColor = Qt::white;
    }
    const QString elided = painter.fontMetrics().elidedText(label, Qt::ElideRight, std::max(0, textRect.width()));
    painter.setPen(textColor);
    painter.drawText(textRect, alignment, elided);
}

bool StageTimeline::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);

    auto* helpEvent = static_cast<QHelpEvent*>(event);
    const int row = rowAt(helpEvent->pos());
    if (row < 0) {
        QToolTip::hideText();
        event->ignore();
        return true;
    }

    const auto& span = m_spans[std::size_t(row)];
    QString text = tr("%1: %2, starts at %3, status %4")
                       .arg(fromUtf8(span.name), formatMs(span.durationUs), formatMs(span.startUs),
                            fromUtf8(span.status));
    if (!span.detail.empty())
        text += QLatin1Char('\n') + fromUtf8(span.detail);
    QToolTip::showText(helpEvent->globalPos(), text, this);
    return true;
}

} // namespace llmops::ui
