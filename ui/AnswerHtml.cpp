// SPDX-License-Identifier: MIT
#include "AnswerHtml.h"

#include "EngineTypes.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace llmops::ui {

namespace {

QString escapeWithBreaks(const QString& text)
{
    QString html = text.toHtmlEscaped();
    html.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return html;
}

// The heading path without its first element when that repeats the document title, as in
// "Refund policy > Refund policy > Requesting a refund".
QString sectionLabel(const llmops::Citation& citation, const QString& documentLabel)
{
    const QString headingPath = fromUtf8(citation.headingPath);
    const QString titlePrefix = documentLabel + QStringLiteral(" > ");
    if (headingPath.startsWith(titlePrefix))
        return headingPath.mid(titlePrefix.size());
    return headingPath;
}

QString documentLabel(const llmops::Citation& citation)
{
    if (!citation.documentTitle.empty())
        return fromUtf8(citation.documentTitle);
    return QFileInfo(fromEnginePath(citation.documentPath)).fileName();
}

} // namespace

QString citationAnchor(int number)
{
    return QStringLiteral("citation-%1").arg(number);
}

QString answerToHtml(const llmops::QueryResult& result)
{
    QSet<int> numbers;
    for (const auto& citation : result.citations)
        numbers.insert(citation.number);

    // Markers are linked after escaping, which leaves "[n]" unchanged.
    static const QRegularExpression marker(QStringLiteral("\\[(\\d+)\\]"));
    const QString escaped = escapeWithBreaks(fromUtf8(result.answer));
    QString html;
    qsizetype last = 0;
    for (auto it = marker.globalMatch(escaped); it.hasNext();) {
        const auto match = it.next();
        html += escaped.mid(last, match.capturedStart() - last);
        const int number = match.captured(1).toInt();
        if (numbers.contains(number))
            html += QStringLiteral("<a href=\"#%1\">[%2]</a>").arg(citationAnchor(number)).arg(number);
        else
            html += match.captured(0);
        last = match.capturedEnd();
    }
    html += escaped.mid(last);
    return html;
}

QString citationsToHtml(const llmops::QueryResult& result)
{
    QString html;
    for (const auto& citation : result.citations) {
        const QString document = documentLabel(citation);
        html += QStringLiteral("<p><a name=\"%1\"></a><b>[%2] %3</b>")
                    .arg(citationAnchor(citation.number))
                    .arg(citation.number)
                    .arg(document.toHtmlEscaped());
        const QString section = sectionLabel(citation, document);
        if (!section.isEmpty())
            html += QStringLiteral("<br><span style=\"color:#555\">%1</span>").arg(section.toHtmlEscaped());
        if (!citation.snippet.empty())
            html += QStringLiteral("<br>%1").arg(escapeWithBreaks(fromUtf8(citation.snippet)));
        html += QStringLiteral("</p>");
    }
    return html;
}

} // namespace llmops::ui
