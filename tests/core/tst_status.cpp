// SPDX-License-Identifier: MIT
#include <QtTest>

#include "llmops/status.h"

using namespace llmops;

class StatusTest : public QObject {
    Q_OBJECT

private slots:
    void okStatus();
    void errorCarriesCodeAndMessage();
    void resultHoldsValueOrStatus();
};

void StatusTest::okStatus()
{
    const Status status = Status::ok();
    QVERIFY(status.isOk());
    QCOMPARE(QString::fromStdString(status.toString()), QStringLiteral("ok"));
}

void StatusTest::errorCarriesCodeAndMessage()
{
    const Status status = Status::invalidArgument("the question is empty");
    QVERIFY(!status.isOk());
    QCOMPARE(status.code(), StatusCode::InvalidArgument);
    QCOMPARE(QString::fromStdString(status.toString()), QStringLiteral("invalid_argument: the question is empty"));
}

void StatusTest::resultHoldsValueOrStatus()
{
    Result<int> value = 42;
    QVERIFY(value.isOk());
    QCOMPARE(value.value(), 42);

    Result<int> failure = Status::notFound("trace 7");
    QVERIFY(!failure.isOk());
    QCOMPARE(failure.status().code(), StatusCode::NotFound);
}

QTEST_GUILESS_MAIN(StatusTest)
#include "tst_status.moc"
