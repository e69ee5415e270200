// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "llmops/status.h"
#include "llmops/types.h"

namespace llmops {

// Parses the JSON written by queryResultToJson, as stored in traces and the answer cache.
Result<QueryResult> queryResultFromJson(const std::string& json);

// Request metadata as a JSON object of strings, and back; a value that is not such an object
// reads as no metadata.
std::string metadataToJson(const std::map<std::string, std::string>& metadata);
std::map<std::string, std::string> metadataFromJson(const std::string& json);

} // namespace llmops
