// SPDX-License-Identifier: MIT
// The offline eval metrics against hand-computed values, and the paired bootstrap comparison.
#include <QtTest>

#include "llmops/eval_metrics.h"

using namespace llmops;

namespace {

const std::string kRefundChunk = "Refunds take thirty days to arrive on the card.";
const std::string kPenguinChunk = "Penguins eat krill near the ice shelf.";

EvalResult resultWith(const std::string& question, double faithfulness)
{
    EvalResult result;
    result.question = question;
    result.scores[static_cast<int>(EvalMetric::Faithfulness)] = faithfulness;
    return result;
}

} // namespace

class TestEvalMetrics : public QObject {
    Q_OBJECT

private slots:
    void faithfulnessCountsSupportedClaims()
    {
        // Claim 1 has every content word in the chunk, claim 2 none: 1 of 2 supported.
        MetricInput input;
        input.answer = "Refunds take thirty days. Bananas grow on tall plants in Ecuador.";
        input.contexts = {kRefundChunk};
        QCOMPARE(offlineFaithfulness(input).value(), 0.5);

        input.answer = "Refunds take thirty days.";
        QCOMPARE(offlineFaithfulness(input).value(), 1.0);
    }

    void faithfulnessWithoutClaimsIsUnmeasured()
    {
        MetricInput input;
        input.contexts = {kRefundChunk};
        QVERIFY(!offlineFaithfulness(input).has_value());
        input.answer = "?! ...";
        QVERIFY(!offlineFaithfulness(input).has_value());
    }

    void faithfulnessWithoutContextIsZero()
    {
        MetricInput input;
        input.answer = "Refunds take thirty days.";
        QCOMPARE(offlineFaithfulness(input).value(), 0.0);
    }

    void relevancyOfTheSameTextIsOne()
    {
        MetricInput input;
        input.question = "How long do refunds take?";
        input.answer = "How long do refunds take?";
        QVERIFY(qAbs(offlineAnswerRelevancy(input).value() - 1.0) < 1e-6);
    }

    void relevancyOfAnOffTopicAnswerIsNearZeroAndNeverNegative()
    {
        MetricInput input;
        input.question = "How do I cancel my subscription?";
        input.answer = "Penguins eat krill near the ice shelf.";
        const double score = offlineAnswerRelevancy(input).value();
        QVERIFY2(score >= 0.0 && score < 0.1, qPrintable(QString::number(score)));

        input.answer = "You cancel the subscription from the billing page.";
        QVERIFY(offlineAnswerRelevancy(input).value() > 0.2);

        input.answer.clear();
        QVERIFY(!offlineAnswerRelevancy(input).has_value());
    }

    void contextRecallCountsReferenceClaims()
    {
        MetricInput input;
        input.reference = "Refunds take thirty days. Invoices are sent by email.";
        input.contexts = {kPenguinChunk, kRefundChunk};
        QCOMPARE(offlineContextRecall(input).value(), 0.5);

        input.contexts.clear();
        QCOMPARE(offlineContextRecall(input).value(), 0.0);

        input.reference.clear();
        QVERIFY(!offlineContextRecall(input).has_value());
        input.referenceContexts = {"Refunds take thirty days."};
        input.contexts = {kRefundChunk};
        QCOMPARE(offlineContextRecall(input).value(), 1.0);
    }

    void contextPrecisionIsRankAware()
    {
        MetricInput input;
        input.reference = "Refunds take thirty days.";
        // Relevant at ranks 2 and 4: (1/2 + 2/4) / 2.
        input.contexts = {kPenguinChunk, kRefundChunk, kPenguinChunk, kRefundChunk};
        QCOMPARE(offlineContextPrecision(input).value(), 0.5);
        // Relevant at rank 1 only: 1/1.
        input.contexts = {kRefundChunk, kPenguinChunk};
        QCOMPARE(offlineContextPrecision(input).value(), 1.0);
        input.contexts = {kPenguinChunk};
        QCOMPARE(offlineContextPrecision(input).value(), 0.0);
        input.reference.clear();
        QVERIFY(!offlineContextPrecision(input).has_value());
    }

    void assertionsCheckedAgainstAnswer()
    {
        const std::string assertions = R"json([
            {"type": "equals", "value": " Refunds take 30 days. "},
            {"type": "contains", "value": "30 days"},
            {"type": "contains", "value": "30 DAYS"},
            {"type": "icontains", "value": "30 DAYS"},
            {"type": "regex", "value": "\\d+ days"},
            {"type": "regex", "value": "(a+)+"},
            {"type": "regex", "value": "days(?= )"},
            {"type": "similar", "value": "Refunds take 30 days.", "threshold": 0.9},
            {"type": "similar", "value": "Penguins eat krill."},
            {"type": "llm-rubric", "value": "Polite"}])json";
        const AssertionOutcome outcome = checkAssertions(assertions, "Refunds take 30 days.");
        QCOMPARE(outcome.passed, 6);    // equals, contains, icontains, both RE2 patterns, similar
        QCOMPARE(outcome.failed, 2);    // case-sensitive contains, dissimilar text
        QCOMPARE(outcome.unchecked, 2); // a look-ahead RE2 cannot compile, llm-rubric
        QCOMPARE(checkAssertions("not json", "x").unchecked, 0);
    }

    void summaryLeavesUnmeasuredOut()
    {
        std::vector<EvalResult> results = {resultWith("a", 1.0), resultWith("b", 0.5), EvalResult{}};
        const MetricSummary summary = summarise(results, EvalMetric::Faithfulness);
        QCOMPARE(summary.mean, 0.75);
        QCOMPARE(summary.measured, std::int64_t{2});
        QCOMPARE(summary.unmeasured, std::int64_t{1});
    }

    void bootstrapIsSeededAndCoversTheMean()
    {
        const std::vector<double> values = {0.1, -0.2, 0.3, 0.05, -0.1, 0.2, 0.15, 0.0, 0.25, -0.05};
        const ConfidenceInterval first = bootstrapMeanInterval(values, 2000, 7);
        const ConfidenceInterval again = bootstrapMeanInterval(values, 2000, 7);
        QCOMPARE(first.low, again.low);
        QCOMPARE(first.high, again.high);
        QVERIFY(first.low < 0.07 && 0.07 < first.high);  // the sample mean is 0.07
        QVERIFY(first.low > -0.2 && first.high < 0.3);

        const ConfidenceInterval constant = bootstrapMeanInterval({0.4, 0.4, 0.4}, 500, 1);
        QCOMPARE(constant.low, 0.4);
        QCOMPARE(constant.high, 0.4);
    }

    void comparisonPairsByQuestionAndMarksSignificance()
    {
        std::vector<EvalResult> a;
        std::vector<EvalResult> b;
        for (int i = 0; i < 30; ++i) {
            const std::string question = "question " + std::to_string(i);
            a.push_back(resultWith(question, 0.9));
            b.push_back(resultWith(question, i == 3 ? 0.1 : 0.6 + (i % 3) * 0.01));
            b.back().itemId = i;
            b.back().costUsd = 0.002;
            a.back().costUsd = 0.001;
        }
        b.push_back(resultWith("only in b", 0.0));
        const EvalComparison comparison = compareRuns(1, a, 2, b);
        QCOMPARE(comparison.pairedItems, std::int64_t{30});
        const MetricDelta& faithfulness = comparison.metrics.front();
        QCOMPARE(faithfulness.pairs, std::int64_t{30});
        QVERIFY(faithfulness.delta < -0.25);
        QVERIFY(faithfulness.significant);
        QVERIFY(faithfulness.interval.high < 0.0);
        QVERIFY(!comparison.metrics[1].significant);  // no scores: no pairs
        QCOMPARE(comparison.regressed.size(), std::size_t{30});
        QCOMPARE(comparison.regressed.front().itemId, std::int64_t{3});  // the largest drop first
        QVERIFY(qAbs(comparison.meanCostDeltaUsd - 0.001) < 1e-12);
        QCOMPARE(metricDrops(comparison, 0.02).size(), std::size_t{1});
        QVERIFY(metricDrops(comparison, 0.5).empty());
    }
};

QTEST_GUILESS_MAIN(TestEvalMetrics)
#include "tst_eval_metrics.moc"
