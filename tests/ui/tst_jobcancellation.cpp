// SPDX-License-Identifier: MIT
#include "JobCancellation.h"

#include <QTest>

#include <thread>

using llmops::ui::JobCancellation;

class TestJobCancellation : public QObject {
    Q_OBJECT

private slots:
    void startsClear();
    void cancelDuringJob();
    void cancelBeforeJobStarts();
    void newerJobIsNotCancelled();
    void cancelFromOtherThread();
};

void TestJobCancellation::startsClear()
{
    JobCancellation cancellation;
    cancellation.begin(1);
    QVERIFY(!cancellation.isCancelled());
    QVERIFY(!cancellation.flag()->load());
}

void TestJobCancellation::cancelDuringJob()
{
    JobCancellation cancellation;
    cancellation.begin(1);
    cancellation.cancelUpTo(1);
    QVERIFY(cancellation.isCancelled());
}

void TestJobCancellation::cancelBeforeJobStarts()
{
    JobCancellation cancellation;
    cancellation.begin(1);
    // Jobs 2 and 3 are queued while 1 runs, and the cancel covers all of them.
    cancellation.cancelUpTo(3);
    cancellation.begin(2);
    QVERIFY(cancellation.isCancelled());
    cancellation.begin(3);
    QVERIFY(cancellation.isCancelled());
}

void TestJobCancellation::newerJobIsNotCancelled()
{
    JobCancellation cancellation;
    cancellation.begin(1);
    cancellation.cancelUpTo(1);
    cancellation.begin(2);
    QVERIFY(!cancellation.isCancelled());
}

void TestJobCancellation::cancelFromOtherThread()
{
    JobCancellation cancellation;
    cancellation.begin(5);
    std::thread other([&cancellation] { cancellation.cancelUpTo(5); });
    other.join();
    QVERIFY(cancellation.isCancelled());
}

QTEST_GUILESS_MAIN(TestJobCancellation)
#include "tst_jobcancellation.moc"
