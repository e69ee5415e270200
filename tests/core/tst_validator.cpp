// SPDX-License-Identifier: MIT
#include "llmops/validator.h"

#include <QTest>

#include <string>

using namespace llmops;

namespace {

RetrievalHit hitWithText(const std::string& text)
{
    RetrievalHit hit;
    hit.chunk.text = text;
    return hit;
}

// Content terms after stop words and stemming: {annual, invoice, include, tax}.
const std::string kInvoiceChunk = "Each annual invoice includes the tax.";

} // namespace

class TestValidator : public QObject {
    Q_OBJECT

private slots:
    void claimScore_data();
    void claimScore();
    void citationMarkersIgnored();
    void bestContextIsHighestScore();
    void unsupportedClaimFlag();
    void emptyContext();
    void sentencesWithoutTermsSkipped();
    void thresholdOption();
};

void TestValidator::claimScore_data()
{
    QTest::addColumn<QString>("claim");
    QTest::addColumn<QString>("chunk");
    QTest::addColumn<double>("score");
    QTest::addColumn<bool>("supported");

    const QString invoice = QString::fromStdString(kInvoiceChunk);
    // {annual, invoice, show, tax}: three of the four terms are in the chunk.
    QTest::newRow("three of four") << "Annual invoices show tax." << invoice << 0.75 << true;
    // {annual, invoice, include, tax}: every term, reached through stemming.
    QTest::newRow("all terms") << "Annual invoices include taxes." << invoice << 1.0 << true;
    // {annual, refund, take, week}: only "annual" is in the chunk.
    QTest::newRow("one of four") << "Annual refunds take weeks." << invoice << 0.25 << false;
    // {moon, made, cheese}: nothing in common.
    QTest::newRow("no overlap") << "The moon is made of cheese." << invoice << 0.0 << false;
    // {refund, payment}: "refunded" and "refunds" share the stem "refund".
    QTest::newRow("stemmed forms") << "Payments are refunded."
                                   << "Refunds of a payment." << 1.0 << true;
    // {site, limit}: one of two reaches the default threshold of 0.5 exactly.
    QTest::newRow("at threshold") << "Sites have limits."
                                  << "Every site is listed." << 0.5 << true;
}

void TestValidator::claimScore()
{
    QFETCH(QString, claim);
    QFETCH(QString, chunk);
    QFETCH(double, score);
    QFETCH(bool, supported);

    const ValidationReport report =
        validateAnswer(claim.toStdString(), {hitWithText(chunk.toStdString())}, ValidationOptions{});

    QCOMPARE(report.claims.size(), std::size_t(1));
    QCOMPARE(report.claims[0].score, score);
    QCOMPARE(report.claims[0].supported, supported);
    QCOMPARE(report.claims[0].bestContext, score > 0.0 ? 1 : 0);
    QCOMPARE(report.flags.size(), std::size_t(supported ? 0 : 1));
}

void TestValidator::citationMarkersIgnored()
{
    // A marker counted as a term would add "1" and make the score 3 of 5.
    const std::string answer = "Annual invoices show tax [1]. Annual invoices include taxes. [1, 2]";

    const ValidationReport report = validateAnswer(answer, {hitWithText(kInvoiceChunk)}, ValidationOptions{});

    QCOMPARE(report.claims.size(), std::size_t(2));
    QCOMPARE(report.claims[0].claim, std::string("Annual invoices show tax."));
    QCOMPARE(report.claims[0].score, 0.75);
    QCOMPARE(report.claims[1].claim, std::string("Annual invoices include taxes."));
    QCOMPARE(report.claims[1].score, 1.0);
}

void TestValidator::bestContextIsHighestScore()
{
    const std::vector<RetrievalHit> context = {
        hitWithText("Refunds are paid within ten days."), hitWithText(kInvoiceChunk),
        hitWithText("The invoice shows the tax and the annual total.")};

    const ValidationReport report = validateAnswer("Annual invoices show tax.", context, ValidationOptions{});

    QCOMPARE(report.claims.size(), std::size_t(1));
    QCOMPARE(report.claims[0].bestContext, 3);
    QCOMPARE(report.claims[0].score, 1.0);
}

void TestValidator::unsupportedClaimFlag()
{
    const std::string answer = "Annual invoices show tax. The moon is made of cheese.";

    const ValidationReport report = validateAnswer(answer, {hitWithText(kInvoiceChunk)}, ValidationOptions{});

    QCOMPARE(report.claims.size(), std::size_t(2));
    QVERIFY(report.claims[0].supported);
    QVERIFY(!report.claims[1].supported);
    QCOMPARE(report.flags.size(), std::size_t(1));
    QCOMPARE(report.flags[0].kind, std::string("unsupported_claim"));
    QCOMPARE(report.flags[0].detail, std::string("The moon is made of cheese."));
    QCOMPARE(report.flags[0].begin, answer.find("The moon"));
    QCOMPARE(report.flags[0].end, answer.size());
}

void TestValidator::emptyContext()
{
    const ValidationReport report =
        validateAnswer("Annual invoices show tax. Refunds take ten days.", {}, ValidationOptions{});

    QCOMPARE(report.claims.size(), std::size_t(2));
    for (const ClaimVerdict& claim : report.claims) {
        QVERIFY(!claim.supported);
        QCOMPARE(claim.score, 0.0);
        QCOMPARE(claim.bestContext, 0);
    }
    QCOMPARE(report.flags.size(), std::size_t(2));
}

void TestValidator::sentencesWithoutTermsSkipped()
{
    const ValidationReport report = validateAnswer("It is so. [1]\nAnnual invoices show tax.",
                                                   {hitWithText(kInvoiceChunk)}, ValidationOptions{});

    QCOMPARE(report.claims.size(), std::size_t(1));
    QCOMPARE(report.claims[0].claim, std::string("Annual invoices show tax."));
    QVERIFY(report.flags.empty());
}

void TestValidator::thresholdOption()
{
    ValidationOptions strict;
    strict.supportThreshold = 0.8;

    const ValidationReport report =
        validateAnswer("Annual invoices show tax.", {hitWithText(kInvoiceChunk)}, strict);

    QCOMPARE(report.claims.size(), std::size_t(1));
    QCOMPARE(report.claims[0].score, 0.75);
    QVERIFY(!report.claims[0].supported);
    QCOMPARE(report.flags.size(), std::size_t(1));
}

QTEST_GUILESS_MAIN(TestValidator)
#include "tst_validator.moc"
