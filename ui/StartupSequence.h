// SPDX-License-Identifier: MIT
#pragma once

#include "EngineTypes.h"

#include "llmops/settings.h"

#include <QObject>
#include <QStringList>

#include <optional>
#include <vector>

namespace llmops::ui {

class MainWindow;

// Steps the console runs by itself at start, as set on its command line.
struct StartupOptions {
    QString workspacePath;
    QStringList indexPaths;  // files and folders indexed once the workspace is open
    std::optional<QString> question;  // asked in the Playground after indexing, even when empty
    QString screenshotPath;  // when set, the window is saved here and the sequence finishes
    QString page;  // "documents", "playground", "models" or "routing", selected after the other steps; empty: keep
    // Draft rules loaded into the Routing page and replayed after the other steps; the
    // screenshot waits for the replay's result.
    std::optional<std::vector<llmops::RoutingRule>> replayDraft;
    QString routePreview;  // typed into the Routing page's preview before the replay
};

// Drives a MainWindow through the startup steps: open the workspace, index paths, ask a
// question, select a page, save a screenshot. Each step starts when the previous one's signal arrives, so the
// GUI thread never blocks.
//
// With a screenshot path, finished(0) follows a saved screenshot and finished(1) any failure,
// after the message was written to stderr. Without one, failures stay in the panels' banners and
// finished is not emitted.
class StartupSequence : public QObject {
    Q_OBJECT

public:
    StartupSequence(MainWindow* window, StartupOptions options, QObject* parent = nullptr);

    void start();

signals:
    void finished(int exitCode);

private:
    enum class Step { Idle, Opening, Indexing, Asking, Replaying, Done };

    void setupConnections();
    void handleWorkspaceOpened();
    void handleIndexingFinished();
    void handleDocumentsLoaded();
    void askQuestion();
    void saveScreenshotOrStop();
    void startReplay();
    void saveScreenshot();
    void fail(const QString& message);
    void reportFailure(const QString& message);

    MainWindow* m_window = nullptr;
    StartupOptions m_options;
    Step m_step = Step::Idle;
    bool m_indexingFinished = false;
    bool m_replayStarted = false;
};

} // namespace llmops::ui
