// SPDX-License-Identifier: MIT
#include "MainWindow.h"

#include "DashboardPanel.h"
#include "DocumentsPanel.h"
#include "EngineController.h"
#include "EngineWorker.h"
#include "ModelsPanel.h"
#include "RoutingPanel.h"
#include "PlaygroundPanel.h"
#include "EvalsPanel.h"
#include "ReviewPanel.h"
#include "TracesPanel.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>

namespace llmops::ui {

namespace {

const QString kWorkspaceFilter = QStringLiteral("LLMOps workspaces (*.llmops);;All files (*)");

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_controller(new EngineController(this))
    , m_tabs(new QTabWidget(this))
{
    setWindowTitle(tr("LLMOps Console"));
    m_documentsPanel = new DocumentsPanel(m_controller, m_tabs);
    m_playgroundPanel = new PlaygroundPanel(m_controller, m_tabs);
    m_tabs->addTab(m_documentsPanel, tr("Documents"));
    m_modelsPanel = new ModelsPanel(m_controller, m_tabs);
    m_tabs->addTab(m_playgroundPanel, tr("Playground"));
    m_tabs->addTab(m_modelsPanel, tr("Models"));
    m_routingPanel = new RoutingPanel(m_controller, m_tabs);
    m_tabs->addTab(m_routingPanel, tr("Routing"));
    m_reviewPanel = new ReviewPanel(m_controller, m_tabs);
    m_tabs->addTab(m_reviewPanel, tr("Review"));
    m_dashboardPanel = new DashboardPanel(m_controller, m_tabs);
    m_tabs->addTab(m_dashboardPanel, tr("Dashboard"));
    m_tracesPanel = new TracesPanel(m_controller, m_tabs);
    m_tabs->addTab(m_tracesPanel, tr("Traces"));
    // A clicked chart point lists the traces of its bucket.
    connect(m_dashboardPanel, &DashboardPanel::tracesRequested, this, [this](qint64 fromMs, qint64 toMs) {
        m_tracesPanel->showTimeRange(fromMs, toMs);
        m_tabs->setCurrentWidget(m_tracesPanel);
    });
    m_evalsPanel = new EvalsPanel(m_tabs);
    m_tabs->addTab(m_evalsPanel, tr("Evals"));
    setCentralWidget(m_tabs);

    setupMenus();
    setupStatusBar();
    setupConnections();
}

// The controller is a child QObject, so it stops the engine thread when the window is deleted.
MainWindow::~MainWindow() = default;

void MainWindow::setupMenus()
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* newAction = fileMenu->addAction(tr("&New workspace..."), this, &MainWindow::chooseNewWorkspace);
    newAction->setShortcut(QKeySequence::New);
    QAction* openAction =
        fileMenu->addAction(tr("&Open workspace..."), this, &MainWindow::chooseExistingWorkspace);
    openAction->setShortcut(QKeySequence::Open);
    fileMenu->addSeparator();
    QAction* quitAction = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quitAction->setShortcut(QKeySequence::Quit);
}

void MainWindow::setupStatusBar()
{
    m_pathLabel = new QLabel(tr("No workspace open"), this);
    m_pathLabel->setTextFormat(Qt::PlainText);
    m_countsLabel = new QLabel(this);
    m_countsLabel->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_pathLabel, 1);
    statusBar()->addPermanentWidget(m_countsLabel);
}

void MainWindow::setupConnections()
{
    const EngineWorker* worker = m_controller->worker();
    connect(worker, &EngineWorker::workspaceOpened, this, &MainWindow::showWorkspace);
    connect(worker, &EngineWorker::workspaceFailed, this, &MainWindow::showWorkspaceFailure);
    connect(worker, &EngineWorker::statsChanged, this, &MainWindow::showStats);
    // The Evals tab carries the number of stored alerts as a badge.
    connect(m_evalsPanel, &EvalsPanel::alertCountChanged, this, [this](int alerts) {
        const int index = m_tabs->indexOf(m_evalsPanel);
        const QString badge = alerts == 1 ? tr("Evals (1 alert)") : tr("Evals (%1 alerts)").arg(alerts);
        m_tabs->setTabText(index, alerts > 0 ? badge : tr("Evals"));
    });
}

void MainWindow::openWorkspace(const QString& path)
{
    m_controller->openWorkspace(path);
}

void MainWindow::showDocuments()
{
    m_tabs->setCurrentWidget(m_documentsPanel);
}

void MainWindow::showPlayground()
{
    m_tabs->setCurrentWidget(m_playgroundPanel);
}

void MainWindow::showModels()
{
    m_tabs->setCurrentWidget(m_modelsPanel);
}

void MainWindow::showRouting()
{
    m_tabs->setCurrentWidget(m_routingPanel);
}

bool MainWindow::showPage(const QString& name)
{
    if (name == QStringLiteral("documents"))
        showDocuments();
    else if (name == QStringLiteral("playground"))
        showPlayground();
    else if (name == QStringLiteral("models"))
        showModels();
    else if (name == QStringLiteral("routing"))
        showRouting();
    else if (name == QStringLiteral("review"))
        m_tabs->setCurrentWidget(m_reviewPanel);
    else if (name == QStringLiteral("dashboard"))
        m_tabs->setCurrentWidget(m_dashboardPanel);
    else if (name == QStringLiteral("traces"))
        m_tabs->setCurrentWidget(m_tracesPanel);
    else if (name == QStringLiteral("evals"))
        m_tabs->setCurrentWidget(m_evalsPanel);
    else
        return false;
    return true;
}

void MainWindow::chooseNewWorkspace()
{
    // Overwriting is not offered: an existing file is reported instead of being replaced.
    auto* dialog = new QFileDialog(this, tr("New workspace"), QString(), kWorkspaceFilter);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("llmops"));
    dialog->setOption(QFileDialog::DontConfirmOverwrite);
    connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::createWorkspace);
    dialog->open();
}

void MainWindow::chooseExistingWorkspace()
{
    auto* dialog = new QFileDialog(this, tr("Open workspace"), QString(), kWorkspaceFilter);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::openWorkspace);
    dialog->open();
}

void MainWindow::createWorkspace(const QString& path)
{
    if (QFileInfo::exists(path)) {
        showWorkspaceFailure(tr("%1 already exists. Choose another name, or open it with "
                                "File > Open workspace.")
                                 .arg(path));
        return;
    }
    openWorkspace(path);
}

void MainWindow::showWorkspace(const QString& path, const llmops::WorkspaceStats& stats)
{
    m_workspacePath = path;
    m_pathLabel->setText(path);
    m_pathLabel->setToolTip(path);
    setWindowTitle(tr("%1 - LLMOps Console").arg(QFileInfo(path).fileName()));
    showStats(stats);
    m_evalsPanel->setWorkspace(path);
}

void MainWindow::showWorkspaceFailure(const QString& message)
{
    // Every page depends on the workspace, so each shows why it could not be opened.
    m_documentsPanel->showError(message);
    m_playgroundPanel->showError(message);
    m_modelsPanel->showError(message);
    m_reviewPanel->showError(message);
    m_dashboardPanel->showError(message);
    m_tracesPanel->showError(message);
}

void MainWindow::showStats(const llmops::WorkspaceStats& stats)
{
    QString counts = tr("%1 documents, %2 chunks").arg(stats.documents).arg(stats.chunks);
    if (stats.failedDocuments > 0)
        counts += tr(", %1 failed").arg(stats.failedDocuments);
    m_countsLabel->setText(counts);
}

} // namespace llmops::ui
