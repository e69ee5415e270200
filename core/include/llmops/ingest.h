// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmops/status.h"

namespace llmops {

enum class DocumentFormat { Markdown, Html, Text };

// Picks the parser from the file extension: .md .markdown .mdx are Markdown, .html .htm are
// HTML, .txt .text are plain text. Returns std::nullopt for any other extension.
std::optional<DocumentFormat> formatForPath(std::string_view path);

// A run of prose from a document: a paragraph, a list, a table or a code block, with the
// headings it sits under and its byte span in the source.
struct TextBlock {
    std::string text;
    std::vector<std::string> headingPath;  // without the document title
    std::size_t begin = 0;
    std::size_t end = 0;
};

// A document reduced to the prose worth indexing.
struct ParsedDocument {
    std::string title;                              // front matter title, first heading or file name
    std::map<std::string, std::string> metadata;    // front matter keys with scalar values
    std::vector<TextBlock> blocks;
};

// Parses a document's bytes. The bytes must already be valid UTF-8 (see checkDocumentBytes).
// Markdown: YAML front matter becomes title and metadata; MDX import/export lines, HTML block
// markup, <script> and <style> elements and admonition fence lines (":::tip") are not indexed as
// text, though the prose inside an admonition and the visible text of an HTML block (table
// cells, list items) are. A leading UTF-8 byte order mark is skipped; offsets still count it. HTML: parsed with gumbo; <script>, <style>, <nav>,
// <head> and comments are dropped, headings h1 to h6 build the heading path. fallbackTitle is
// used when the document names no title.
Result<ParsedDocument> parseDocument(std::string_view bytes, DocumentFormat format,
                                     const std::string& fallbackTitle);

// Checks that bytes are indexable text: not empty, not binary, valid UTF-8, and no larger than
// maxBytes. A UTF-8 byte order mark is accepted. The message names the file and what to do.
Status checkDocumentBytes(std::string_view bytes, const std::string& path, std::size_t maxBytes);

// Checks only the size, so that a file far over the limit is rejected before it is read. The
// message names the file, its size, the limit and the setting to raise.
Status checkDocumentSize(std::size_t bytes, const std::string& path, std::size_t maxBytes);

struct ChunkingOptions {
    std::size_t maxChars = 1200;     // upper bound on a chunk's text, in bytes
    std::size_t overlapChars = 150;  // tail of the previous chunk repeated when a section is split
};

// A chunk before it is stored: text, "Title > Section" heading path, and source byte offsets.
struct ChunkDraft {
    std::string text;
    std::string headingPath;
    std::size_t startOffset = 0;
    std::size_t endOffset = 0;
};

// Groups blocks into chunks that never cross a heading boundary. A section longer than
// maxChars is split at block, then sentence, then word boundaries, and each split repeats up to
// overlapChars of the previous chunk's end. A single word longer than maxChars is cut.
std::vector<ChunkDraft> chunkDocument(const ParsedDocument& document, const ChunkingOptions& options);

} // namespace llmops
