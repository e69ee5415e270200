// SPDX-License-Identifier: MIT
#include "StreamParsers.h"

#include <algorithm>

namespace llmops {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool isAsciiDigits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isBlank(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    });
}

} // namespace

std::vector<SseEvent> SseParser::feed(std::string_view piece)
{
    std::vector<SseEvent> events;
    size_t pos = 0;
    if (m_skipLineFeed && !piece.empty()) {
        m_skipLineFeed = false;
        if (piece.front() == '\n')
            pos = 1;
    }

    while (pos < piece.size()) {
        const size_t end = piece.find_first_of("\r\n", pos);
        if (end == std::string_view::npos) {
            m_line.append(piece.substr(pos));
            break;
        }
        m_line.append(piece.substr(pos, end - pos));
        processLine(events);

        // A CR may be the first half of CRLF. When it is the last byte of the piece, the next
        // piece decides.
        pos = end + 1;
        if (piece[end] == '\r') {
            if (pos == piece.size())
                m_skipLineFeed = true;
            else if (piece[pos] == '\n')
                ++pos;
        }
    }
    return events;
}

bool SseParser::finish()
{
    const bool clean = m_line.empty() && !m_hasPendingFields;
    m_line.clear();
    m_eventType.clear();
    m_data.clear();
    m_hasData = false;
    m_hasPendingFields = false;
    m_skipLineFeed = false;
    return clean;
}

void SseParser::processLine(std::vector<SseEvent>& events)
{
    std::string_view line = m_line;

    // The byte order mark can only be seen once the first line is complete, because it may
    // itself be split across pieces.
    if (m_atStreamStart) {
        m_atStreamStart = false;
        if (line.substr(0, kByteOrderMark.size()) == kByteOrderMark)
            line.remove_prefix(kByteOrderMark.size());
    }

    if (line.empty()) {
        dispatch(events);
    } else if (line.front() != ':') {
        const size_t colon = line.find(':');
        std::string_view value;
        if (colon != std::string_view::npos) {
            value = line.substr(colon + 1);
            if (!value.empty() && value.front() == ' ')
                value.remove_prefix(1);
        }
        processField(line.substr(0, colon), value);
    }
    m_line.clear();
}

void SseParser::processField(std::string_view field, std::string_view value)
{
    if (field == "event") {
        m_eventType.assign(value);
    } else if (field == "data") {
        m_data.append(value);
        m_data.push_back('\n');
        m_hasData = true;
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos)
            m_lastEventId.assign(value);
    } else if (field == "retry") {
        if (isAsciiDigits(value) && value.size() < 18)
            m_retryMs = std::stoll(std::string(value));
        return;
    } else {
        return;  // unknown fields are ignored
    }
    m_hasPendingFields = true;
}

void SseParser::dispatch(std::vector<SseEvent>& events)
{
    // An event without data is dropped, but its event type must not leak into the next one.
    if (m_hasData) {
        SseEvent event;
        if (!m_eventType.empty())
            event.type = m_eventType;
        event.data = std::move(m_data);
        event.data.pop_back();  // the "\n" after the last data line
        event.id = m_lastEventId;
        events.push_back(std::move(event));
    }
    m_eventType.clear();
    m_data.clear();
    m_hasData = false;
    m_hasPendingFields = false;
}

std::vector<std::string> NdjsonParser::feed(std::string_view piece)
{
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos < piece.size()) {
        const size_t end = piece.find('\n', pos);
        if (end == std::string_view::npos) {
            m_line.append(piece.substr(pos));
            break;
        }
        m_line.append(piece.substr(pos, end - pos));
        if (!m_line.empty() && m_line.back() == '\r')
            m_line.pop_back();
        if (!isBlank(m_line))
            lines.push_back(std::move(m_line));
        m_line.clear();
        pos = end + 1;
    }
    return lines;
}

bool NdjsonParser::finish()
{
    if (isBlank(m_line)) {
        m_line.clear();
        return true;
    }
    return false;
}

} // namespace llmops
