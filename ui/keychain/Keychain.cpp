// SPDX-License-Identifier: MIT
#include "Keychain.h"

#include <QEventLoop>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

#include "llmops/secrets.h"

namespace llmops::keychain {
namespace {

// The result of one keychain job. It is shared with the job's slot, because a job that outlives its
// time limit finishes after the waiting function has returned.
struct Outcome {
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString text;
};

QString entryName(const std::string& entry)
{
    return QString::fromStdString(entry);
}

Status describeError(const Outcome& outcome, const std::string& entry)
{
    const std::string quoted = "\"" + entry + "\"";
    switch (outcome.error) {
    case QKeychain::NoError:
        return Status::ok();
    case QKeychain::EntryNotFound:
        return Status::notFound("the keychain has no entry " + quoted + " under the service \"llmops\"; store the key "
                                "with `llmops keychain set " + entry + "` or on the console's Models page");
    case QKeychain::NoBackendAvailable:
        return Status::notFound("no keychain is running to read " + quoted + " (QtKeychain found no Secret Service or "
                                "KWallet on the session bus); start one, or put the key in an environment variable");
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return Status::invalidArgument("the keychain refused access to " + quoted + "; unlock it and try again");
    default:
        return Status::ioError("the keychain operation on " + quoted + " failed: " + outcome.errorString.toStdString() +
                               "; check that the keychain is unlocked and try again");
    }
}

// Starts job and waits until it finishes or limit passes. The job deletes itself when done.
std::shared_ptr<Outcome> run(QKeychain::Job* job, std::chrono::milliseconds limit)
{
    auto outcome = std::make_shared<Outcome>();
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, job, [outcome, &loop, job]() {
        outcome->finished = true;
        outcome->error = job->error();
        outcome->errorString = job->errorString();
        if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(job))
            outcome->text = read->textData();
        loop.quit();
    });
    QTimer::singleShot(limit, &loop, &QEventLoop::quit);
    job->start();
    if (!outcome->finished)
        loop.exec();
    if (!outcome->finished)
        QObject::disconnect(job, &QKeychain::Job::finished, job, nullptr);  // the loop ends here, the job may finish later
    return outcome;
}

Status timedOut(const std::string& what, const std::string& entry, std::chrono::milliseconds limit)
{
    return Status::timeout("the keychain did not " + what + " \"" + entry + "\" within " +
                           std::to_string(limit.count() / 1000) + " s; it may be locked or waiting for a prompt");
}

} // namespace

Result<std::string> readSecret(const std::string& entry, std::chrono::milliseconds limit)
{
    auto* job = new QKeychain::ReadPasswordJob(QString::fromLatin1(kService));
    job->setKey(entryName(entry));
    const auto outcome = run(job, limit);
    if (!outcome->finished)
        return timedOut("return", entry, limit);
    if (Status status = describeError(*outcome, entry); !status.isOk())
        return status;
    return outcome->text.toStdString();
}

Status writeSecret(const std::string& entry, const std::string& secret, std::chrono::milliseconds limit)
{
    auto* job = new QKeychain::WritePasswordJob(QString::fromLatin1(kService));
    job->setKey(entryName(entry));
    job->setTextData(QString::fromStdString(secret));
    const auto outcome = run(job, limit);
    if (!outcome->finished)
        return timedOut("store", entry, limit);
    return describeError(*outcome, entry);
}

Status deleteSecret(const std::string& entry, std::chrono::milliseconds limit)
{
    auto* job = new QKeychain::DeletePasswordJob(QString::fromLatin1(kService));
    job->setKey(entryName(entry));
    const auto outcome = run(job, limit);
    if (!outcome->finished)
        return timedOut("delete", entry, limit);
    if (outcome->error == QKeychain::EntryNotFound)
        return Status::ok();
    return describeError(*outcome, entry);
}

void writeSecretAsync(const std::string& entry, const std::string& secret, QObject* context,
                      std::function<void(Status)> done)
{
    auto* job = new QKeychain::WritePasswordJob(QString::fromLatin1(kService));
    job->setKey(entryName(entry));
    job->setTextData(QString::fromStdString(secret));
    QObject::connect(job, &QKeychain::Job::finished, context, [job, entry, done = std::move(done)]() {
        Outcome outcome;
        outcome.finished = true;
        outcome.error = job->error();
        outcome.errorString = job->errorString();
        done(describeError(outcome, entry));
    });
    job->start();
}

void installEngineReader()
{
    setKeychainReader([](const std::string& entry) { return readSecret(entry); });
}

} // namespace llmops::keychain
