// SPDX-License-Identifier: MIT
#include "AnswerHtml.h"

#include <QTest>
#include <QTextCursor>
#include <QTextDocument>

using llmops::ui::answerToHtml;
using llmops::ui::citationsToHtml;
using llmops::ui::claimsToHtml;

namespace {

llmops::Citation makeCitation(int number, const std::string& title, const std::string& headingPath)
{
    llmops::Citation citation;
    citation.number = number;
    citation.documentPath = "/docs/doc" + std::to_string(number) + ".md";
    citation.documentTitle = title;
    citation.headingPath = headingPath;
    citation.snippet = "Snippet <" + std::to_string(number) + ">";
    return citation;
}

} // namespace

class TestAnswerHtml : public QObject {
    Q_OBJECT

private slots:
    void markersBecomeLinks_data();
    void markersBecomeLinks();
    void answerIsEscaped();
    void citationListNamesDocuments();
    void untitledCitationUsesFileName();
    void unsupportedClaimHighlighted();
    void claimListNamesBestChunk();
};

void TestAnswerHtml::markersBecomeLinks_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QString>("expected");

    QTest::newRow("one marker") << QStringLiteral("Refunds take 5 days [1].")
                                << QStringLiteral("Refunds take 5 days <a href=\"#citation-1\">[1]</a>.");
    QTest::newRow("adjacent markers")
        << QStringLiteral("Yes [1][2]")
        << QStringLiteral("Yes <a href=\"#citation-1\">[1]</a><a href=\"#citation-2\">[2]</a>");
    QTest::newRow("unknown number stays text") << QStringLiteral("See [7].") << QStringLiteral("See [7].");
    QTest::newRow("not a number") << QStringLiteral("Press [Save].") << QStringLiteral("Press [Save].");
    QTest::newRow("line break") << QStringLiteral("One.\nTwo [2]")
                                << QStringLiteral("One.<br>Two <a href=\"#citation-2\">[2]</a>");
}

void TestAnswerHtml::markersBecomeLinks()
{
    QFETCH(QString, answer);
    QFETCH(QString, expected);

    llmops::QueryResult result;
    result.answer = answer.toStdString();
    result.citations = {makeCitation(1, "Refunds", ""), makeCitation(2, "Billing", "")};
    QCOMPARE(answerToHtml(result), expected);
}

void TestAnswerHtml::answerIsEscaped()
{
    llmops::QueryResult result;
    result.answer = "Use <b>bold</b> & \"quotes\" [1]";
    result.citations = {makeCitation(1, "Refunds", "")};

    const QString html = answerToHtml(result);
    QVERIFY2(!html.contains(QStringLiteral("<b>")), qPrintable(html));
    QVERIFY(html.contains(QStringLiteral("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;")));
    QVERIFY(html.contains(QStringLiteral("<a href=\"#citation-1\">[1]</a>")));
}

void TestAnswerHtml::citationListNamesDocuments()
{
    llmops::QueryResult result;
    result.citations = {makeCitation(1, "Refund policy", "Refund policy > Requesting a refund"),
                        makeCitation(3, "Billing & invoices", "Payments > Cards")};

    const QString html = citationsToHtml(result);
    QVERIFY(html.contains(QStringLiteral("<a name=\"citation-1\"></a><b>[1] Refund policy</b>")));
    QVERIFY(html.contains(QStringLiteral("<a name=\"citation-3\"></a><b>[3] Billing &amp; invoices</b>")));
    // The title is not repeated at the start of the heading path.
    QVERIFY(html.contains(QStringLiteral(">Requesting a refund</span>")));
    QVERIFY(html.contains(QStringLiteral(">Payments &gt; Cards</span>")));
    QVERIFY(html.contains(QStringLiteral("Snippet &lt;1&gt;")));
}

void TestAnswerHtml::untitledCitationUsesFileName()
{
    llmops::QueryResult result;
    result.citations = {makeCitation(2, "", "")};
    QVERIFY(citationsToHtml(result).contains(QStringLiteral("<b>[2] doc2.md</b>")));
}

void TestAnswerHtml::unsupportedClaimHighlighted()
{
    llmops::QueryResult result;
    result.answer = "Refunds take 5 days [1]. Über alles <b>free</b>.";
    result.citations.push_back({1, 11, "/docs/refunds.md", "Refunds", "Refunds", "snippet"});
    const std::size_t second = result.answer.find("Über");
    result.claims.push_back({"Refunds take 5 days.", true, 0.9, 1, 0, second - 1, 11, "/docs/refunds.md", "Refunds > Timing"});
    result.claims.push_back({"Über alles free.", false, 0.1, 0, second, result.answer.size(), 0, "", ""});

    const QString html = answerToHtml(result);

    const QString unsupported = QStringLiteral("background-color:%1\">").arg(QLatin1String(llmops::ui::kUnsupportedColor));
    QVERIFY2(html.contains(unsupported + QStringLiteral("Über alles &lt;b&gt;free&lt;/b&gt;.</span>")), qPrintable(html));
    QVERIFY2(html.contains(QStringLiteral("title=\"Supported (score 0.90) by refunds.md &gt; Refunds &gt; Timing (chunk 11)\"")),
             qPrintable(html));
    QVERIFY(html.contains(QStringLiteral("<a href=\"#citation-1\">[1]</a>")));

    // Qt's HTML import turns the title into the tooltip that a text browser shows on hover.
    QTextDocument document;
    document.setHtml(html);
    QTextCursor cursor(&document);
    cursor.setPosition(int(document.toPlainText().indexOf(QStringLiteral("alles"))) + 1);
    QVERIFY2(cursor.charFormat().toolTip().startsWith(QStringLiteral("Unsupported")),
             qPrintable(cursor.charFormat().toolTip()));
}

void TestAnswerHtml::claimListNamesBestChunk()
{
    llmops::QueryResult result;
    result.answer = "A. B.";
    result.claims.push_back({"A.", true, 0.75, 1, 0, 2, 42, "/docs/a.md", "Guide > Setup"});
    result.claims.push_back({"B.", false, 0.2, 0, 3, 5, 0, "", ""});

    const QString html = claimsToHtml(result);

    QVERIFY(html.contains(QStringLiteral("a.md &gt; Guide &gt; Setup (chunk 42)")));
    QVERIFY(html.contains(QStringLiteral("No retrieved chunk supports this sentence.")));
    QVERIFY(html.contains(QStringLiteral("0.75")));
}

QTEST_MAIN(TestAnswerHtml)
#include "tst_answerhtml.moc"
