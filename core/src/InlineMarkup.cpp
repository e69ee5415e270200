// SPDX-License-Identifier: MIT
#include "DocumentParsers.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace llmops::detail {
namespace {

// Closing delimiters further ahead than this are not matched. Real markup is much shorter, and
// the bound keeps the code span and tag scans linear on input such as a megabyte of '`'.
constexpr std::size_t kMaxLookahead = 4096;

// Links nested deeper than this inside link text are emitted as they are.
constexpr int kMaxLinkDepth = 4;

bool isAsciiAlnum(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool isAsciiAlpha(char c)
{
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

// Phrasing elements sit inside a word run ("<kbd>Ctrl</kbd>+C"), so removing them adds no space.
bool isInlineTag(std::string_view name)
{
    if (name.starts_with('/'))
        name.remove_prefix(1);
    std::string lower(name);
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static constexpr std::string_view inlineTags[] = {"a",    "abbr", "b",   "code",  "em",     "i",   "kbd",
                                                      "mark", "s",    "del", "small", "span",   "sub", "sup",
                                                      "u",    "ins",  "var", "samp",  "strong", "q",   "cite"};
    return std::find(std::begin(inlineTags), std::end(inlineTags), lower) != std::end(inlineTags);
}

void appendUtf8(std::string& out, std::uint32_t codePoint)
{
    if (codePoint < 0x80) {
        out.push_back(static_cast<char>(codePoint));
    } else if (codePoint < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (codePoint >> 6)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    } else if (codePoint < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (codePoint >> 12)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (codePoint >> 18)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    }
}

constexpr std::uint32_t kNoMatch = UINT32_MAX;

// For every '[', '(' and '{' in text, the position of the bracket of the same kind that closes
// it, or kNoMatch. One pass with a stack per kind keeps the cleaner linear in the text size.
std::vector<std::uint32_t> matchBrackets(std::string_view text)
{
    std::vector<std::uint32_t> matches(text.size(), kNoMatch);
    if (text.size() >= kNoMatch)
        return matches;

    std::vector<std::uint32_t> open[3];
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\') {
            ++i;
            continue;
        }
        const std::size_t kind = std::string_view("[({").find(c);
        if (kind != std::string_view::npos) {
            open[kind].push_back(static_cast<std::uint32_t>(i));
            continue;
        }
        const std::size_t closeKind = std::string_view("])}").find(c);
        if (closeKind != std::string_view::npos && !open[closeKind].empty()) {
            matches[open[closeKind].back()] = static_cast<std::uint32_t>(i);
            open[closeKind].pop_back();
        }
    }
    return matches;
}

class InlineCleaner {
public:
    InlineCleaner(std::string_view text, InlineSource source, int linkDepth)
        : m_text(text), m_source(source), m_linkDepth(linkDepth), m_matches(matchBrackets(text))
    {
    }

    std::string run()
    {
        while (m_pos < m_text.size()) {
            if (!consumeMarkup()) {
                m_out.push_back(m_text[m_pos]);
                ++m_pos;
            }
        }
        return m_out;
    }

private:
    // Handles the markup starting at m_pos and returns true, or returns false for a plain byte.
    bool consumeMarkup()
    {
        switch (m_text[m_pos]) {
        case '`':
            return consumeCodeSpan();
        case '!':
            return consumeImage();
        case '[':
            return consumeLink();
        case '<':
            return m_source == InlineSource::Markdown && consumeTag();
        case '{':
            return consumeExpression();
        case '&':
            return m_source == InlineSource::Markdown && consumeEntity();
        case '\\':
            return consumeEscape();
        case '*':
        case '_':
        case '~':
            return consumeEmphasis();
        default:
            return false;
        }
    }

    bool consumeCodeSpan()
    {
        std::size_t runLength = 0;
        while (m_pos + runLength < m_text.size() && m_text[m_pos + runLength] == '`')
            ++runLength;

        const std::string_view fence = m_text.substr(m_pos, runLength);
        const std::size_t contentBegin = m_pos + runLength;
        const std::string_view window = m_text.substr(contentBegin, kMaxLookahead);
        std::size_t close = window.find(fence);
        // A longer backtick run does not close a shorter one.
        while (close != std::string_view::npos && close + runLength < window.size() &&
               window[close + runLength] == '`')
            close = window.find(fence, close + runLength + 1);
        if (close == std::string_view::npos) {
            m_out.append(fence);
            m_pos += runLength;
            return true;
        }

        m_out.append(window.substr(0, close));
        m_pos = contentBegin + close + runLength;
        return true;
    }

    // Position of the bracket that closes the one at `at`, or npos when there is none close by.
    std::size_t closingBracket(std::size_t at) const
    {
        if (at >= m_text.size() || m_matches[at] == kNoMatch || m_matches[at] - at > kMaxLookahead)
            return std::string_view::npos;
        return m_matches[at];
    }

    // Matches "[text](target)" or "[text][label]" at `at`. Returns the end of the whole
    // construct and sets label to the text, or returns npos.
    std::size_t matchLink(std::size_t at, std::string_view& label) const
    {
        const std::size_t closeBracket = closingBracket(at);
        if (closeBracket == std::string_view::npos || closeBracket + 1 >= m_text.size())
            return std::string_view::npos;

        const char next = m_text[closeBracket + 1];
        std::size_t end = std::string_view::npos;
        if (next == '(' || next == '[')
            end = closingBracket(closeBracket + 1);
        if (end == std::string_view::npos)
            return end;

        label = m_text.substr(at + 1, closeBracket - at - 1);
        return end + 1;
    }

    bool consumeImage()
    {
        if (m_pos + 1 >= m_text.size() || m_text[m_pos + 1] != '[')
            return false;
        std::string_view alt;
        const std::size_t end = matchLink(m_pos + 1, alt);
        if (end == std::string_view::npos)
            return false;

        // The alt text describes a screenshot, which is not prose a reader can search for.
        m_pos = end;
        return true;
    }

    bool consumeLink()
    {
        std::string_view label;
        const std::size_t end = m_linkDepth < kMaxLinkDepth ? matchLink(m_pos, label) : std::string_view::npos;
        if (end == std::string_view::npos)
            return false;

        m_out.append(InlineCleaner(label, m_source, m_linkDepth + 1).run());
        m_pos = end;
        return true;
    }

    bool consumeTag()
    {
        const std::size_t nameBegin = m_pos + 1;
        if (nameBegin >= m_text.size())
            return false;
        const char first = m_text[nameBegin];
        if (m_text.substr(nameBegin, 3) == "!--") {
            // The search result is kept, so many unclosed "<!--" cost one scan, not one each.
            if (m_commentEnd != std::string_view::npos && m_commentEnd < nameBegin)
                m_commentEnd = m_text.find("-->", nameBegin);
            if (m_commentEnd == std::string_view::npos || m_commentEnd - nameBegin > kMaxLookahead)
                return false;
            m_pos = m_commentEnd + 3;
            return true;
        }
        if (!isAsciiAlpha(first) && first != '/')
            return false;

        // An autolink such as <https://example.com> keeps its address as text.
        std::size_t nameEnd = nameBegin;
        while (nameEnd < m_text.size() && (isAsciiAlnum(m_text[nameEnd]) || m_text[nameEnd] == '/'))
            ++nameEnd;
        const std::size_t close = findTagEnd(nameEnd);
        if (close == std::string_view::npos)
            return false;
        if (nameEnd < m_text.size() && m_text[nameEnd] == ':') {
            m_out.append(m_text.substr(nameBegin, close - nameBegin));
        } else if (!isInlineTag(m_text.substr(nameBegin, nameEnd - nameBegin))) {
            m_out.push_back(' ');
        }
        m_pos = close + 1;
        return true;
    }

    // Position of the '>' that ends a tag, skipping quoted attribute values and {JSX} values.
    std::size_t findTagEnd(std::size_t from) const
    {
        char quote = 0;
        int braces = 0;
        const std::size_t limit = std::min(m_text.size(), from + kMaxLookahead);
        for (std::size_t i = from; i < limit; ++i) {
            const char c = m_text[i];
            if (quote != 0) {
                if (c == quote)
                    quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                ++braces;
            } else if (c == '}' && braces > 0) {
                --braces;
            } else if (c == '>' && braces == 0) {
                return i;
            } else if (c == '<') {
                return std::string_view::npos;
            }
        }
        return std::string_view::npos;
    }

    // MDX evaluates {expressions} such as {useBaseUrl('/img/a.png')} or heading ids {#setup}.
    bool consumeExpression()
    {
        const std::size_t close = closingBracket(m_pos);
        if (close == std::string_view::npos)
            return false;
        m_pos = close + 1;
        return true;
    }

    bool consumeEntity()
    {
        static constexpr std::pair<std::string_view, std::string_view> named[] = {
            {"&amp;", "&"}, {"&nbsp;", " "}, {"&lt;", "<"},   {"&gt;", ">"},
            {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"},
        };
        const std::string_view rest = m_text.substr(m_pos, 10);
        for (const auto& [entity, replacement] : named) {
            if (rest.starts_with(entity)) {
                m_out.append(replacement);
                m_pos += entity.size();
                return true;
            }
        }
        return consumeNumericEntity(rest);
    }

    bool consumeNumericEntity(std::string_view rest)
    {
        if (!rest.starts_with("&#"))
            return false;
        const bool hex = rest.size() > 2 && (rest[2] == 'x' || rest[2] == 'X');
        std::size_t i = hex ? 3 : 2;
        std::uint32_t codePoint = 0;
        const std::size_t digitsBegin = i;
        for (; i < rest.size() && std::isxdigit(static_cast<unsigned char>(rest[i])); ++i) {
            if (!hex && !std::isdigit(static_cast<unsigned char>(rest[i])))
                return false;
            const int digit = std::isdigit(static_cast<unsigned char>(rest[i]))
                                  ? rest[i] - '0'
                                  : std::tolower(static_cast<unsigned char>(rest[i])) - 'a' + 10;
            codePoint = codePoint * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
        }
        const bool terminated = i < rest.size() && rest[i] == ';' && i > digitsBegin;
        const bool valid = codePoint > 0 && codePoint <= 0x10FFFF && (codePoint < 0xD800 || codePoint > 0xDFFF);
        if (!terminated || !valid)
            return false;

        appendUtf8(m_out, codePoint);
        m_pos += i + 1;
        return true;
    }

    bool consumeEscape()
    {
        if (m_pos + 1 >= m_text.size() || !std::ispunct(static_cast<unsigned char>(m_text[m_pos + 1])))
            return false;
        m_out.push_back(m_text[m_pos + 1]);
        m_pos += 2;
        return true;
    }

    bool consumeEmphasis()
    {
        const char marker = m_text[m_pos];
        std::size_t runLength = 0;
        while (m_pos + runLength < m_text.size() && m_text[m_pos + runLength] == marker)
            ++runLength;

        // Underscores inside a word (snake_case) and a single tilde are text, not markup.
        const bool alnumBefore = m_pos > 0 && isAsciiAlnum(m_text[m_pos - 1]);
        const bool alnumAfter = m_pos + runLength < m_text.size() && isAsciiAlnum(m_text[m_pos + runLength]);
        const bool literal = (marker == '_' && alnumBefore && alnumAfter) || (marker == '~' && runLength < 2);
        if (literal)
            m_out.append(m_text.substr(m_pos, runLength));
        m_pos += runLength;
        return true;
    }

    std::string_view m_text;
    InlineSource m_source;
    int m_linkDepth = 0;
    std::vector<std::uint32_t> m_matches;
    std::size_t m_commentEnd = 0;  // last "-->" found (npos: none left); 0 before the first search
    std::size_t m_pos = 0;
    std::string m_out;
};

} // namespace

std::string collapseWhitespace(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    bool pendingSpace = false;
    for (const char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (space) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace)
            out.push_back(' ');
        pendingSpace = false;
        out.push_back(c);
    }
    return out;
}

std::string cleanInlineMarkup(std::string_view text, InlineSource source)
{
    return collapseWhitespace(InlineCleaner(text, source, 0).run());
}

} // namespace llmops::detail
