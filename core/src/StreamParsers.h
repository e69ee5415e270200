// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace llmops {

// One dispatched server-sent event.
struct SseEvent {
    std::string type = "message";  // the last "event:" field, or "message" when there was none
    std::string data;              // the "data:" fields joined with "\n"
    std::string id;                // the last event ID seen so far in the stream, possibly ""
};

// Incremental parser for a text/event-stream body, following the event-stream interpretation
// rules of the WHATWG HTML standard (section "Server-sent events").
//
// Bytes may arrive in pieces split anywhere: inside a field, inside a multi-byte UTF-8 character
// or between the CR and LF of a line end. Lines end with CRLF, LF or CR. A blank line dispatches
// the pending event, unless it has no data. Lines starting with ':' are comments. A leading UTF-8
// byte order mark is skipped. Field values are passed on as bytes; decoding them is the caller's
// job, so a character split across pieces arrives whole. Not thread-safe.
class SseParser {
public:
    // Consumes piece and returns the events it completed, in order.
    std::vector<SseEvent> feed(std::string_view piece);

    // Ends the stream and discards any pending input, as the standard requires. Returns true when
    // the stream ended at an event boundary, and false when a partial line or an event without
    // its blank line was pending.
    bool finish();

    // The last "retry:" value in milliseconds, or -1 when the stream sent none.
    long long retryMs() const { return m_retryMs; }

private:
    void processLine(std::vector<SseEvent>& events);
    void processField(std::string_view field, std::string_view value);
    void dispatch(std::vector<SseEvent>& events);

    std::string m_line;
    bool m_skipLineFeed = false;  // the previous piece ended with CR, so a leading LF ends no line
    bool m_atStreamStart = true;  // a byte order mark is still allowed
    std::string m_eventType;
    std::string m_data;
    bool m_hasData = false;
    bool m_hasPendingFields = false;
    std::string m_lastEventId;
    long long m_retryMs = -1;
};

// Incremental parser for newline-delimited JSON (one JSON text per line, lines ending with LF or
// CRLF). Pieces may split lines anywhere. Blank lines are skipped. Lines are returned as bytes
// without checking that they are JSON. Not thread-safe.
class NdjsonParser {
public:
    // Consumes piece and returns the lines it completed, without their line ends.
    std::vector<std::string> feed(std::string_view piece);

    // Ends the stream. Returns true when nothing but whitespace follows the last line end. Returns
    // false when an unterminated line remains, which remainder() then returns.
    bool finish();
    const std::string& remainder() const { return m_line; }

private:
    std::string m_line;
};

} // namespace llmops
