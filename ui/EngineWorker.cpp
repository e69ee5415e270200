// SPDX-License-Identifier: MIT
#include "EngineWorker.h"

#include "Logging.h"
#include "llmops/generator.h"

#include <QDir>
#include <QFileInfo>

#include <chrono>

namespace llmops::ui {

namespace {

// The reply shown after a connection test is cut to this many characters.
constexpr qsizetype kTestReplyChars = 200;

// A short question with one passage that contains the answer, so the reply is a line and the
// latency is mostly the connection and the model's first tokens.
llmops::GenerationRequest connectionTestRequest(const std::string& systemPrompt)
{
    llmops::RetrievalHit passage;
    passage.documentPath = "connection-test.md";
    passage.documentTitle = "Connection test";
    passage.chunk.headingPath = "Connection test";
    passage.chunk.text = "The support desk is open from 9:00 to 17:00 on weekdays.";

    llmops::GenerationRequest request;
    request.query = "When is the support desk open? Answer in one line.";
    request.context = {passage};
    request.systemPrompt = systemPrompt;
    return request;
}

} // namespace

EngineWorker::EngineWorker(QObject* parent)
    : QObject(parent)
{
}

EngineWorker::~EngineWorker() = default;

void EngineWorker::cancelIndexing(quint64 upToJobId)
{
    m_indexingCancel.cancelUpTo(upToJobId);
}

void EngineWorker::cancelQuery(quint64 upToQueryId)
{
    m_queryCancel.cancelUpTo(upToQueryId);
}

void EngineWorker::cancelConnectionTest(quint64 upToTestId)
{
    m_connectionTestCancel.cancelUpTo(upToTestId);
}

void EngineWorker::openWorkspace(const QString& path)
{
    const QString absolutePath = QFileInfo(path).absoluteFilePath();
    const QString folder = QFileInfo(absolutePath).absolutePath();
    if (!QDir().mkpath(folder)) {
        const QString message = tr("Could not create the folder %1 for the workspace. Check that "
                                   "the parent folder exists and is writable.")
                                    .arg(folder);
        qCWarning(lcUi) << "open workspace failed:" << message;
        emit workspaceFailed(message);
        return;
    }

    auto opened = llmops::Engine::open(toEnginePath(absolutePath));
    if (!opened.isOk()) {
        // Engine messages usually name the file already; add it only when one does not.
        const QString reason = fromUtf8(opened.status().message());
        const QString message = reason.contains(absolutePath)
                                    ? tr("Could not open the workspace: %1").arg(reason)
                                    : tr("Could not open the workspace %1: %2").arg(absolutePath, reason);
        qCWarning(lcUi) << "open workspace failed:" << message;
        emit workspaceFailed(message);
        return;
    }

    m_engine = std::move(opened).value();
    qCInfo(lcUi) << "opened workspace" << absolutePath;
    emit settingsLoaded(m_engine->settings());
    emit workspaceOpened(absolutePath, m_engine->stats());
    publishState();
}

void EngineWorker::indexPaths(quint64 jobId, const QStringList& paths)
{
    if (!m_engine) {
        emit indexingFailed(noWorkspaceMessage());
        return;
    }
    m_indexingCancel.begin(jobId);

    std::vector<std::string> enginePaths;
    enginePaths.reserve(paths.size());
    for (const QString& path : paths)
        enginePaths.push_back(toEnginePath(path));

    // Count the files first so the progress bar has its maximum before the first file is done.
    std::vector<llmops::FileOutcome> unreadable;
    const int filesTotal = int(llmops::Engine::collectFiles(enginePaths, &unreadable).size());
    emit indexingStarted(filesTotal);
    qCInfo(lcUi) << "indexing" << filesTotal << "files from" << paths;

    const auto onProgress = [this](const llmops::IndexProgress& progress) {
        emit indexingProgress(progress.filesDone, progress.filesTotal, progress.chunksDone,
                              fromEnginePath(progress.currentPath));
    };
    const llmops::IndexReport report = m_engine->indexPaths(enginePaths, onProgress, m_indexingCancel.flag());

    qCInfo(lcUi) << "indexing finished:" << report.indexed() << "indexed," << report.unchanged()
                 << "unchanged," << report.failed() << "failed, cancelled:" << report.cancelled;
    emit indexingFinished(report);
    publishState();
}

void EngineWorker::ask(quint64 queryId, const QString& question)
{
    if (!m_engine) {
        emit askFailed(queryId, noWorkspaceMessage());
        return;
    }
    m_queryCancel.begin(queryId);

    llmops::AskOptions options;
    options.cancel = m_queryCancel.flag();
    options.onToken = [this, queryId](std::string_view piece) {
        emit answerTextStreamed(queryId, QString::fromUtf8(piece.data(), static_cast<qsizetype>(piece.size())));
    };
    auto result = m_engine->ask(question.toStdString(), options);
    if (!result.isOk()) {
        const QString message = fromUtf8(result.status().message());
        if (result.status().code() == llmops::StatusCode::Cancelled)
            qCInfo(lcUi) << "question" << queryId << "cancelled";
        else
            qCWarning(lcUi) << "question" << queryId << "failed:" << message;
        emit askFailed(queryId, message);
        return;
    }

    emit answerReady(queryId, std::move(result).value());
    emit statsChanged(m_engine->stats());
}

void EngineWorker::refreshDocuments()
{
    if (!m_engine) {
        emit documentsFailed(noWorkspaceMessage());
        return;
    }

    auto rows = m_engine->documents();
    if (!rows.isOk()) {
        const QString message = fromUtf8(rows.status().message());
        qCWarning(lcUi) << "listing documents failed:" << message;
        emit documentsFailed(message);
        return;
    }
    emit documentsLoaded(rows.value());
}

void EngineWorker::updateSettings(const llmops::PipelineSettings& settings)
{
    if (!m_engine) {
        emit settingsFailed(noWorkspaceMessage());
        return;
    }

    const llmops::Status status = m_engine->updateSettings(settings);
    if (!status.isOk()) {
        const QString message = tr("The settings were not saved: %1").arg(fromUtf8(status.message()));
        qCWarning(lcUi) << "saving settings failed:" << message;
        emit settingsFailed(message);
        return;
    }
    qCInfo(lcUi) << "saved settings with" << settings.models.size() << "model endpoints";
    emit settingsSaved(m_engine->settings());
}

void EngineWorker::testConnection(quint64 testId, const llmops::ModelEndpoint& endpoint)
{
    const QString name = fromUtf8(endpoint.name);
    m_connectionTestCancel.begin(testId);
    auto generator = llmops::makeGenerator(endpoint);
    if (!generator.isOk()) {
        const QString message = fromUtf8(generator.status().message());
        qCWarning(lcUi) << "connection test of" << name << "failed:" << message;
        emit connectionTested(name, false, 0.0, message);
        return;
    }

    const std::string systemPrompt =
        m_engine ? m_engine->settings().systemPrompt : llmops::PipelineSettings::defaults().systemPrompt;
    llmops::GenerationRequest request = connectionTestRequest(systemPrompt);
    request.cancel = m_connectionTestCancel.flag();

    const auto started = std::chrono::steady_clock::now();
    const auto completion = generator.value()->generate(request);
    const double latencyMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();

    if (!completion.isOk()) {
        const QString message = fromUtf8(completion.status().message());
        qCWarning(lcUi) << "connection test of" << name << "failed:" << message;
        emit connectionTested(name, false, latencyMs, message);
        return;
    }
    qCInfo(lcUi) << "connection test of" << name << "succeeded in" << latencyMs << "ms";
    emit connectionTested(name, true, latencyMs, fromUtf8(completion->text).left(kTestReplyChars));
}

QString EngineWorker::noWorkspaceMessage() const
{
    return tr("No workspace is open. Open or create one with File > Open workspace.");
}

void EngineWorker::publishState()
{
    emit statsChanged(m_engine->stats());
    refreshDocuments();
}

} // namespace llmops::ui
