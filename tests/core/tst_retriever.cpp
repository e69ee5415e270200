// SPDX-License-Identifier: MIT
#include <QtTest>

#include "Retriever.h"
#include "VectorIndex.h"
#include "llmops/embedder.h"

using namespace llmops;

class RetrieverTest : public QObject {
    Q_OBJECT

private slots:
    void fusionHandComputed();
    void fusionWeights();
    void matchExpressionQuotesWords_data();
    void matchExpressionQuotesWords();
    void commonTermsDropped();
    void vectorIndexFindsNearest();
    void vectorIndexRemoveHides();
    void vectorIndexSaveLoad();
};

void RetrieverTest::fusionHandComputed()
{
    RetrievalSettings settings;  // k = 60, both weights 1
    const auto fused = fuseRankings({10, 20, 30}, {30, 40}, settings);
    QCOMPARE(fused.size(), std::size_t{4});

    // Chunk 30: 1/(60+3) + 1/(60+1); chunk 10: 1/61; chunk 40: 1/62; chunk 20: 1/62.
    QCOMPARE(fused[0].chunkId, std::int64_t{30});
    QVERIFY(qFuzzyCompare(fused[0].score, 1.0 / 63 + 1.0 / 61));
    QCOMPARE(fused[0].vectorRank, 3);
    QCOMPARE(fused[0].keywordRank, 1);
    QCOMPARE(fused[1].chunkId, std::int64_t{10});
    // 20 and 40 tie at 1/62; the smaller id comes first.
    QCOMPARE(fused[2].chunkId, std::int64_t{20});
    QCOMPARE(fused[3].chunkId, std::int64_t{40});
    QCOMPARE(fused[3].vectorRank, 0);
}

void RetrieverTest::fusionWeights()
{
    RetrievalSettings settings;
    settings.vectorWeight = 0.0;
    const auto fused = fuseRankings({1, 2}, {2, 3}, settings);
    QCOMPARE(fused[0].chunkId, std::int64_t{2});
    QCOMPARE(fused[1].chunkId, std::int64_t{3});
    QCOMPARE(fused.back().score, 0.0);
}

void RetrieverTest::matchExpressionQuotesWords_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("expression");
    QTest::newRow("plain") << "How do I reset my password?" << R"("reset" OR "password")";
    QTest::newRow("fts syntax inert") << R"(refund" OR NEAR(x) *)" << R"("refund" OR "near" OR "x")";
    QTest::newRow("duplicates") << "invoice invoice" << R"("invoice")";
    QTest::newRow("stop words only") << "how do I" << "";
}

void RetrieverTest::matchExpressionQuotesWords()
{
    QFETCH(QString, query);
    QFETCH(QString, expression);
    QCOMPARE(QString::fromStdString(Retriever::matchExpression(query.toStdString())), expression);
}

void RetrieverTest::commonTermsDropped()
{
    const std::vector<std::string> words = {"account", "invoice", "zeppelin", "refund"};
    const std::unordered_map<std::string, std::int64_t> counts = {
        {"account", 60000}, {"invoice", 4000}, {"refund", 2500}};  // "zeppelin" unknown: kept

    // 5% of 100,000 chunks is 5,000: "account" is dropped, the rest stay.
    QCOMPARE(Retriever::selectKeywordTerms(words, counts, 100000, 0.05),
             (std::vector<std::string>{"invoice", "zeppelin", "refund"}));

    // 1% of 30,000 is 300, but a word is only dropped above the floor of 2,000 chunks.
    const std::unordered_map<std::string, std::int64_t> small = {{"plan", 1900}, {"invoice", 2100}};
    QCOMPARE(Retriever::selectKeywordTerms({"plan", "invoice"}, small, 30000, 0.01),
             (std::vector<std::string>{"plan"}));

    // When every word is common, the rarest one is kept.
    QCOMPARE(Retriever::selectKeywordTerms({"account", "invoice"}, counts, 100000, 0.01),
             (std::vector<std::string>{"invoice"}));
}

void RetrieverTest::vectorIndexFindsNearest()
{
    HashingEmbedder embedder;
    VectorIndex index(embedder.dimension());
    const std::vector<std::string> texts = {"reset your password from the login page",
                                            "refunds for annual plans within 30 days",
                                            "export invoices as PDF from billing history"};
    for (std::size_t i = 0; i < texts.size(); ++i)
        QVERIFY(index.add(static_cast<std::int64_t>(i + 100), embedder.embedOne(texts[i])).isOk());

    const auto hits = index.search(embedder.embedOne("how do I get a refund for my annual plan"), 2);
    QCOMPARE(hits.size(), std::size_t{2});
    QCOMPARE(hits.front().first, std::int64_t{101});
    QVERIFY(hits.front().second > hits.back().second);
}

void RetrieverTest::vectorIndexRemoveHides()
{
    HashingEmbedder embedder;
    VectorIndex index(embedder.dimension());
    QVERIFY(index.add(1, embedder.embedOne("alpha beta")).isOk());
    QVERIFY(index.add(2, embedder.embedOne("gamma delta")).isOk());
    index.remove(1);
    index.remove(1);  // removing twice is harmless
    index.remove(77); // unknown ids are ignored
    QCOMPARE(index.liveCount(), std::size_t{1});
    const auto hits = index.search(embedder.embedOne("alpha beta"), 5);
    QCOMPARE(hits.size(), std::size_t{1});
    QCOMPARE(hits.front().first, std::int64_t{2});

    QVERIFY(index.add(1, embedder.embedOne("alpha beta")).isOk());
    QCOMPARE(index.liveCount(), std::size_t{2});
}

void RetrieverTest::vectorIndexSaveLoad()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("index.hnsw")).toStdString();
    HashingEmbedder embedder;
    {
        VectorIndex index(embedder.dimension());
        for (int i = 0; i < 200; ++i)
            QVERIFY(index.add(i, embedder.embedOne("document number " + std::to_string(i))).isOk());
        index.remove(5);
        QVERIFY(index.save(path).isOk());
    }
    VectorIndex loaded(embedder.dimension());
    QVERIFY(loaded.load(path).isOk());
    QCOMPARE(loaded.liveCount(), std::size_t{199});
    QCOMPARE(loaded.search(embedder.embedOne("document number 17"), 1).front().first, std::int64_t{17});

    VectorIndex otherDimension(64);
    QVERIFY(!otherDimension.load(path).isOk());
    QVERIFY(!loaded.load(dir.filePath(QStringLiteral("missing.hnsw")).toStdString()).isOk());
}

QTEST_GUILESS_MAIN(RetrieverTest)
#include "tst_retriever.moc"
