// SPDX-License-Identifier: MIT
#include "TestWorkspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

namespace llmops::test {

QString writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write test file %s", qPrintable(path));
    file.write(bytes);
    return QFileInfo(path).absoluteFilePath();
}

TestWorkspace::TestWorkspace() = default;

QString TestWorkspace::addDocument(const QString& relative, const QByteArray& bytes) const
{
    return writeFile(QDir(docsDir()).filePath(relative), bytes);
}

void TestWorkspace::addSupportPages() const
{
    addDocument(QStringLiteral("refunds.md"),
                "---\ntitle: Refund policy\n---\n\n# Refund policy\n\n## Eligibility\n\n"
                "Annual plans can be refunded within 30 days of purchase. Monthly plans are not refunded.\n\n"
                "## How to request a refund\n\nOpen Billing, choose Request refund and give the order number. "
                "Refunds reach your card within 5 business days.\n");
    addDocument(QStringLiteral("security/two-factor.md"),
                "---\ntitle: Two-factor authentication\n---\n\n## Enable two-factor authentication\n\n"
                "Go to Settings > Security and press Enable 2FA. Scan the QR code with an authenticator app "
                "and enter the six-digit code.\n\n## Recovery codes\n\nStore the ten recovery codes in a safe "
                "place. Each recovery code works once.\n");
    addDocument(QStringLiteral("invoices.html"),
                "<html><head><title>Invoices</title><script>var tracking = 1;</script></head><body>"
                "<nav>Home | Billing</nav><main><h1>Invoices</h1><h2>Download an invoice</h2>"
                "<p>Invoices are listed under Billing &gt; History. Press Download PDF next to an invoice to "
                "save it.</p></main></body></html>");
    addDocument(QStringLiteral("contact.txt"),
                "Contact support\n\nThe support team answers e-mail within one business day. Phone support "
                "is available on the Business plan from 9:00 to 17:00 CET.\n");
}

QByteArray TestWorkspace::storedBytes() const
{
    QByteArray all;
    for (const char* suffix : {"", "-wal", "-shm", ".hnsw"}) {
        QFile file(workspacePath() + QString::fromLatin1(suffix));
        if (file.open(QIODevice::ReadOnly))
            all += file.readAll();
    }
    return all;
}

std::unique_ptr<Engine> TestWorkspace::open() const
{
    Result<std::unique_ptr<Engine>> engine = Engine::open(workspacePath().toStdString());
    if (!engine.isOk()) {
        QTest::qFail(engine.status().toString().c_str(), __FILE__, __LINE__);
        return nullptr;
    }
    return std::move(engine.value());
}

} // namespace llmops::test
