// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <atomic>

namespace llmops::ui {

// The cancel flag for one kind of job that runs on the engine thread, one job at a time.
//
// Jobs are numbered by the thread that requests them. cancelUpTo() may be called from any thread.
// It cancels every job numbered up to the one given, including one still waiting in the queue,
// so a cancel pressed before a job starts still applies. Callers pass the newest number they
// requested, which is never below the running job's.
class JobCancellation {
public:
    // Marks job `id` as started, on the engine thread. The flag is raised at once when the job
    // was cancelled while it waited in the queue.
    void begin(quint64 id)
    {
        // Clear the flag before reading the cancelled number. A concurrent cancelUpTo() then
        // either sets the flag after the clear or stores its number before the read.
        m_flag.store(false);
        if (id <= m_cancelledUpTo.load())
            m_flag.store(true);
    }

    void cancelUpTo(quint64 id)
    {
        quint64 current = m_cancelledUpTo.load();
        while (current < id && !m_cancelledUpTo.compare_exchange_weak(current, id)) {
        }
        m_flag.store(true);
    }

    bool isCancelled() const { return m_flag.load(); }

    // The flag handed to the engine, which polls it between steps.
    const std::atomic<bool>* flag() const { return &m_flag; }

private:
    std::atomic<bool> m_flag{false};
    std::atomic<quint64> m_cancelledUpTo{0};
};

} // namespace llmops::ui
