// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/settings.h"

#include <QGroupBox>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace llmops::ui {

// The Models page's editor of the workspace's embedder: the offline hashing embedder, or an
// OpenAI-compatible or Ollama embedding endpoint. Saving a changed embedder embeds every chunk
// again, so the box warns before the user saves.
class EmbedderBox : public QGroupBox {
    Q_OBJECT

public:
    explicit EmbedderBox(QWidget* parent = nullptr);

    // Shows the stored embedder; edits start from it.
    void setEmbedder(const llmops::EmbedderSettings& embedder);

    // Returns the embedder the fields describe, or nothing with the first problem in *problem.
    std::optional<llmops::EmbedderSettings> embedder(QString* problem) const;

    QComboBox* kindCombo() const { return m_kindCombo; }
    QLineEdit* baseUrlEdit() const { return m_baseUrlEdit; }
    QLineEdit* modelEdit() const { return m_modelEdit; }
    QLineEdit* apiKeyVariableEdit() const { return m_apiKeyVariableEdit; }
    QLineEdit* keychainEntryEdit() const { return m_keychainEntryEdit; }
    QSpinBox* batchSpin() const { return m_batchSpin; }
    QLabel* noteLabel() const { return m_noteLabel; }

signals:
    // Emitted when the user edits a field, not when setEmbedder fills them.
    void edited();

private:
    void updateNote();

    llmops::EmbedderSettings m_stored;
    bool m_filling = false;
    QComboBox* m_kindCombo = nullptr;
    QLineEdit* m_baseUrlEdit = nullptr;
    QLineEdit* m_modelEdit = nullptr;
    QLineEdit* m_apiKeyVariableEdit = nullptr;
    QLineEdit* m_keychainEntryEdit = nullptr;
    QSpinBox* m_batchSpin = nullptr;
    QLabel* m_noteLabel = nullptr;
};

} // namespace llmops::ui
