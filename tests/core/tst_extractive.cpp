// SPDX-License-Identifier: MIT
#include "llmops/generator.h"
#include "llmops/text.h"

#include <QTest>

#include <atomic>
#include <string>

using namespace llmops;

namespace {

const std::string kNoAnswer = "The indexed documents do not answer this question.";

RetrievalHit hitWithText(const std::string& text, const std::string& headingPath = {})
{
    RetrievalHit hit;
    hit.chunk.text = text;
    hit.chunk.headingPath = headingPath;
    return hit;
}

// Three chunks as a retriever would rank them for billing questions.
std::vector<RetrievalHit> billingContext()
{
    return {
        hitWithText(
            "The dashboard shows visitors in real time. Each site can have its own goals and funnels."),
        hitWithText("Refund policy\nRefunds are issued to the original card within 30 days of the payment. "
                    "Invoices are sent by e-mail at the start of every month.",
                    "Billing > Refunds"),
        hitWithText(
            "Annual plans get two months free. The payment is charged when the yearly period starts."),
    };
}

Completion generateOrFail(const GenerationRequest& request, int maxSentences)
{
    ExtractiveGenerator generator(maxSentences);
    Result<Completion> result = generator.generate(request);
    if (!result.isOk())
        qFatal("generate failed: %s", result.status().toString().c_str());
    return std::move(result).value();
}

} // namespace

class TestExtractive : public QObject {
    Q_OBJECT

private slots:
    void picksBestSentence_data();
    void picksBestSentence();
    void weakSentenceLeftOut();
    void atMostTwoPerChunk();
    void sentenceAfterHeadingPreferred();
    void shortSentencesDropped();
    void noMatchAnswer();
    void lowCoverageAbstains();
    void fragmentsSkipped();
    void usageAndModel();
    void cancelledAtEntry();
    void invalidMaxSentences();
    void onTokenGetsWholeText();
};

void TestExtractive::picksBestSentence_data()
{
    QTest::addColumn<QString>("question");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("citation");

    QTest::newRow("refund window") << "How long until refunds reach my card?"
                                   << "Refunds are issued to the original card within 30 days of the payment."
                                   << 2;
    QTest::newRow("invoice delivery") << "When are invoices sent?"
                                      << "Invoices are sent by e-mail at the start of every month." << 2;
    QTest::newRow("annual discount") << "Do annual plans cost less?"
                                     << "Annual plans get two months free." << 3;
    QTest::newRow("realtime visitors") << "Can I see visitors in real time?"
                                       << "The dashboard shows visitors in real time." << 1;
}

void TestExtractive::picksBestSentence()
{
    QFETCH(QString, question);
    QFETCH(QString, expected);
    QFETCH(int, citation);
    GenerationRequest request;
    request.query = question.toStdString();
    request.context = billingContext();

    const Completion completion = generateOrFail(request, 1);

    QCOMPARE(QString::fromStdString(completion.text), expected + QStringLiteral(" [%1]").arg(citation));
    QCOMPARE(completion.citedContext, std::vector<int>{citation});
}

void TestExtractive::weakSentenceLeftOut()
{
    // "payment" is in two chunks. The refund sentence also matches "refund" and "issued", so
    // it is chosen; the annual sentence matches "payment" alone, under half the best sentence's
    // coverage, so it stays out of the answer.
    GenerationRequest request;
    request.query = "When is a refund of my payment issued?";
    request.context = billingContext();

    const Completion completion = generateOrFail(request, 3);

    const std::string refund = "Refunds are issued to the original card within 30 days of the payment. [2]";
    const std::string annual = "The payment is charged when the yearly period starts. [3]";
    QVERIFY2(completion.text.starts_with(refund), completion.text.c_str());
    QVERIFY2(completion.text.find(annual) == std::string::npos, completion.text.c_str());
    QCOMPARE(completion.citedContext, (std::vector<int>{2}));
}

void TestExtractive::atMostTwoPerChunk()
{
    GenerationRequest request;
    request.query = "How do goals work?";
    request.context = {
        hitWithText("Goals count conversions on a page. Goals can be renamed at any time. "
                    "Goals are deleted together with their site. Custom goals need a script tag."),
        hitWithText("Funnels combine several goals into one report.")};

    const Completion completion = generateOrFail(request, 3);

    const std::string text = completion.text;
    std::size_t fromFirstChunk = 0;
    for (std::size_t at = text.find("[1]"); at != std::string::npos; at = text.find("[1]", at + 1))
        ++fromFirstChunk;
    QCOMPARE(fromFirstChunk, std::size_t(2));
    QVERIFY2(text.ends_with("Funnels combine several goals into one report. [2]"), text.c_str());
    QCOMPARE(completion.citedContext, (std::vector<int>{1, 2}));
}

void TestExtractive::sentenceAfterHeadingPreferred()
{
    // Both sentences match both question terms; only the second follows a heading that does.
    GenerationRequest request;
    request.query = "What do invoices list?";
    request.context = {hitWithText("Printed invoices list every charge of the month."),
                       hitWithText("Invoices\nInvoices list the taxes for each country.")};

    const Completion completion = generateOrFail(request, 1);

    QCOMPARE(completion.text, std::string("Invoices list the taxes for each country. [2]"));
}

void TestExtractive::shortSentencesDropped()
{
    GenerationRequest request;
    request.query = "What is the refund window?";
    request.context = {
        hitWithText("Refund window: 30 days.\nNo refund is given for partial months of a plan.")};

    const Completion completion = generateOrFail(request, 3);

    QCOMPARE(completion.text, std::string("No refund is given for partial months of a plan. [1]"));
}

void TestExtractive::noMatchAnswer()
{
    GenerationRequest request;
    request.query = "What is the capital of France?";
    request.context = billingContext();

    const Completion completion = generateOrFail(request, 3);

    QCOMPARE(completion.text, kNoAnswer);
    QVERIFY(completion.citedContext.empty());
    QVERIFY(completion.abstained);
}

void TestExtractive::lowCoverageAbstains()
{
    // "card" is in the context; the six other content words are not, so the one matching term
    // covers too little of the question to answer from.
    GenerationRequest request;
    request.query = "Which sourdough bread recipe should I bake with rye flour and a card?";
    request.context = billingContext();

    const Completion completion = generateOrFail(request, 3);

    QVERIFY2(completion.abstained, completion.text.c_str());
    QCOMPARE(completion.text, kNoAnswer);
}

void TestExtractive::fragmentsSkipped()
{
    GenerationRequest request;
    request.query = "How do I export invoices?";
    request.context = {hitWithText("To export invoices, do the following:\n"
                                   "Export invoices  Format  Period\n"
                                   "You can export invoices as CSV from the Invoices list.")};

    const Completion completion = generateOrFail(request, 3);

    QCOMPARE(completion.text, std::string("You can export invoices as CSV from the Invoices list. [1]"));
}

void TestExtractive::usageAndModel()
{
    GenerationRequest request;
    request.query = "When are invoices sent?";
    request.context = billingContext();

    const Completion completion = generateOrFail(request, 3);

    std::size_t inputWords = tokenizeWords(request.query).size();
    for (const RetrievalHit& hit : request.context)
        inputWords += tokenizeWords(hit.chunk.text).size();
    QCOMPARE(completion.usage.inputTokens, static_cast<std::int64_t>(inputWords));
    QCOMPARE(completion.usage.outputTokens, static_cast<std::int64_t>(tokenizeWords(completion.text).size()));
    QVERIFY(completion.usage.outputTokens > 0);
    QCOMPARE(completion.model, std::string("local-extractive"));
    QCOMPARE(completion.finishReason, std::string("stop"));
}

void TestExtractive::cancelledAtEntry()
{
    const std::atomic<bool> cancel{true};
    GenerationRequest request;
    request.query = "When are invoices sent?";
    request.context = billingContext();
    request.cancel = &cancel;
    ExtractiveGenerator generator;

    const Result<Completion> result = generator.generate(request);

    QVERIFY(!result.isOk());
    QCOMPARE(result.status().code(), StatusCode::Cancelled);
}

void TestExtractive::invalidMaxSentences()
{
    ExtractiveGenerator generator(0);

    const Result<Completion> result =
        generator.generate(GenerationRequest{"When are invoices sent?", {}, {}, nullptr, {}});

    QVERIFY(!result.isOk());
    QCOMPARE(result.status().code(), StatusCode::InvalidArgument);
}

void TestExtractive::onTokenGetsWholeText()
{
    std::vector<std::string> pieces;
    GenerationRequest request;
    request.query = "When are invoices sent?";
    request.context = billingContext();
    request.onToken = [&pieces](std::string_view text) { pieces.emplace_back(text); };

    const Completion completion = generateOrFail(request, 3);

    // The extractive answerer does not stream, so the whole text arrives in one call.
    QCOMPARE(pieces.size(), std::size_t(1));
    QCOMPARE(pieces.front(), completion.text);
    QVERIFY(!completion.text.empty());
}

QTEST_GUILESS_MAIN(TestExtractive)
#include "tst_extractive.moc"
