// SPDX-License-Identifier: MIT
// Reading labelled queries (TSV or JSONL) for training and evaluating the complexity classifier.
#include "llmops/routing.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "llmops/text.h"

namespace llmops {
namespace {

std::vector<std::string> splitTabs(const std::string& line)
{
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, '\t'))
        fields.push_back(field);
    return fields;
}

std::string where(const std::string& path, int line)
{
    std::string text = path;
    text += ':';
    text += std::to_string(line);
    return text;
}

Result<LabelledQuery> labelled(const std::string& tier, const std::string& query, const std::string& location)
{
    Result<ComplexityTier> parsed = tierFromName(std::string(trimmed(tier)));
    if (!parsed.isOk())
        return Status::invalidArgument(location + ": " + parsed.status().message());
    if (trimmed(query).empty())
        return Status::invalidArgument(location + ": the query is empty; remove the line or add the query");
    return LabelledQuery{std::string(trimmed(query)), parsed.value()};
}

Result<LabelledQuery> parseJsonLine(const std::string& line, const std::string& location)
{
    try {
        const nlohmann::json row = nlohmann::json::parse(line);
        if (!row.is_object() || !row.contains("tier") || !row.contains("query"))
            return Status::invalidArgument(location + ": expected an object with \"tier\" and \"query\"");
        return labelled(row.at("tier").get<std::string>(), row.at("query").get<std::string>(), location);
    } catch (const nlohmann::json::exception& e) {
        return Status::invalidArgument(location + ": not a JSON object with string \"tier\" and \"query\": " +
                                       e.what());
    }
}

} // namespace

Result<std::vector<LabelledQuery>> readLabelledQueries(const std::string& path)
{
    std::ifstream input(path);
    if (!input)
        return Status::ioError("cannot read labelled queries from " + path + "; check the path");
    const bool jsonLines = path.ends_with(".jsonl") || path.ends_with(".json");

    std::vector<LabelledQuery> queries;
    std::string line;
    int lineNumber = 0;
    int tierColumn = -1;
    int queryColumn = -1;
    while (std::getline(input, line)) {
        ++lineNumber;
        if (trimmed(line).empty() || line.front() == '#')
            continue;
        Result<LabelledQuery> row = Status::internal("no row parsed");
        if (jsonLines) {
            row = parseJsonLine(line, where(path, lineNumber));
        } else if (tierColumn < 0) {
            // The first line names the columns.
            const std::vector<std::string> header = splitTabs(line);
            for (std::size_t i = 0; i < header.size(); ++i) {
                if (trimmed(header[i]) == "tier")
                    tierColumn = static_cast<int>(i);
                if (trimmed(header[i]) == "query")
                    queryColumn = static_cast<int>(i);
            }
            if (tierColumn < 0 || queryColumn < 0)
                return Status::invalidArgument(where(path, lineNumber) +
                                               ": the header needs tab-separated columns \"tier\" and \"query\"");
            continue;
        } else {
            const std::vector<std::string> fields = splitTabs(line);
            const auto needed = static_cast<std::size_t>(std::max(tierColumn, queryColumn));
            if (fields.size() <= needed)
                return Status::invalidArgument(where(path, lineNumber) + ": expected " + std::to_string(needed + 1) +
                                               " tab-separated columns");
            row = labelled(fields[static_cast<std::size_t>(tierColumn)], fields[static_cast<std::size_t>(queryColumn)],
                           where(path, lineNumber));
        }
        if (!row.isOk())
            return row.status();
        queries.push_back(std::move(row.value()));
    }
    return queries;
}

} // namespace llmops
