// SPDX-License-Identifier: MIT
#include "StartupSequence.h"

#include "DocumentsPanel.h"
#include "EngineController.h"
#include "EngineWorker.h"
#include "Logging.h"
#include "MainWindow.h"
#include "PlaygroundPanel.h"
#include "RoutingPanel.h"

#include <QCoreApplication>
#include <QLineEdit>
#include <QPixmap>
#include <QTimer>

#include <cstdio>

namespace llmops::ui {

StartupSequence::StartupSequence(MainWindow* window, StartupOptions options, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_options(std::move(options))
{
    setupConnections();
}

void StartupSequence::setupConnections()
{
    const EngineWorker* worker = m_window->controller()->worker();
    connect(worker, &EngineWorker::workspaceOpened, this, &StartupSequence::handleWorkspaceOpened);
    connect(worker, &EngineWorker::workspaceFailed, this, &StartupSequence::fail);
    connect(worker, &EngineWorker::indexingFinished, this, &StartupSequence::handleIndexingFinished);
    connect(worker, &EngineWorker::indexingFailed, this, &StartupSequence::fail);
    connect(worker, &EngineWorker::documentsLoaded, this, &StartupSequence::handleDocumentsLoaded);

    const PlaygroundPanel* playground = m_window->playgroundPanel();
    connect(playground, &PlaygroundPanel::answerShown, this, [this] {
        if (m_step == Step::Asking)
            saveScreenshotOrStop();
    });
    connect(playground, &PlaygroundPanel::questionFailed, this, [this](const QString& message) {
        if (m_step == Step::Asking)
            fail(message);
    });

    const RoutingPanel* routing = m_window->routingPanel();
    connect(routing, &RoutingPanel::replayFinished, this, [this] {
        if (m_replayStarted)
            saveScreenshotOrStop();
    });
    connect(routing, &RoutingPanel::replayFailed, this, [this](const QString& message) {
        if (m_replayStarted)
            fail(message);
    });
}

void StartupSequence::startReplay()
{
    m_replayStarted = true;
    m_step = Step::Replaying;
    m_window->showRouting();
    RoutingPanel* routing = m_window->routingPanel();
    routing->loadDraft(*m_options.replayDraft);
    routing->previewEdit()->setText(m_options.routePreview);
    routing->startReplay();
}

void StartupSequence::start()
{
    m_step = Step::Opening;
    m_window->openWorkspace(m_options.workspacePath);
}

void StartupSequence::handleWorkspaceOpened()
{
    if (m_step != Step::Opening)
        return;
    if (m_options.indexPaths.isEmpty()) {
        askQuestion();
        return;
    }

    m_step = Step::Indexing;
    m_indexingFinished = false;
    m_window->showDocuments();
    m_window->documentsPanel()->indexPaths(m_options.indexPaths);
}

void StartupSequence::handleIndexingFinished()
{
    if (m_step == Step::Indexing)
        m_indexingFinished = true;
}

void StartupSequence::handleDocumentsLoaded()
{
    // The worker lists the documents right after a run, so the table is filled before the
    // sequence moves on.
    if (m_step == Step::Indexing && m_indexingFinished)
        askQuestion();
}

void StartupSequence::askQuestion()
{
    if (!m_options.question) {
        saveScreenshotOrStop();
        return;
    }

    m_step = Step::Asking;
    m_window->showPlayground();
    PlaygroundPanel* playground = m_window->playgroundPanel();
    playground->setQuestion(*m_options.question);
    playground->ask();
}

void StartupSequence::saveScreenshotOrStop()
{
    m_step = Step::Done;
    if (!m_options.page.isEmpty() && !m_window->showPage(m_options.page)) {
        reportFailure(tr("Unknown page \"%1\". Use documents, playground, models, routing, review, dashboard or traces.").arg(m_options.page));
        return;
    }
    if (m_options.replayDraft && !m_replayStarted) {
        startReplay();  // replayFinished comes back here
        return;
    }
    if (m_options.screenshotPath.isEmpty())
        return;

    // Grab on the next turn of the event loop, once the layouts have taken in the new content.
    // The Review page loads its queue and the selected trace from the engine thread after the
    // workspace opens, so it gets a second for those replies to arrive; the Dashboard and
    // Traces pages compute their figures and lists there too.
    const QStringList loadingPages = {QStringLiteral("review"), QStringLiteral("dashboard"), QStringLiteral("traces")};
    const int delayMs = loadingPages.contains(m_options.page) ? 1500 : 0;
    QTimer::singleShot(delayMs, this, &StartupSequence::saveScreenshot);
}

void StartupSequence::saveScreenshot()
{
    // Layout requests are posted events. Deliver them now so the image shows the final layout,
    // such as the timeline grown to its new number of rows.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    const QPixmap pixmap = m_window->grab();
    if (!pixmap.save(m_options.screenshotPath)) {
        reportFailure(tr("Could not save the screenshot to %1. Check that the folder exists and that the "
                "name ends in a known image format such as .png.")
                 .arg(m_options.screenshotPath));
        return;
    }
    qCInfo(lcUi) << "saved screenshot" << m_options.screenshotPath;
    emit finished(0);
}

void StartupSequence::fail(const QString& message)
{
    // Before start and after the last step, failures come from the user's own actions and are
    // shown in the banners only.
    if (m_step == Step::Idle || m_step == Step::Done)
        return;
    m_step = Step::Done;
    reportFailure(message);
}

void StartupSequence::reportFailure(const QString& message)
{
    std::fprintf(stderr, "llmops-console: %s\n", qUtf8Printable(message));
    if (!m_options.screenshotPath.isEmpty())
        emit finished(1);
}

} // namespace llmops::ui
