// SPDX-License-Identifier: MIT
#pragma once

#include "EngineTypes.h"

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace llmops::ui {

class DashboardPanel;
class DocumentsPanel;
class EvalsPanel;
class EngineController;
class ModelsPanel;
class PlaygroundPanel;
class ReviewPanel;
class RoutingPanel;
class TracesPanel;

// The console's window: the Documents, Playground, Models, Routing and Review pages in tabs, a
// File menu to create and open workspaces, and a status bar with the workspace path and its
// document and chunk counts.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens or creates the workspace file. The worker's workspaceOpened signal reports success;
    // a failure is shown in the panels' banners.
    void openWorkspace(const QString& path);

    EngineController* controller() const { return m_controller; }
    DocumentsPanel* documentsPanel() const { return m_documentsPanel; }
    PlaygroundPanel* playgroundPanel() const { return m_playgroundPanel; }
    ModelsPanel* modelsPanel() const { return m_modelsPanel; }
    RoutingPanel* routingPanel() const { return m_routingPanel; }
    ReviewPanel* reviewPanel() const { return m_reviewPanel; }
    DashboardPanel* dashboardPanel() const { return m_dashboardPanel; }
    TracesPanel* tracesPanel() const { return m_tracesPanel; }
    EvalsPanel* evalsPanel() const { return m_evalsPanel; }
    QString workspacePath() const { return m_workspacePath; }

    void showDocuments();
    void showPlayground();
    void showModels();
    void showRouting();

    // Selects the page named "documents", "playground", "models", "routing", "review", "dashboard",
    // "traces" or "evals"; returns false for other names.
    bool showPage(const QString& name);

private:
    void setupMenus();
    void setupStatusBar();
    void setupConnections();

    void chooseNewWorkspace();
    void chooseExistingWorkspace();
    void createWorkspace(const QString& path);

    void showWorkspace(const QString& path, const llmops::WorkspaceStats& stats);
    void showWorkspaceFailure(const QString& message);
    void showStats(const llmops::WorkspaceStats& stats);

    EngineController* m_controller = nullptr;
    QTabWidget* m_tabs = nullptr;
    DocumentsPanel* m_documentsPanel = nullptr;
    PlaygroundPanel* m_playgroundPanel = nullptr;
    ModelsPanel* m_modelsPanel = nullptr;
    RoutingPanel* m_routingPanel = nullptr;
    ReviewPanel* m_reviewPanel = nullptr;
    DashboardPanel* m_dashboardPanel = nullptr;
    TracesPanel* m_tracesPanel = nullptr;
    EvalsPanel* m_evalsPanel = nullptr;
    QLabel* m_pathLabel = nullptr;
    QLabel* m_countsLabel = nullptr;
    QString m_workspacePath;
};

} // namespace llmops::ui
