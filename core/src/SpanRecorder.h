// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "llmops/types.h"

namespace llmops {

// Records pipeline stage spans relative to the start of one query, on a monotonic clock.
class SpanRecorder {
public:
    using Clock = std::chrono::steady_clock;

    explicit SpanRecorder(std::vector<Span>* spans) : m_spans(spans), m_origin(Clock::now()) {}

    // Marks the start of the next stage.
    void begin() { m_stageStart = Clock::now(); }

    // Appends the span of the stage started by the last begin().
    Span& end(std::string name, std::string status, std::string detail)
    {
        const auto now = Clock::now();
        m_spans->push_back({std::move(name), between(m_origin, m_stageStart), between(m_stageStart, now),
                            std::move(status), std::move(detail)});
        return m_spans->back();
    }

    // Builds the span of the stage started by the last begin() without storing it.
    Span finish(std::string name, std::string status, std::string detail) const
    {
        return {std::move(name), between(m_origin, m_stageStart), between(m_stageStart, Clock::now()),
                std::move(status), std::move(detail)};
    }

    std::int64_t elapsedUs() const { return between(m_origin, Clock::now()); }

private:
    static std::int64_t between(Clock::time_point from, Clock::time_point to)
    {
        return std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
    }

    std::vector<Span>* m_spans;
    Clock::time_point m_origin;
    Clock::time_point m_stageStart;
};

} // namespace llmops
