// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "llmops/status.h"
#include "llmops/types.h"

namespace llmops {

// Parses the JSON written by queryResultToJson, as stored in traces and the answer cache.
Result<QueryResult> queryResultFromJson(const std::string& json);

} // namespace llmops
