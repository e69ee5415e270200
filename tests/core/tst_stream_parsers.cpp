// SPDX-License-Identifier: MIT
#include "StreamParsers.h"

#include <QTest>

#include <string>
#include <vector>

using namespace llmops;

namespace {

// A Messages stream as Anthropic sends it, with a comment, a ping, an id and text that has
// two- and three-byte UTF-8 characters.
const std::string kRecordedStream =
    ": keep-alive comment\n"
    "event: message_start\n"
    "id: 7\n"
    "data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":12}}}\n"
    "\n"
    "event: ping\n"
    "data: {\"type\": \"ping\"}\n"
    "\n"
    "event: content_block_delta\n"
    "data: {\"delta\":{\"type\":\"text_delta\",\"text\":\"Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC\"}}\n"
    "\n"
    "event: message_stop\n"
    "data: {\"type\":\"message_stop\"}\n"
    "\n";

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

std::string withLineEnds(std::string text, const std::string& lineEnd)
{
    std::string result;
    for (char c : text) {
        if (c == '\n')
            result += lineEnd;
        else
            result += c;
    }
    return result;
}

// Flattens events into one comparable string: "type|id|data" per event, separated by "\x1e".
std::string describe(const std::vector<SseEvent>& events)
{
    std::string result;
    for (const SseEvent& event : events)
        result += event.type + "|" + event.id + "|" + event.data + "\x1e";
    return result;
}

std::vector<SseEvent> parseInPieces(const std::string& stream, const std::vector<size_t>& cuts, bool* clean)
{
    SseParser parser;
    std::vector<SseEvent> events;
    size_t start = 0;
    for (size_t cut : cuts) {
        for (SseEvent& event : parser.feed(std::string_view(stream).substr(start, cut - start)))
            events.push_back(std::move(event));
        start = cut;
    }
    for (SseEvent& event : parser.feed(std::string_view(stream).substr(start)))
        events.push_back(std::move(event));
    *clean = parser.finish();
    return events;
}

std::vector<std::string> parseLines(const std::string& stream, size_t pieceSize, bool* clean)
{
    NdjsonParser parser;
    std::vector<std::string> lines;
    for (size_t start = 0; start < stream.size(); start += pieceSize) {
        for (std::string& line : parser.feed(std::string_view(stream).substr(start, pieceSize)))
            lines.push_back(std::move(line));
    }
    *clean = parser.finish();
    return lines;
}

} // namespace

class TestStreamParsers : public QObject {
    Q_OBJECT

private slots:
    void sseFieldsParsed();
    void sseMultiLineDataJoined();
    void sseLineEnds_data();
    void sseLineEnds();
    void sseEventWithoutDataDropped();
    void sseFieldSyntax_data();
    void sseFieldSyntax();
    void sseByteOrderMarkSkipped();
    void sseRetryRead();
    void sseEveryTwoPieceSplit_data();
    void sseEveryTwoPieceSplit();
    void sseOneBytePieces();
    void sseFinish_data();
    void sseFinish();
    void ndjsonLinesSplit_data();
    void ndjsonLinesSplit();
    void ndjsonFinishKeepsRemainder();
};

void TestStreamParsers::sseFieldsParsed()
{
    bool clean = false;
    const std::vector<SseEvent> events = parseInPieces(kRecordedStream, {}, &clean);

    QVERIFY(clean);
    QCOMPARE(events.size(), size_t(4));
    QCOMPARE(qs(events[0].type), QStringLiteral("message_start"));
    QCOMPARE(qs(events[0].id), QStringLiteral("7"));
    QCOMPARE(qs(events[1].type), QStringLiteral("ping"));
    QCOMPARE(qs(events[1].data), QStringLiteral("{\"type\": \"ping\"}"));
    QCOMPARE(qs(events[1].id), QStringLiteral("7"));  // the last event ID carries over
    QVERIFY(qs(events[2].data).contains(QString::fromUtf8("Grüße €")));
    QCOMPARE(qs(events[3].type), QStringLiteral("message_stop"));
}

void TestStreamParsers::sseMultiLineDataJoined()
{
    SseParser parser;
    const std::vector<SseEvent> events = parser.feed("data: first\ndata:second\ndata\ndata:  fourth\n\n");

    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(qs(events[0].type), QStringLiteral("message"));
    QCOMPARE(qs(events[0].data), QStringLiteral("first\nsecond\n\n fourth"));
}

void TestStreamParsers::sseLineEnds_data()
{
    QTest::addColumn<QString>("lineEnd");
    QTest::newRow("LF") << QStringLiteral("\n");
    QTest::newRow("CRLF") << QStringLiteral("\r\n");
    QTest::newRow("CR") << QStringLiteral("\r");
}

void TestStreamParsers::sseLineEnds()
{
    QFETCH(QString, lineEnd);
    bool clean = false;
    const std::vector<SseEvent> expected = parseInPieces(kRecordedStream, {}, &clean);
    const std::vector<SseEvent> events = parseInPieces(withLineEnds(kRecordedStream, lineEnd.toStdString()), {}, &clean);

    QVERIFY(clean);
    QCOMPARE(events.size(), size_t(4));
    QCOMPARE(qs(describe(events)), qs(describe(expected)));
}

void TestStreamParsers::sseEventWithoutDataDropped()
{
    SseParser parser;
    const std::vector<SseEvent> events = parser.feed("event: lonely\n\ndata: next\n\n");

    // The type of the dropped event must not stick to the following one.
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(qs(events[0].type), QStringLiteral("message"));
    QCOMPARE(qs(events[0].data), QStringLiteral("next"));
}

void TestStreamParsers::sseFieldSyntax_data()
{
    QTest::addColumn<QString>("stream");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("data");

    QTest::newRow("one space stripped") << QStringLiteral("data:  two spaces\n\n") << QStringLiteral("message")
                                        << QStringLiteral(" two spaces");
    QTest::newRow("no space") << QStringLiteral("data:x\n\n") << QStringLiteral("message") << QStringLiteral("x");
    QTest::newRow("colon in value") << QStringLiteral("data: a: b\n\n") << QStringLiteral("message")
                                    << QStringLiteral("a: b");
    QTest::newRow("field without colon") << QStringLiteral("data\n\n") << QStringLiteral("message") << QString();
    QTest::newRow("unknown field ignored") << QStringLiteral("foo: bar\ndata: y\n\n") << QStringLiteral("message")
                                           << QStringLiteral("y");
    QTest::newRow("comment ignored") << QStringLiteral(":data: no\ndata: yes\n\n") << QStringLiteral("message")
                                     << QStringLiteral("yes");
    QTest::newRow("last event field wins") << QStringLiteral("event: a\nevent: b\ndata: z\n\n") << QStringLiteral("b")
                                           << QStringLiteral("z");
    QTest::newRow("empty event field") << QStringLiteral("event:\ndata: z\n\n") << QStringLiteral("message")
                                       << QStringLiteral("z");
}

void TestStreamParsers::sseFieldSyntax()
{
    QFETCH(QString, stream);
    QFETCH(QString, type);
    QFETCH(QString, data);

    SseParser parser;
    const std::vector<SseEvent> events = parser.feed(stream.toStdString());

    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(qs(events[0].type), type);
    QCOMPARE(qs(events[0].data), data);
}

void TestStreamParsers::sseByteOrderMarkSkipped()
{
    SseParser parser;
    std::vector<SseEvent> events = parser.feed("\xEF\xBB");
    QVERIFY(events.empty());
    events = parser.feed("\xBF" "event: first\ndata: 1\n\n\xEF\xBB\xBF" "data: 2\n\n");

    // Only a mark at the very start is skipped; later it is part of a field name.
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(qs(events[0].type), QStringLiteral("first"));
    QCOMPARE(qs(events[0].data), QStringLiteral("1"));
}

void TestStreamParsers::sseRetryRead()
{
    SseParser parser;
    QCOMPARE(parser.retryMs(), -1LL);
    (void)parser.feed("retry: 1500\n\nretry: soon\n\n");
    QCOMPARE(parser.retryMs(), 1500LL);
    QVERIFY(parser.finish());
}

void TestStreamParsers::sseEveryTwoPieceSplit_data()
{
    QTest::addColumn<QString>("lineEnd");
    QTest::newRow("LF") << QStringLiteral("\n");
    QTest::newRow("CRLF") << QStringLiteral("\r\n");
    QTest::newRow("CR") << QStringLiteral("\r");
}

void TestStreamParsers::sseEveryTwoPieceSplit()
{
    QFETCH(QString, lineEnd);
    const std::string stream = withLineEnds(kRecordedStream, lineEnd.toStdString());
    bool clean = false;
    const std::string expected = describe(parseInPieces(stream, {}, &clean));
    QVERIFY(clean);

    // Every cut position, including inside "€", inside "\r\n" and next to blank lines.
    for (size_t cut = 0; cut <= stream.size(); ++cut) {
        const std::string actual = describe(parseInPieces(stream, {cut}, &clean));
        QVERIFY2(clean, qPrintable(QStringLiteral("unclean end with a cut at byte %1").arg(cut)));
        QVERIFY2(actual == expected, qPrintable(QStringLiteral("events differ with a cut at byte %1").arg(cut)));
    }
}

void TestStreamParsers::sseOneBytePieces()
{
    const std::string stream = withLineEnds(kRecordedStream, "\r\n");
    std::vector<size_t> cuts;
    for (size_t i = 1; i < stream.size(); ++i)
        cuts.push_back(i);

    bool clean = false;
    const std::vector<SseEvent> events = parseInPieces(stream, cuts, &clean);
    const std::vector<SseEvent> whole = parseInPieces(stream, {}, &clean);

    QVERIFY(clean);
    QCOMPARE(events.size(), size_t(4));
    QCOMPARE(qs(describe(events)), qs(describe(whole)));
}

void TestStreamParsers::sseFinish_data()
{
    QTest::addColumn<QString>("stream");
    QTest::addColumn<bool>("clean");
    QTest::addColumn<int>("eventCount");

    QTest::newRow("ends after blank line") << QStringLiteral("data: a\n\n") << true << 1;
    QTest::newRow("ends mid-line") << QStringLiteral("data: a\n\ndata: b") << false << 1;
    QTest::newRow("ends before blank line") << QStringLiteral("data: a\n\ndata: b\n") << false << 1;
    QTest::newRow("ends after event field") << QStringLiteral("event: x\n") << false << 0;
    QTest::newRow("ends after comment") << QStringLiteral("data: a\n\n: bye\n") << true << 1;
    QTest::newRow("ends after CR") << QStringLiteral("data: a\r\r") << true << 1;
    QTest::newRow("empty") << QString() << true << 0;
}

void TestStreamParsers::sseFinish()
{
    QFETCH(QString, stream);
    QFETCH(bool, clean);
    QFETCH(int, eventCount);

    SseParser parser;
    const std::vector<SseEvent> events = parser.feed(stream.toStdString());

    QCOMPARE(int(events.size()), eventCount);
    QCOMPARE(parser.finish(), clean);
    QVERIFY(parser.feed("data: after\n\n").size() == 1);  // finish() leaves no stale fields behind
}

void TestStreamParsers::ndjsonLinesSplit_data()
{
    QTest::addColumn<int>("pieceSize");
    for (int size : {1, 2, 3, 7, 64, 4096})
        QTest::addRow("%d-byte pieces", size) << size;
}

void TestStreamParsers::ndjsonLinesSplit()
{
    QFETCH(int, pieceSize);
    const std::string stream = "{\"message\":{\"content\":\"Gr\xC3\xBC\xC3\x9F" "e\"}}\r\n"
                               "\n"
                               "{\"message\":{\"content\":\" \xE2\x82\xAC\"}}\n"
                               "  \n"
                               "{\"done\":true}\n";

    bool clean = false;
    const std::vector<std::string> lines = parseLines(stream, size_t(pieceSize), &clean);

    QVERIFY(clean);
    QCOMPARE(lines.size(), size_t(3));
    QCOMPARE(qs(lines[0]), QString::fromUtf8("{\"message\":{\"content\":\"Grüße\"}}"));
    QCOMPARE(qs(lines[1]), QString::fromUtf8("{\"message\":{\"content\":\" €\"}}"));
    QCOMPARE(qs(lines[2]), QStringLiteral("{\"done\":true}"));
}

void TestStreamParsers::ndjsonFinishKeepsRemainder()
{
    NdjsonParser parser;
    const std::vector<std::string> lines = parser.feed("{\"a\":1}\n{\"done\":tr");

    QCOMPARE(lines.size(), size_t(1));
    QVERIFY(!parser.finish());
    QCOMPARE(qs(parser.remainder()), QStringLiteral("{\"done\":tr"));
}

QTEST_GUILESS_MAIN(TestStreamParsers)
#include "tst_stream_parsers.moc"
