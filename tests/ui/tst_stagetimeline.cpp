// SPDX-License-Identifier: MIT
#include "StageTimeline.h"

#include <QImage>
#include <QTest>

using llmops::ui::StageTimeline;

namespace {

std::vector<llmops::Span> pipelineSpans()
{
    return {{"input_guard", 0, 500, "ok", "no findings"},
            {"cache", 500, 250, "miss", "no exact match"},
            {"retriever", 750, 2000, "ok", "5 chunks"},
            {"generator", 2750, 4000, "error", "timed out"}};
}

} // namespace

class TestStageTimeline : public QObject {
    Q_OBJECT

private slots:
    void heightGrowsWithSpans();
    void keepsSpansInOrder();
    void statusColoursDiffer();
    void paintsBarColours();
};

void TestStageTimeline::heightGrowsWithSpans()
{
    StageTimeline timeline;
    const int emptyHeight = timeline.sizeHint().height();
    timeline.setSpans(pipelineSpans(), 6750);
    QVERIFY(timeline.sizeHint().height() > emptyHeight);
    QCOMPARE(timeline.minimumSizeHint().height(), timeline.sizeHint().height());

    timeline.clear();
    QCOMPARE(timeline.sizeHint().height(), emptyHeight);
    QVERIFY(timeline.spans().empty());
}

void TestStageTimeline::keepsSpansInOrder()
{
    StageTimeline timeline;
    timeline.setSpans(pipelineSpans(), 0);
    QCOMPARE(timeline.spans().size(), std::size_t(4));
    QCOMPARE(timeline.spans().front().name, std::string("input_guard"));
    QCOMPARE(timeline.spans().back().name, std::string("generator"));
}

void TestStageTimeline::statusColoursDiffer()
{
    QVERIFY(StageTimeline::statusColor("ok") != StageTimeline::statusColor("error"));
    QVERIFY(StageTimeline::statusColor("hit") != StageTimeline::statusColor("miss"));
    QVERIFY(StageTimeline::statusColor("blocked") != StageTimeline::statusColor("ok"));
    QCOMPARE(StageTimeline::statusColor("something-new"), StageTimeline::statusColor("unknown"));
}

void TestStageTimeline::paintsBarColours()
{
    StageTimeline timeline;
    // totalUs shorter than the last span's end: the axis stretches to 6750 us.
    timeline.setSpans(pipelineSpans(), 1000);
    timeline.resize(800, timeline.sizeHint().height());
    const QImage image = timeline.grab().toImage();

    bool hasOk = false;
    bool hasError = false;
    bool hasMiss = false;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor colour = image.pixelColor(x, y);
            hasOk = hasOk || colour == StageTimeline::statusColor("ok");
            hasError = hasError || colour == StageTimeline::statusColor("error");
            hasMiss = hasMiss || colour == StageTimeline::statusColor("miss");
        }
    }
    QVERIFY(hasOk);
    QVERIFY(hasError);
    QVERIFY(hasMiss);

    // The last bar ends at the axis end, so its colour reaches the right part of the image.
    bool errorInRightQuarter = false;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = image.width() * 3 / 4; x < image.width(); ++x)
            errorInRightQuarter = errorInRightQuarter || image.pixelColor(x, y) == StageTimeline::statusColor("error");
    }
    QVERIFY(errorInRightQuarter);
}

QTEST_MAIN(TestStageTimeline)
#include "tst_stagetimeline.moc"
