// SPDX-License-Identifier: MIT
// Eval data sets as CSV: a header row of column names, one item per record. List columns hold a
// JSON array of strings or a single string.
#include "EvalFiles.h"

#include <fstream>

namespace llmops {
namespace {

using Json = nlohmann::json;

struct CsvRecord {
    int line = 0;  // where the record starts
    std::vector<std::string> cells;
};

// Splits RFC 4180 text into records; quoted cells may hold commas, quotes ("") and line breaks.
Result<std::vector<CsvRecord>> parseCsv(const std::string& path, const std::string& bytes)
{
    std::vector<CsvRecord> records;
    CsvRecord record{1, {}};
    std::string cell;
    bool quoted = false;
    int line = 1;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (quoted) {
            if (c == '"' && i + 1 < bytes.size() && bytes[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                line += c == '\n' ? 1 : 0;
                cell += c;
            }
        } else if (c == '"' && cell.empty()) {
            quoted = true;
        } else if (c == ',') {
            record.cells.push_back(std::move(cell));
            cell.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n')
                ++i;
            record.cells.push_back(std::move(cell));
            cell.clear();
            if (!(record.cells.size() == 1 && record.cells[0].empty()))
                records.push_back(std::move(record));
            record = CsvRecord{++line, {}};
        } else {
            cell += c;
        }
    }
    if (quoted)
        return Status::invalidArgument(path + " line " + std::to_string(record.line) +
                                       ": a quoted cell is not closed; add the closing quote");
    if (!cell.empty() || !record.cells.empty()) {
        record.cells.push_back(std::move(cell));
        records.push_back(std::move(record));
    }
    return records;
}

Json cellValue(const std::string& cell)
{
    if (!cell.empty() && cell.front() == '[') {
        Json parsed = Json::parse(cell, nullptr, false);
        if (parsed.is_array())
            return parsed;
    }
    return cell;
}

std::string quoteCell(const std::string& text)
{
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

} // namespace

Result<std::vector<EvalItem>> readCsv(const std::string& path, const std::string& bytes)
{
    Result<std::vector<CsvRecord>> parsed = parseCsv(path, bytes);
    if (!parsed.isOk())
        return parsed.status();
    const std::vector<CsvRecord>& records = parsed.value();
    if (records.size() < 2)
        return Status::invalidArgument(path + " holds no items; give a header row and one row per item");

    const std::vector<std::string>& header = records.front().cells;
    const bool hasQuestion = std::any_of(header.begin(), header.end(), [](const std::string& name) {
        return name == "user_input" || name == "question" || name == "query";
    });
    if (!hasQuestion)
        return Status::invalidArgument(path + " line 1: missing question column; name one column \"user_input\" "
                                              "or \"question\"");

    std::vector<EvalItem> items;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& record = records[r];
        std::string where = path + " line ";
        where += std::to_string(record.line);
        if (record.cells.size() != header.size())
            return Status::invalidArgument(where + ": " + std::to_string(record.cells.size()) + " cells, the header has " +
                                           std::to_string(header.size()) + "; quote cells that contain commas");
        Json object = Json::object();
        for (std::size_t c = 0; c < header.size(); ++c)
            object[header[c]] = cellValue(record.cells[c]);
        Result<EvalItem> item = itemFromJson(object, where);
        if (!item.isOk())
            return item.status();
        items.push_back(std::move(item).value());
    }
    return items;
}

Status writeCsv(const std::string& path, const std::vector<EvalItem>& items)
{
    std::ofstream output(path, std::ios::binary | std::ios::trunc);
    output << "user_input,reference,reference_contexts,response,reference_document_ids,tags\n";
    for (const EvalItem& item : items) {
        output << quoteCell(item.question) << ',' << quoteCell(item.reference) << ','
               << quoteCell(Json(item.referenceContexts).dump()) << ',' << quoteCell(item.response) << ','
               << quoteCell(Json(item.documentIds).dump()) << ',' << quoteCell(Json(item.tags).dump()) << '\n';
    }
    output.close();
    if (!output)
        return Status::ioError("cannot write " + path + ": check the folder exists and is writable");
    return Status::ok();
}

} // namespace llmops
