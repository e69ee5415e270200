// SPDX-License-Identifier: MIT
#pragma once

#include "EngineTypes.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace llmops::ui {

class EngineController;
class ErrorBanner;
class ReviewTableModel;

// The Review page: the queue of flagged responses with filters (kind, status, route, model,
// period) and counts per verdict, the selected item's trace with its claims highlighted, and
// the reviewer's verdict, note, corrected answer and allow-list phrase. With the table focused,
// C, H and F mark the current item correct, hallucination or false alarm and move to the next.
class ReviewPanel : public QWidget {
    Q_OBJECT

public:
    explicit ReviewPanel(EngineController* controller, QWidget* parent = nullptr);

    // Lists the items matching the filters again, keeping the current item selected.
    void refresh();

    // Stores verdict ("correct", "hallucination" or "false_alarm") for the current item with
    // the note and corrected answer typed, and selects the next row.
    void markCurrent(const QString& verdict);

    void showError(const QString& message);

    ReviewTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QTextBrowser* detailBrowser() const { return m_detailBrowser; }
    QLabel* countsLabel() const { return m_countsLabel; }
    QComboBox* kindFilter() const { return m_kindCombo; }
    QLineEdit* noteEdit() const { return m_noteEdit; }
    QPlainTextEdit* correctedAnswerEdit() const { return m_answerEdit; }
    QLineEdit* allowListEdit() const { return m_allowEdit; }
    QPushButton* allowListButton() const { return m_allowButton; }
    QLineEdit* datasetEdit() const { return m_datasetEdit; }
    QPushButton* datasetButton() const { return m_datasetButton; }
    QLabel* allowStatusLabel() const { return m_allowStatus; }
    qint64 currentItemId() const;

signals:
    // Emitted when the engine has stored a verdict and the row shows it.
    void verdictStored(qint64 itemId);

private:
    void setupWidgets();
    QWidget* createFilterRow();
    QWidget* createDetailPane();
    void setupConnections();
    void setupShortcuts();

    llmops::ReviewFilter currentFilter() const;
    void showItems(quint64 requestId, const ReviewItems& items, const llmops::ReviewCounts& counts);
    void showCounts(const llmops::ReviewCounts& counts);
    void showCurrentItem();
    void showTrace(qint64 itemId, const llmops::QueryResult& trace);
    void updateStoredItem(const llmops::ReviewItem& item);
    void addPhraseToAllowList();
    // Appends the selected item, with its trusted answer, to the data set named in the field.
    void addCurrentToDataset();
    void selectRow(int row);

    EngineController* m_controller = nullptr;
    ReviewTableModel* m_model = nullptr;
    quint64 m_pendingRequestId = 0;

    ErrorBanner* m_banner = nullptr;
    QComboBox* m_kindCombo = nullptr;
    QComboBox* m_statusCombo = nullptr;
    QLineEdit* m_routeEdit = nullptr;
    QLineEdit* m_modelEdit = nullptr;
    QComboBox* m_periodCombo = nullptr;
    QPushButton* m_refreshButton = nullptr;
    QLabel* m_countsLabel = nullptr;
    QTableView* m_table = nullptr;
    QTextBrowser* m_detailBrowser = nullptr;
    QLineEdit* m_noteEdit = nullptr;
    QPlainTextEdit* m_answerEdit = nullptr;
    QPushButton* m_correctButton = nullptr;
    QPushButton* m_hallucinationButton = nullptr;
    QPushButton* m_falseAlarmButton = nullptr;
    QLineEdit* m_allowEdit = nullptr;
    QPushButton* m_allowButton = nullptr;
    QLineEdit* m_datasetEdit = nullptr;
    QPushButton* m_datasetButton = nullptr;
    QLabel* m_allowStatus = nullptr;
};

} // namespace llmops::ui
