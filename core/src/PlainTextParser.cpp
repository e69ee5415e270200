// SPDX-License-Identifier: MIT
#include "DocumentParsers.h"

#include "llmops/text.h"

namespace llmops::detail {
namespace {

// A first line shorter than this and followed by a blank line is taken as the title.
constexpr std::size_t kMaxTitleLength = 80;

std::size_t lineEnd(std::string_view source, std::size_t begin)
{
    const std::size_t end = source.find('\n', begin);
    return end == std::string_view::npos ? source.size() : end;
}

} // namespace

ParsedDocument parsePlainText(std::string_view source, std::size_t start, const std::string& fallbackTitle)
{
    ParsedDocument document;
    std::size_t pos = start;

    // Title: a short first line set apart by a blank line.
    const std::size_t firstEnd = lineEnd(source, pos);
    const std::string_view firstLine = trimmed(source.substr(pos, firstEnd - pos));
    const std::size_t secondEnd = firstEnd < source.size() ? lineEnd(source, firstEnd + 1) : firstEnd;
    const bool blankFollows =
        firstEnd < source.size() && trimmed(source.substr(firstEnd + 1, secondEnd - firstEnd - 1)).empty();
    if (!firstLine.empty() && firstLine.size() < kMaxTitleLength && blankFollows) {
        document.title = collapseWhitespace(firstLine);
        pos = firstEnd + 1;
    }

    // Paragraphs: runs of non-blank lines, their line breaks folded into spaces.
    std::size_t paragraphBegin = std::string_view::npos;
    std::size_t paragraphEnd = 0;
    auto flush = [&] {
        if (paragraphBegin == std::string_view::npos)
            return;
        const std::string_view raw = source.substr(paragraphBegin, paragraphEnd - paragraphBegin);
        document.blocks.push_back({collapseWhitespace(raw), {}, paragraphBegin, paragraphEnd});
        paragraphBegin = std::string_view::npos;
    };
    while (pos < source.size()) {
        const std::size_t end = lineEnd(source, pos);
        const std::string_view line = source.substr(pos, end - pos);
        if (trimmed(line).empty()) {
            flush();
        } else {
            if (paragraphBegin == std::string_view::npos)
                paragraphBegin = pos + line.find_first_not_of(" \t\r\f\v");
            paragraphEnd = pos + line.find_last_not_of(" \t\r\f\v") + 1;
        }
        pos = end + 1;
    }
    flush();

    if (document.title.empty())
        document.title = fallbackTitle;
    return document;
}

} // namespace llmops::detail
