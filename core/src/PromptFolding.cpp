// SPDX-License-Identifier: MIT
// The text the injection scanner reads: a compact NFKC-like folding written for prompts, not a
// Unicode normaliser. It covers the forms used to hide instructions from word matching
// (fullwidth letters, ligatures, mathematical and enclosed letters, invisible and bidi controls,
// tag characters, combining marks, Cyrillic and Greek look-alikes) and nothing else.
#include "GuardScanners.h"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

namespace llmops::guard {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

struct CodePoint {
    char32_t value = kInvalid;
    std::size_t length = 1;
};

// Decodes the UTF-8 sequence at text[i]. An invalid or truncated sequence yields kInvalid with
// length 1, so a caller steps over bad bytes one at a time.
CodePoint decodeAt(std::string_view text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80)
        return {lead, 1};

    std::size_t length = 0;
    char32_t value = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        value = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        value = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        value = lead & 0x07;
    } else {
        return {};
    }
    if (i + length > text.size())
        return {};
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(k) & 0xC0) != 0x80)
            return {};
        value = (value << 6) | (byte(k) & 0x3F);
    }
    const bool overlong = (length == 3 && value < 0x800) || (length == 4 && value < 0x10000);
    if (overlong || (value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF)
        return {};
    return {value, length};
}

void appendUtf8(std::string* out, char32_t value)
{
    if (value < 0x80) {
        out->push_back(static_cast<char>(value));
    } else if (value < 0x800) {
        out->push_back(static_cast<char>(0xC0 | (value >> 6)));
        out->push_back(static_cast<char>(0x80 | (value & 0x3F)));
    } else if (value < 0x10000) {
        out->push_back(static_cast<char>(0xE0 | (value >> 12)));
        out->push_back(static_cast<char>(0x80 | ((value >> 6) & 0x3F)));
        out->push_back(static_cast<char>(0x80 | (value & 0x3F)));
    } else {
        out->push_back(static_cast<char>(0xF0 | (value >> 18)));
        out->push_back(static_cast<char>(0x80 | ((value >> 12) & 0x3F)));
        out->push_back(static_cast<char>(0x80 | ((value >> 6) & 0x3F)));
        out->push_back(static_cast<char>(0x80 | (value & 0x3F)));
    }
}

// Format characters that render as nothing: soft hyphen, combining grapheme joiner, Arabic
// letter mark, Mongolian vowel separator, zero-width space and joiners, directional marks,
// bidirectional embeddings, overrides and isolates, invisible operators, variation selectors
// and the byte order mark.
bool isInvisible(char32_t c)
{
    return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x180E || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || (c >= 0xFE00 && c <= 0xFE0F) ||
           c == 0xFEFF || c == 0xE0001 || c == 0xE007F || (c >= 0xE0100 && c <= 0xE01EF);
}

enum class Space { None, Blank, LineBreak };

Space spaceKind(char32_t c)
{
    if (c == '\n' || c == 0x0085 || c == 0x2028 || c == 0x2029)
        return Space::LineBreak;
    // Other C0 controls are read as blanks, so binary bytes separate words instead of joining them.
    const bool blank = c <= 0x20 || c == 0x7F || c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
                       c == 0x202F || c == 0x205F || c == 0x3000 || c == kInvalid;
    return blank ? Space::Blank : Space::None;
}

// Cyrillic and Greek letters drawn like a Latin letter, and that letter.
constexpr std::array<std::pair<char32_t, char>, 50> kLookAlikes = {{
    {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0396, 'Z'}, {0x0397, 'H'}, {0x0399, 'I'}, {0x039A, 'K'},
    {0x039C, 'M'}, {0x039D, 'N'}, {0x039F, 'O'}, {0x03A1, 'P'}, {0x03A4, 'T'}, {0x03A5, 'Y'}, {0x03A7, 'X'},
    {0x03B1, 'a'}, {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03BD, 'v'}, {0x03BF, 'o'}, {0x03C1, 'p'}, {0x03C5, 'u'},
    {0x0405, 'S'}, {0x0406, 'I'}, {0x0408, 'J'}, {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'}, {0x041A, 'K'},
    {0x041C, 'M'}, {0x041D, 'H'}, {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'}, {0x0422, 'T'}, {0x0423, 'Y'},
    {0x0425, 'X'}, {0x0430, 'a'}, {0x0435, 'e'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0443, 'y'},
    {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x04BB, 'h'}, {0x0501, 'd'}, {0x051B, 'q'},
    {0x051D, 'w'},
}};

char lookAlikeLatin(char32_t c)
{
    if (c < 0x0391 || c > 0x051D)
        return 0;
    for (const auto& [from, to] : kLookAlikes) {
        if (from == c)
            return to;
    }
    return 0;
}

// Returns the ASCII text a compatibility character stands for, or an empty view. Covers
// fullwidth ASCII, the Latin ligatures, mathematical alphanumeric letters and digits, circled,
// parenthesised and squared letters, regional indicators and the tag characters that mirror
// ASCII (invisible when rendered but read by a model).
std::string_view compatibilityAscii(char32_t c, char* buffer)
{
    static constexpr std::array<std::string_view, 7> kLigatures = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
    const auto letter = [&](char base, char32_t offset) {
        buffer[0] = static_cast<char>(base + static_cast<char>(offset));
        return std::string_view(buffer, 1);
    };
    if (c >= 0xFF01 && c <= 0xFF5E)
        return letter('!', c - 0xFF01);
    if (c >= 0xE0020 && c <= 0xE007E)
        return letter(' ', c - 0xE0020);
    if (c >= 0xFB00 && c <= 0xFB06)
        return kLigatures[c - 0xFB00];
    if (c >= 0x1D400 && c <= 0x1D6A3) {
        const char32_t index = (c - 0x1D400) % 52;
        return index < 26 ? letter('A', index) : letter('a', index - 26);
    }
    if (c >= 0x1D7CE && c <= 0x1D7FF)
        return letter('0', (c - 0x1D7CE) % 10);
    if (c >= 0x24B6 && c <= 0x24CF)
        return letter('A', c - 0x24B6);
    if (c >= 0x24D0 && c <= 0x24E9)
        return letter('a', c - 0x24D0);
    if (c >= 0x249C && c <= 0x24B5)
        return letter('a', c - 0x249C);
    for (const char32_t block : {0x1F130, 0x1F150, 0x1F170, 0x1F1E6}) {
        if (c >= block && c < block + 26)
            return letter('A', c - block);
    }
    return {};
}

bool isCombiningMark(char32_t c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
           (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

// Composes a base letter with a combining diaeresis into the German umlaut NFKC produces, so
// that a decomposed "u" + U+0308 still matches cue words such as "übergehe".
char32_t composeUmlaut(char32_t base)
{
    switch (base) {
    case 'a': return 0x00E4;
    case 'o': return 0x00F6;
    case 'u': return 0x00FC;
    case 'A': return 0x00C4;
    case 'O': return 0x00D6;
    case 'U': return 0x00DC;
    default: return 0;
    }
}

bool isAsciiPunctuation(char32_t c)
{
    return c < 0x80 && !isAsciiAlnum(static_cast<char>(c)) && c > 0x20 && c != 0x7F;
}

bool isCyrillicOrGreek(char32_t c)
{
    return (c >= 0x0370 && c <= 0x03FF) || (c >= 0x0400 && c <= 0x052F);
}

// Whether the word starting at text[i] mixes Latin letters with look-alikes. Only such words
// fold their look-alikes, so Russian and Greek words written in their own script stay intact.
// Returns the word's end as well, so the caller scans each word twice at most.
std::pair<bool, std::size_t> mixedScriptWord(std::string_view text, std::size_t i)
{
    bool latin = false;
    bool lookAlike = false;
    char buffer[1];
    while (i < text.size()) {
        const CodePoint point = decodeAt(text, i);
        if (spaceKind(point.value) != Space::None || isAsciiPunctuation(point.value))
            break;
        const std::string_view ascii = compatibilityAscii(point.value, buffer);
        latin = latin || (point.value < 0x80) || (!ascii.empty() && isAsciiLetter(ascii.front()));
        lookAlike = lookAlike || (isCyrillicOrGreek(point.value) && lookAlikeLatin(point.value) != 0);
        i += point.length;
    }
    return {latin && lookAlike, i};
}

class Folder {
public:
    explicit Folder(std::size_t size)
    {
        m_folded.text.reserve(size);
        m_folded.sourceBegin.reserve(size);
        m_folded.sourceEnd.reserve(size);
    }

    // Appends text that stands for the source bytes [begin, end).
    void append(std::string_view text, std::size_t begin, std::size_t end)
    {
        flushSpace();
        m_folded.text.append(text);
        m_folded.sourceBegin.insert(m_folded.sourceBegin.end(), text.size(), begin);
        m_folded.sourceEnd.insert(m_folded.sourceEnd.end(), text.size(), end);
    }

    void appendCodePoint(char32_t value, std::size_t begin, std::size_t end)
    {
        std::string encoded;
        appendUtf8(&encoded, value);
        append(encoded, begin, end);
    }

    // Records white space. A run collapses to one space, or one line break when it has one,
    // because the sentence splitter ends a sentence at a line break.
    void space(Space kind, std::size_t begin, std::size_t end)
    {
        if (m_pendingSpace == Space::None)
            m_spaceBegin = begin;
        m_spaceEnd = end;
        if (kind == Space::LineBreak || m_pendingSpace == Space::None)
            m_pendingSpace = kind;
    }

    // Replaces the ASCII letter appended last by its composition with a combining mark.
    void composeLast(char32_t (*compose)(char32_t), std::size_t end)
    {
        if (m_pendingSpace != Space::None || m_folded.text.empty())
            return;
        const char32_t composed = compose(static_cast<unsigned char>(m_folded.text.back()));
        if (composed == 0)
            return;
        const std::size_t begin = m_folded.sourceBegin.back();
        m_folded.text.pop_back();
        m_folded.sourceBegin.pop_back();
        m_folded.sourceEnd.pop_back();
        appendCodePoint(composed, begin, end);
    }

    FoldedText finish() { return std::move(m_folded); }

private:
    // Writes the pending white space run, except at the start of the text.
    void flushSpace()
    {
        if (m_pendingSpace != Space::None && !m_folded.text.empty()) {
            m_folded.text.push_back(m_pendingSpace == Space::LineBreak ? '\n' : ' ');
            m_folded.sourceBegin.push_back(m_spaceBegin);
            m_folded.sourceEnd.push_back(m_spaceEnd);
        }
        m_pendingSpace = Space::None;
    }

    FoldedText m_folded;
    Space m_pendingSpace = Space::None;
    std::size_t m_spaceBegin = 0;
    std::size_t m_spaceEnd = 0;
};

} // namespace

FoldedText foldForScanning(std::string_view text)
{
    Folder folder(text.size());
    bool foldLookAlikes = false;
    std::size_t wordEnd = 0;
    char buffer[1];

    for (std::size_t i = 0; i < text.size();) {
        const CodePoint point = decodeAt(text, i);
        const std::size_t begin = i;
        i += point.length;

        if (begin >= wordEnd) {
            std::tie(foldLookAlikes, wordEnd) = mixedScriptWord(text, begin);
            wordEnd = std::max(wordEnd, i);
        }
        if (isInvisible(point.value))
            continue;
        if (const Space kind = spaceKind(point.value); kind != Space::None) {
            folder.space(kind, begin, i);
            continue;
        }
        if (isCombiningMark(point.value)) {
            // A diaeresis may form an umlaut. Other marks are dropped, which also undoes
            // stacked-diacritic obfuscation.
            if (point.value == 0x0308)
                folder.composeLast(composeUmlaut, i);
            continue;
        }
        if (const std::string_view ascii = compatibilityAscii(point.value, buffer); !ascii.empty()) {
            folder.append(ascii, begin, i);
            continue;
        }
        if (const char latin = lookAlikeLatin(point.value); latin != 0 && foldLookAlikes) {
            folder.append(std::string_view(&latin, 1), begin, i);
            continue;
        }
        folder.appendCodePoint(point.value, begin, i);
    }
    return folder.finish();
}

} // namespace llmops::guard
