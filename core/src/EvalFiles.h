// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "llmops/eval.h"

namespace llmops {

// Readers and writers of one data set format each; path is used in messages only.
Result<std::vector<EvalItem>> readJsonLines(const std::string& path, const std::string& bytes);
Result<std::vector<EvalItem>> readCsv(const std::string& path, const std::string& bytes);
Result<std::vector<EvalItem>> readPromptfooYaml(const std::string& path, const std::string& bytes);
Status writeJsonLines(const std::string& path, const std::vector<EvalItem>& items);
Status writeCsv(const std::string& path, const std::vector<EvalItem>& items);
Status writePromptfooYaml(const std::string& path, const std::vector<EvalItem>& items);

// One item from a JSON object with RAGAS or older keys; where names the file and line.
Result<EvalItem> itemFromJson(const nlohmann::json& object, const std::string& where);
nlohmann::json itemToJson(const EvalItem& item);

Status checkDatasetBytes(const std::string& path, const std::string& bytes);
Result<std::string> readWholeFile(const std::string& path);

} // namespace llmops
