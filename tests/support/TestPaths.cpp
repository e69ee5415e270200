// SPDX-License-Identifier: MIT
#include "TestPaths.h"

#include <QDir>
#include <QFileInfo>

namespace llmops::test {

QString sharedDataDir()
{
    return QDir::cleanPath(QStringLiteral(LLMOPS_SHARED_DATA_DIR));
}

QString demoDir()
{
    return QStringLiteral(LLMOPS_DEMO_DIR);
}

QString testDataDir()
{
    return QStringLiteral(LLMOPS_TEST_DATA_DIR);
}

QString sharedDataPath(const QString& relative)
{
    const QString path = QDir(sharedDataDir()).filePath(relative);
    return QFileInfo::exists(path) ? path : QString();
}

} // namespace llmops::test
