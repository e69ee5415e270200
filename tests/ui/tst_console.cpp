// SPDX-License-Identifier: MIT
// Drives the real console window offscreen: a folder drop indexes through the engine thread,
// then a question runs through the pipeline and the Playground shows the result.

#include "DocumentTableModel.h"
#include "DocumentsPanel.h"
#include "ErrorBanner.h"
#include "MainWindow.h"
#include "PlaygroundPanel.h"
#include "StageTimeline.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QUrl>

#include <memory>

using llmops::ui::DocumentTableModel;
using llmops::ui::MainWindow;
using Column = DocumentTableModel::Column;

namespace {

constexpr int kIndexTimeoutMs = 60000;
constexpr int kAskTimeoutMs = 30000;

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(file.errorString()));
    QCOMPARE(file.write(bytes), bytes.size());
}

int rowOf(const DocumentTableModel* model, const QString& fileName)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, int(Column::Name)).data().toString() == fileName)
            return row;
    }
    return -1;
}

} // namespace

class TestConsole : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void dropIndexesFolderAndAnswers();
    void askRejectsBadQuestion_data();
    void askRejectsBadQuestion();
    void openingNonWorkspaceShowsBanner();
    void cancelQueuedQuestion();

private:
    void openWorkspace(const QString& path);
    void dropFolder(const QString& folder);

    QTemporaryDir m_dir;
    QString m_docsDir;
    std::unique_ptr<MainWindow> m_window;
    int m_workspaceCount = 0;
};

void TestConsole::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_docsDir = m_dir.filePath(QStringLiteral("docs"));
    QVERIFY(QDir().mkpath(m_docsDir));

    writeFile(m_docsDir + QStringLiteral("/refunds.md"),
              "---\ntitle: Refund policy\n---\n# Refund policy\n\n## Requesting a refund\n\n"
              "To get a refund, open Billing, choose Orders and press Request refund within 30 days of "
              "the purchase. The refund reaches your original payment method within five business days.\n");
    writeFile(m_docsDir + QStringLiteral("/shipping.md"),
              "# Shipping\n\n## Delivery times\n\nParcels inside the EU arrive within three to five working "
              "days. Tracking numbers are sent by e-mail once the parcel leaves the warehouse.\n");
    writeFile(m_docsDir + QStringLiteral("/passwords.md"),
              "# Account security\n\n## Resetting a password\n\nChoose Forgot password on the sign-in page "
              "and follow the link in the e-mail to set a new password.\n");
    // 0xC3 starts a two-byte sequence that 0x28 cannot continue, so the file is invalid UTF-8.
    writeFile(m_docsDir + QStringLiteral("/broken.md"), "# Broken\n\nLatin-1 text: caf\xc3\x28 and \xff\xfe.\n");
}

void TestConsole::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 900);
}

void TestConsole::cleanup()
{
    m_window.reset();
}

void TestConsole::openWorkspace(const QString& path)
{
    m_window->openWorkspace(path);
    const auto* banner = m_window->documentsPanel()->banner();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->workspacePath().isEmpty() || !banner->isHidden(), kIndexTimeoutMs);
    QVERIFY2(banner->isHidden(), qPrintable(banner->message()));
    QCOMPARE(m_window->workspacePath(), QFileInfo(path).absoluteFilePath());
}

void TestConsole::dropFolder(const QString& folder)
{
    auto* panel = m_window->documentsPanel();
    QMimeData mimeData;
    mimeData.setUrls({QUrl::fromLocalFile(folder)});

    QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mimeData, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(panel, &enter);
    QVERIFY(enter.isAccepted());

    QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mimeData, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(panel, &drop);
    QVERIFY(drop.isAccepted());
    QVERIFY(panel->isIndexing());
}

void TestConsole::dropIndexesFolderAndAnswers()
{
    openWorkspace(m_dir.filePath(QStringLiteral("console.llmops")));
    auto* documents = m_window->documentsPanel();
    DocumentTableModel* model = documents->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    dropFolder(m_docsDir);
    QTRY_VERIFY_WITH_TIMEOUT(!documents->isIndexing(), kIndexTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 4, kIndexTimeoutMs);
    QVERIFY2(documents->banner()->isHidden(), qPrintable(documents->banner()->message()));
    QVERIFY2(documents->summaryText().contains(QStringLiteral("3 indexed")), qPrintable(documents->summaryText()));
    QVERIFY2(documents->summaryText().contains(QStringLiteral("1 failed")), qPrintable(documents->summaryText()));

    const QStringList indexedNames = {QStringLiteral("refunds.md"), QStringLiteral("shipping.md"),
                                      QStringLiteral("passwords.md")};
    for (const QString& name : indexedNames) {
        const int row = rowOf(model, name);
        QVERIFY2(row >= 0, qPrintable(name));
        QCOMPARE(model->index(row, int(Column::Status)).data().toString(), QStringLiteral("indexed"));
        QVERIFY(model->index(row, int(Column::Chunks)).data().toInt() > 0);
    }
    const int brokenRow = rowOf(model, QStringLiteral("broken.md"));
    QVERIFY(brokenRow >= 0);
    QCOMPARE(model->index(brokenRow, int(Column::Status)).data().toString(), QStringLiteral("failed"));
    QVERIFY(model->index(brokenRow, int(Column::Error)).data().toString().contains(QStringLiteral("UTF-8")));

    auto* playground = m_window->playgroundPanel();
    QTest::keyClicks(playground->questionEdit(), QStringLiteral("How do I get a refund?"));
    QTest::mouseClick(playground->askButton(), Qt::LeftButton);
    QVERIFY(playground->isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!playground->isBusy(), kAskTimeoutMs);
    QVERIFY2(playground->banner()->isHidden(), qPrintable(playground->banner()->message()));

    const llmops::QueryResult& result = playground->result();
    QVERIFY(!result.answer.empty());
    QCOMPARE(playground->answerBrowser()->toPlainText().trimmed(), QString::fromStdString(result.answer).trimmed());
    QVERIFY(playground->answerBrowser()->toPlainText().contains(QStringLiteral("refund"), Qt::CaseInsensitive));

    QVERIFY(!result.citations.empty());
    QVERIFY(QString::fromStdString(result.citations.front().documentPath).endsWith(QStringLiteral("refunds.md")));
    QVERIFY(playground->citationBrowser()->toPlainText().contains(QStringLiteral("Refund policy")));
    QVERIFY(playground->answerBrowser()->toHtml().contains(QStringLiteral("#citation-1")));

    const auto& spans = playground->timeline()->spans();
    QCOMPARE(spans.size(), result.spans.size());
    QVERIFY(spans.size() >= 4);
    QStringList names;
    for (const auto& span : spans)
        names.append(QString::fromStdString(span.name));
    for (const QString& stage : {QStringLiteral("input_guard"), QStringLiteral("router"), QStringLiteral("retriever"),
                                 QStringLiteral("generator"), QStringLiteral("output_validator")})
        QVERIFY2(names.contains(stage), qPrintable(names.join(QStringLiteral(", "))));
}

void TestConsole::askRejectsBadQuestion_data()
{
    QTest::addColumn<QString>("question");
    QTest::addColumn<QString>("reason");

    QTest::newRow("empty") << QString() << QStringLiteral("empty");
    QTest::newRow("blank") << QStringLiteral("   \n  ") << QStringLiteral("empty");
    // The default limit of a new workspace is 8192 bytes.
    QTest::newRow("over 8 KiB") << QString(9000, QLatin1Char('a')) << QStringLiteral("8192");
}

void TestConsole::askRejectsBadQuestion()
{
    QFETCH(QString, question);
    QFETCH(QString, reason);

    openWorkspace(m_dir.filePath(QStringLiteral("reject-%1.llmops").arg(++m_workspaceCount)));
    auto* playground = m_window->playgroundPanel();
    playground->setQuestion(question);
    QTest::mouseClick(playground->askButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!playground->isBusy(), kAskTimeoutMs);

    QVERIFY(!playground->banner()->isHidden());
    QVERIFY2(playground->banner()->message().contains(reason), qPrintable(playground->banner()->message()));
    QVERIFY(playground->result().answer.empty());
}

void TestConsole::openingNonWorkspaceShowsBanner()
{
    const QString path = m_dir.filePath(QStringLiteral("notes.llmops"));
    writeFile(path, QByteArray("These are meeting notes, not a database.\n").repeated(200));

    m_window->openWorkspace(path);
    auto* banner = m_window->documentsPanel()->banner();
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isHidden(), kIndexTimeoutMs);
    QVERIFY2(banner->message().contains(path), qPrintable(banner->message()));
    QVERIFY(!m_window->playgroundPanel()->banner()->isHidden());
    QVERIFY(m_window->workspacePath().isEmpty());

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().startsWith("These are meeting notes"));
}

void TestConsole::cancelQueuedQuestion()
{
    openWorkspace(m_dir.filePath(QStringLiteral("cancel.llmops")));
    auto* playground = m_window->playgroundPanel();
    QSignalSpy failures(playground, &llmops::ui::PlaygroundPanel::questionFailed);

    // The question waits behind the indexing run on the engine thread, so the cancel reaches it
    // before it starts.
    dropFolder(m_docsDir);
    playground->setQuestion(QStringLiteral("How do I get a refund?"));
    QTest::mouseClick(playground->askButton(), Qt::LeftButton);
    playground->cancel();

    QTRY_VERIFY_WITH_TIMEOUT(!playground->isBusy(), kIndexTimeoutMs);
    QCOMPARE(failures.size(), 1);
    QVERIFY(failures.front().front().toString().contains(QStringLiteral("cancel")));
    QVERIFY(playground->banner()->isHidden());
    QVERIFY(playground->result().answer.empty());

    // The next question runs normally.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->documentsPanel()->isIndexing(), kIndexTimeoutMs);
    QTest::mouseClick(playground->askButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!playground->isBusy(), kAskTimeoutMs);
    QVERIFY2(playground->banner()->isHidden(), qPrintable(playground->banner()->message()));
    QVERIFY(!playground->result().answer.empty());
}

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
