// SPDX-License-Identifier: MIT
#include "llmops/ingest.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "DocumentParsers.h"
#include "llmops/text.h"

namespace llmops {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string lowerCase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// "512 bytes", "3.4 KiB" or "7.2 MiB".
std::string formatSize(std::size_t bytes)
{
    char buffer[32];
    if (bytes < 1024)
        std::snprintf(buffer, sizeof buffer, "%zu bytes", bytes);
    else if (bytes < 1024 * 1024)
        std::snprintf(buffer, sizeof buffer, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
    else
        std::snprintf(buffer, sizeof buffer, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buffer;
}


} // namespace

Status checkDocumentSize(std::size_t size, const std::string& path, std::size_t maxBytes)
{
    if (size <= maxBytes)
        return Status::ok();

    std::string actual = formatSize(size);
    std::string limit = "the " + formatSize(maxBytes) + " limit";
    // Rounded to one decimal, a size just over the limit would read as equal to it.
    if (formatSize(size) == formatSize(maxBytes)) {
        actual = std::to_string(size) + " bytes";
        limit = "the limit of " + std::to_string(maxBytes) + " bytes";
    }
    return Status::invalidArgument(path + ": " + actual + " is over " + limit +
                                   " for one file; split the file or raise max_file_bytes (llmops settings show, then settings load)");
}

std::optional<DocumentFormat> formatForPath(std::string_view path)
{
    const std::size_t slash = path.find_last_of("/\\");
    const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0)
        return std::nullopt;

    const std::string extension = lowerCase(name.substr(dot + 1));
    if (extension == "md" || extension == "markdown" || extension == "mdx")
        return DocumentFormat::Markdown;
    if (extension == "html" || extension == "htm")
        return DocumentFormat::Html;
    if (extension == "txt" || extension == "text")
        return DocumentFormat::Text;
    return std::nullopt;
}

Status checkDocumentBytes(std::string_view bytes, const std::string& path, std::size_t maxBytes)
{
    // A UTF-8 byte order mark is accepted here and skipped by parseDocument.
    const std::string_view body = bytes.starts_with(kUtf8Bom) ? bytes.substr(kUtf8Bom.size()) : bytes;
    if (trimmed(body).empty())
        return Status::invalidArgument(path + ": the file is empty; add text or remove it from the folder");

    // UTF-16 text is full of NUL bytes; name the encoding instead of calling it binary.
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
        return Status::invalidArgument(path + ": the file is UTF-16 text (it starts with a UTF-16 byte order mark); "
                                              "re-save it as UTF-8");

    if (looksBinary(bytes)) {
        const std::size_t offset = bytes.find('\0');
        return Status::invalidArgument(path + ": looks like a binary file (NUL byte at offset " +
                                       std::to_string(offset) +
                                       "); only Markdown, HTML and plain text are indexed");
    }

    if (Status size = checkDocumentSize(bytes.size(), path, maxBytes); !size.isOk())
        return size;

    const std::size_t invalid = findInvalidUtf8(bytes);
    if (invalid != std::string_view::npos) {
        const auto line = std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(invalid), '\n') + 1;
        return Status::invalidArgument(path + ": invalid UTF-8 at byte " + std::to_string(invalid) + " (line " +
                                       std::to_string(line) + "); re-save the file as UTF-8");
    }
    return Status::ok();
}

Result<ParsedDocument> parseDocument(std::string_view bytes, DocumentFormat format, const std::string& fallbackTitle)
{
    // Offsets stay relative to bytes, so a skipped byte order mark still counts.
    const std::size_t start = bytes.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
    switch (format) {
    case DocumentFormat::Markdown:
        return detail::parseMarkdown(bytes, start, fallbackTitle);
    case DocumentFormat::Html:
        return detail::parseHtml(bytes, start, fallbackTitle);
    case DocumentFormat::Text:
        return detail::parsePlainText(bytes, start, fallbackTitle);
    }
    return Status::invalidArgument("unknown document format " + std::to_string(static_cast<int>(format)) +
                                   " for \"" + fallbackTitle + "\"; use Markdown, HTML or plain text");
}

} // namespace llmops
