// SPDX-License-Identifier: MIT
#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace llmops::test {

// The outcome of one run of the llmops executable.
struct CliRun {
    int exitCode = -1;  // -1 when the process crashed or did not finish within two minutes
    QByteArray out;
    QByteArray err;
};

// Runs the llmops executable built with the tests (LLMOPS_CLI_PATH, defined for every suite).
inline CliRun runCli(const QStringList& arguments,
                     const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(LLMOPS_CLI_PATH), arguments);
    process.waitForFinished(120000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

} // namespace llmops::test
