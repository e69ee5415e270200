// SPDX-License-Identifier: MIT
// Reading and writing eval data sets as JSON lines and CSV, with RAGAS or older column names.
#include "EvalFiles.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "llmops/text.h"

namespace llmops {
namespace {

using Json = nlohmann::json;

// Column names by meaning, RAGAS's first. The file's retrieved contexts become reference
// contexts: a run retrieves its own.
const std::vector<std::string> kQuestionKeys = {"user_input", "question", "query"};
const std::vector<std::string> kReferenceKeys = {"reference", "ground_truth", "ground_truths", "expected"};
const std::vector<std::string> kContextKeys = {"reference_contexts", "retrieved_contexts", "contexts", "context"};
const std::vector<std::string> kResponseKeys = {"response", "answer"};
const std::vector<std::string> kDocumentKeys = {"reference_document_ids", "document_ids"};

std::string lowerExtension(const std::string& path)
{
    std::string extension = std::filesystem::path(path).extension().string();
    for (char& c : extension)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return extension;
}

// A value as a list of strings: a string gives one entry, a list its string entries.
bool toStrings(const Json& value, std::vector<std::string>* out)
{
    if (value.is_string()) {
        if (!value.get<std::string>().empty())
            out->push_back(value.get<std::string>());
        return true;
    }
    if (!value.is_array())
        return false;
    for (const Json& entry : value) {
        if (!entry.is_string())
            return false;
        out->push_back(entry.get<std::string>());
    }
    return true;
}

std::string joined(const std::vector<std::string>& parts)
{
    std::string text;
    for (const std::string& part : parts) {
        if (!text.empty())
            text += ' ';
        text += part;
    }
    return text;
}

const Json* findKey(const Json& object, const std::vector<std::string>& keys, std::string* foundKey)
{
    for (const std::string& key : keys) {
        const auto found = object.find(key);
        if (found != object.end() && !found->is_null()) {
            *foundKey = key;
            return &*found;
        }
    }
    return nullptr;
}

// Reads one field that may hold a string or a list of strings.
Status readList(const Json& object, const std::vector<std::string>& keys, const std::string& where,
                std::vector<std::string>* out)
{
    std::string key;
    const Json* value = findKey(object, keys, &key);
    if (value && !toStrings(*value, out))
        return Status::invalidArgument(where + ", field \"" + key +
                                       "\": expected a string or a list of strings; fix the value or drop the field");
    return Status::ok();
}

} // namespace

Status checkDatasetBytes(const std::string& path, const std::string& bytes)
{
    if (bytes.empty())
        return Status::invalidArgument(path + " is empty; give a file with one item per line");
    if (looksBinary(bytes))
        return Status::invalidArgument(path + " is binary (it contains a NUL byte); give a JSONL, CSV or YAML file");
    const std::size_t bad = findInvalidUtf8(bytes);
    if (bad != std::string_view::npos) {
        const auto line = 1 + std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
        return Status::invalidArgument(path + " line " + std::to_string(line) +
                                       ": invalid UTF-8 at byte " + std::to_string(bad) + "; save the file as UTF-8");
    }
    return Status::ok();
}

Result<std::string> readWholeFile(const std::string& path)
{
    std::ifstream input(path, std::ios::binary);
    if (!input)
        return Status::ioError("cannot read " + path + ": check the path and its permissions");
    std::ostringstream bytes;
    bytes << input.rdbuf();
    return bytes.str();
}

Result<EvalItem> itemFromJson(const Json& object, const std::string& where)
{
    if (!object.is_object())
        return Status::invalidArgument(where + ": expected a JSON object with a \"user_input\" or \"question\" field");
    EvalItem item;
    std::string key;
    const Json* question = findKey(object, kQuestionKeys, &key);
    if (!question || !question->is_string() || trimmed(question->get<std::string>()).empty())
        return Status::invalidArgument(where + ": missing question; give a non-empty \"user_input\" or \"question\" field");
    item.question = question->get<std::string>();

    std::vector<std::string> reference;
    Status status = readList(object, kReferenceKeys, where, &reference);
    if (status.isOk())
        status = readList(object, kContextKeys, where, &item.referenceContexts);
    if (status.isOk())
        status = readList(object, kDocumentKeys, where, &item.documentIds);
    if (status.isOk())
        status = readList(object, {"tags"}, where, &item.tags);
    std::vector<std::string> response;
    if (status.isOk())
        status = readList(object, kResponseKeys, where, &response);
    if (!status.isOk())
        return status;
    item.reference = joined(reference);
    item.response = joined(response);
    const auto assertions = object.find("assert");
    if (assertions != object.end() && assertions->is_array())
        item.assertionsJson = assertions->dump();
    return item;
}

Json itemToJson(const EvalItem& item)
{
    Json object = {{"user_input", item.question}, {"reference", item.reference},
                   {"reference_contexts", item.referenceContexts}};
    if (!item.response.empty())
        object["response"] = item.response;
    if (!item.documentIds.empty())
        object["reference_document_ids"] = item.documentIds;
    if (!item.tags.empty())
        object["tags"] = item.tags;
    const Json assertions = Json::parse(item.assertionsJson, nullptr, false);
    if (assertions.is_array() && !assertions.empty())
        object["assert"] = assertions;
    return object;
}

Result<std::vector<EvalItem>> readJsonLines(const std::string& path, const std::string& bytes)
{
    std::vector<EvalItem> items;
    std::istringstream lines(bytes);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
        ++number;
        if (trimmed(line).empty())
            continue;
        std::string where = path + " line ";
        where += std::to_string(number);
        const Json object = Json::parse(line, nullptr, false);
        if (object.is_discarded())
            return Status::invalidArgument(where + ": malformed JSON; each line must be one JSON object");
        Result<EvalItem> item = itemFromJson(object, where);
        if (!item.isOk())
            return item.status();
        items.push_back(std::move(item).value());
    }
    if (items.empty())
        return Status::invalidArgument(path + " holds no items; give one JSON object per line");
    return items;
}

Status writeJsonLines(const std::string& path, const std::vector<EvalItem>& items)
{
    std::ofstream output(path, std::ios::binary | std::ios::trunc);
    for (const EvalItem& item : items)
        output << itemToJson(item).dump() << '\n';
    output.close();
    if (!output)
        return Status::ioError("cannot write " + path + ": check the folder exists and is writable");
    return Status::ok();
}

Result<std::vector<EvalItem>> readDatasetFile(const std::string& path)
{
    Result<std::string> bytes = readWholeFile(path);
    if (!bytes.isOk())
        return bytes.status();
    const Status check = checkDatasetBytes(path, bytes.value());
    if (!check.isOk())
        return check;

    const std::string extension = lowerExtension(path);
    if (extension == ".csv")
        return readCsv(path, bytes.value());
    if (extension == ".yaml" || extension == ".yml")
        return readPromptfooYaml(path, bytes.value());
    if (extension == ".jsonl" || extension == ".json" || extension == ".ndjson")
        return readJsonLines(path, bytes.value());
    return Status::invalidArgument(path + ": unknown data set format \"" + extension +
                                   "\"; use .jsonl, .csv or .yaml");
}

Status writeDatasetFile(const std::string& path, const std::vector<EvalItem>& items)
{
    const std::string extension = lowerExtension(path);
    if (extension == ".csv")
        return writeCsv(path, items);
    if (extension == ".yaml" || extension == ".yml")
        return writePromptfooYaml(path, items);
    if (extension == ".jsonl" || extension == ".json" || extension == ".ndjson")
        return writeJsonLines(path, items);
    return Status::invalidArgument(path + ": unknown data set format \"" + extension +
                                   "\"; use .jsonl, .csv or .yaml");
}

} // namespace llmops
