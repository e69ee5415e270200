// SPDX-License-Identifier: MIT
#include "DocumentTableModel.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using llmops::ui::DocumentTableModel;
using Column = DocumentTableModel::Column;

namespace {

llmops::Engine::DocumentRow makeRow(const std::string& path, const std::string& status, int chunks,
                                    std::int64_t indexedAtMs, const std::string& error = {})
{
    llmops::Engine::DocumentRow row;
    row.path = path;
    row.title = "Title of " + path;
    row.status = status;
    row.chunks = chunks;
    row.indexedAtMs = indexedAtMs;
    row.error = error;
    return row;
}

} // namespace

class TestDocumentTableModel : public QObject {
    Q_OBJECT

private slots:
    void modelTesterAcceptsResets();
    void displayColumns_data();
    void displayColumns();
    void sortRoleGivesNumbers();
    void proxySortsChunksNumerically();
    void failedRowIsMarked();
    void errorDropsPathPrefix();
};

void TestDocumentTableModel::modelTesterAcceptsResets()
{
    DocumentTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    model.setDocuments({makeRow("/docs/a.md", "indexed", 3, 1000), makeRow("/docs/b.md", "failed", 0, 0, "bad")});
    QCOMPARE(model.rowCount(), 2);
    model.setDocuments({});
    QCOMPARE(model.rowCount(), 0);
    model.setDocuments({makeRow("/docs/c.md", "indexed", 1, 2000)});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(Column::Count));
}

void TestDocumentTableModel::displayColumns_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QVariant>("expected");

    QTest::newRow("name") << int(Column::Name) << QVariant(QStringLiteral("refunds.md"));
    QTest::newRow("title") << int(Column::Title) << QVariant(QStringLiteral("Title of /docs/refunds.md"));
    QTest::newRow("status") << int(Column::Status) << QVariant(QStringLiteral("failed"));
    QTest::newRow("chunks") << int(Column::Chunks) << QVariant(7);
    QTest::newRow("error") << int(Column::Error) << QVariant(QStringLiteral("not valid UTF-8"));
    QTest::newRow("path") << int(Column::Path) << QVariant(QStringLiteral("/docs/refunds.md"));
}

void TestDocumentTableModel::displayColumns()
{
    QFETCH(int, column);
    QFETCH(QVariant, expected);

    DocumentTableModel model;
    model.setDocuments({makeRow("/docs/refunds.md", "failed", 7, 0, "not valid UTF-8")});
    QCOMPARE(model.index(0, column).data(Qt::DisplayRole), expected);
}

void TestDocumentTableModel::sortRoleGivesNumbers()
{
    DocumentTableModel model;
    model.setDocuments({makeRow("/docs/a.md", "indexed", 12, 1700000000000)});

    const QVariant chunks = model.index(0, int(Column::Chunks)).data(DocumentTableModel::SortRole);
    QCOMPARE(chunks.typeId(), QMetaType::Int);
    QCOMPARE(chunks.toInt(), 12);
    const QVariant indexedAt = model.index(0, int(Column::IndexedAt)).data(DocumentTableModel::SortRole);
    QCOMPARE(indexedAt.toLongLong(), 1700000000000LL);
}

void TestDocumentTableModel::proxySortsChunksNumerically()
{
    DocumentTableModel model;
    model.setDocuments({makeRow("/a.md", "indexed", 9, 1), makeRow("/b.md", "indexed", 10, 2),
                        makeRow("/c.md", "indexed", 100, 3)});
    QSortFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    proxy.setSortRole(DocumentTableModel::SortRole);
    proxy.sort(int(Column::Chunks), Qt::AscendingOrder);

    // Sorting the display text would put "10" and "100" before "9".
    QCOMPARE(proxy.index(0, int(Column::Chunks)).data().toInt(), 9);
    QCOMPARE(proxy.index(1, int(Column::Chunks)).data().toInt(), 10);
    QCOMPARE(proxy.index(2, int(Column::Chunks)).data().toInt(), 100);
}

void TestDocumentTableModel::failedRowIsMarked()
{
    DocumentTableModel model;
    model.setDocuments({makeRow("/ok.md", "indexed", 1, 1), makeRow("/bad.md", "failed", 0, 0, "binary file")});

    QCOMPARE(model.index(0, 0).data(DocumentTableModel::FailedRole).toBool(), false);
    QCOMPARE(model.index(1, 0).data(DocumentTableModel::FailedRole).toBool(), true);
    QCOMPARE(model.index(1, int(Column::Error)).data(Qt::ToolTipRole).toString(), QStringLiteral("binary file"));
    QCOMPARE(model.index(1, int(Column::Title)).data(DocumentTableModel::PathRole).toString(),
             QStringLiteral("/bad.md"));
}

void TestDocumentTableModel::errorDropsPathPrefix()
{
    DocumentTableModel model;
    model.setDocuments({makeRow("/docs/a.md", "failed", 0, 0, "/docs/a.md: invalid UTF-8 at byte 12"),
                        makeRow("/docs/b.md", "failed", 0, 0, "/docs/a.md: invalid UTF-8 at byte 3")});

    const QModelIndex ownPath = model.index(0, int(Column::Error));
    QCOMPARE(ownPath.data().toString(), QStringLiteral("invalid UTF-8 at byte 12"));
    QCOMPARE(ownPath.data(Qt::ToolTipRole).toString(), QStringLiteral("/docs/a.md: invalid UTF-8 at byte 12"));
    // Only the row's own path is dropped.
    QCOMPARE(model.index(1, int(Column::Error)).data().toString(),
             QStringLiteral("/docs/a.md: invalid UTF-8 at byte 3"));
}

QTEST_MAIN(TestDocumentTableModel)
#include "tst_documenttablemodel.moc"
