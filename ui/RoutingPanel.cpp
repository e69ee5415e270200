// SPDX-License-Identifier: MIT
// The Routing page's widgets and their wiring; the actions live in RoutingPanelActions.cpp.
#include "RoutingPanel.h"

#include "EngineController.h"
#include "EngineWorker.h"
#include "ErrorBanner.h"
#include "ReplayResultView.h"
#include "RuleTableModel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>

namespace llmops::ui {

RoutingPanel::RoutingPanel(EngineController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new RuleTableModel(this))
    , m_undoStack(new QUndoStack(this))
{
    setupWidgets();
    setupConnections();
}

RoutingPanel::~RoutingPanel() = default;

void RoutingPanel::setupWidgets()
{
    m_banner = new ErrorBanner(this);

    auto* versionRow = new QHBoxLayout;
    m_versionCombo = new QComboBox(this);
    m_versionCombo->setMinimumContentsLength(40);
    m_activateButton = new QPushButton(tr("Activate version"), this);
    m_loadVersionButton = new QPushButton(tr("Load into draft"), this);
    m_loadVersionButton->setToolTip(tr("Edit or replay this version against the active one"));
    m_activeLabel = new QLabel(this);
    versionRow->addWidget(new QLabel(tr("Stored versions:"), this));
    versionRow->addWidget(m_versionCombo, 1);
    versionRow->addWidget(m_loadVersionButton);
    versionRow->addWidget(m_activateButton);
    versionRow->addWidget(m_activeLabel);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(setupRuleEditor(), 3);
    leftLayout->addWidget(setupPreview(), 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(setupReplay());
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({600, 800});  // the replay tables need the width more than the rule table

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(versionRow);
    layout->addWidget(splitter, 1);
}

QWidget* RoutingPanel::setupRuleEditor()
{
    auto* box = new QGroupBox(tr("Draft rules (first match wins)"), this);
    m_table = new QTableView(box);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(int(RuleTableModel::Column::Condition), QHeaderView::Stretch);
    header->setSectionResizeMode(int(RuleTableModel::Column::Issues), QHeaderView::Stretch);

    auto* buttons = new QHBoxLayout;
    m_addButton = new QPushButton(tr("Add rule"), box);
    m_applyButton = new QPushButton(tr("Update rule"), box);
    m_deleteButton = new QPushButton(tr("Delete"), box);
    m_upButton = new QPushButton(tr("Move up"), box);
    m_downButton = new QPushButton(tr("Move down"), box);
    m_undoButton = new QPushButton(tr("Undo"), box);
    m_redoButton = new QPushButton(tr("Redo"), box);
    for (QPushButton* button : {m_addButton, m_applyButton, m_deleteButton, m_upButton, m_downButton, m_undoButton,
                                m_redoButton})
        buttons->addWidget(button);
    buttons->addStretch(1);

    auto* form = new QFormLayout;
    m_nameEdit = new QLineEdit(box);
    m_conditionEdit = new QLineEdit(box);
    m_conditionEdit->setPlaceholderText(tr("such as tier(complex) and not language(de); empty: always"));
    m_modelCombo = new QComboBox(box);
    m_fallbacksEdit = new QLineEdit(box);
    m_fallbacksEdit->setPlaceholderText(tr("model names, comma-separated"));
    m_formProblemLabel = new QLabel(box);
    m_formProblemLabel->setWordWrap(true);
    m_formProblemLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    form->addRow(tr("Name:"), m_nameEdit);
    form->addRow(tr("Condition:"), m_conditionEdit);
    form->addRow(tr("Model:"), m_modelCombo);
    form->addRow(tr("Fallbacks:"), m_fallbacksEdit);
    form->addRow(QString(), m_formProblemLabel);

    auto* saveRow = new QHBoxLayout;
    m_noteEdit = new QLineEdit(box);
    m_noteEdit->setPlaceholderText(tr("what changed and why"));
    m_saveButton = new QPushButton(tr("Save as new version"), box);
    m_saveActivateButton = new QPushButton(tr("Save and activate"), box);
    saveRow->addWidget(new QLabel(tr("Note:"), box));
    saveRow->addWidget(m_noteEdit, 1);
    saveRow->addWidget(m_saveButton);
    saveRow->addWidget(m_saveActivateButton);

    auto* layout = new QVBoxLayout(box);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addLayout(form);
    layout->addLayout(saveRow);
    return box;
}

QWidget* RoutingPanel::setupPreview()
{
    auto* box = new QGroupBox(tr("Preview"), this);
    m_previewEdit = new QLineEdit(box);
    m_previewEdit->setPlaceholderText(tr("Type a question to see which draft rule fires"));
    m_metadataEdit = new QLineEdit(box);
    m_metadataEdit->setPlaceholderText(tr("request metadata, such as user_tier=enterprise, plan=pro"));
    m_previewLabel = new QLabel(box);
    m_previewLabel->setWordWrap(true);
    m_previewLabel->setTextFormat(Qt::RichText);
    m_previewLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QFormLayout(box);
    layout->addRow(tr("Question:"), m_previewEdit);
    layout->addRow(tr("Metadata:"), m_metadataEdit);
    layout->addRow(m_previewLabel);
    return box;
}

QWidget* RoutingPanel::setupReplay()
{
    auto* box = new QGroupBox(tr("What-if replay of stored traces"), this);
    auto* controls = new QHBoxLayout;
    m_lastSpin = new QSpinBox(box);
    m_lastSpin->setRange(1, 1000000);
    m_lastSpin->setValue(1000);
    m_lastSpin->setSuffix(tr(" newest traces"));
    m_replayButton = new QPushButton(tr("Replay draft"), box);
    m_cancelReplayButton = new QPushButton(tr("Cancel"), box);
    m_cancelReplayButton->setEnabled(false);
    m_replayStatusLabel = new QLabel(box);
    m_replayStatusLabel->setWordWrap(true);
    controls->addWidget(m_lastSpin);
    controls->addWidget(m_replayButton);
    controls->addWidget(m_cancelReplayButton);
    controls->addStretch(1);

    m_replayView = new ReplayResultView(box);
    auto* layout = new QVBoxLayout(box);
    layout->addLayout(controls);
    layout->addWidget(m_replayStatusLabel);
    layout->addWidget(m_replayView, 1);
    return box;
}

void RoutingPanel::setupConnections()
{
    connect(m_addButton, &QPushButton::clicked, this, &RoutingPanel::addRuleFromForm);
    connect(m_applyButton, &QPushButton::clicked, this, &RoutingPanel::applyFormToSelectedRule);
    connect(m_deleteButton, &QPushButton::clicked, this, &RoutingPanel::deleteSelectedRule);
    connect(m_upButton, &QPushButton::clicked, this, [this] { moveSelectedRule(-1); });
    connect(m_downButton, &QPushButton::clicked, this, [this] { moveSelectedRule(1); });
    connect(m_undoButton, &QPushButton::clicked, m_undoStack, &QUndoStack::undo);
    connect(m_redoButton, &QPushButton::clicked, m_undoStack, &QUndoStack::redo);
    connect(m_undoStack, &QUndoStack::canUndoChanged, m_undoButton, &QPushButton::setEnabled);
    connect(m_undoStack, &QUndoStack::canRedoChanged, m_redoButton, &QPushButton::setEnabled);
    m_undoButton->setEnabled(false);
    m_redoButton->setEnabled(false);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RoutingPanel::showSelectedRuleInForm);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RoutingPanel::rebuildPreviewRouter);
    for (QLineEdit* edit : {m_nameEdit, m_conditionEdit, m_fallbacksEdit})
        connect(edit, &QLineEdit::textChanged, this, &RoutingPanel::checkForm);
    connect(m_modelCombo, &QComboBox::currentTextChanged, this, &RoutingPanel::checkForm);
    connect(m_previewEdit, &QLineEdit::textChanged, this, &RoutingPanel::updatePreview);
    connect(m_metadataEdit, &QLineEdit::textChanged, this, &RoutingPanel::updatePreview);

    connect(m_saveButton, &QPushButton::clicked, this, [this] { saveDraft(false); });
    connect(m_saveActivateButton, &QPushButton::clicked, this, [this] { saveDraft(true); });
    connect(m_activateButton, &QPushButton::clicked, this, &RoutingPanel::activateSelectedVersion);
    connect(m_loadVersionButton, &QPushButton::clicked, this, &RoutingPanel::loadSelectedVersionIntoDraft);
    connect(m_replayButton, &QPushButton::clicked, this, &RoutingPanel::startReplay);
    connect(m_cancelReplayButton, &QPushButton::clicked, m_controller, &EngineController::cancelReplay);

    EngineWorker* worker = m_controller->worker();
    connect(worker, &EngineWorker::settingsLoaded, this, &RoutingPanel::setSettings);
    connect(worker, &EngineWorker::settingsSaved, this, &RoutingPanel::setSettings);
    connect(worker, &EngineWorker::ruleSetActivated, this, &RoutingPanel::setSettings);
    connect(worker, &EngineWorker::workspaceOpened, m_controller, &EngineController::loadRuleSets);
    connect(worker, &EngineWorker::ruleSetsLoaded, this, &RoutingPanel::showVersions);
    connect(worker, &EngineWorker::ruleSetFailed, this, [this](const QString& message) {
        m_banner->showError(message);
    });
    connect(worker, &EngineWorker::ruleSetSaved, this, [this](int version, bool active) {
        m_banner->clear();
        m_noteEdit->clear();
        m_replayStatusLabel->setText(active ? tr("Saved and activated version %1.").arg(version)
                                            : tr("Saved version %1.").arg(version));
    });
    connect(worker, &EngineWorker::replayFinished, this, &RoutingPanel::showReplay);
    connect(worker, &EngineWorker::replayFailed, this, &RoutingPanel::showReplayFailure);
}

} // namespace llmops::ui
