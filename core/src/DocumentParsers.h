// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llmops/ingest.h"

namespace llmops::detail {

// The per-format parsers behind parseDocument. Each reads source from byte `start` on, which
// skips a UTF-8 byte order mark, and reports block offsets into the whole of source.
ParsedDocument parseMarkdown(std::string_view source, std::size_t start, const std::string& fallbackTitle);
ParsedDocument parseHtml(std::string_view source, std::size_t start, const std::string& fallbackTitle);
ParsedDocument parsePlainText(std::string_view source, std::size_t start,
                              const std::string& fallbackTitle);

// A run of visible HTML text: a heading (level 1 to 6) or a block (level 0), with the byte span
// of its text nodes in the parsed buffer.
struct HtmlSegment {
    std::string text;
    int headingLevel = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
};

struct HtmlContent {
    std::string title;  // text of <title>, empty when there is none
    std::vector<HtmlSegment> segments;
};

// Extracts the visible text of an HTML document or fragment with gumbo. The head (except
// <title>), script, style, noscript, nav, template, svg and comments contribute nothing.
HtmlContent extractHtmlContent(std::string_view html);

// Origin of inline text. Text that gumbo extracted from HTML has its tags removed and
// its entities decoded already, so a "<" in it is a literal character.
enum class InlineSource { Markdown, HtmlText };

// Reduces one Markdown/MDX paragraph to plain prose: link and code markup, emphasis, inline
// HTML tags and {JSX} expressions are removed, images are dropped and the common HTML entities
// are decoded. Code spans are kept verbatim. White space runs become one space.
std::string cleanInlineMarkup(std::string_view text, InlineSource source = InlineSource::Markdown);

// The headings above the current position: entering a heading of level L closes every open
// heading of level L or deeper.
class HeadingTrail {
public:
    void enter(int level, std::string text)
    {
        while (!m_entries.empty() && m_entries.back().first >= level)
            m_entries.pop_back();
        m_entries.emplace_back(level, std::move(text));
    }

    std::vector<std::string> path() const
    {
        std::vector<std::string> names;
        for (const auto& entry : m_entries)
            names.push_back(entry.second);
        return names;
    }

private:
    std::vector<std::pair<int, std::string>> m_entries;
};

// Collapses every run of white space to one space and trims both ends.
std::string collapseWhitespace(std::string_view text);

} // namespace llmops::detail
