// SPDX-License-Identifier: MIT
// End to end over real help pages: index the Plausible Analytics help centre and check that the
// page answering each written question is among the cited chunks.
#include <QtTest>

#include "TestPaths.h"
#include "TestWorkspace.h"
#include "llmops/engine.h"

using namespace llmops;

namespace {

struct LabelledQuestion {
    QString question;
    QString page;  // path relative to the corpus folder
};

QList<LabelledQuestion> readQuestions(const QString& path)
{
    QList<LabelledQuestion> questions;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return questions;
    file.readLine();  // header
    while (!file.atEnd()) {
        const QStringList fields = QString::fromUtf8(file.readLine()).trimmed().split(QLatin1Char('\t'));
        if (fields.size() == 2)
            questions.append({fields[0], fields[1]});
    }
    return questions;
}

// The stored path of a page: the engine stores canonical paths, with symbolic links resolved.
std::string storedPath(const QString& corpus, const QString& page)
{
    return QFileInfo(QDir(corpus).filePath(page)).canonicalFilePath().toStdString();
}

bool cites(const QueryResult& result, const QString& corpus, const QString& page)
{
    const std::string expected = storedPath(corpus, page);
    return std::any_of(result.citations.begin(), result.citations.end(),
                       [&](const Citation& c) { return c.documentPath == expected; });
}

bool retrieves(const QueryResult& result, const QString& corpus, const QString& page)
{
    const std::string expected = storedPath(corpus, page);
    return std::any_of(result.context.begin(), result.context.end(),
                       [&](const RetrievalHit& hit) { return hit.documentPath == expected; });
}

} // namespace

class PlausibleEndToEndTest : public QObject {
    Q_OBJECT

private slots:
    void expectedPageCited();
};

void PlausibleEndToEndTest::expectedPageCited()
{
    REQUIRE_SHARED_DATA(corpus, "support-docs/plausible");
    const QList<LabelledQuestion> questions = readQuestions(llmops::test::testDataDir() +
                                                            QStringLiteral("/plausible-questions.tsv"));
    QVERIFY2(questions.size() >= 20, "tests/data/plausible-questions.tsv needs at least 20 questions");

    llmops::test::TestWorkspace workspace;
    auto engine = workspace.open();
    const IndexReport report = engine->indexPaths({corpus.toStdString()});
    qInfo("indexed %d files into %lld chunks, %d failed", report.indexed(), static_cast<long long>(report.chunks()),
          report.failed());
    QVERIFY(report.indexed() >= 120);

    int hits = 0;
    int retrieved = 0;
    for (const LabelledQuestion& item : questions) {
        auto result = engine->ask(item.question.toStdString());
        QVERIFY2(result.isOk(), result.status().toString().c_str());
        if (retrieves(result.value(), corpus, item.page))
            ++retrieved;
        if (cites(result.value(), corpus, item.page))
            ++hits;
        else
            qInfo("miss: \"%s\" expected %s, cited %s", qPrintable(item.question), qPrintable(item.page),
                  result->citations.empty() ? "nothing" : result->citations.front().documentPath.c_str());
    }

    qInfo("retrieval: %d of %lld questions have the expected page among the retrieved chunks", retrieved,
          static_cast<long long>(questions.size()));
    const double hitRate = static_cast<double>(hits) / questions.size();
    qInfo("hit rate: %d of %lld questions cite the expected page (%.1f%%)", hits,
          static_cast<long long>(questions.size()), 100.0 * hitRate);
    // The floor sits below the measured rate so that a retrieval regression fails the suite.
    QVERIFY2(hitRate >= 0.65, qPrintable(QStringLiteral("hit rate %1").arg(hitRate)));

    auto twoFactor = engine->ask("How do I enable two-factor authentication?");
    QVERIFY(twoFactor.isOk());
    QVERIFY(cites(twoFactor.value(), corpus, QStringLiteral("2fa.md")));
}

QTEST_GUILESS_MAIN(PlausibleEndToEndTest)
#include "tst_plausible_e2e.moc"
