// SPDX-License-Identifier: MIT
#include "AnswerHtml.h"

#include "EngineTypes.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace llmops::ui {

namespace {

// Gives the free functions below a translation context.
class AnswerHtmlText {
    Q_DECLARE_TR_FUNCTIONS(AnswerHtmlText)
};

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

namespace {

// Escapes a piece of the answer and links the "[n]" markers that name a citation. Markers are
// linked after escaping, which leaves "[n]" unchanged.
QString linkedHtml(const QString& text, const QSet<int>& numbers)
{
    static const QRegularExpression marker(QStringLiteral("\\[(\\d+)\\]"));
    const QString escaped = escapeWithBreaks(text);
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

// "document > heading (chunk 12)" for the chunk that supports a claim best.
QString supportSource(const llmops::ClaimVerdict& claim)
{
    QString source = QFileInfo(fromEnginePath(claim.documentPath)).fileName();
    if (!claim.headingPath.empty())
        source += QStringLiteral(" > ") + fromUtf8(claim.headingPath);
    return source + AnswerHtmlText::tr(" (chunk %1)").arg(claim.chunkId);
}

QString claimTooltip(const llmops::ClaimVerdict& claim)
{
    if (!claim.supported)
        return AnswerHtmlText::tr("Unsupported: best support score %1").arg(claim.score, 0, 'f', 2);
    return AnswerHtmlText::tr("Supported (score %1) by %2").arg(claim.score, 0, 'f', 2).arg(supportSource(claim));
}

QString claimSpan(const llmops::ClaimVerdict& claim, const QString& innerHtml)
{
    const QString style = claim.supported ? QString()
                                          : QStringLiteral(" style=\"background-color:%1\"")
                                                .arg(QLatin1String(kUnsupportedColor));
    return QStringLiteral("<span title=\"%1\"%2>%3</span>")
        .arg(claimTooltip(claim).toHtmlEscaped(), style, innerHtml);
}

} // namespace

QString answerToHtml(const llmops::QueryResult& result)
{
    QSet<int> numbers;
    for (const auto& citation : result.citations)
        numbers.insert(citation.number);

    // Claim spans are byte offsets into the UTF-8 answer, so the answer is cut before it is
    // converted. A span outside the answer (a trace edited by hand) is ignored.
    const std::string& answer = result.answer;
    QString html;
    std::size_t copied = 0;
    for (const llmops::ClaimVerdict& claim : result.claims) {
        if (claim.begin < copied || claim.end > answer.size() || claim.begin >= claim.end)
            continue;
        html += linkedHtml(fromUtf8(answer.substr(copied, claim.begin - copied)), numbers);
        html += claimSpan(claim, linkedHtml(fromUtf8(answer.substr(claim.begin, claim.end - claim.begin)), numbers));
        copied = claim.end;
    }
    html += linkedHtml(fromUtf8(answer.substr(copied)), numbers);
    return html;
}

QString claimsToHtml(const llmops::QueryResult& result)
{
    QString html;
    for (const llmops::ClaimVerdict& claim : result.claims) {
        const QString mark = claim.supported ? QStringLiteral("<span style=\"color:#1a7f37\">&#10004;</span>")
                                             : QStringLiteral("<span style=\"color:#b42318\">&#10008;</span>");
        html += QStringLiteral("<p>%1 <b>%2</b> %3").arg(mark).arg(claim.score, 0, 'f', 2).arg(
            claimSpan(claim, fromUtf8(claim.claim).toHtmlEscaped()));
        if (claim.supported && claim.chunkId > 0)
            html += QStringLiteral("<br><span style=\"color:#555\">%1</span>").arg(supportSource(claim).toHtmlEscaped());
        else if (!claim.supported)
            html += AnswerHtmlText::tr("<br><span style=\"color:#b42318\">No retrieved chunk supports this sentence.</span>");
        html += QStringLiteral("</p>");
    }
    return html;
}

QString flagsToHtml(const std::vector<llmops::Flag>& flags)
{
    QString html;
    for (const llmops::Flag& flag : flags) {
        html += QStringLiteral("<li><b>%1</b>: %2</li>")
                    .arg(fromUtf8(flag.kind).toHtmlEscaped(), fromUtf8(flag.detail).toHtmlEscaped());
    }
    return html.isEmpty() ? QString() : QStringLiteral("<ul>%1</ul>").arg(html);
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
