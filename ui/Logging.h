// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

namespace llmops::ui {

// Category of the console's own messages: workspace opens, indexing runs and caught errors.
Q_DECLARE_LOGGING_CATEGORY(lcUi)

} // namespace llmops::ui
