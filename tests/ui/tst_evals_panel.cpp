// SPDX-License-Identifier: MIT
// The Evals page offscreen: two runs of a small data set against a loopback model, Cancel and
// Resume, and the comparison of the two runs, with every table model under the model tester.
#include "EvalFixture.h"
#include "EvalsPanel.h"
#include "MainWindow.h"
#include "llmops/eval_alerts.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QItemSelectionModel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTabWidget>
#include <QTest>

using llmops::ui::EvalsPanel;
using llmops::test::EvalModelServer;
using llmops::test::TestWorkspace;

namespace {

// Runs the selected data set and waits for the run to end; returns its id, or 0.
qint64 runOnce(EvalsPanel& panel)
{
    QSignalSpy ended(&panel, &EvalsPanel::runEnded);
    panel.startRun();
    if (!ended.wait(30000))
        return 0;
    return ended.takeFirst().at(0).toLongLong();
}

void selectRows(QTableView* view, std::initializer_list<int> rows)
{
    view->selectionModel()->clearSelection();
    for (int row : rows)
        view->selectionModel()->select(view->model()->index(row, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

} // namespace

class TestEvalsPanel : public QObject {
    Q_OBJECT

private slots:
    void runsAndComparesTwoRuns()
    {
        TestWorkspace workspace;
        EvalModelServer model;
        QVERIFY(model.start());
        llmops::test::prepareEvalWorkspace(workspace, model);

        EvalsPanel panel;
        QAbstractItemModelTester runTester(panel.runModel());
        QAbstractItemModelTester resultTester(panel.resultModel());
        QAbstractItemModelTester comparisonTester(panel.comparisonModel());
        panel.resize(1300, 820);
        panel.show();
        panel.setWorkspace(workspace.workspacePath());
        QTRY_COMPARE(panel.findChild<QComboBox*>()->currentText(), QStringLiteral("lumen"));

        QCOMPARE(runOnce(panel), qint64{1});
        QTRY_COMPARE(panel.resultModel()->rowCount(), 6);
        model.offTopic = true;
        QCOMPARE(runOnce(panel), qint64{2});
        QTRY_COMPARE(panel.runModel()->rowCount(), 2);
        QCOMPARE(panel.runModel()->index(0, 2).data().toString(), QStringLiteral("done"));

        QSignalSpy shown(&panel, &EvalsPanel::comparisonShown);
        selectRows(panel.runView(), {0, 1});
        panel.compareSelected();
        QVERIFY(shown.wait(10000));
        const QAbstractItemModel* comparison = panel.comparisonModel();
        QCOMPARE(comparison->rowCount(), 4);
        QCOMPARE(comparison->index(0, 0).data().toString(), QStringLiteral("Faithfulness"));
        QCOMPARE(comparison->index(0, 4).data().toString(), QStringLiteral("-1.000"));
        QCOMPARE(comparison->index(0, 6).data().toString(), QStringLiteral("significant"));
        QCOMPARE(panel.itemChanges()->item(0)->text(), QStringLiteral("Worse (6)"));

        const QString folder = qEnvironmentVariable("LLMOPS_EVALS_SCREENSHOT");
        if (!folder.isEmpty())
            QVERIFY(panel.grab().save(folder));
    }

    void alertsShowAsTabBadge()
    {
        TestWorkspace workspace;
        EvalModelServer model;
        QVERIFY(model.start());
        llmops::test::prepareEvalWorkspace(workspace, model);
        const std::string path = workspace.workspacePath().toStdString();
        const auto [good, bad] = llmops::test::runFaithfulThenOffTopic(workspace, model);
        QVERIFY(bad > 0);
        {
            auto store = llmops::EvalStore::open(path);
            auto engine = workspace.open();
            const auto comparison = llmops::compareRuns(good, store.value()->results(good).value(), bad,
                                                        store.value()->results(bad).value());
            QVERIFY(llmops::raiseDropAlerts(*engine, *store.value(), comparison, 0.02).isOk());
        }

        llmops::ui::MainWindow window;
        window.openWorkspace(workspace.workspacePath());
        auto* tabs = window.findChild<QTabWidget*>();
        const int index = tabs->indexOf(window.evalsPanel());
        QTRY_VERIFY_WITH_TIMEOUT(tabs->tabText(index).startsWith(QStringLiteral("Evals (")), 10000);
        QVERIFY2(tabs->tabText(index).endsWith(QStringLiteral("alerts)")), qPrintable(tabs->tabText(index)));
    }

    void cancelledRunResumesFromThePage()
    {
        TestWorkspace workspace;
        EvalModelServer model;
        model.delay = std::chrono::milliseconds(300);
        QVERIFY(model.start());
        llmops::test::prepareEvalWorkspace(workspace, model);

        EvalsPanel panel;
        panel.setWorkspace(workspace.workspacePath());
        QTRY_COMPARE(panel.findChild<QComboBox*>()->currentText(), QStringLiteral("lumen"));
        QSignalSpy ended(&panel, &EvalsPanel::runEnded);
        panel.startRun();
        QVERIFY(panel.isRunning());
        panel.cancelRun();
        QVERIFY(ended.wait(30000));
        QTRY_COMPARE(panel.runModel()->rowCount(), 1);
        QCOMPARE(panel.runModel()->index(0, 2).data().toString(), QStringLiteral("cancelled"));

        selectRows(panel.runView(), {0});
        QSignalSpy resumed(&panel, &EvalsPanel::runEnded);
        for (QPushButton* button : panel.findChildren<QPushButton*>()) {
            if (button->text() == QStringLiteral("Resume"))
                button->click();
        }
        QVERIFY(resumed.wait(30000));
        QTRY_COMPARE(panel.runModel()->index(0, 2).data().toString(), QStringLiteral("done"));
        QCOMPARE(panel.runModel()->index(0, 3).data().toString(), QStringLiteral("6/6"));
    }
};

QTEST_MAIN(TestEvalsPanel)
#include "tst_evals_panel.moc"
