// SPDX-License-Identifier: MIT
// llmops-console: the Qt Widgets console. This file parses the command line and hands the
// requested startup steps to the window.

#include "Keychain.h"
#include "MainWindow.h"
#include "StartupSequence.h"
#include "llmops/routing.h"
#include "llmops/engine.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace {

struct ConsoleOptions {
    llmops::ui::StartupOptions startup;
    QString error;  // set when the command line is invalid
};

QString defaultWorkspace()
{
    return QFile::decodeName(QByteArray::fromStdString(llmops::defaultWorkspacePath()));
}

ConsoleOptions parseOptions(const QApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Index support documents and try questions against them."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption workspaceOption(
        QStringLiteral("workspace"),
        QStringLiteral("Workspace file to open or create. Default: $LLMOPS_WORKSPACE, else %1.")
            .arg(defaultWorkspace()),
        QStringLiteral("file"));
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        QStringLiteral("Open demo.llmops beside the default workspace (unless --workspace is given) "
                       "and index the bundled demo documents; unchanged files are skipped."));
    const QCommandLineOption indexOption(QStringLiteral("index"),
                                         QStringLiteral("Index this file or folder at start. Repeatable."),
                                         QStringLiteral("path"));
    const QCommandLineOption askOption(
        QStringLiteral("ask"), QStringLiteral("Ask this question in the Playground once indexing is done."),
        QStringLiteral("question"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QStringLiteral("Save the window as an image once the answer, the indexing result or (with neither --ask nor "
                       "--index) the opened workspace is shown, then "
                       "exit with 0; print the error and exit with 1 when a step fails."),
        QStringLiteral("file"));
    const QCommandLineOption tabOption(
        QStringLiteral("tab"),
        QStringLiteral("Show this page once the other startup steps are done, before any screenshot: "
                       "documents, playground, models, routing, review, dashboard or traces."),
        QStringLiteral("page"));
    const QCommandLineOption replayOption(
        QStringLiteral("replay-rules"),
        QStringLiteral("Load the rule set in this JSON file as the Routing page's draft and replay the stored "
                       "traces through it after the other steps, before any screenshot."),
        QStringLiteral("file"));
    const QCommandLineOption previewOption(
        QStringLiteral("route-preview"),
        QStringLiteral("With --replay-rules, type this question into the Routing page's preview."),
        QStringLiteral("question"));
    parser.addOptions(
        {workspaceOption, demoOption, indexOption, askOption, screenshotOption, tabOption, replayOption, previewOption});
    parser.process(app);

    ConsoleOptions options;
    auto& startup = options.startup;
    startup.workspacePath = parser.value(workspaceOption);
    if (startup.workspacePath.isEmpty() && parser.isSet(demoOption))
        startup.workspacePath = QFileInfo(defaultWorkspace()).dir().filePath(QStringLiteral("demo.llmops"));
    if (startup.workspacePath.isEmpty())
        startup.workspacePath = defaultWorkspace();

    if (parser.isSet(demoOption)) {
        const QString demoDir = QStringLiteral(LLMOPS_DEMO_DIR);
        if (!QFileInfo(demoDir).isDir())
            options.error = QStringLiteral("The demo documents folder %1 is missing. Reinstall the console "
                                           "or pass --index with your own folder.")
                                .arg(demoDir);
        startup.indexPaths.append(demoDir);
    }
    startup.indexPaths.append(parser.values(indexOption));
    if (parser.isSet(askOption))
        startup.question = parser.value(askOption);
    startup.screenshotPath = parser.value(screenshotOption);

    if (parser.isSet(replayOption)) {
        // Read before the window exists: a small file, and a bad one should stop the start.
        QFile file(parser.value(replayOption));
        const bool opened = file.open(QIODevice::ReadOnly);
        auto rules = llmops::rulesFromJson(file.readAll().toStdString(), parser.value(replayOption).toStdString());
        if (!opened)
            options.error = QStringLiteral("Cannot read the rule set %1; check the path.").arg(file.fileName());
        else if (!rules.isOk())
            options.error = QString::fromStdString(rules.status().message());
        else
            startup.replayDraft = rules.value();
        startup.routePreview = parser.value(previewOption);
    }

    startup.page = parser.value(tabOption);
    const QStringList pages = {QStringLiteral("documents"), QStringLiteral("playground"), QStringLiteral("models"),
                               QStringLiteral("review"), QStringLiteral("routing"), QStringLiteral("dashboard"),
                               QStringLiteral("traces"), QStringLiteral("evals")};
    if (!startup.page.isEmpty() && !pages.contains(startup.page))
        options.error = QStringLiteral("Unknown --tab value \"%1\". Use documents, playground, models, routing, "
                                       "review, dashboard, traces or evals.")
                            .arg(startup.page);
    return options;
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("llmops-console"));
    QApplication::setApplicationVersion(QStringLiteral(LLMOPS_VERSION));
    llmops::keychain::installEngineReader();

    const ConsoleOptions options = parseOptions(app);
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "llmops-console: %s\n", qUtf8Printable(options.error));
        return 1;
    }

    llmops::ui::MainWindow window;
    window.resize(1400, 900);
    window.show();

    llmops::ui::StartupSequence startup(&window, options.startup);
    QObject::connect(&startup, &llmops::ui::StartupSequence::finished, &app, &QCoreApplication::exit);
    startup.start();
    return QApplication::exec();
}
