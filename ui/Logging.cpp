// SPDX-License-Identifier: MIT
#include "Logging.h"

namespace llmops::ui {

Q_LOGGING_CATEGORY(lcUi, "llmops.ui", QtInfoMsg)

} // namespace llmops::ui
