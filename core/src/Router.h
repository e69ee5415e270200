// SPDX-License-Identifier: MIT
#pragma once

// The router is public so that the console can preview routing decisions; this header keeps
// the older include path of the core sources and tests.
#include "llmops/routing.h"
