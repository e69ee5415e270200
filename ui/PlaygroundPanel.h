// SPDX-License-Identifier: MIT
#pragma once

#include "EngineTypes.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTextBrowser;
class QTreeWidget;
class QUrl;

namespace llmops::ui {

class EngineController;
class ErrorBanner;
class StageTimeline;

// The Playground page: runs one question at a time through the pipeline and shows the answer
// with its citations, route, model, cost, flags and stage timeline.
class PlaygroundPanel : public QWidget {
    Q_OBJECT

public:
    explicit PlaygroundPanel(EngineController* controller, QWidget* parent = nullptr);

    void setQuestion(const QString& question);
    QString question() const;

    // Sends the question box's text to the engine; a result still pending is dropped.
    void ask();
    void cancel();

    void showError(const QString& message);

    bool isBusy() const { return m_pendingQueryId != 0; }
    const llmops::QueryResult& result() const { return m_result; }

    QPushButton* askButton() const { return m_askButton; }
    QPlainTextEdit* questionEdit() const { return m_questionEdit; }
    ErrorBanner* banner() const { return m_banner; }
    QTextBrowser* answerBrowser() const { return m_answerBrowser; }
    QTextBrowser* citationBrowser() const { return m_citationBrowser; }
    QTreeWidget* flagList() const { return m_flagList; }
    StageTimeline* timeline() const { return m_timeline; }

signals:
    // Emitted once the answer of the awaited question is on screen.
    void answerShown(const llmops::QueryResult& result);
    // Emitted when the awaited question failed or was rejected; the banner shows the message.
    void questionFailed(const QString& message);

private:
    void setupWidgets();
    QWidget* createQuestionRow();
    QWidget* createDetailsBox();
    void setupConnections();

    void setBusy(bool busy);
    void appendStreamedText(quint64 queryId, const QString& piece);
    void showAnswer(quint64 queryId, const llmops::QueryResult& result);
    void showAskFailure(quint64 queryId, const QString& message);
    void showDetails(const llmops::QueryResult& result);
    void showCitations(const llmops::QueryResult& result);
    void showFlags(const llmops::QueryResult& result);
    void followAnswerLink(const QUrl& url);

    EngineController* m_controller = nullptr;
    quint64 m_pendingQueryId = 0;  // 0 when no question is running
    bool m_streamStarted = false;  // the answer view holds streamed text of the pending question
    bool m_cancelRequested = false;
    llmops::QueryResult m_result;

    ErrorBanner* m_banner = nullptr;
    QPlainTextEdit* m_questionEdit = nullptr;
    QPushButton* m_askButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QProgressBar* m_busyBar = nullptr;
    QLabel* m_stateLabel = nullptr;
    QTextBrowser* m_answerBrowser = nullptr;
    QTextBrowser* m_citationBrowser = nullptr;
    QLabel* m_sentLabel = nullptr;
    QLabel* m_routeLabel = nullptr;
    QLabel* m_modelLabel = nullptr;
    QLabel* m_costLabel = nullptr;
    QLabel* m_tokensLabel = nullptr;
    QLabel* m_cacheLabel = nullptr;
    QLabel* m_totalLabel = nullptr;
    QTreeWidget* m_flagList = nullptr;
    StageTimeline* m_timeline = nullptr;
};

} // namespace llmops::ui
