// SPDX-License-Identifier: MIT
#include "DocumentParsers.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <span>

#include "llmops/text.h"

namespace llmops::detail {
namespace {

using Lines = std::span<const std::string_view>;

// Splits source into lines from byte `start` on. Each line is a view into source without its
// line break, so a block's offsets follow from the views of its first and last lines.
std::vector<std::string_view> splitLines(std::string_view source, std::size_t start)
{
    std::vector<std::string_view> lines;
    std::size_t begin = start;
    while (begin < source.size()) {
        std::size_t end = source.find('\n', begin);
        if (end == std::string_view::npos)
            end = source.size();
        std::string_view line = source.substr(begin, end - begin);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        begin = end + 1;
    }
    return lines;
}

std::size_t indentOf(std::string_view line)
{
    std::size_t width = 0;
    for (const char c : line) {
        if (c == ' ')
            ++width;
        else if (c == '\t')
            width += 4;
        else
            break;
    }
    return width;
}

std::string lowerCase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Length of the bullet or number marker that starts a list item ("- ", "12. "), or 0.
std::size_t listMarkerLength(std::string_view line)
{
    const std::string_view text = line;
    std::size_t pos = 0;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t'))
        ++pos;
    const std::size_t markerBegin = pos;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '*' || text[pos] == '+')) {
        ++pos;
    } else {
        while (pos < text.size() && pos - markerBegin < 9 && std::isdigit(static_cast<unsigned char>(text[pos])))
            ++pos;
        if (pos == markerBegin || pos >= text.size() || (text[pos] != '.' && text[pos] != ')'))
            return 0;
        ++pos;
    }
    if (pos < text.size() && text[pos] != ' ' && text[pos] != '\t')
        return 0;
    return pos;
}

bool isListItem(std::string_view line)
{
    return listMarkerLength(line) > 0;
}

// A run of three or more '-', '*' or '_', optionally spaced ("- - -").
bool isThematicBreak(std::string_view text)
{
    if (text.empty() || (text[0] != '-' && text[0] != '*' && text[0] != '_'))
        return false;
    std::size_t count = 0;
    for (const char c : text) {
        if (c == text[0])
            ++count;
        else if (c != ' ' && c != '\t')
            return false;
    }
    return count >= 3;
}

bool isSetextUnderline(std::string_view text)
{
    if (text.empty() || (text[0] != '=' && text[0] != '-'))
        return false;
    return text.find_first_not_of(text[0]) == std::string_view::npos;
}

// Heading level of an ATX heading line ("## Setup"), or 0.
int atxLevel(std::string_view line)
{
    if (indentOf(line) > 3)
        return 0;
    const std::string_view text = trimmed(line);
    std::size_t hashes = 0;
    while (hashes < text.size() && text[hashes] == '#')
        ++hashes;
    if (hashes == 0 || hashes > 6)
        return 0;
    if (hashes < text.size() && text[hashes] != ' ' && text[hashes] != '\t')
        return 0;
    return static_cast<int>(hashes);
}

std::string_view atxText(std::string_view line, int level)
{
    std::string_view text = trimmed(trimmed(line).substr(static_cast<std::size_t>(level)));
    // An optional closing run of '#' ("## Setup ##") is not part of the text.
    const std::size_t lastKept = text.find_last_not_of('#');
    if (lastKept == std::string_view::npos)
        return {};
    if (lastKept + 1 < text.size() && (text[lastKept] == ' ' || text[lastKept] == '\t'))
        text = trimmed(text.substr(0, lastKept));
    return text;
}

// Opening code fence: three or more backticks or tildes. Any indentation is accepted because
// fences nested in list items are indented by the item's width.
bool isFenceOpen(std::string_view line, char* fenceChar = nullptr, std::size_t* fenceLength = nullptr)
{
    const std::string_view text = trimmed(line);
    if (text.size() < 3 || (text[0] != '`' && text[0] != '~'))
        return false;
    const std::size_t length = std::min(text.find_first_not_of(text[0]), text.size());
    if (length < 3)
        return false;
    // A backtick fence's info string cannot contain a backtick, or it is an inline code span.
    if (text[0] == '`' && text.find('`', length) != std::string_view::npos)
        return false;
    if (fenceChar)
        *fenceChar = text[0];
    if (fenceLength)
        *fenceLength = length;
    return true;
}

bool isAdmonitionFence(std::string_view text)
{
    return text.starts_with(":::");
}

// MDX module statements at the top level, which the site builder executes and never shows.
bool isMdxStatement(std::string_view line)
{
    if (line.starts_with("import ")) {
        // "import x from '...'", "import '...'" or the first line of "import {\n a,\n} from '...'".
        const std::string_view rest = line.substr(7);
        return rest.find(" from '") != std::string_view::npos || rest.find(" from \"") != std::string_view::npos ||
               rest.starts_with('\'') || rest.starts_with('"') || trimmed(rest) == "{";
    }
    if (!line.starts_with("export "))
        return false;
    const std::string_view rest = line.substr(7);
    for (const std::string_view keyword : {"const ", "default ", "function ", "let ", "var ", "class ", "async ", "{", "*"}) {
        if (rest.starts_with(keyword))
            return true;
    }
    return false;
}

// Lower-cased tag name when the line starts an HTML or JSX block ("<div", "</div", "<!--",
// "<CtaBox"), or an empty string. Autolinks such as <https://example.com> are not blocks.
std::string htmlBlockTag(std::string_view text)
{
    if (text.size() < 2 || text[0] != '<')
        return {};
    if (text.starts_with("<!"))
        return "!";
    std::size_t pos = text[1] == '/' ? 2 : 1;
    const std::size_t nameBegin = pos;
    if (pos >= text.size() || !std::isalpha(static_cast<unsigned char>(text[pos])))
        return {};
    while (pos < text.size() && (std::isalnum(static_cast<unsigned char>(text[pos])) || text[pos] == '-' ||
                                 text[pos] == '.'))
        ++pos;
    if (pos < text.size() && text[pos] != ' ' && text[pos] != '\t' && text[pos] != '>' && text[pos] != '/')
        return {};
    return lowerCase(text.substr(nameBegin, pos - nameBegin));
}

bool isTableDelimiterRow(std::string_view line)
{
    const std::string_view text = trimmed(line);
    if (text.find('-') == std::string_view::npos || text.find_first_of("|:") == std::string_view::npos)
        return false;
    return text.find_first_not_of("|-: \t") == std::string_view::npos;
}

// Splits a table row at '|' outside code spans and escapes, dropping the outer pipes.
std::vector<std::string_view> splitTableRow(std::string_view row)
{
    std::string_view text = trimmed(row);
    if (text.starts_with('|'))
        text.remove_prefix(1);
    if (text.ends_with('|') && !text.ends_with("\\|"))
        text.remove_suffix(1);

    std::vector<std::string_view> cells;
    bool inCode = false;
    std::size_t cellBegin = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '`') {
            inCode = !inCode;
        } else if (text[i] == '|' && !inCode) {
            cells.push_back(text.substr(cellBegin, i - cellBegin));
            cellBegin = i + 1;
        }
    }
    cells.push_back(text.substr(cellBegin));
    return cells;
}

// GFM reads "\|" in a table cell as a literal pipe, even inside a code span.
std::string unescapePipes(std::string_view cell)
{
    std::string out;
    for (std::size_t i = 0; i < cell.size(); ++i) {
        if (cell[i] == '\\' && i + 1 < cell.size() && cell[i + 1] == '|')
            continue;
        out.push_back(cell[i]);
    }
    return out;
}

std::string unquoteYamlScalar(std::string_view value)
{
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        std::string out;
        const std::string_view inner = value.substr(1, value.size() - 2);
        for (std::size_t i = 0; i < inner.size(); ++i) {
            if (inner[i] == '\\' && i + 1 < inner.size()) {
                ++i;
                if (inner[i] == 'n')
                    out.push_back('\n');
                else if (inner[i] == 't')
                    out.push_back('\t');
                else
                    out.push_back(inner[i]);
            } else {
                out.push_back(inner[i]);
            }
        }
        return out;
    }
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
        std::string out;
        const std::string_view inner = value.substr(1, value.size() - 2);
        for (std::size_t i = 0; i < inner.size(); ++i) {
            out.push_back(inner[i]);
            if (inner[i] == '\'' && i + 1 < inner.size() && inner[i + 1] == '\'')
                ++i;
        }
        return out;
    }
    // A comment after an unquoted value starts at " #".
    const std::size_t comment = value.find(" #");
    return std::string(trimmed(value.substr(0, comment)));
}

class MarkdownParser {
public:
    MarkdownParser(std::string_view source, const std::string& fallbackTitle)
        : m_source(source), m_fallbackTitle(fallbackTitle)
    {
    }

    ParsedDocument parse(std::size_t start)
    {
        const std::vector<std::string_view> lines = splitLines(m_source, start);
        const std::size_t bodyBegin = parseFrontMatter(lines);
        parseBlocks(Lines(lines).subspan(bodyBegin));
        if (m_document.title.empty())
            m_document.title = m_fallbackTitle;
        return std::move(m_document);
    }

private:
    // Reads "--- key: value ---" at the very top and returns the index of the first body line.
    std::size_t parseFrontMatter(Lines lines)
    {
        if (lines.empty() || trimmed(lines[0]) != "---")
            return 0;
        std::size_t close = 1;
        while (close < lines.size() && trimmed(lines[close]) != "---" && trimmed(lines[close]) != "...")
            ++close;
        if (close == lines.size())
            return 0;

        for (std::size_t i = 1; i < close; ++i) {
            const std::string_view line = lines[i];
            const std::size_t colon = line.find(':');
            if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || colon == std::string_view::npos)
                continue;
            const std::string_view key = trimmed(line.substr(0, colon));
            const std::string_view value = trimmed(line.substr(colon + 1));
            // Nested maps, lists, block scalars and anchors are not scalar values.
            if (key.empty() || value.empty() || std::string_view("|>[{&*!").find(value[0]) != std::string_view::npos)
                continue;
            m_document.metadata[std::string(key)] = unquoteYamlScalar(value);
        }
        const auto title = m_document.metadata.find("title");
        if (title != m_document.metadata.end())
            m_document.title = collapseWhitespace(title->second);
        return close + 1;
    }

    void parseBlocks(Lines lines)
    {
        std::vector<std::string_view> paragraph;
        std::size_t i = 0;
        while (i < lines.size()) {
            const std::string_view line = lines[i];
            const std::string_view text = trimmed(line);
            if (!paragraph.empty() && isSetextUnderline(text) && !isListItem(line)) {
                enterHeading(text[0] == '=' ? 1 : 2, cleanInlineMarkup(joinLines(paragraph)));
                paragraph.clear();
                ++i;
                continue;
            }
            if (!paragraph.empty() && !startsBlock(lines, i)) {
                paragraph.push_back(line);
                ++i;
                continue;
            }

            flushParagraph(paragraph);
            i = parseBlock(lines, i, paragraph);
        }
        flushParagraph(paragraph);
    }

    // True when line i starts a block other than a paragraph, so it ends the open paragraph.
    bool startsBlock(Lines lines, std::size_t i) const
    {
        const std::string_view line = lines[i];
        const std::string_view text = trimmed(line);
        return text.empty() || isFenceOpen(line) || isAdmonitionFence(text) || atxLevel(line) > 0 ||
               isThematicBreak(text) || !htmlBlockTag(text).empty() || text.starts_with('>') ||
               isListItem(line) || startsTable(lines, i);
    }

    // Parses the block that starts at line i and returns the index of the line after it.
    // A line that starts no other block opens a paragraph.
    std::size_t parseBlock(Lines lines, std::size_t i, std::vector<std::string_view>& paragraph)
    {
        const std::string_view line = lines[i];
        const std::string_view text = trimmed(line);
        if (text.empty() || isThematicBreak(text) || isAdmonitionFence(text))
            return i + 1;
        if (isMdxStatement(line))
            return skipMdxStatement(lines, i);
        if (const int level = atxLevel(line); level > 0) {
            enterHeading(level, cleanInlineMarkup(atxText(line, level)));
            return i + 1;
        }
        if (isFenceOpen(line))
            return parseFence(lines, i);
        if (const std::string tag = htmlBlockTag(text); !tag.empty())
            return parseHtmlBlock(lines, i, tag);
        if (text.starts_with('>'))
            return parseBlockquote(lines, i);
        if (isListItem(line))
            return parseList(lines, i);
        if (startsTable(lines, i))
            return parseTable(lines, i);

        paragraph.push_back(line);
        return i + 1;
    }

    void enterHeading(int level, std::string text)
    {
        if (text.empty())
            return;
        // Without a front matter title, the first level-1 heading names the document.
        if (level == 1 && m_document.title.empty()) {
            m_document.title = std::move(text);
            return;
        }
        m_headings.enter(level, std::move(text));
    }

    static std::string joinLines(const std::vector<std::string_view>& lines)
    {
        std::string joined;
        for (const std::string_view line : lines) {
            if (!joined.empty())
                joined.push_back('\n');
            joined.append(trimmed(line));
        }
        return joined;
    }

    void flushParagraph(std::vector<std::string_view>& paragraph)
    {
        if (paragraph.empty())
            return;
        emit(cleanInlineMarkup(joinLines(paragraph)), paragraph.front(), paragraph.back());
        paragraph.clear();
    }

    void emit(std::string text, std::string_view firstLine, std::string_view lastLine)
    {
        if (trimmed(text).empty())
            return;
        const auto begin = static_cast<std::size_t>(firstLine.data() - m_source.data());
        const auto end = static_cast<std::size_t>(lastLine.data() - m_source.data()) + lastLine.size();
        m_document.blocks.push_back({std::move(text), m_headings.path(), begin, end});
    }

    std::size_t skipMdxStatement(Lines lines, std::size_t i) const
    {
        // A multi-line import ends at its "from '...'" line, an export at the next blank line.
        const bool isImport = lines[i].starts_with("import ");
        std::size_t next = i;
        while (next < lines.size() && !trimmed(lines[next]).empty()) {
            const std::string_view line = lines[next++];
            const bool endsImport = line.find("from '") != std::string_view::npos ||
                                    line.find("from \"") != std::string_view::npos ||
                                    (next == i + 1 && (line.starts_with("import '") || line.starts_with("import \"")));
            if (isImport && endsImport)
                break;
        }
        return next;
    }

    std::size_t parseFence(Lines lines, std::size_t i)
    {
        char fenceChar = 0;
        std::size_t fenceLength = 0;
        (void)isFenceOpen(lines[i], &fenceChar, &fenceLength);
        const std::size_t indent = lines[i].size() - lines[i].substr(lines[i].find_first_not_of(" \t")).size();

        // Without a closing fence the code block runs to the end of the document.
        std::size_t close = i + 1;
        for (; close < lines.size(); ++close) {
            const std::string_view text = trimmed(lines[close]);
            if (text.size() >= fenceLength && text.find_first_not_of(fenceChar) == std::string_view::npos)
                break;
        }

        std::string code;
        for (std::size_t k = i + 1; k < close; ++k) {
            // Remove the fence's own indentation so code nested in a list item reads as written.
            std::string_view line = lines[k];
            const std::size_t strip = std::min({indent, line.size(), line.find_first_not_of(" \t")});
            line.remove_prefix(strip);
            code.append(line);
            code.push_back('\n');
        }
        if (close > i + 1)
            emit(std::string(trimmed(code)), lines[i + 1], lines[close - 1]);
        return std::min(close + 1, lines.size());
    }

    std::size_t parseHtmlBlock(Lines lines, std::size_t i, const std::string& tag)
    {
        std::size_t last = findHtmlBlockEnd(lines, i, tag);
        const std::string_view first = lines[i];
        const std::string_view lastLine = lines[last];
        const std::string_view span(first.data(), static_cast<std::size_t>(lastLine.data() - first.data()) + lastLine.size());

        // The markup is dropped, but the visible text (table cells, list items) is prose.
        std::string text;
        for (const HtmlSegment& segment : extractHtmlContent(span).segments) {
            const std::string cleaned = cleanInlineMarkup(segment.text, InlineSource::HtmlText);
            if (cleaned.empty())
                continue;
            if (!text.empty())
                text.push_back('\n');
            text.append(cleaned);
        }
        emit(std::move(text), first, lastLine);
        return last + 1;
    }

    // Index of the last line of an HTML block. Comments run to "-->". Script, style, head, pre
    // and textarea run to their closing tag, even across blank lines (JSON-LD in <head>).
    // Every other block ends before the next blank line.
    std::size_t findHtmlBlockEnd(Lines lines, std::size_t i, const std::string& tag)
    {
        std::string terminator;
        if (tag == "!" && lines[i].find("<!--") != std::string_view::npos)
            terminator = "-->";
        else if (tag == "script" || tag == "style" || tag == "head" || tag == "pre" || tag == "textarea")
            terminator = "</" + tag;

        if (!terminator.empty()) {
            const std::size_t close = findLineContaining(lines, i, terminator);
            if (close < lines.size())
                return close;
            // NOTE: an unclosed element ends at the next blank line instead of swallowing the
            // rest of the document, which CommonMark would do.
        }
        std::size_t last = i;
        while (last + 1 < lines.size() && !trimmed(lines[last + 1]).empty())
            ++last;
        return last;
    }

    // Index of the first line from `from` on whose lower-cased text contains needle, or
    // lines.size(). Results are kept per needle, so a document with many unclosed <script>
    // lines is scanned once rather than once per line.
    std::size_t findLineContaining(Lines lines, std::size_t from, const std::string& needle)
    {
        auto cached = m_lineSearches.find(needle);
        if (cached != m_lineSearches.end() && cached->second.lines == lines.data() && cached->second.from <= from &&
            cached->second.found >= from)
            return cached->second.found;

        std::size_t found = from;
        while (found < lines.size() && lowerCase(lines[found]).find(needle) == std::string::npos)
            ++found;
        m_lineSearches[needle] = {lines.data(), from, found};
        return found;
    }

    std::size_t parseBlockquote(Lines lines, std::size_t i)
    {
        // Every level of '>' is removed at once, so nested quotes never nest the parser.
        std::vector<std::string_view> inner;
        std::size_t next = i;
        for (; next < lines.size() && trimmed(lines[next]).starts_with('>'); ++next) {
            std::string_view line = lines[next];
            while (true) {
                line.remove_prefix(std::min(line.size(), line.find_first_not_of(" \t")));
                if (!line.starts_with('>'))
                    break;
                line.remove_prefix(1);
            }
            inner.push_back(line);
        }
        parseBlocks(inner);
        return next;
    }

    std::size_t parseList(Lines lines, std::size_t i)
    {
        std::vector<std::string> items;
        std::string_view lastLine = lines[i];
        std::size_t next = i;
        while (next < lines.size()) {
            const std::string_view line = lines[next];
            const std::string_view text = trimmed(line);
            if (text.empty()) {
                // A blank line ends the list unless an item or an indented continuation follows.
                std::size_t after = next + 1;
                while (after < lines.size() && trimmed(lines[after]).empty())
                    ++after;
                const bool continues = after < lines.size() &&
                                       (isListItem(lines[after]) || (indentOf(lines[after]) >= 2 && !endsListItem(lines, after)));
                if (!continues)
                    break;
                next = after;
                continue;
            }
            if (const std::size_t marker = listMarkerLength(line); marker > 0 && !isThematicBreak(text)) {
                items.emplace_back(trimmed(line.substr(marker)));
            } else if (endsListItem(lines, next)) {
                break;
            } else {
                items.back().append("\n").append(text);
            }
            lastLine = line;
            ++next;
        }

        std::string text;
        for (const std::string& item : items) {
            std::string cleaned = cleanInlineMarkup(item);
            // Task list boxes ("[ ] ", "[x] ") are markup, not words.
            if (cleaned.starts_with("[ ] ") || cleaned.starts_with("[x] ") || cleaned.starts_with("[X] "))
                cleaned.erase(0, 4);
            if (cleaned.empty())
                continue;
            if (!text.empty())
                text.push_back('\n');
            text.append(cleaned);
        }
        emit(std::move(text), lines[i], lastLine);
        return next;
    }

    // True when line i cannot continue a list item because it starts another kind of block.
    bool endsListItem(Lines lines, std::size_t i) const
    {
        const std::string_view line = lines[i];
        const std::string_view text = trimmed(line);
        return isFenceOpen(line) || isAdmonitionFence(text) || atxLevel(line) > 0 || isThematicBreak(text) ||
               !htmlBlockTag(text).empty() || startsTable(lines, i) || text.starts_with('>');
    }

    static bool startsTable(Lines lines, std::size_t i)
    {
        return i + 1 < lines.size() && lines[i].find('|') != std::string_view::npos &&
               isTableDelimiterRow(lines[i + 1]);
    }

    std::size_t parseTable(Lines lines, std::size_t i)
    {
        std::string text;
        std::size_t next = i;
        for (; next < lines.size(); ++next) {
            const std::string_view row = trimmed(lines[next]);
            if (row.empty() || (next > i && row.find('|') == std::string_view::npos))
                break;
            if (next == i + 1)
                continue;  // the delimiter row

            std::string line;
            for (const std::string_view cell : splitTableRow(row)) {
                const std::string cleaned = cleanInlineMarkup(unescapePipes(cell));
                if (cleaned.empty())
                    continue;
                if (!line.empty())
                    line.append("  ");
                line.append(cleaned);
            }
            if (line.empty())
                continue;
            if (!text.empty())
                text.push_back('\n');
            text.append(line);
        }
        emit(std::move(text), lines[i], lines[next - 1]);
        return next;
    }

    struct LineSearch {
        const std::string_view* lines;
        std::size_t from;
        std::size_t found;
    };

    std::string_view m_source;
    const std::string& m_fallbackTitle;
    std::map<std::string, LineSearch> m_lineSearches;
    ParsedDocument m_document;
    HeadingTrail m_headings;
};

} // namespace

ParsedDocument parseMarkdown(std::string_view source, std::size_t start, const std::string& fallbackTitle)
{
    return MarkdownParser(source, fallbackTitle).parse(start);
}

} // namespace llmops::detail
