// SPDX-License-Identifier: MIT
// The bundled demo support centre: every page must be reachable by the customer questions
// written for it, so the demo shows real citations.
#include <QtTest>

#include "TestPaths.h"
#include "TestWorkspace.h"
#include "llmops/engine.h"

using namespace llmops;

class DemoQuestionsTest : public QObject {
    Q_OBJECT

private slots:
    void demoIndexesCleanly();
    void expectedPageCited();

private:
    llmops::test::TestWorkspace m_workspace;
    std::unique_ptr<Engine> m_engine;
};

void DemoQuestionsTest::demoIndexesCleanly()
{
    m_engine = m_workspace.open();
    QVERIFY(m_engine);
    const IndexReport report = m_engine->indexPaths({llmops::test::demoDir().toStdString()});
    for (const FileOutcome& file : report.files)
        QVERIFY2(file.kind != FileOutcome::Kind::Failed, file.error.c_str());
    QVERIFY(report.indexed() >= 30);
    qInfo("demo: %d pages, %lld chunks", report.indexed(), static_cast<long long>(report.chunks()));
}

void DemoQuestionsTest::expectedPageCited()
{
    QVERIFY(m_engine);
    QFile file(llmops::test::testDataDir() + QStringLiteral("/demo-questions.tsv"));
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    file.readLine();  // header

    int total = 0;
    int hits = 0;
    while (!file.atEnd()) {
        const QStringList fields = QString::fromUtf8(file.readLine()).trimmed().split(QLatin1Char('\t'));
        if (fields.size() != 2)
            continue;
        ++total;
        auto result = m_engine->ask(fields[0].toStdString());
        QVERIFY2(result.isOk(), result.status().toString().c_str());
        // The engine stores canonical paths, with symbolic links resolved.
        const std::string expected =
            QFileInfo(QDir(llmops::test::demoDir()).filePath(fields[1])).canonicalFilePath().toStdString();
        const bool cited = std::any_of(result->citations.begin(), result->citations.end(),
                                       [&](const Citation& c) { return c.documentPath == expected; });
        hits += cited ? 1 : 0;
        if (!cited)
            qInfo("miss: \"%s\" expected %s", qPrintable(fields[0]), qPrintable(fields[1]));
    }
    const double rate = total > 0 ? static_cast<double>(hits) / total : 0.0;
    qInfo("hit rate: %d of %d demo questions cite the expected page (%.1f%%)", hits, total, 100.0 * rate);
    QVERIFY(total >= 30);
    QVERIFY2(rate >= 0.7, qPrintable(QString::number(rate)));
}

QTEST_GUILESS_MAIN(DemoQuestionsTest)
#include "tst_demo_questions.moc"
