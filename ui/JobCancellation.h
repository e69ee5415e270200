// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <atomic>

namespace llmops::ui {

// The cancel flag for one kind of job that runs on the engine thread, one job at a time.
//
// Jobs are numbered by the thread that requests them. cancelUpTo() may be called from any thread
// and cancels the running job and every queued job with a number up to the one given, so a
// cancel pressed while a job still waits in the queue is not lost when that job starts.
class JobCancellation {
public:
    // Called on the engine thread when job `id` starts; raises the flag when it was cancelled
    // before it started.
    void begin(quint64 id)
    {
        // Clear first and read the cancelled number second: a concurrent cancelUpTo() then
        // either sees its flag survive or is seen here.
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
