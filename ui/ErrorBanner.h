// SPDX-License-Identifier: MIT
#pragma once

#include <QFrame>

class QLabel;

namespace llmops::ui {

// An inline message strip at the top of a panel: shows a failure in place of a modal dialog
// and stays until the user closes it or the panel clears it.
class ErrorBanner : public QFrame {
    Q_OBJECT

public:
    explicit ErrorBanner(QWidget* parent = nullptr);

    void showError(const QString& message);
    void clear();

    QString message() const;

private:
    QLabel* m_label = nullptr;
};

} // namespace llmops::ui
