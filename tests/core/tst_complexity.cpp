// SPDX-License-Identifier: MIT
#include <QtTest>

#include <cstdio>

#include "TestPaths.h"
#include "llmops/routing.h"

using namespace llmops;

namespace {

// Accuracy floors, below the measured figures in docs/QUALITY.md so that small feature changes
// do not fail the suite while a broken classifier still does.
constexpr double kHeldOutFloor = 0.70;
constexpr double kShippedFloor = 0.80;

// Every fourth row is held out; the rest trains.
constexpr std::size_t kHoldOutEvery = 4;

std::vector<LabelledQuery> labelledSet()
{
    const QString path = llmops::test::testDataDir() + QStringLiteral("/complexity-queries.tsv");
    Result<std::vector<LabelledQuery>> rows = readLabelledQueries(path.toStdString());
    if (!rows.isOk())
        qFatal("%s", rows.status().message().c_str());
    return rows.value();
}

// Prints the confusion matrix (rows: labelled tier, columns: predicted) and returns accuracy.
double evaluate(const ComplexityClassifier& model, const std::vector<LabelledQuery>& rows, const char* title)
{
    int confusion[kTierCount][kTierCount] = {};
    int correct = 0;
    for (const LabelledQuery& row : rows) {
        const ComplexityTier predicted = model.classify(row.query);
        ++confusion[static_cast<int>(row.tier)][static_cast<int>(predicted)];
        correct += predicted == row.tier ? 1 : 0;
    }
    const double accuracy = rows.empty() ? 0.0 : static_cast<double>(correct) / static_cast<double>(rows.size());
    std::printf("%s: accuracy %.3f (%d of %zu)\n  labelled \\ predicted   simple  medium complex\n", title, accuracy,
                correct, rows.size());
    for (int t = 0; t < kTierCount; ++t)
        std::printf("  %-22s %6d  %6d  %6d\n", tierName(static_cast<ComplexityTier>(t)), confusion[t][0],
                    confusion[t][1], confusion[t][2]);
    return accuracy;
}

} // namespace

class ComplexityTest : public QObject {
    Q_OBJECT

private slots:
    void labelledSetIsLargeAndBalanced();
    void trainedModelGeneralises();
    void shippedWeightsClassifySet();
    void obviousQueries();
    void readerRejectsBadRows();
};

void ComplexityTest::labelledSetIsLargeAndBalanced()
{
    const std::vector<LabelledQuery> rows = labelledSet();
    QVERIFY(rows.size() >= 150);
    int counts[kTierCount] = {};
    for (const LabelledQuery& row : rows)
        ++counts[static_cast<int>(row.tier)];
    for (const int count : counts)
        QVERIFY(count >= 40);
}

void ComplexityTest::trainedModelGeneralises()
{
    const std::vector<LabelledQuery> rows = labelledSet();
    std::vector<LabelledQuery> training;
    std::vector<LabelledQuery> heldOut;
    for (std::size_t i = 0; i < rows.size(); ++i)
        (i % kHoldOutEvery == 0 ? heldOut : training).push_back(rows[i]);

    const ComplexityClassifier model = ComplexityClassifier::train(training);
    const double accuracy = evaluate(model, heldOut, "held-out quarter, trained on the rest");
    QVERIFY2(accuracy >= kHeldOutFloor, qPrintable(QString::number(accuracy)));
}

void ComplexityTest::shippedWeightsClassifySet()
{
    const double accuracy = evaluate(ComplexityClassifier::shipped(), labelledSet(), "shipped weights, whole set");
    QVERIFY2(accuracy >= kShippedFloor, qPrintable(QString::number(accuracy)));
}

void ComplexityTest::obviousQueries()
{
    const ComplexityClassifier model = ComplexityClassifier::shipped();
    QCOMPARE(model.classify("How do I reset my password?"), ComplexityTier::Simple);
    QCOMPARE(model.classify("Compare the SSO options for a team of 300 and explain the trade-offs of SAML versus "
                            "OIDC, including what happens to existing sessions if we migrate, and how SCIM "
                            "provisioning interacts with our audit requirements."),
             ComplexityTier::Complex);
}

void ComplexityTest::readerRejectsBadRows()
{
    QTemporaryDir dir;
    const QString tsv = dir.filePath(QStringLiteral("bad.tsv"));
    QFile file(tsv);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("tier\tquery\nsimple\tok\nhard\tunknown tier\n");
    file.close();
    const Result<std::vector<LabelledQuery>> rows = readLabelledQueries(tsv.toStdString());
    QVERIFY(!rows.isOk());
    QVERIFY2(rows.status().message().find("bad.tsv:3") != std::string::npos, rows.status().message().c_str());

    const QString jsonl = dir.filePath(QStringLiteral("rows.jsonl"));
    QFile lines(jsonl);
    QVERIFY(lines.open(QIODevice::WriteOnly));
    lines.write("{\"tier\": \"complex\", \"query\": \"Why?\"}\n{\"tier\": 3}\n");
    lines.close();
    const Result<std::vector<LabelledQuery>> parsed = readLabelledQueries(jsonl.toStdString());
    QVERIFY(!parsed.isOk());
    QVERIFY2(parsed.status().message().find("rows.jsonl:2") != std::string::npos, parsed.status().message().c_str());
}

QTEST_GUILESS_MAIN(ComplexityTest)
#include "tst_complexity.moc"
