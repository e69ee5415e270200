// SPDX-License-Identifier: MIT
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include "TestPaths.h"
#include "llmops/ingest.h"
#include "llmops/text.h"

using namespace llmops;

namespace {

std::string toStd(const QByteArray& bytes)
{
    return bytes.toStdString();
}

ParsedDocument parse(const QByteArray& source, DocumentFormat format)
{
    Result<ParsedDocument> parsed = parseDocument(toStd(source), format, "fallback title");
    if (!parsed.isOk())
        qFatal("parseDocument failed: %s", parsed.status().toString().c_str());
    return std::move(parsed).value();
}

// The text with each run of white space folded into one space, as parsers normalise it.
std::string collapseForCompare(std::string_view text)
{
    std::string out;
    for (const char c : trimmed(text)) {
        const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        if (space && !out.empty() && out.back() == ' ')
            continue;
        out.push_back(space ? ' ' : c);
    }
    return out;
}

std::string allText(const ParsedDocument& document)
{
    std::string joined;
    for (const TextBlock& block : document.blocks)
        joined += block.text + "\n\n";
    return joined;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

// The source with the contents of fenced code blocks blanked, for checks that code examples
// (which legitimately contain HTML and import statements) would otherwise trip.
QByteArray withoutFencedCode(const QByteArray& source)
{
    QByteArrayList lines = source.split('\n');
    bool inFence = false;
    for (QByteArray& line : lines) {
        const QByteArray text = line.trimmed();
        if (text.startsWith("```") || text.startsWith("~~~")) {
            inFence = !inFence;
            line.clear();
        } else if (inFence) {
            line.clear();
        }
    }
    return lines.join('\n');
}

} // namespace

class TestIngest : public QObject {
    Q_OBJECT

private slots:
    void formatForPath_data();
    void formatForPath();
    void checkBytes_data();
    void checkBytes();
    void checkBytesExactMessages();
    void markdownDropsMarkup_data();
    void markdownDropsMarkup();
    void inlineMarkup_data();
    void inlineMarkup();
    void frontMatter();
    void frontMatterTitleKeepsHeadingOne();
    void headingPath();
    void setextHeadings();
    void codeFenceKeptWithoutHeadings();
    void markdownOffsets();
    void byteOrderMarkSkipped();
    void htmlDocument();
    void htmlTitleFallbacks_data();
    void htmlTitleFallbacks();
    void plainText_data();
    void plainText();
    void plausibleFolder();
};

void TestIngest::formatForPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("format");  // -1 for no format

    QTest::newRow("md") << "docs/a.md" << int(DocumentFormat::Markdown);
    QTest::newRow("upper MD") << "docs/A.MD" << int(DocumentFormat::Markdown);
    QTest::newRow("markdown") << "x.Markdown" << int(DocumentFormat::Markdown);
    QTest::newRow("mdx") << "x.mdx" << int(DocumentFormat::Markdown);
    QTest::newRow("html") << "site/page.html" << int(DocumentFormat::Html);
    QTest::newRow("upper HTM") << "PAGE.HTM" << int(DocumentFormat::Html);
    QTest::newRow("txt") << "notes.txt" << int(DocumentFormat::Text);
    QTest::newRow("text") << "notes.TEXT" << int(DocumentFormat::Text);
    QTest::newRow("png") << "shot.png" << -1;
    QTest::newRow("no extension") << "Makefile" << -1;
    QTest::newRow("dot in folder only") << "v1.md/README" << -1;
}

void TestIngest::formatForPath()
{
    QFETCH(QString, path);
    QFETCH(int, format);

    const std::optional<DocumentFormat> detected = llmops::formatForPath(path.toStdString());
    QCOMPARE(detected.has_value(), format >= 0);
    if (detected)
        QCOMPARE(int(*detected), format);
}

void TestIngest::checkBytes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qulonglong>("maxBytes");
    QTest::addColumn<QString>("expected");  // empty when the bytes are accepted

    const qulonglong fiveMiB = 5ull * 1024 * 1024;
    QTest::newRow("plain text") << QByteArray("hello\n") << fiveMiB << QString();
    QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBFhello") << fiveMiB << QString();
    QTest::newRow("empty") << QByteArray() << fiveMiB << "the file is empty";
    QTest::newRow("white space only") << QByteArray(" \n\t\n") << fiveMiB << "the file is empty";
    QTest::newRow("byte order mark only") << QByteArray("\xEF\xBB\xBF") << fiveMiB << "the file is empty";
    QTest::newRow("binary") << QByteArray("ab\0cd", 5) << fiveMiB << "looks like a binary file (NUL byte at offset 2)";
    QTest::newRow("invalid utf-8") << QByteArray("one\ntwo\nx\xC3\x28") << fiveMiB << "invalid UTF-8 at byte 9 (line 3)";
    QTest::newRow("overlong utf-8") << QByteArray("\xC0\xAF") << fiveMiB << "invalid UTF-8 at byte 0 (line 1)";
    QTest::newRow("too large") << QByteArray(int(7.2 * 1024 * 1024), 'a') << fiveMiB
                               << "7.2 MiB is over the 5.0 MiB limit for one file";
    QTest::newRow("just over") << QByteArray(int(fiveMiB) + 1, 'a') << fiveMiB
                               << "5242881 bytes is over the limit of 5242880 bytes";
    QTest::newRow("small limit") << QByteArray(2000, 'a') << qulonglong(1024) << "2.0 KiB is over the 1.0 KiB limit";
}

void TestIngest::checkBytes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qulonglong, maxBytes);
    QFETCH(QString, expected);

    const Status status = checkDocumentBytes(toStd(bytes), "docs/a.md", maxBytes);
    QCOMPARE(status.isOk(), expected.isEmpty());
    if (expected.isEmpty())
        return;
    QCOMPARE(status.code(), StatusCode::InvalidArgument);
    const QString message = QString::fromStdString(status.message());
    QVERIFY2(message.startsWith(QStringLiteral("docs/a.md: ")), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
}

void TestIngest::checkBytesExactMessages()
{
    QCOMPARE(checkDocumentBytes("", "a.md", 10).message(),
             std::string("a.md: the file is empty; add text or remove it from the folder"));
    QCOMPARE(checkDocumentBytes(std::string("x\0", 2), "b.bin.md", 10).message(),
             std::string("b.bin.md: looks like a binary file (NUL byte at offset 1); only Markdown, HTML and plain "
                         "text are indexed"));
    QCOMPARE(checkDocumentBytes("ok\n\xFF", "c.txt", 10).message(),
             std::string("c.txt: invalid UTF-8 at byte 3 (line 2); re-save the file as UTF-8"));
    QCOMPARE(checkDocumentBytes(std::string(2048, 'a'), "d.txt", 1024).message(),
             std::string("d.txt: 2.0 KiB is over the 1.0 KiB limit for one file; split the file or raise "
                         "max_file_bytes (llmops settings show, then settings load)"));
}

void TestIngest::markdownDropsMarkup_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArrayList>("kept");
    QTest::addColumn<QByteArrayList>("dropped");

    QTest::newRow("mdx imports")
        << QByteArray("import useBaseUrl from '@docusaurus/useBaseUrl';\nimport {\n  Required,\n} from './api';\n"
                      "export const meta = {\n  a: 1,\n};\n\nProse follows.\n")
        << QByteArrayList{"Prose follows."} << QByteArrayList{"import", "useBaseUrl", "Required", "export", "meta"};
    QTest::newRow("html block")
        << QByteArray("Before.\n\n<div class=\"browser\"><img alt=\"Screenshot\" src={useBaseUrl('img/a.png')} /></div>\n\n"
                      "After the image.\n")
        << QByteArrayList{"Before.", "After the image."} << QByteArrayList{"<div", "useBaseUrl", "Screenshot", "img/a.png"};
    QTest::newRow("json-ld head")
        << QByteArray("<head>\n  <script type=\"application/ld+json\">{`\n    {\n      \"@context\": \"https://schema.org\",\n\n"
                      "      \"name\": \"Why is nothing recorded?\"\n    }\n  `}</script>\n</head>\n\nVisible prose.\n")
        << QByteArrayList{"Visible prose."} << QByteArrayList{"@context", "schema.org", "ld+json", "Why is nothing", "head"};
    QTest::newRow("script and comment")
        << QByteArray("<script>\nvar a = 1;\n\nvar b = 2;\n</script>\n\n<!-- hidden\n\nnote -->\n\nShown.\n")
        << QByteArrayList{"Shown."} << QByteArrayList{"var a", "var b", "hidden", "note"};
    QTest::newRow("jsx component")
        << QByteArray("<CtaBox\n  headline=\"Start a trial\"\n  link=\"https://example.com\"\n/>\n\nText.\n")
        << QByteArrayList{"Text."} << QByteArrayList{"CtaBox", "Start a trial", "example.com"};
    QTest::newRow("admonition")
        << QByteArray(":::tip Want to know more?\nThe prose inside is indexed.\n:::\n\n:::note\nNoted.\n:::\n")
        << QByteArrayList{"The prose inside is indexed.", "Noted."} << QByteArrayList{":::", "Want to know more", "tip"};
    QTest::newRow("html table text kept")
        << QByteArray("<table>\n  <tr><td><b>Cell one</b></td><td>Cell [two](x.md)</td></tr>\n</table>\n")
        << QByteArrayList{"Cell one", "Cell two"} << QByteArrayList{"<td", "<b>", "x.md"};
    QTest::newRow("escaped html in code element")
        << QByteArray("<p>Use <code>&lt;script defer&gt;</code> here.</p>\n")
        << QByteArrayList{"<script defer>"} << QByteArrayList{"&lt;", "<p>"};
    QTest::newRow("list")
        << QByteArray("Steps:\n\n- one\n- two **bold**\n  continued\n\n1. three\n* [x] done\n")
        << QByteArrayList{"one\ntwo bold continued\nthree\ndone"} << QByteArrayList{"- ", "**", "1.", "[x]"};
    QTest::newRow("table")
        << QByteArray("| Name | Value |\n|:-----|------:|\n| a `x\\|y` | **b** |\n")
        << QByteArrayList{"Name  Value\na x|y  b"} << QByteArrayList{"|---", "**", "\\|"};
    QTest::newRow("blockquote")
        << QByteArray("> Quoted **text**\n> > nested line\n")
        << QByteArrayList{"Quoted text nested line"} << QByteArrayList{">"};
    QTest::newRow("thematic break")
        << QByteArray("Above.\n\n---\n\nBelow.\n\n<hr / >\n") << QByteArrayList{"Above.", "Below."}
        << QByteArrayList{"---", "<hr"};
}

void TestIngest::markdownDropsMarkup()
{
    QFETCH(QByteArray, source);
    QFETCH(QByteArrayList, kept);
    QFETCH(QByteArrayList, dropped);

    const std::string text = allText(parse(source, DocumentFormat::Markdown));
    for (const QByteArray& expected : kept)
        QVERIFY2(text.find(toStd(expected)) != std::string::npos, text.c_str());
    for (const QByteArray& unexpected : dropped)
        QVERIFY2(text.find(toStd(unexpected)) == std::string::npos, (toStd(unexpected) + " in: " + text).c_str());
}

void TestIngest::inlineMarkup_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("link") << QByteArray("Read [the guide](https://x.io/g \"t\").") << QByteArray("Read the guide.");
    QTest::newRow("reference link") << QByteArray("See [docs][1] now.") << QByteArray("See docs now.");
    QTest::newRow("link with code") << QByteArray("Call [`init()`](api.md).") << QByteArray("Call init().");
    QTest::newRow("image") << QByteArray("A ![Alt text](/a.png) B") << QByteArray("A B");
    QTest::newRow("code span") << QByteArray("Run `npm i **x**` now") << QByteArray("Run npm i **x** now");
    QTest::newRow("double backtick code") << QByteArray("Use ``a ` b`` here") << QByteArray("Use a ` b here");
    QTest::newRow("emphasis") << QByteArray("**bold** *em* __strong__ _it_ ~~gone~~") << QByteArray("bold em strong it gone");
    QTest::newRow("snake case kept") << QByteArray("set max_file_bytes") << QByteArray("set max_file_bytes");
    QTest::newRow("inline html") << QByteArray("Press <kbd>Ctrl</kbd>+<kbd>C</kbd>.") << QByteArray("Press Ctrl+C.");
    QTest::newRow("block tag") << QByteArray("one<br>two") << QByteArray("one two");
    QTest::newRow("jsx expression") << QByteArray("Logo {useBaseUrl('/img/x.png')} here") << QByteArray("Logo here");
    QTest::newRow("heading id") << QByteArray("Setup {#setup}") << QByteArray("Setup");
    QTest::newRow("entities") << QByteArray("a &amp; b &lt;c&gt; &quot;q&quot; it&#39;s x&nbsp;y &#x263A;")
                              << QByteArray("a & b <c> \"q\" it's x y \xE2\x98\xBA");
    QTest::newRow("escape") << QByteArray("1\\. not a list \\*star\\*") << QByteArray("1. not a list *star*");
    QTest::newRow("autolink") << QByteArray("Visit <https://plausible.io>.") << QByteArray("Visit https://plausible.io.");
    QTest::newRow("unmatched brackets") << QByteArray("a [b ( c ` d { e") << QByteArray("a [b ( c ` d { e");
}

void TestIngest::inlineMarkup()
{
    QFETCH(QByteArray, source);
    QFETCH(QByteArray, expected);

    const ParsedDocument document = parse(source, DocumentFormat::Markdown);
    QCOMPARE(document.blocks.size(), std::size_t(1));
    QCOMPARE(QByteArray::fromStdString(document.blocks[0].text), expected);
}

void TestIngest::frontMatter()
{
    const QByteArray source = "---\ntitle: \"Change your \\\"domain\\\"\"\ndescription: 'It''s easy'\nsidebar_position: 3 # order\n"
                              "tags:\n  - a\n  - b\nempty:\n---\n\nBody text.\n";
    const ParsedDocument document = parse(source, DocumentFormat::Markdown);

    QCOMPARE(document.title, std::string("Change your \"domain\""));
    QCOMPARE(document.metadata.at("description"), std::string("It's easy"));
    QCOMPARE(document.metadata.at("sidebar_position"), std::string("3"));
    QVERIFY(!document.metadata.contains("tags"));
    QVERIFY(!document.metadata.contains("empty"));
    QCOMPARE(document.blocks.size(), std::size_t(1));
    QCOMPARE(document.blocks[0].text, std::string("Body text."));
}

void TestIngest::frontMatterTitleKeepsHeadingOne()
{
    const ParsedDocument document = parse("---\ntitle: Guide\n---\n# Install\n\nStep.\n", DocumentFormat::Markdown);

    QCOMPARE(document.title, std::string("Guide"));
    QCOMPARE(document.blocks.size(), std::size_t(1));
    QCOMPARE(document.blocks[0].headingPath, std::vector<std::string>{"Install"});
}

void TestIngest::headingPath()
{
    const QByteArray source = "# Title\n\nIntro.\n\n## Setup ##\n\nIn setup.\n\n### Linux\n\nOn Linux.\n\n#### Deep\n\n"
                              "Deeper.\n\n## Billing\n\nIn billing.\n\n#NoHeading\n";
    const ParsedDocument document = parse(source, DocumentFormat::Markdown);

    QCOMPARE(document.title, std::string("Title"));
    QCOMPARE(document.blocks.size(), std::size_t(6));
    QCOMPARE(document.blocks[0].headingPath, std::vector<std::string>{});
    QCOMPARE(document.blocks[1].headingPath, std::vector<std::string>{"Setup"});
    QCOMPARE(document.blocks[2].headingPath, (std::vector<std::string>{"Setup", "Linux"}));
    QCOMPARE(document.blocks[3].headingPath, (std::vector<std::string>{"Setup", "Linux", "Deep"}));
    QCOMPARE(document.blocks[4].headingPath, std::vector<std::string>{"Billing"});
    QCOMPARE(document.blocks[5].text, std::string("#NoHeading"));
}

void TestIngest::setextHeadings()
{
    const ParsedDocument document =
        parse("User guide\n==========\n\nIntro.\n\nSetup\n-----\n\nSteps here.\n", DocumentFormat::Markdown);

    QCOMPARE(document.title, std::string("User guide"));
    QCOMPARE(document.blocks.size(), std::size_t(2));
    QCOMPARE(document.blocks[0].text, std::string("Intro."));
    QCOMPARE(document.blocks[1].headingPath, std::vector<std::string>{"Setup"});
    QCOMPARE(document.blocks[1].text, std::string("Steps here."));
}

void TestIngest::codeFenceKeptWithoutHeadings()
{
    const QByteArray source = "## Install\n\n```bash\n# install the tool\nnpm i tool\n```\n\n~~~\n## not a heading\n~~~\n\n"
                              "1. Step\n\n   ```js\n   plausible('Signup')\n   ```\n\nAfter.\n";
    const ParsedDocument document = parse(source, DocumentFormat::Markdown);

    QCOMPARE(document.blocks.size(), std::size_t(5));
    QCOMPARE(document.blocks[0].text, std::string("# install the tool\nnpm i tool"));
    QCOMPARE(document.blocks[1].text, std::string("## not a heading"));
    QCOMPARE(document.blocks[3].text, std::string("plausible('Signup')"));
    for (const TextBlock& block : document.blocks)
        QCOMPARE(block.headingPath, std::vector<std::string>{"Install"});
}

void TestIngest::markdownOffsets()
{
    const std::string source = "---\ntitle: T\n---\n\nFirst paragraph words.\n\n## Section\n\n- item alpha\n- item beta\n\n"
                               "```\ncode gamma\n```\n\n| h |\n|---|\n| delta |\n\n> quoted epsilon\n";
    const ParsedDocument document = parse(QByteArray::fromStdString(source), DocumentFormat::Markdown);
    const std::vector<std::string> words = {"First", "alpha", "gamma", "delta", "epsilon"};

    QCOMPARE(document.blocks.size(), words.size());
    for (std::size_t i = 0; i < words.size(); ++i) {
        const TextBlock& block = document.blocks[i];
        QVERIFY(block.begin < block.end);
        QVERIFY(block.end <= source.size());
        const std::string span = source.substr(block.begin, block.end - block.begin);
        QVERIFY2(span.find(words[i]) != std::string::npos, span.c_str());
    }
    QCOMPARE(source.substr(document.blocks[1].begin, document.blocks[1].end - document.blocks[1].begin),
             std::string("- item alpha\n- item beta"));
}

void TestIngest::byteOrderMarkSkipped()
{
    const std::string markdown = "\xEF\xBB\xBF# Title\n\nBody words.\n";
    const ParsedDocument fromMarkdown = parse(QByteArray::fromStdString(markdown), DocumentFormat::Markdown);
    QCOMPARE(fromMarkdown.title, std::string("Title"));
    QCOMPARE(fromMarkdown.blocks.size(), std::size_t(1));
    QCOMPARE(markdown.substr(fromMarkdown.blocks[0].begin, 5), std::string("Body "));

    const std::string text = "\xEF\xBB\xBFTitle line\n\nBody words.\n";
    const ParsedDocument fromText = parse(QByteArray::fromStdString(text), DocumentFormat::Text);
    QCOMPARE(fromText.title, std::string("Title line"));
    QCOMPARE(text.substr(fromText.blocks[0].begin, 5), std::string("Body "));

    const std::string html = "\xEF\xBB\xBF<p>Body words.</p>";
    const ParsedDocument fromHtml = parse(QByteArray::fromStdString(html), DocumentFormat::Html);
    QCOMPARE(fromHtml.blocks.size(), std::size_t(1));
    QCOMPARE(html.substr(fromHtml.blocks[0].begin, 5), std::string("Body "));
}

void TestIngest::htmlDocument()
{
    const std::string source =
        "<!DOCTYPE html><html><head><title>Billing help</title><meta charset=\"utf-8\">"
        "<style>p { color: red }</style><script>var tracking = 1;</script></head><body>"
        "<nav><a href=\"/\">Home navigation</a></nav><!-- build 42 -->"
        "<h1>Billing</h1><p>Invoices are   sent\n monthly.</p>"
        "<h2>Refunds</h2><ul><li>Ask <b>support</b> first.</li><li>Wait a week.</li></ul>"
        "<noscript>Enable scripts</noscript><svg><text>chart label</text></svg>"
        "<h3>Card refunds</h3><div>Loose div text.<p>Nested paragraph.</p></div>"
        "<h2>Taxes</h2><table><tr><td>VAT</td><td>20%</td></tr></table><pre>line one\n  line two</pre>"
        "<dl><dt>Term</dt><dd>Definition</dd></dl><blockquote>Quoted advice.</blockquote>"
        "</body></html>";
    const ParsedDocument document = parse(QByteArray::fromStdString(source), DocumentFormat::Html);

    QCOMPARE(document.title, std::string("Billing help"));
    const std::string text = allText(document);
    for (const char* dropped : {"tracking", "color", "Home navigation", "build 42", "Enable scripts", "chart label"})
        QVERIFY2(text.find(dropped) == std::string::npos, dropped);

    struct Expected {
        std::string text;
        std::vector<std::string> path;
    };
    const std::vector<Expected> expected = {
        {"Invoices are sent monthly.", {"Billing"}},
        {"Ask support first.", {"Billing", "Refunds"}},
        {"Wait a week.", {"Billing", "Refunds"}},
        {"Loose div text.", {"Billing", "Refunds", "Card refunds"}},
        {"Nested paragraph.", {"Billing", "Refunds", "Card refunds"}},
        {"VAT", {"Billing", "Taxes"}},
        {"20%", {"Billing", "Taxes"}},
        {"line one\n  line two", {"Billing", "Taxes"}},
        {"Term", {"Billing", "Taxes"}},
        {"Definition", {"Billing", "Taxes"}},
        {"Quoted advice.", {"Billing", "Taxes"}},
    };
    QCOMPARE(document.blocks.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const TextBlock& block = document.blocks[i];
        QCOMPARE(block.text, expected[i].text);
        QCOMPARE(block.headingPath, expected[i].path);

        // The span covers the block's source text, markup included.
        const std::string span = source.substr(block.begin, block.end - block.begin);
        const std::string firstWord = block.text.substr(0, block.text.find_first_of(" \n"));
        QVERIFY2(span.find(firstWord) != std::string::npos, span.c_str());
        const std::string lastWord = block.text.substr(block.text.find_last_of(" \n") + 1);
        QVERIFY2(span.find(lastWord) != std::string::npos, span.c_str());
    }
}

void TestIngest::htmlTitleFallbacks_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("title");
    QTest::addColumn<QByteArray>("firstPath");

    QTest::newRow("title element") << QByteArray("<title> Site  help </title><h1>Top</h1><p>x</p>") << QByteArray("Site help")
                                   << QByteArray("Top");
    QTest::newRow("first h1") << QByteArray("<h1>Top <em>heading</em></h1><p>x</p>") << QByteArray("Top heading")
                              << QByteArray();
    QTest::newRow("fallback") << QByteArray("<h2>Only h2</h2><p>x</p>") << QByteArray("fallback title")
                              << QByteArray("Only h2");
}

void TestIngest::htmlTitleFallbacks()
{
    QFETCH(QByteArray, source);
    QFETCH(QByteArray, title);
    QFETCH(QByteArray, firstPath);

    const ParsedDocument document = parse(source, DocumentFormat::Html);
    QCOMPARE(QByteArray::fromStdString(document.title), title);
    QCOMPARE(document.blocks.size(), std::size_t(1));
    const std::vector<std::string>& path = document.blocks[0].headingPath;
    QCOMPARE(QByteArray::fromStdString(path.empty() ? std::string() : path.front()), firstPath);
}

void TestIngest::plainText_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("title");
    QTest::addColumn<QByteArrayList>("blocks");

    QTest::newRow("short first line") << QByteArray("Refund policy\n\nRefunds take\nfive days.\n\n\nContact us.\n")
                                      << QByteArray("Refund policy") << QByteArrayList{"Refunds take five days.", "Contact us."};
    QTest::newRow("no blank after first line") << QByteArray("Refund policy\nRefunds take five days.\n")
                                               << QByteArray("fallback title")
                                               << QByteArrayList{"Refund policy Refunds take five days."};
    QTest::newRow("long first line") << QByteArray(QByteArray(90, 'x') + "\n\nBody.\r\n") << QByteArray("fallback title")
                                     << QByteArrayList{QByteArray(90, 'x'), "Body."};
}

void TestIngest::plainText()
{
    QFETCH(QByteArray, source);
    QFETCH(QByteArray, title);
    QFETCH(QByteArrayList, blocks);

    const ParsedDocument document = parse(source, DocumentFormat::Text);
    QCOMPARE(QByteArray::fromStdString(document.title), title);
    QCOMPARE(document.blocks.size(), std::size_t(blocks.size()));
    const std::string bytes = toStd(source);
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const TextBlock& block = document.blocks[std::size_t(i)];
        QCOMPARE(QByteArray::fromStdString(block.text), blocks[i]);
        QCOMPARE(collapseForCompare(bytes.substr(block.begin, block.end - block.begin)), block.text);
    }
}

void TestIngest::plausibleFolder()
{
    REQUIRE_SHARED_DATA(dir, "support-docs/plausible");

    // Everything the Docusaurus site builder consumes itself, even inside code examples.
    const std::vector<std::string> neverIndexed = {"useBaseUrl", ":::", "ld+json", "@context"};
    // Markup that only code examples may contain.
    const std::vector<std::string> onlyInCode = {"<div ", "<img ", "<CtaBox", "<details", "{`"};
    const QRegularExpression mdxImport(QStringLiteral("(^|\\n)(import|export) .*(from ['\"]|const )"));

    int files = 0;
    int untitled = 0;
    std::size_t chunkCount = 0;
    QDirIterator it(dir, {QStringLiteral("*.md")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QByteArray bytes = readFile(path);
        const Status check = checkDocumentBytes(toStd(bytes), path.toStdString(), 5 * 1024 * 1024);
        QVERIFY2(check.isOk(), check.message().c_str());

        const ParsedDocument document = parse(bytes, DocumentFormat::Markdown);
        QVERIFY2(!document.title.empty(), qPrintable(path));
        if (document.title == "fallback title")
            ++untitled;
        const std::vector<ChunkDraft> chunks = chunkDocument(document, {});
        for (const ChunkDraft& chunk : chunks) {
            for (const std::string& marker : neverIndexed)
                QVERIFY2(chunk.text.find(marker) == std::string::npos, qPrintable(path + QStringLiteral(": ") +
                                                                                  QString::fromStdString(chunk.text)));
        }

        const ParsedDocument prose = parse(withoutFencedCode(bytes), DocumentFormat::Markdown);
        for (const ChunkDraft& chunk : chunkDocument(prose, {})) {
            const QString text = QString::fromStdString(chunk.text);
            for (const std::string& marker : onlyInCode)
                QVERIFY2(chunk.text.find(marker) == std::string::npos, qPrintable(path + QStringLiteral(": ") + text));
            QVERIFY2(!mdxImport.match(text).hasMatch(), qPrintable(path + QStringLiteral(": ") + text));
        }
        ++files;
        chunkCount += chunks.size();
    }
    qInfo("Plausible folder: %d files, %zu chunks, %d without a title", files, chunkCount, untitled);
    QVERIFY(files > 100);
    // Every page has front matter except the licence file.
    QVERIFY(untitled <= 1);
    QVERIFY(chunkCount > std::size_t(files));
}

QTEST_GUILESS_MAIN(TestIngest)
#include "tst_ingest.moc"
