// SPDX-License-Identifier: MIT
#include "EmbedderBox.h"

#include "EngineTypes.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QUrl>

namespace llmops::ui {

namespace {

const QString kHashing = QStringLiteral("hashing");

} // namespace

EmbedderBox::EmbedderBox(QWidget* parent) : QGroupBox(tr("Embedder"), parent)
{
    m_kindCombo = new QComboBox(this);
    m_kindCombo->addItems({kHashing, QStringLiteral("openai-compatible"), QStringLiteral("ollama")});
    m_kindCombo->setToolTip(tr("hashing runs offline; the others call POST /embeddings or /api/embed"));
    m_baseUrlEdit = new QLineEdit(this);
    m_baseUrlEdit->setPlaceholderText(QStringLiteral("http://127.0.0.1:11434"));
    m_modelEdit = new QLineEdit(this);
    m_modelEdit->setPlaceholderText(tr("Embedding model id, such as nomic-embed-text"));
    m_apiKeyVariableEdit = new QLineEdit(this);
    m_apiKeyVariableEdit->setPlaceholderText(tr("Environment variable, if the server needs a key"));
    m_keychainEntryEdit = new QLineEdit(this);
    m_keychainEntryEdit->setPlaceholderText(tr("Keychain entry, if the server needs a key"));
    m_batchSpin = new QSpinBox(this);
    m_batchSpin->setRange(1, 2048);
    m_batchSpin->setSuffix(tr(" texts per request"));
    m_noteLabel = new QLabel(this);
    m_noteLabel->setWordWrap(true);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Kind:"), m_kindCombo);
    form->addRow(tr("Base URL:"), m_baseUrlEdit);
    form->addRow(tr("Model id:"), m_modelEdit);
    form->addRow(tr("Key variable:"), m_apiKeyVariableEdit);
    form->addRow(tr("Key in keychain:"), m_keychainEntryEdit);
    form->addRow(tr("Batch:"), m_batchSpin);
    form->addRow(m_noteLabel);

    const auto onEdit = [this] {
        updateNote();
        if (!m_filling)
            emit edited();
    };
    connect(m_kindCombo, &QComboBox::currentTextChanged, this, onEdit);
    for (QLineEdit* edit : {m_baseUrlEdit, m_modelEdit, m_apiKeyVariableEdit, m_keychainEntryEdit})
        connect(edit, &QLineEdit::textChanged, this, onEdit);
    connect(m_batchSpin, &QSpinBox::valueChanged, this, onEdit);
    setEmbedder({});
}

void EmbedderBox::setEmbedder(const llmops::EmbedderSettings& embedder)
{
    m_stored = embedder;
    m_filling = true;
    m_kindCombo->setCurrentText(fromUtf8(embedder.kind));
    m_baseUrlEdit->setText(fromUtf8(embedder.baseUrl));
    m_modelEdit->setText(fromUtf8(embedder.model));
    m_apiKeyVariableEdit->setText(fromUtf8(embedder.apiKeyEnv));
    m_keychainEntryEdit->setText(fromUtf8(embedder.apiKeyKeychain));
    m_batchSpin->setValue(embedder.batchSize);
    m_filling = false;
    updateNote();
}

std::optional<llmops::EmbedderSettings> EmbedderBox::embedder(QString* problem) const
{
    llmops::EmbedderSettings embedder = m_stored;
    embedder.kind = m_kindCombo->currentText().toStdString();
    embedder.baseUrl = m_baseUrlEdit->text().trimmed().toStdString();
    embedder.model = m_modelEdit->text().trimmed().toStdString();
    embedder.apiKeyEnv = m_apiKeyVariableEdit->text().trimmed().toStdString();
    embedder.apiKeyKeychain = m_keychainEntryEdit->text().trimmed().toStdString();
    embedder.batchSize = m_batchSpin->value();

    if (embedder.kind == kHashing.toStdString())
        return embedder;
    const QUrl url(m_baseUrlEdit->text().trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QStringLiteral("http") && url.scheme() != QStringLiteral("https")) ||
        url.host().isEmpty()) {
        *problem = tr("The embedder's base URL \"%1\" is not an http or https URL, such as http://127.0.0.1:11434.")
                       .arg(m_baseUrlEdit->text().trimmed());
        return std::nullopt;
    }
    if (embedder.model.empty()) {
        *problem = tr("Enter the embedder's model id, such as nomic-embed-text.");
        return std::nullopt;
    }
    return embedder;
}

void EmbedderBox::updateNote()
{
    const bool remote = m_kindCombo->currentText() != kHashing;
    for (QWidget* field : {static_cast<QWidget*>(m_baseUrlEdit), static_cast<QWidget*>(m_modelEdit),
                           static_cast<QWidget*>(m_apiKeyVariableEdit), static_cast<QWidget*>(m_keychainEntryEdit),
                           static_cast<QWidget*>(m_batchSpin)})
        field->setEnabled(remote);

    // The kind and the model decide whether stored vectors stay valid; this box leaves the
    // vector size as stored.
    const bool changesSpace = m_kindCombo->currentText().toStdString() != m_stored.kind ||
                              m_modelEdit->text().trimmed().toStdString() != m_stored.model;
    m_noteLabel->setText(changesSpace
                             ? tr("Saving embeds every chunk again with this embedder; if it cannot be reached, "
                                  "the current one stays.")
                             : tr("Stored vectors stay valid."));
}

} // namespace llmops::ui
