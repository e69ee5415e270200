// SPDX-License-Identifier: MIT
#include <QtTest>

#include <cmath>
#include <numeric>

#include "llmops/embedder.h"

using namespace llmops;

namespace {

double dot(const std::vector<float>& a, const std::vector<float>& b)
{
    return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

} // namespace

class EmbedderTest : public QObject {
    Q_OBJECT

private slots:
    void vectorsAreNormalised();
    void deterministicAcrossInstances();
    void emptyTextGivesZeroVector();
    void relatedTextsAreCloser();
    void inflectionsStaySimilar();
};

void EmbedderTest::vectorsAreNormalised()
{
    HashingEmbedder embedder;
    const auto vector = embedder.embedOne("How do I request a refund for my annual plan?");
    QCOMPARE(static_cast<int>(vector.size()), embedder.dimension());
    QVERIFY(std::abs(dot(vector, vector) - 1.0) < 1e-5);
}

void EmbedderTest::deterministicAcrossInstances()
{
    HashingEmbedder first;
    HashingEmbedder second;
    QCOMPARE(first.embedOne("two-factor authentication"), second.embedOne("two-factor authentication"));
    QCOMPARE(QString::fromStdString(first.id()), QStringLiteral("hashing-v1-384"));
}

void EmbedderTest::emptyTextGivesZeroVector()
{
    HashingEmbedder embedder;
    const auto vector = embedder.embedOne("the of and");  // stop words only
    QCOMPARE(dot(vector, vector), 0.0);
}

void EmbedderTest::relatedTextsAreCloser()
{
    HashingEmbedder embedder;
    const auto query = embedder.embedOne("How do I enable two-factor authentication?");
    const auto related = embedder.embedOne("To enable two-factor authentication, open Security settings.");
    const auto unrelated = embedder.embedOne("Invoices are sent by email at the start of each billing cycle.");
    QVERIFY2(dot(query, related) > dot(query, unrelated) + 0.2,
             qPrintable(QStringLiteral("related %1, unrelated %2").arg(dot(query, related)).arg(dot(query, unrelated))));
}

void EmbedderTest::inflectionsStaySimilar()
{
    HashingEmbedder embedder;
    const double similarity = dot(embedder.embedOne("refunding payments"), embedder.embedOne("refunded payment"));
    QVERIFY2(similarity > 0.8, qPrintable(QString::number(similarity)));
}

QTEST_GUILESS_MAIN(EmbedderTest)
#include "tst_embedder.moc"
