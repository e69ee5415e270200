// SPDX-License-Identifier: MIT
#include "ErrorBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace llmops::ui {

ErrorBanner::ErrorBanner(QWidget* parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
{
    setObjectName(QStringLiteral("errorBanner"));
    setStyleSheet(QStringLiteral("#errorBanner { background: #fdecea; border: 1px solid #e0a39e;"
                                 " border-radius: 4px; } #errorBanner QLabel { color: #8a1f17; }"));

    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* closeButton = new QToolButton(this);
    closeButton->setText(QStringLiteral("\u2715"));
    closeButton->setAutoRaise(true);
    closeButton->setToolTip(tr("Dismiss"));
    connect(closeButton, &QToolButton::clicked, this, &ErrorBanner::clear);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(closeButton, 0, Qt::AlignTop);
    hide();
}

void ErrorBanner::showError(const QString& message)
{
    m_label->setText(message);
    show();
}

void ErrorBanner::clear()
{
    m_label->clear();
    hide();
}

QString ErrorBanner::message() const
{
    return m_label->text();
}

} // namespace llmops::ui
