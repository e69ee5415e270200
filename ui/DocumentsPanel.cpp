// SPDX-License-Identifier: MIT
#include "DocumentsPanel.h"

#include "DocumentTableModel.h"
#include "EngineController.h"
#include "EngineWorker.h"
#include "ErrorBanner.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace llmops::ui {

namespace {

QStringList localPaths(const QMimeData* mimeData)
{
    QStringList paths;
    if (!mimeData || !mimeData->hasUrls())
        return paths;
    for (const QUrl& url : mimeData->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    return paths;
}

QString failureList(const std::vector<llmops::FileOutcome>& failures)
{
    QStringList lines;
    for (const auto& outcome : failures)
        lines.append(QStringLiteral("%1: %2").arg(QFileInfo(fromEnginePath(outcome.path)).fileName(),
                                                  fromUtf8(outcome.error)));
    return lines.join(QLatin1Char('\n'));
}

} // namespace

DocumentsPanel::DocumentsPanel(EngineController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new DocumentTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setAcceptDrops(true);
    setupWidgets();
    setupTable();
    setupConnections();
}

void DocumentsPanel::setupWidgets()
{
    m_banner = new ErrorBanner(this);

    auto* hint = new QLabel(tr("Drop Markdown, HTML or text files and folders here, or"), this);
    m_addFilesButton = new QPushButton(tr("Add files..."), this);
    m_addFolderButton = new QPushButton(tr("Add folder..."), this);
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setPlaceholderText(tr("Filter documents"));
    m_filterEdit->setClearButtonEnabled(true);

    auto* actionRow = new QHBoxLayout;
    actionRow->addWidget(hint);
    actionRow->addWidget(m_addFilesButton);
    actionRow->addWidget(m_addFolderButton);
    actionRow->addStretch(1);
    actionRow->addWidget(m_filterEdit);

    m_progressRow = new QWidget(this);
    m_progressBar = new QProgressBar(m_progressRow);
    m_progressBar->setTextVisible(true);
    m_currentFileLabel = new QLabel(m_progressRow);
    m_currentFileLabel->setTextFormat(Qt::PlainText);
    m_cancelButton = new QPushButton(tr("Cancel"), m_progressRow);
    auto* progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    progressLayout->addWidget(m_progressBar, 2);
    progressLayout->addWidget(m_currentFileLabel, 1);
    progressLayout->addWidget(m_cancelButton);
    m_progressRow->hide();

    m_summaryLabel = new QLabel(this);
    m_summaryLabel->setTextFormat(Qt::PlainText);
    m_table = new QTableView(this);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(actionRow);
    layout->addWidget(m_progressRow);
    layout->addWidget(m_summaryLabel);
    layout->addWidget(m_table, 1);
}

void DocumentsPanel::setupTable()
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(DocumentTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);

    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    // "failed" sorts before "indexed", so failures come first.
    m_table->sortByColumn(int(DocumentTableModel::Column::Status), Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);

    auto* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(int(DocumentTableModel::Column::Error), QHeaderView::Stretch);
    header->resizeSection(int(DocumentTableModel::Column::Name), 200);
    header->resizeSection(int(DocumentTableModel::Column::Title), 240);
    header->resizeSection(int(DocumentTableModel::Column::Status), 80);
    header->resizeSection(int(DocumentTableModel::Column::Chunks), 70);
    header->resizeSection(int(DocumentTableModel::Column::IndexedAt), 140);
    header->resizeSection(int(DocumentTableModel::Column::Path), 280);
}

void DocumentsPanel::setupConnections()
{
    connect(m_addFilesButton, &QPushButton::clicked, this, &DocumentsPanel::chooseFiles);
    connect(m_addFolderButton, &QPushButton::clicked, this, &DocumentsPanel::chooseFolder);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        m_cancelButton->setEnabled(false);
        m_controller->cancelIndexing();
    });
    connect(m_filterEdit, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    const EngineWorker* worker = m_controller->worker();
    connect(worker, &EngineWorker::indexingStarted, this, &DocumentsPanel::showIndexingStarted);
    connect(worker, &EngineWorker::indexingProgress, this, &DocumentsPanel::showIndexingProgress);
    connect(worker, &EngineWorker::indexingFinished, this, &DocumentsPanel::showIndexingFinished);
    connect(worker, &EngineWorker::indexingFailed, this, &DocumentsPanel::showIndexingFailed);
    connect(worker, &EngineWorker::documentsLoaded, this, &DocumentsPanel::showDocuments);
    connect(worker, &EngineWorker::documentsFailed, this, &DocumentsPanel::showError);
    connect(worker, &EngineWorker::workspaceOpened, m_banner, &ErrorBanner::clear);
}

void DocumentsPanel::indexPaths(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    m_banner->clear();
    ++m_runningJobs;
    m_controller->indexPaths(paths);
}

void DocumentsPanel::showError(const QString& message)
{
    m_banner->showError(message);
}

QString DocumentsPanel::summaryText() const
{
    return m_summaryLabel->text();
}

void DocumentsPanel::dragEnterEvent(QDragEnterEvent* event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void DocumentsPanel::dropEvent(QDropEvent* event)
{
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    indexPaths(paths);
}

void DocumentsPanel::chooseFiles()
{
    // A window-modal dialog reports through a signal, so no nested event loop runs here.
    auto* dialog = new QFileDialog(this, tr("Add files"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setNameFilters(
        {tr("Documents (*.md *.markdown *.mdx *.html *.htm *.txt *.text)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::filesSelected, this, &DocumentsPanel::indexPaths);
    dialog->open();
}

void DocumentsPanel::chooseFolder()
{
    auto* dialog = new QFileDialog(this, tr("Add folder"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::filesSelected, this, &DocumentsPanel::indexPaths);
    dialog->open();
}

void DocumentsPanel::showIndexingStarted(int filesTotal)
{
    m_progressBar->setRange(0, qMax(filesTotal, 1));
    m_progressBar->setValue(0);
    m_progressBar->setFormat(tr("0 / %1 files, 0 chunks").arg(filesTotal));
    m_currentFileLabel->clear();
    m_cancelButton->setEnabled(true);
    m_progressRow->show();
}

void DocumentsPanel::showIndexingProgress(int filesDone, int filesTotal, qint64 chunksDone,
                                          const QString& currentPath)
{
    m_progressBar->setRange(0, qMax(filesTotal, 1));
    m_progressBar->setValue(filesDone);
    m_progressBar->setFormat(tr("%1 / %2 files, %3 chunks").arg(filesDone).arg(filesTotal).arg(chunksDone));
    m_currentFileLabel->setText(QFileInfo(currentPath).fileName());
    m_currentFileLabel->setToolTip(currentPath);
}

void DocumentsPanel::showIndexingFinished(const llmops::IndexReport& report)
{
    m_lastFailures.clear();
    for (const auto& outcome : report.files) {
        if (outcome.kind == llmops::FileOutcome::Kind::Failed)
            m_lastFailures.push_back(outcome);
    }

    QString summary = tr("%1 indexed, %2 unchanged, %3 removed, %4 failed, %5 chunks written.")
                          .arg(report.indexed())
                          .arg(report.unchanged())
                          .arg(report.removed())
                          .arg(report.failed())
                          .arg(report.chunks());
    if (report.files.empty())
        summary = tr("No supported files found. The console indexes Markdown, HTML and text files.");
    if (report.cancelled)
        summary.prepend(tr("Cancelled. "));
    m_summaryLabel->setText(summary);
    m_summaryLabel->setToolTip(failureList(m_lastFailures));
    finishRun();
}

void DocumentsPanel::showIndexingFailed(const QString& message)
{
    m_banner->showError(message);
    finishRun();
}

void DocumentsPanel::finishRun()
{
    m_runningJobs = qMax(0, m_runningJobs - 1);
    if (m_runningJobs == 0)
        m_progressRow->hide();
}

void DocumentsPanel::showDocuments(const llmops::ui::DocumentRows& rows)
{
    QSet<QString> listed;
    for (const auto& row : rows)
        listed.insert(fromEnginePath(row.path));

    DocumentRows merged = rows;
    for (const auto& outcome : m_lastFailures) {
        if (listed.contains(fromEnginePath(outcome.path)))
            continue;
        llmops::Engine::DocumentRow row;
        row.path = outcome.path;
        row.status = "failed";
        row.error = outcome.error;
        merged.push_back(std::move(row));
    }
    m_model->setDocuments(std::move(merged));
}

} // namespace llmops::ui
