// SPDX-License-Identifier: MIT
// The Routing page edits rules with undo, previews routing as the user types, replays traces on
// the engine thread and stores versions.
#include "EngineController.h"
#include "ErrorBanner.h"
#include "MainWindow.h"
#include "ModelsPanel.h"
#include "ReplayResultView.h"
#include "RoutingPanel.h"
#include "RuleTableModel.h"

#include "TestWorkspace.h"
#include "llmops/engine.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QUndoStack>

#include <memory>

using llmops::ui::RoutingPanel;
using llmops::ui::RuleTableModel;

namespace {

constexpr int kTimeoutMs = 20000;

// Opens the workspace in a window and waits until the Routing page has the rule set versions.
std::unique_ptr<llmops::ui::MainWindow> openWindow(const llmops::test::TestWorkspace& workspace)
{
    auto window = std::make_unique<llmops::ui::MainWindow>();
    window->resize(1400, 900);
    QSignalSpy versions(window->routingPanel(), &RoutingPanel::versionsChanged);
    window->openWorkspace(workspace.workspacePath());
    if (!versions.wait(kTimeoutMs))
        qWarning("the rule set versions did not arrive");
    return window;
}

// Selects the default rule and turns it into an invoice rule through the form.
void addInvoiceRule(RoutingPanel* panel)
{
    panel->table()->clearSelection();
    panel->nameEdit()->setText(QStringLiteral("invoices"));
    panel->conditionEdit()->setText(QStringLiteral("keywords(\"invoice\") or tier(complex)"));
    panel->modelCombo()->setCurrentText(QStringLiteral("local-extractive"));
    panel->fallbacksEdit()->clear();
    panel->addRuleFromForm();
}

} // namespace

class TestRoutingPanel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void modelPassesTester();
    void editRuleUpdatesPreview();
    void undoRedoRestoresRules();
    void inlineProblems();
    void saveActivateAndReplay();
    void replayWithoutTracesShowsMessage();
};

void TestRoutingPanel::initTestCase()
{
    QLocale::setDefault(QLocale::c());
}

void TestRoutingPanel::modelPassesTester()
{
    RuleTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setModels({"local-extractive"});
    llmops::RoutingRule rule;
    rule.name = "default";
    rule.model = "local-extractive";
    model.setRules({rule, rule});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(1, int(RuleTableModel::Column::Condition))).toString(),
             QStringLiteral("always (default)"));
    QCOMPARE(model.data(model.index(1, 0), RuleTableModel::SeverityRole).toInt(), 1);  // shadowed
}

void TestRoutingPanel::editRuleUpdatesPreview()
{
    llmops::test::TestWorkspace workspace;
    auto window = openWindow(workspace);
    RoutingPanel* panel = window->routingPanel();
    QCOMPARE(panel->model()->rowCount(), 1);

    panel->previewEdit()->setText(QStringLiteral("Where is my invoice?"));
    QVERIFY2(panel->previewLabel()->text().contains(QStringLiteral("<b>default</b>")),
             qPrintable(panel->previewLabel()->text()));

    addInvoiceRule(panel);
    QCOMPARE(panel->model()->rowCount(), 2);
    QCOMPARE(panel->model()->rules().front().name, std::string("invoices"));
    const QString preview = panel->previewLabel()->text();
    QVERIFY2(preview.contains(QStringLiteral("<b>invoices</b>")), qPrintable(preview));
    QVERIFY2(preview.contains(QStringLiteral("found &quot;invoice&quot;")), qPrintable(preview));
    QVERIFY2(preview.contains(QStringLiteral("language en")), qPrintable(preview));

    // The preview follows the typed text and the metadata as well.
    panel->previewEdit()->setText(QStringLiteral("Reset my password"));
    QVERIFY(panel->previewLabel()->text().contains(QStringLiteral("<b>default</b>")));

    panel->nameEdit()->setText(QStringLiteral("enterprise"));
    panel->conditionEdit()->setText(QStringLiteral("meta(user_tier, \"enterprise\")"));
    panel->applyFormToSelectedRule();
    panel->metadataEdit()->setText(QStringLiteral("user_tier=enterprise"));
    QVERIFY2(panel->previewLabel()->text().contains(QStringLiteral("<b>enterprise</b>")),
             qPrintable(panel->previewLabel()->text()));
}

void TestRoutingPanel::undoRedoRestoresRules()
{
    llmops::test::TestWorkspace workspace;
    auto window = openWindow(workspace);
    RoutingPanel* panel = window->routingPanel();
    addInvoiceRule(panel);
    QCOMPARE(panel->model()->rowCount(), 2);

    panel->table()->selectRow(0);
    panel->moveSelectedRule(1);
    QCOMPARE(panel->model()->rules().back().name, std::string("invoices"));
    panel->deleteSelectedRule();
    QCOMPARE(panel->model()->rowCount(), 1);

    QUndoStack* stack = panel->undoStack();
    QCOMPARE(stack->count(), 3);
    stack->undo();
    QCOMPARE(panel->model()->rowCount(), 2);
    QCOMPARE(panel->model()->rules().back().name, std::string("invoices"));
    stack->undo();
    QCOMPARE(panel->model()->rules().front().name, std::string("invoices"));
    stack->undo();
    QCOMPARE(panel->model()->rowCount(), 1);
    stack->redo();
    QCOMPARE(panel->model()->rowCount(), 2);
    QCOMPARE(panel->model()->rules().front().name, std::string("invoices"));
}

void TestRoutingPanel::inlineProblems()
{
    llmops::test::TestWorkspace workspace;
    auto window = openWindow(workspace);
    RoutingPanel* panel = window->routingPanel();
    panel->table()->selectRow(0);

    panel->conditionEdit()->setText(QStringLiteral("regex(\"([a-z\")"));
    QVERIFY2(panel->formProblemLabel()->text().contains(QStringLiteral("not a valid regular expression")),
             qPrintable(panel->formProblemLabel()->text()));
    panel->conditionEdit()->setText(QStringLiteral("tier(complex"));
    QVERIFY2(panel->formProblemLabel()->text().contains(QStringLiteral("missing \")\"")),
             qPrintable(panel->formProblemLabel()->text()));
    panel->conditionEdit()->clear();
    panel->modelCombo()->setEditable(true);
    panel->modelCombo()->setCurrentText(QStringLiteral("gpt-9"));
    QVERIFY2(panel->formProblemLabel()->text().contains(QStringLiteral("unknown model \"gpt-9\"")),
             qPrintable(panel->formProblemLabel()->text()));
    panel->modelCombo()->setCurrentText(QStringLiteral("local-extractive"));
    QVERIFY(panel->formProblemLabel()->text().isEmpty());

    // A second catch-all rule above a narrower one shadows it.
    panel->nameEdit()->setText(QStringLiteral("code"));
    panel->conditionEdit()->setText(QStringLiteral("code()"));
    panel->addRuleFromForm();
    panel->nameEdit()->setText(QStringLiteral("code and long"));
    panel->conditionEdit()->setText(QStringLiteral("code() and min_tokens(100)"));
    panel->addRuleFromForm();
    const QModelIndex issues = panel->model()->index(1, int(RuleTableModel::Column::Issues));
    QVERIFY2(issues.data().toString().contains(QStringLiteral("never fires")), qPrintable(issues.data().toString()));
    QCOMPARE(issues.data(RuleTableModel::SeverityRole).toInt(), 1);
}

void TestRoutingPanel::saveActivateAndReplay()
{
    llmops::test::TestWorkspace workspace;
    workspace.addSupportPages();
    {
        auto engine = workspace.open();
        engine->indexPaths({workspace.docsDir().toStdString()});
        QVERIFY(engine->ask("How do I download an invoice?").isOk());
        QVERIFY(engine->ask("How do I reset my password?").isOk());
    }
    auto window = openWindow(workspace);
    RoutingPanel* panel = window->routingPanel();
    QCOMPARE(panel->activeVersion(), 1);

    addInvoiceRule(panel);
    QSignalSpy replayed(panel, &RoutingPanel::replayFinished);
    panel->startReplay();
    QVERIFY(panel->isReplaying());
    QVERIFY(replayed.wait(kTimeoutMs));
    QTableWidget* changes = panel->replayView()->changeTable();
    QCOMPARE(changes->rowCount(), 1);
    QVERIFY(changes->item(0, 1)->text().contains(QStringLiteral("invoice")));
    QVERIFY(changes->item(0, 3)->text().startsWith(QStringLiteral("invoices")));
    QVERIFY2(panel->replayView()->summaryLabel()->text().contains(QStringLiteral("2 queries")),
             qPrintable(panel->replayView()->summaryLabel()->text()));

    QSignalSpy versions(panel, &RoutingPanel::versionsChanged);
    panel->noteEdit()->setText(QStringLiteral("invoices first"));
    panel->saveDraft(true);
    QVERIFY(versions.wait(kTimeoutMs));
    QCOMPARE(panel->activeVersion(), 2);
    QCOMPARE(panel->versionCombo()->count(), 2);
    QVERIFY(panel->versionCombo()->itemText(0).contains(QStringLiteral("invoices first")));
    QCOMPARE(panel->model()->rowCount(), 2);

    // Saving the Models page afterwards keeps the activated rules: no new version appears.
    QSignalSpy modelsSaved(window->modelsPanel(), &llmops::ui::ModelsPanel::settingsSaved);
    window->modelsPanel()->save();
    QVERIFY(modelsSaved.wait(kTimeoutMs));
    window->controller()->loadRuleSets();
    QVERIFY(versions.wait(kTimeoutMs));
    QCOMPARE(panel->activeVersion(), 2);
    QCOMPARE(panel->versionCombo()->count(), 2);

    // Loading version 1 into the draft compares it with the active version 2 without activating it.
    panel->versionCombo()->setCurrentIndex(1);
    panel->loadVersionButton()->click();
    QCOMPARE(panel->model()->rowCount(), 1);
    QCOMPARE(panel->activeVersion(), 2);
    panel->startReplay();
    QVERIFY(replayed.wait(kTimeoutMs));
    QCOMPARE(panel->replayView()->changeTable()->rowCount(), 1);  // the invoice question routes back

    // Activating version 1 again brings back its single default rule.
    panel->versionCombo()->setCurrentIndex(1);
    panel->activateSelectedVersion();
    QVERIFY(versions.wait(kTimeoutMs));
    QCOMPARE(panel->activeVersion(), 1);
    QTRY_COMPARE(panel->model()->rowCount(), 1);
}

void TestRoutingPanel::replayWithoutTracesShowsMessage()
{
    llmops::test::TestWorkspace workspace;
    auto window = openWindow(workspace);
    RoutingPanel* panel = window->routingPanel();
    QSignalSpy failed(panel, &RoutingPanel::replayFailed);
    panel->startReplay();
    QVERIFY(failed.wait(kTimeoutMs));
    QVERIFY2(failed.front().front().toString().contains(QStringLiteral("no traces to replay")),
             qPrintable(failed.front().front().toString()));
    QVERIFY(!panel->isReplaying());
}

QTEST_MAIN(TestRoutingPanel)
#include "tst_routing_panel.moc"
