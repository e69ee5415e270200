// SPDX-License-Identifier: MIT
// The tests of a promptfoo configuration as eval items. Each test's vars give the question,
// reference and contexts, and its assertions of the supported types are kept with the item.
#include "EvalFiles.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>

namespace llmops {
namespace {

using Json = nlohmann::json;

const std::vector<std::string> kAssertionTypes = {"equals", "contains", "icontains", "regex", "similar",
                                                  "llm-rubric"};

std::string at(const std::string& path, const YAML::Node& node)
{
    std::string where = path + " line ";
    where += std::to_string(node.Mark().line + 1);
    return where;
}

// A scalar as a string, a sequence of scalars as strings; anything else fails.
bool scalars(const YAML::Node& node, std::vector<std::string>* out)
{
    if (node.IsScalar()) {
        out->push_back(node.as<std::string>());
        return true;
    }
    if (!node.IsSequence())
        return false;
    for (const YAML::Node& entry : node) {
        if (!entry.IsScalar())
            return false;
        out->push_back(entry.as<std::string>());
    }
    return true;
}

Result<Json> readAssertion(const std::string& path, const YAML::Node& node)
{
    if (!node.IsMap() || !node["type"] || !node["type"].IsScalar())
        return Status::invalidArgument(at(path, node) + ", field \"assert\": each assertion needs a \"type\"");
    const std::string type = node["type"].as<std::string>();
    if (std::find(kAssertionTypes.begin(), kAssertionTypes.end(), type) == kAssertionTypes.end())
        return Status::invalidArgument(at(path, node) + ", field \"type\": unsupported assertion type \"" + type +
                                       "\"; use equals, contains, icontains, regex, similar or llm-rubric");
    if (!node["value"] || !node["value"].IsScalar())
        return Status::invalidArgument(at(path, node) + ", field \"value\": assertion \"" + type +
                                       "\" needs a text value");
    Json assertion = {{"type", type}, {"value", node["value"].as<std::string>()}};
    if (node["threshold"] && node["threshold"].IsScalar())
        assertion["threshold"] = node["threshold"].as<double>(0.0);
    return assertion;
}

// The question comes from the first of these vars that is set.
const YAML::Node questionVar(const YAML::Node& vars)
{
    for (const char* key : {"question", "query", "user_input", "input", "prompt"}) {
        if (vars[key] && vars[key].IsScalar())
            return vars[key];
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

Result<EvalItem> readTest(const std::string& path, const YAML::Node& test)
{
    const YAML::Node vars = test["vars"];
    if (!test.IsMap() || !vars || !vars.IsMap())
        return Status::invalidArgument(at(path, test) + ", field \"vars\": each test needs a map of vars");
    const YAML::Node question = questionVar(vars);
    if (!question.IsDefined() || question.as<std::string>().empty())
        return Status::invalidArgument(at(path, test) + ", field \"vars\": missing question; set vars.question");

    EvalItem item;
    item.question = question.as<std::string>();
    for (const char* key : {"reference", "ground_truth", "expected"}) {
        if (vars[key] && vars[key].IsScalar())
            item.reference = vars[key].as<std::string>();
    }
    for (const char* key : {"context", "contexts", "reference_contexts"}) {
        if (vars[key] && !scalars(vars[key], &item.referenceContexts))
            return Status::invalidArgument(at(path, vars[key]) + ", field \"" + key + "\": expected text or a list of texts");
    }
    const YAML::Node metadata = test["metadata"];
    const bool hasMetadata = metadata.IsDefined() && metadata.IsMap();
    const YAML::Node tags = hasMetadata ? metadata["tags"] : YAML::Node(YAML::NodeType::Undefined);
    if (tags.IsDefined() && !scalars(tags, &item.tags))
        return Status::invalidArgument(at(path, tags) + ", field \"tags\": expected text or a list of texts");

    Json assertions = Json::array();
    const YAML::Node list = test["assert"];
    if (list.IsDefined() && !list.IsSequence())
        return Status::invalidArgument(at(path, list) + ", field \"assert\": expected a list of assertions");
    for (const YAML::Node& node : list.IsDefined() ? list : YAML::Node(YAML::NodeType::Sequence)) {
        Result<Json> assertion = readAssertion(path, node);
        if (!assertion.isOk())
            return assertion.status();
        const std::string type = assertion.value()["type"];
        // An exact or similar answer is the reference when vars do not give one.
        if (item.reference.empty() && (type == "equals" || type == "similar"))
            item.reference = assertion.value()["value"];
        assertions.push_back(std::move(assertion).value());
    }
    item.assertionsJson = assertions.dump();
    return item;
}

} // namespace

Result<std::vector<EvalItem>> readPromptfooYaml(const std::string& path, const std::string& bytes)
{
    YAML::Node root;
    try {
        root = YAML::Load(bytes);
    } catch (const YAML::Exception& error) {
        std::string where = path + " line ";
        where += std::to_string(error.mark.line + 1);
        return Status::invalidArgument(where + ": malformed YAML (" + error.msg + ")");
    }
    const YAML::Node tests = root.IsMap() ? root["tests"] : YAML::Node();
    if (!tests || !tests.IsSequence() || tests.size() == 0)
        return Status::invalidArgument(path + ": field \"tests\": expected a list of tests written in the file");

    std::vector<EvalItem> items;
    try {
        for (const YAML::Node& test : tests) {
            Result<EvalItem> item = readTest(path, test);
            if (!item.isOk())
                return item.status();
            items.push_back(std::move(item).value());
        }
    } catch (const YAML::Exception& error) {
        std::string where = path + " line ";
        where += std::to_string(error.mark.line + 1);
        return Status::invalidArgument(where + ": " + error.msg);
    }
    return items;
}

Status writePromptfooYaml(const std::string& path, const std::vector<EvalItem>& items)
{
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "tests" << YAML::Value << YAML::BeginSeq;
    for (const EvalItem& item : items) {
        out << YAML::BeginMap << YAML::Key << "vars" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "question" << YAML::Value << item.question;
        if (!item.reference.empty())
            out << YAML::Key << "reference" << YAML::Value << item.reference;
        if (!item.referenceContexts.empty())
            out << YAML::Key << "contexts" << YAML::Value << item.referenceContexts;
        out << YAML::EndMap;
        if (!item.tags.empty())
            out << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "tags" << YAML::Value
                << item.tags << YAML::EndMap;
        const Json assertions = Json::parse(item.assertionsJson, nullptr, false);
        if (assertions.is_array() && !assertions.empty()) {
            out << YAML::Key << "assert" << YAML::Value << YAML::BeginSeq;
            for (const Json& assertion : assertions)
                out << YAML::BeginMap << YAML::Key << "type" << YAML::Value << assertion.value("type", "")
                    << YAML::Key << "value" << YAML::Value << assertion.value("value", "") << YAML::EndMap;
            out << YAML::EndSeq;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;

    std::ofstream output(path, std::ios::binary | std::ios::trunc);
    output << out.c_str() << '\n';
    output.close();
    if (!output)
        return Status::ioError("cannot write " + path + ": check the folder exists and is writable");
    return Status::ok();
}

} // namespace llmops
