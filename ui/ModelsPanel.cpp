// SPDX-License-Identifier: MIT
#include "ModelsPanel.h"

#include "EmbedderBox.h"
#include "EngineController.h"
#include "EngineWorker.h"
#include "ErrorBanner.h"
#include "Keychain.h"
#include "ModelTableModel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace llmops::ui {

namespace {

const QString kLocalKind = QStringLiteral("local-extractive");
const QStringList kKinds = {QStringLiteral("openai-compatible"), QStringLiteral("anthropic"),
                            QStringLiteral("ollama"), kLocalKind};

// Environment variable names as POSIX shells accept them.
const QRegularExpression kVariableName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));

// Parses a price in US dollars per million tokens. An empty field means 0.
bool parsePrice(const QString& text, const QString& label, double* value, QString* problem)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        *value = 0.0;
        return true;
    }
    bool isNumber = false;
    *value = trimmed.toDouble(&isNumber);
    if (!isNumber) {
        *problem = ModelsPanel::tr("The %1 price \"%2\" is not a number. Enter US dollars per million "
                                   "tokens, such as 2.50.")
                       .arg(label, trimmed);
        return false;
    }
    if (*value < 0.0) {
        *problem = ModelsPanel::tr("The %1 price must not be negative, got %2.").arg(label, trimmed);
        return false;
    }
    return true;
}

// Returns the first problem of the URL, or an empty string. Local models need no URL.
QString baseUrlProblem(const QString& kind, const QString& baseUrl)
{
    if (baseUrl.isEmpty())
        return kind == kLocalKind ? QString() : ModelsPanel::tr("Enter the base URL of the %1 endpoint.").arg(kind);
    const QUrl url(baseUrl, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QStringLiteral("http") && scheme != QStringLiteral("https")) ||
        url.host().isEmpty())
        return ModelsPanel::tr("The base URL \"%1\" is not an http:// or https:// URL with a host, such as "
                               "http://127.0.0.1:8080/v1.")
            .arg(baseUrl);
    return {};
}

QLabel* plainLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

ModelsPanel::ModelsPanel(EngineController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new ModelTableModel(this))
{
    setupWidgets();
    setupConnections();
    showKeyStatus();
    checkForm();
}

void ModelsPanel::setupWidgets()
{
    m_banner = new ErrorBanner(this);

    auto* lower = new QHBoxLayout;
    lower->addWidget(createFormBox(), 3);

    auto* testBox = new QGroupBox(tr("Connection"), this);
    m_testButton = new QPushButton(tr("Test connection"), testBox);
    m_testButton->setToolTip(tr("Send one short question with the form's settings and show the latency and reply"));
    m_testResultLabel = plainLabel(testBox);
    m_testResultLabel->setText(tr("Not tested yet."));
    auto* testLayout = new QVBoxLayout(testBox);
    testLayout->addWidget(m_testButton, 0, Qt::AlignLeft);
    testLayout->addWidget(m_testResultLabel, 1, Qt::AlignTop);
    m_embedderBox = new EmbedderBox(this);
    auto* side = new QVBoxLayout;
    side->addWidget(testBox, 1);
    side->addWidget(m_embedderBox);
    lower->addLayout(side, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(createTableBox(), 1);
    layout->addLayout(lower);
    layout->addWidget(createButtonRow());
}

QWidget* ModelsPanel::createTableBox()
{
    auto* box = new QGroupBox(tr("Model endpoints"), this);
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(ModelTableModel::SortRole);

    m_table = new QTableView(box);
    m_table->setModel(proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);  // keep the settings' order until a header is clicked
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(int(ModelTableModel::Column::BaseUrl),
                                                      QHeaderView::Stretch);

    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_table);
    return box;
}

QWidget* ModelsPanel::createFormBox()
{
    auto* box = new QGroupBox(tr("Endpoint"), this);
    m_nameEdit = new QLineEdit(box);
    m_nameEdit->setPlaceholderText(tr("Referred to by routing rules, such as gpt-small"));
    m_kindCombo = new QComboBox(box);
    m_kindCombo->setEditable(true);
    m_kindCombo->addItems(kKinds);
    m_baseUrlEdit = new QLineEdit(box);
    m_baseUrlEdit->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080/v1"));
    m_modelIdEdit = new QLineEdit(box);
    m_modelIdEdit->setPlaceholderText(tr("The provider's model id"));

    m_apiKeyVariableEdit = new QLineEdit(box);
    m_apiKeyVariableEdit->setPlaceholderText(tr("Environment variable name, such as OPENAI_API_KEY"));
    m_apiKeyVariableEdit->setToolTip(tr("The key is read from this variable when a call is made; it is "
                                        "never stored in the workspace"));
    m_keyStatusLabel = plainLabel(box);
    m_keyStatusLabel->setWordWrap(false);
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(m_apiKeyVariableEdit, 1);
    keyRow->addWidget(m_keyStatusLabel);

    m_keychainEntryEdit = new QLineEdit(box);
    m_keychainEntryEdit->setPlaceholderText(tr("Keychain entry, such as openai-production"));
    m_keychainEntryEdit->setToolTip(tr("Read from the OS keychain (service \"llmops\") when the variable "
                                       "is empty or unset; only the entry name is stored"));
    m_storeKeyButton = new QPushButton(tr("Store key..."), box);
    m_storeKeyButton->setToolTip(tr("Type the API key once; it goes to the keychain, never to the workspace"));
    m_keychainStatusLabel = plainLabel(box);
    m_keychainStatusLabel->setWordWrap(false);
    auto* keychainRow = new QHBoxLayout;
    keychainRow->addWidget(m_keychainEntryEdit, 1);
    keychainRow->addWidget(m_storeKeyButton);
    keychainRow->addWidget(m_keychainStatusLabel);

    m_timeoutSpin = new QSpinBox(box);
    m_timeoutSpin->setRange(100, 3'600'000);
    m_timeoutSpin->setSingleStep(1000);
    m_timeoutSpin->setSuffix(tr(" ms"));
    m_retriesSpin = new QSpinBox(box);
    m_retriesSpin->setRange(0, 10);
    m_inputPriceEdit = new QLineEdit(box);
    m_inputPriceEdit->setPlaceholderText(tr("US dollars per million tokens; empty for 0"));
    m_outputPriceEdit = new QLineEdit(box);
    m_outputPriceEdit->setPlaceholderText(tr("US dollars per million tokens; empty for 0"));
    m_formProblemLabel = plainLabel(box);
    m_formProblemLabel->setStyleSheet(QStringLiteral("color: #8a1f17;"));

    auto* form = new QFormLayout(box);
    form->addRow(tr("Name:"), m_nameEdit);
    form->addRow(tr("Kind:"), m_kindCombo);
    form->addRow(tr("Base URL:"), m_baseUrlEdit);
    form->addRow(tr("Model id:"), m_modelIdEdit);
    form->addRow(tr("API key variable:"), keyRow);
    form->addRow(tr("API key in keychain:"), keychainRow);
    form->addRow(tr("Timeout:"), m_timeoutSpin);
    form->addRow(tr("Retries:"), m_retriesSpin);
    form->addRow(tr("Input $/M tokens:"), m_inputPriceEdit);
    form->addRow(tr("Output $/M tokens:"), m_outputPriceEdit);
    form->addRow(m_formProblemLabel);
    return box;
}

QWidget* ModelsPanel::createButtonRow()
{
    auto* row = new QWidget(this);
    m_addButton = new QPushButton(tr("Add"), row);
    m_addButton->setToolTip(tr("Add the form's endpoint as a new row"));
    m_updateButton = new QPushButton(tr("Update"), row);
    m_updateButton->setToolTip(tr("Replace the selected row with the form's endpoint"));
    m_removeButton = new QPushButton(tr("Remove"), row);
    m_saveButton = new QPushButton(tr("Save"), row);
    m_saveButton->setToolTip(tr("Store the endpoints in the workspace settings"));
    m_saveStateLabel = plainLabel(row);
    m_saveStateLabel->setWordWrap(false);

    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_addButton);
    layout->addWidget(m_updateButton);
    layout->addWidget(m_removeButton);
    layout->addStretch(1);
    layout->addWidget(m_saveStateLabel);
    layout->addWidget(m_saveButton);
    return row;
}

void ModelsPanel::setupConnections()
{
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { fillForm(selectedRow()); });
    for (QLineEdit* edit : {m_nameEdit, m_baseUrlEdit, m_modelIdEdit, m_apiKeyVariableEdit, m_keychainEntryEdit,
                            m_inputPriceEdit, m_outputPriceEdit})
        connect(edit, &QLineEdit::textChanged, this, &ModelsPanel::checkForm);
    connect(m_kindCombo, &QComboBox::currentTextChanged, this, &ModelsPanel::checkForm);
    connect(m_apiKeyVariableEdit, &QLineEdit::textChanged, this, &ModelsPanel::showKeyStatus);

    connect(m_storeKeyButton, &QPushButton::clicked, this, &ModelsPanel::storeKeyInKeychain);
    connect(m_embedderBox, &EmbedderBox::edited, this, &ModelsPanel::markUnsaved);
    connect(m_addButton, &QPushButton::clicked, this, &ModelsPanel::addEndpoint);
    connect(m_updateButton, &QPushButton::clicked, this, &ModelsPanel::updateEndpoint);
    connect(m_removeButton, &QPushButton::clicked, this, &ModelsPanel::removeEndpoint);
    connect(m_saveButton, &QPushButton::clicked, this, &ModelsPanel::save);
    connect(m_testButton, &QPushButton::clicked, this, &ModelsPanel::testConnection);

    const EngineWorker* worker = m_controller->worker();
    connect(worker, &EngineWorker::settingsLoaded, this, &ModelsPanel::showSettings);
    connect(worker, &EngineWorker::settingsSaved, this, &ModelsPanel::showSaved);
    // Keep the rules current without touching unsaved endpoint edits, so that a later Save does
    // not bring back the rules that were active before.
    connect(worker, &EngineWorker::ruleSetActivated, this, [this](const llmops::PipelineSettings& settings) {
        if (m_settings)
            m_settings->rules = settings.rules;
    });
    connect(worker, &EngineWorker::settingsFailed, this, &ModelsPanel::showSaveFailure);
    connect(worker, &EngineWorker::connectionTested, this, &ModelsPanel::showConnectionResult);
}

void ModelsPanel::showError(const QString& message)
{
    m_banner->showError(message);
}

std::optional<llmops::ModelEndpoint> ModelsPanel::endpointFromForm(int editedRow, QString* problem) const
{
    // Start from the edited row so that fields without a form control, such as the stream flag,
    // keep their values.
    llmops::ModelEndpoint endpoint = editedRow >= 0 ? m_model->endpoint(editedRow) : llmops::ModelEndpoint{};

    const QString name = m_nameEdit->text().trimmed();
    const QString kind = m_kindCombo->currentText().trimmed();
    const QString baseUrl = m_baseUrlEdit->text().trimmed();
    const QString modelId = m_modelIdEdit->text().trimmed();
    const QString variable = m_apiKeyVariableEdit->text().trimmed();
    const QString keychainEntry = m_keychainEntryEdit->text().trimmed();

    const int existingRow = m_model->rowOf(name);
    if (name.isEmpty())
        *problem = tr("Enter a name for the endpoint.");
    else if (existingRow >= 0 && existingRow != editedRow)
        *problem = tr("An endpoint named \"%1\" already exists. Choose another name.").arg(name);
    else if (!kKinds.contains(kind))
        *problem = tr("Unknown kind \"%1\". Choose openai-compatible, anthropic, ollama or local-extractive.")
                       .arg(kind);
    else if (QString urlProblem = baseUrlProblem(kind, baseUrl); !urlProblem.isEmpty())
        *problem = urlProblem;
    else if (kind != kLocalKind && modelId.isEmpty())
        *problem = tr("Enter the provider's model id, such as gpt-4o-mini.");
    else if (!variable.isEmpty() && !kVariableName.match(variable).hasMatch())
        *problem = tr("\"%1\" is not an environment variable name. Use letters, digits and underscores, "
                      "not starting with a digit.")
                       .arg(variable);
    else if (keychainEntry.size() > 200)
        *problem = tr("The keychain entry name is %1 characters long; use at most 200.").arg(keychainEntry.size());
    if (!problem->isEmpty())
        return std::nullopt;

    if (!parsePrice(m_inputPriceEdit->text(), tr("input"), &endpoint.inputUsdPerMillion, problem) ||
        !parsePrice(m_outputPriceEdit->text(), tr("output"), &endpoint.outputUsdPerMillion, problem))
        return std::nullopt;

    endpoint.name = name.toStdString();
    endpoint.kind = kind.toStdString();
    endpoint.baseUrl = baseUrl.toStdString();
    endpoint.model = modelId.toStdString();
    endpoint.apiKeyEnv = variable.toStdString();
    endpoint.apiKeyKeychain = keychainEntry.toStdString();
    endpoint.timeoutMs = m_timeoutSpin->value();
    endpoint.maxRetries = m_retriesSpin->value();
    return endpoint;
}

int ModelsPanel::selectedRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return -1;
    const auto* proxy = static_cast<const QSortFilterProxyModel*>(m_table->model());
    return proxy->mapToSource(rows.front()).row();
}

void ModelsPanel::fillForm(int row)
{
    const llmops::ModelEndpoint endpoint = row >= 0 ? m_model->endpoint(row) : llmops::ModelEndpoint{};
    m_nameEdit->setText(row >= 0 ? fromUtf8(endpoint.name) : QString());
    m_kindCombo->setCurrentText(fromUtf8(endpoint.kind));
    m_baseUrlEdit->setText(fromUtf8(endpoint.baseUrl));
    m_modelIdEdit->setText(fromUtf8(endpoint.model));
    m_apiKeyVariableEdit->setText(fromUtf8(endpoint.apiKeyEnv));
    m_keychainEntryEdit->setText(fromUtf8(endpoint.apiKeyKeychain));
    m_keychainStatusLabel->clear();
    m_timeoutSpin->setValue(endpoint.timeoutMs);
    m_retriesSpin->setValue(endpoint.maxRetries);
    m_inputPriceEdit->setText(QString::number(endpoint.inputUsdPerMillion));
    m_outputPriceEdit->setText(QString::number(endpoint.outputUsdPerMillion));
    checkForm();
    updateButtons();
}

void ModelsPanel::checkForm()
{
    QString problem;
    m_formValid = endpointFromForm(selectedRow(), &problem).has_value();
    m_formProblemLabel->setText(problem);
    m_formProblemLabel->setVisible(!problem.isEmpty());
    updateButtons();
}

void ModelsPanel::showKeyStatus()
{
    const std::string variable = m_apiKeyVariableEdit->text().trimmed().toStdString();
    const QString status = ModelTableModel::keyStatusText(variable);
    if (status.isEmpty())
        m_keyStatusLabel->setText(tr("no key sent"));
    else
        m_keyStatusLabel->setText(tr("%1 in this console's environment").arg(status));
}

void ModelsPanel::storeKeyInKeychain()
{
    const QString entry = m_keychainEntryEdit->text().trimmed();
    if (entry.isEmpty()) {
        m_keychainStatusLabel->setText(tr("Name the keychain entry first."));
        return;
    }
    bool accepted = false;
    const QString key = QInputDialog::getText(this, tr("Store API key"),
                                              tr("API key for keychain entry \"%1\":").arg(entry),
                                              QLineEdit::Password, QString(), &accepted);
    if (!accepted || key.trimmed().isEmpty())
        return;

    // The keychain answers asynchronously (it may ask to be unlocked), so the GUI keeps running.
    m_storeKeyButton->setEnabled(false);
    m_keychainStatusLabel->setText(tr("storing..."));
    keychain::writeSecretAsync(entry.toStdString(), key.trimmed().toStdString(), this, [this, entry](Status status) {
        m_storeKeyButton->setEnabled(true);
        m_keychainStatusLabel->setText(status.isOk() ? tr("stored in the keychain") : tr("not stored"));
        if (!status.isOk())
            showError(fromUtf8(status.message()));
    });
}

void ModelsPanel::addEndpoint()
{
    QString problem;
    const auto endpoint = endpointFromForm(-1, &problem);
    if (!endpoint) {
        m_formProblemLabel->setText(problem);
        m_formProblemLabel->show();
        return;
    }
    const int row = m_model->addEndpoint(*endpoint);
    const auto* proxy = static_cast<const QSortFilterProxyModel*>(m_table->model());
    m_table->selectRow(proxy->mapFromSource(m_model->index(row, 0)).row());
    markUnsaved();
}

void ModelsPanel::updateEndpoint()
{
    const int row = selectedRow();
    QString problem;
    const auto endpoint = row >= 0 ? endpointFromForm(row, &problem) : std::nullopt;
    if (!endpoint)
        return;
    m_model->replaceEndpoint(row, *endpoint);
    markUnsaved();
}

void ModelsPanel::removeEndpoint()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    // A routing rule may still name this endpoint; the engine reports that on Save.
    m_model->removeEndpoint(row);
    markUnsaved();
}

void ModelsPanel::markUnsaved()
{
    m_unsaved = true;
    m_saveStateLabel->setText(tr("Unsaved changes"));
    checkForm();
}

void ModelsPanel::updateButtons()
{
    const bool hasRow = selectedRow() >= 0;
    QString addProblem;
    m_addButton->setEnabled(endpointFromForm(-1, &addProblem).has_value());
    m_updateButton->setEnabled(hasRow && m_formValid);
    m_removeButton->setEnabled(hasRow);
    m_saveButton->setEnabled(m_settings.has_value() && !m_saving);
    m_testButton->setEnabled(m_formValid && !isTesting());
}

void ModelsPanel::save()
{
    if (!m_settings) {
        showError(tr("No workspace is open. Open or create one with File > Open workspace."));
        return;
    }
    m_banner->clear();
    llmops::PipelineSettings settings = *m_settings;
    settings.models = m_model->endpoints();
    QString problem;
    const std::optional<llmops::EmbedderSettings> embedder = m_embedderBox->embedder(&problem);
    if (!embedder) {
        showError(problem);
        return;
    }
    settings.embedder = *embedder;
    m_saving = true;
    m_saveStateLabel->setText(tr("Saving..."));
    updateButtons();
    m_controller->updateSettings(settings);
}

void ModelsPanel::testConnection()
{
    QString problem;
    const auto endpoint = endpointFromForm(selectedRow(), &problem);
    if (!endpoint || isTesting())
        return;
    m_testResultLabel->setStyleSheet(QString());
    m_testResultLabel->setText(tr("Testing %1 (timeout %2 ms)...")
                                   .arg(fromUtf8(endpoint->name))
                                   .arg(endpoint->timeoutMs));
    m_pendingTestId = m_controller->testConnection(*endpoint);
    updateButtons();
}

void ModelsPanel::showSettings(const llmops::PipelineSettings& settings)
{
    m_settings = settings;
    m_model->setEndpoints(settings.models);
    m_embedderBox->setEmbedder(settings.embedder);
    m_unsaved = false;
    m_saveStateLabel->clear();
    m_banner->clear();
    if (m_model->rowCount() > 0)
        m_table->selectRow(m_model->rowCount() - 1);
    fillForm(selectedRow());
}

void ModelsPanel::showSaved(const llmops::PipelineSettings& settings)
{
    const QString selectedName = m_nameEdit->text().trimmed();
    m_saving = false;
    m_settings = settings;
    m_model->setEndpoints(settings.models);
    m_embedderBox->setEmbedder(settings.embedder);
    m_unsaved = false;
    m_saveStateLabel->setText(tr("Saved"));

    // Resetting the model clears the selection without a signal, so refill the form here.
    const int row = m_model->rowOf(selectedName);
    if (row >= 0) {
        const auto* proxy = static_cast<const QSortFilterProxyModel*>(m_table->model());
        m_table->selectRow(proxy->mapFromSource(m_model->index(row, 0)).row());
    }
    fillForm(selectedRow());
    emit settingsSaved();
}

void ModelsPanel::showSaveFailure(const QString& message)
{
    // The edits stay in the table so the user can fix them and save again.
    m_saving = false;
    m_saveStateLabel->setText(tr("Not saved"));
    showError(message);
    updateButtons();
    emit saveFailed(message);
}

void ModelsPanel::showConnectionResult(const QString& name, bool ok, double latencyMs, const QString& replyOrError)
{
    if (!isTesting())
        return;
    m_pendingTestId = 0;
    const QString latency = QString::number(latencyMs, 'f', 0);
    if (ok) {
        m_testResultLabel->setStyleSheet(QStringLiteral("color: #1b5e20;"));
        m_testResultLabel->setText(tr("%1 replied in %2 ms:\n%3").arg(name, latency, replyOrError));
    } else {
        m_testResultLabel->setStyleSheet(QStringLiteral("color: #8a1f17;"));
        m_testResultLabel->setText(tr("%1 failed after %2 ms:\n%3").arg(name, latency, replyOrError));
    }
    updateButtons();
    emit connectionTested(ok);
}

} // namespace llmops::ui
