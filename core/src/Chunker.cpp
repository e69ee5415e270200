// SPDX-License-Identifier: MIT
#include "llmops/ingest.h"

#include <algorithm>

#include "llmops/text.h"

namespace llmops {
namespace {

// Smallest chunk bound honoured. Below it a four-byte UTF-8 character plus an overlap might not
// fit, and a cut could make no progress, so smaller maxChars values are raised to this.
constexpr std::size_t kMinChunkBytes = 16;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string joinHeadingPath(const std::string& title, const std::vector<std::string>& path)
{
    // Pages often repeat their front matter title as the first heading; name it once.
    const bool repeatsTitle = !path.empty() && path.front() == title;
    std::string joined = title;
    for (std::size_t i = repeatsTitle ? 1 : 0; i < path.size(); ++i) {
        const std::string& heading = path[i];
        if (!joined.empty())
            joined += " > ";
        joined += heading;
    }
    return joined;
}

// The tail of text that starts at a sentence, or failing that a word, within the last `budget`
// bytes. Empty when no such boundary exists.
std::string_view overlapTail(std::string_view text, std::size_t budget)
{
    if (budget == 0 || text.empty())
        return {};
    if (text.size() <= budget)
        return text;

    const std::size_t from = text.size() - budget;
    for (const SentenceSpan& sentence : splitSentences(text)) {
        if (sentence.begin >= from)
            return text.substr(sentence.begin);
    }
    for (std::size_t i = from; i < text.size(); ++i) {
        if (isSpace(text[i - 1]) && !isSpace(text[i]))
            return text.substr(i);
    }
    return {};
}

// Length of the longest prefix of text (longer than room) that fits in room bytes and ends at a
// sentence end, else at a word end, else at a UTF-8 character boundary.
std::size_t cutPoint(std::string_view text, std::size_t room)
{
    // The last span of the window is cut off by the window itself, so it is no sentence end.
    const std::vector<SentenceSpan> sentences = splitSentences(text.substr(0, room + 1));
    if (sentences.size() >= 2) {
        const std::size_t end = sentences[sentences.size() - 2].end;
        // A sentence cut that leaves most of the room unused loses to a word cut.
        if (end <= room && end >= room / 3)
            return end;
    }

    for (std::size_t p = room; p > 0; --p) {
        if (isSpace(text[p]) && !isSpace(text[p - 1]))
            return p;
    }

    std::size_t p = room;
    while (p > 0 && (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80)
        --p;
    return p;
}

// Builds the chunks of one section, that is of consecutive blocks under the same headings.
class SectionChunker {
public:
    SectionChunker(std::size_t maxChars, std::size_t overlapChars, std::string headingPath,
                   std::vector<ChunkDraft>& chunks)
        : m_maxChars(maxChars), m_overlapChars(overlapChars), m_headingPath(std::move(headingPath)), m_chunks(chunks)
    {
    }

    void add(const TextBlock& block)
    {
        std::string_view rest = trimmed(block.text);
        bool continuation = false;
        while (!rest.empty()) {
            // The rest of a cut block continues its sentence, and a new block starts a paragraph.
            std::string_view separator = continuation ? " " : "\n\n";
            if (m_text.empty())
                separator = "";
            if (m_text.size() + separator.size() + rest.size() <= m_maxChars) {
                append(separator, rest, block);
                return;
            }
            if (hasNewText()) {
                startNextChunk();
                continue;
            }

            // Only the overlap is in the chunk and the block still does not fit: cut it.
            const std::size_t room = m_maxChars - m_text.size() - separator.size();
            const std::size_t cut = cutPoint(rest, room);
            append(separator, trimmed(rest.substr(0, cut)), block);
            rest = trimmed(rest.substr(cut));
            continuation = true;
            startNextChunk();
        }
    }

    void finish()
    {
        if (hasNewText())
            m_chunks.push_back({m_text, m_headingPath, m_begin, m_end});
        m_text.clear();
        m_overlapSize = 0;
        m_pieces.clear();
    }

private:
    struct Piece {
        std::size_t textOffset;  // where the piece starts in m_text
        std::size_t sourceBegin; // begin of the block it came from
    };

    bool hasNewText() const { return m_text.size() > m_overlapSize; }

    void append(std::string_view separator, std::string_view piece, const TextBlock& block)
    {
        if (m_text.empty())
            m_begin = block.begin;
        m_text.append(separator);
        m_pieces.push_back({m_text.size(), block.begin});
        m_text.append(piece);
        m_end = block.end;
    }

    // Emits the chunk and starts the next one with the overlap taken from its end.
    void startNextChunk()
    {
        const std::string tail(overlapTail(m_text, std::min(m_overlapChars, m_maxChars / 2)));
        const std::size_t tailOffset = m_text.size() - tail.size();
        std::size_t tailBegin = m_begin;
        for (const Piece& piece : m_pieces) {
            if (piece.textOffset <= tailOffset)
                tailBegin = piece.sourceBegin;
        }

        finish();
        if (tail.empty())
            return;
        m_text = tail;
        m_overlapSize = tail.size();
        m_begin = tailBegin;
        m_pieces.push_back({0, tailBegin});
    }

    std::size_t m_maxChars;
    std::size_t m_overlapChars;
    std::string m_headingPath;
    std::vector<ChunkDraft>& m_chunks;

    std::string m_text;
    std::size_t m_overlapSize = 0;  // bytes at the start of m_text repeated from the previous chunk
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    std::vector<Piece> m_pieces;
};

} // namespace

std::vector<ChunkDraft> chunkDocument(const ParsedDocument& document, const ChunkingOptions& options)
{
    const std::size_t maxChars = std::max(options.maxChars, kMinChunkBytes);
    std::vector<ChunkDraft> chunks;

    const std::vector<std::string>* sectionPath = nullptr;
    std::optional<SectionChunker> section;
    for (const TextBlock& block : document.blocks) {
        if (!sectionPath || block.headingPath != *sectionPath) {
            if (section)
                section->finish();
            section.emplace(maxChars, options.overlapChars, joinHeadingPath(document.title, block.headingPath), chunks);
            sectionPath = &block.headingPath;
        }
        section->add(block);
    }
    if (section)
        section->finish();
    return chunks;
}

} // namespace llmops
