// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace llmops::test {

// Folder of the public corpora that sits beside the checkout, such as
// "<checkout>/../shared/data". Tests that need it call requireSharedData() first.
QString sharedDataDir();

// Folder of the bundled demo documents (resources/demo).
QString demoDir();

// Folder of the fixtures written for this project (tests/data).
QString testDataDir();

// Returns the absolute path of a file or folder under sharedDataDir(), or an empty string
// after calling QSKIP's message helper when it is missing. Use through REQUIRE_SHARED_DATA.
QString sharedDataPath(const QString& relative);

} // namespace llmops::test

// Skips the current test with a message naming the missing path when the public data folder is
// not present, as on a user's fresh clone; binds the absolute path to `var` otherwise.
#define REQUIRE_SHARED_DATA(var, relative)                                                         \
    const QString var = llmops::test::sharedDataPath(relative);                                     \
    if (var.isEmpty())                                                                             \
        QSKIP(qPrintable(QStringLiteral("missing test data: %1/%2")                                \
                             .arg(llmops::test::sharedDataDir(), QStringLiteral(relative))));
