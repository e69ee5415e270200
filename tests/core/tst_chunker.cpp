// SPDX-License-Identifier: MIT
#include <QElapsedTimer>
#include <QTest>

#include "llmops/ingest.h"
#include "llmops/text.h"

using namespace llmops;

namespace {

TextBlock block(std::string text, std::vector<std::string> path = {}, std::size_t begin = 0, std::size_t end = 0)
{
    return {std::move(text), std::move(path), begin, end};
}

// "Sentence 7 talks about topic seven." style prose, numbered so that any repeat is visible.
std::string numberedSentences(int count)
{
    std::string text;
    for (int i = 0; i < count; ++i)
        text += "Sentence " + std::to_string(i) + " explains how the dashboard counts visitors. ";
    return text;
}

std::string repeat(std::string_view piece, std::size_t totalBytes)
{
    std::string text;
    text.reserve(totalBytes + piece.size());
    while (text.size() < totalBytes)
        text += piece;
    return text;
}

// Length of the longest prefix of `next` that is also a suffix of `previous`.
std::size_t sharedOverlap(const std::string& previous, const std::string& next)
{
    for (std::size_t length = std::min(previous.size(), next.size()); length > 0; --length) {
        if (previous.ends_with(std::string_view(next).substr(0, length)))
            return length;
    }
    return 0;
}

void verifyChunkInvariants(const std::vector<ChunkDraft>& chunks, std::size_t maxChars)
{
    for (const ChunkDraft& chunk : chunks) {
        QVERIFY2(chunk.text.size() <= maxChars, std::to_string(chunk.text.size()).c_str());
        QVERIFY(!trimmed(chunk.text).empty());
        QCOMPARE(findInvalidUtf8(chunk.text), std::string_view::npos);
        QVERIFY(chunk.startOffset <= chunk.endOffset);
    }
}

} // namespace

class TestChunker : public QObject {
    Q_OBJECT

private slots:
    void sizeBound_data();
    void sizeBound();
    void smallBlocksMerge();
    void overlapWhenSplit();
    void sentenceBoundaryPreferred();
    void noChunkCrossesHeadings();
    void headingOnlySectionSkipped();
    void emptyBlocksSkipped();
    void tinyMaxCharsTerminates();
    void largeDocument_data();
    void largeDocument();
};

void TestChunker::sizeBound_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("maxChars");
    QTest::addColumn<int>("overlap");

    QTest::newRow("sentences") << QByteArray::fromStdString(numberedSentences(200)) << 300 << 80;
    QTest::newRow("no sentence ends") << QByteArray::fromStdString(repeat("word after word ", 20000)) << 500 << 100;
    QTest::newRow("one long word") << QByteArray::fromStdString(std::string(10000, 'x')) << 333 << 50;
    QTest::newRow("two-byte letters") << QByteArray::fromStdString(repeat("\xC3\xA9", 5001)) << 101 << 30;
    QTest::newRow("three-byte letters") << QByteArray::fromStdString(repeat("\xE6\x97\xA5\xE6\x9C\xAC", 3000)) << 100 << 40;
    QTest::newRow("four-byte emoji") << QByteArray::fromStdString(repeat("\xF0\x9F\x98\x80", 3000)) << 99 << 33;
    QTest::newRow("mixed script words")
        << QByteArray::fromStdString(repeat("caf\xC3\xA9 \xF0\x9F\x98\x80\xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC. ", 30000))
        << 257 << 64;
    QTest::newRow("overlap larger than chunk") << QByteArray::fromStdString(numberedSentences(50)) << 120 << 500;
}

void TestChunker::sizeBound()
{
    QFETCH(QByteArray, text);
    QFETCH(int, maxChars);
    QFETCH(int, overlap);

    ParsedDocument document;
    document.title = "Doc";
    document.blocks.push_back(block(text.toStdString(), {"Section"}, 0, std::size_t(text.size())));
    document.blocks.push_back(block("A short closing block.", {"Section"}, std::size_t(text.size()), std::size_t(text.size()) + 22));

    const std::vector<ChunkDraft> chunks = chunkDocument(document, {std::size_t(maxChars), std::size_t(overlap)});
    QVERIFY(chunks.size() > 1);
    verifyChunkInvariants(chunks, std::size_t(maxChars));

    // No text is lost: the chunks hold at least as many non-space bytes as the input.
    std::size_t nonSpace = 0;
    for (const char c : text)
        nonSpace += c != ' ' ? 1 : 0;
    std::size_t covered = 0;
    for (const ChunkDraft& chunk : chunks) {
        for (const char c : chunk.text)
            covered += (c != ' ' && c != '\n') ? 1 : 0;
    }
    QVERIFY(covered >= nonSpace);
}

void TestChunker::smallBlocksMerge()
{
    ParsedDocument document;
    document.title = "Guide";
    document.blocks = {block("First block.", {"Setup"}, 10, 22), block("Second block.", {"Setup"}, 30, 43),
                       block("Third block.", {"Setup"}, 50, 62)};

    const std::vector<ChunkDraft> chunks = chunkDocument(document, {});
    QCOMPARE(chunks.size(), std::size_t(1));
    QCOMPARE(chunks[0].text, std::string("First block.\n\nSecond block.\n\nThird block."));
    QCOMPARE(chunks[0].headingPath, std::string("Guide > Setup"));
    QCOMPARE(chunks[0].startOffset, std::size_t(10));
    QCOMPARE(chunks[0].endOffset, std::size_t(62));
}

void TestChunker::overlapWhenSplit()
{
    ParsedDocument document;
    document.title = "Guide";
    document.blocks = {block(numberedSentences(40), {}, 0, 100)};
    const ChunkingOptions options{400, 120};

    const std::vector<ChunkDraft> chunks = chunkDocument(document, options);
    QVERIFY(chunks.size() >= 3);
    QCOMPARE(chunks[0].headingPath, std::string("Guide"));
    for (std::size_t i = 1; i < chunks.size(); ++i) {
        const std::size_t shared = sharedOverlap(chunks[i - 1].text, chunks[i].text);
        QVERIFY2(shared > 0, chunks[i].text.c_str());
        QVERIFY(shared <= options.overlapChars);
        // The overlap starts at a sentence.
        QVERIFY2(chunks[i].text.starts_with("Sentence "), chunks[i].text.c_str());
    }
}

void TestChunker::sentenceBoundaryPreferred()
{
    ParsedDocument document;
    document.title = "T";
    document.blocks = {block(numberedSentences(30), {}, 0, 1)};

    for (const ChunkDraft& chunk : chunkDocument(document, {300, 0})) {
        QVERIFY2(chunk.text.ends_with("visitors."), chunk.text.c_str());
        QVERIFY2(chunk.text.starts_with("Sentence "), chunk.text.c_str());
    }
}

void TestChunker::noChunkCrossesHeadings()
{
    ParsedDocument document;
    document.title = "Manual";
    document.blocks = {block("alpha intro words.", {}, 0, 10),
                       block(repeat("beta words here. ", 300), {"Setup"}, 20, 30),
                       block("beta tail.", {"Setup"}, 30, 40),
                       block("gamma words.", {"Setup", "Linux"}, 50, 60),
                       block("delta words.", {"Billing"}, 70, 80)};

    const std::vector<ChunkDraft> chunks = chunkDocument(document, {500, 100});
    verifyChunkInvariants(chunks, 500);
    const std::vector<std::pair<std::string, std::string>> sections = {
        {"Manual", "alpha"}, {"Manual > Setup", "beta"}, {"Manual > Setup > Linux", "gamma"}, {"Manual > Billing", "delta"}};
    for (const ChunkDraft& chunk : chunks) {
        int matchingWords = 0;
        for (const auto& [path, word] : sections) {
            if (chunk.text.find(word) != std::string::npos) {
                ++matchingWords;
                QCOMPARE(chunk.headingPath, path);
            }
        }
        QCOMPARE(matchingWords, 1);
    }
    QCOMPARE(chunks.front().headingPath, std::string("Manual"));
    QCOMPARE(chunks.back().headingPath, std::string("Manual > Billing"));
    QCOMPARE(chunks.back().startOffset, std::size_t(70));
}

void TestChunker::headingOnlySectionSkipped()
{
    const Result<ParsedDocument> parsed =
        parseDocument("# Guide\n\n## Empty\n\n### Also empty\n\n## Full\n\nSome text.\n", DocumentFormat::Markdown, "x");
    QVERIFY(parsed.isOk());

    const std::vector<ChunkDraft> chunks = chunkDocument(parsed.value(), {});
    QCOMPARE(chunks.size(), std::size_t(1));
    QCOMPARE(chunks[0].headingPath, std::string("Guide > Full"));
    QCOMPARE(chunks[0].text, std::string("Some text."));
}

void TestChunker::emptyBlocksSkipped()
{
    ParsedDocument document;
    document.title = "T";
    document.blocks = {block("   "), block(""), block("\n\t")};
    QVERIFY(chunkDocument(document, {}).empty());
    QVERIFY(chunkDocument(ParsedDocument{}, {}).empty());
}

void TestChunker::tinyMaxCharsTerminates()
{
    ParsedDocument document;
    document.title = "T";
    document.blocks = {block(numberedSentences(5) + "\xF0\x9F\x98\x80\xF0\x9F\x98\x80")};

    for (const std::size_t maxChars : {std::size_t(0), std::size_t(1), std::size_t(5)}) {
        const std::vector<ChunkDraft> chunks = chunkDocument(document, {maxChars, 150});
        QVERIFY(!chunks.empty());
        // Bounds below 16 bytes are raised to 16 so a character and an overlap always fit.
        verifyChunkInvariants(chunks, 16);
    }
}

void TestChunker::largeDocument_data()
{
    QTest::addColumn<QByteArray>("text");

    const std::size_t twoMiB = 2 * 1024 * 1024;
    QTest::newRow("sentences") << QByteArray::fromStdString(repeat("The cache stores each answer. ", twoMiB));
    QTest::newRow("words") << QByteArray::fromStdString(repeat("token ", twoMiB));
    QTest::newRow("one token") << QByteArray::fromStdString(std::string(twoMiB, 'a'));
    QTest::newRow("unmatched markup") << QByteArray::fromStdString(repeat("[`{<*_ ", twoMiB));
    QTest::newRow("unclosed comments") << QByteArray::fromStdString(repeat("word <!-- ", twoMiB));
    QTest::newRow("nested brackets") << QByteArray::fromStdString(repeat("[[[[ab]] (c{d ", twoMiB));
    QTest::newRow("script lines") << QByteArray::fromStdString(repeat("A line of visible text here.\n\n<script>\n\n", twoMiB));
}

void TestChunker::largeDocument()
{
    QFETCH(QByteArray, text);

    QElapsedTimer timer;
    timer.start();
    const Result<ParsedDocument> parsed = parseDocument(text.toStdString(), DocumentFormat::Markdown, "big");
    QVERIFY(parsed.isOk());
    const std::vector<ChunkDraft> chunks = chunkDocument(parsed.value(), {});
    const qint64 elapsed = timer.elapsed();
    qInfo("%zu chunks in %lld ms", chunks.size(), elapsed);

    QVERIFY(chunks.size() > 1000);
    verifyChunkInvariants(chunks, ChunkingOptions{}.maxChars);
    // Each row took a few seconds in an unoptimised build. A quadratic scan of 2 MiB takes
    // minutes, which this bound catches.
    QVERIFY2(elapsed < 30000, std::to_string(elapsed).c_str());
}

QTEST_GUILESS_MAIN(TestChunker)
#include "tst_chunker.moc"
