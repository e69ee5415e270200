// SPDX-License-Identifier: MIT
// Rule set versions in the workspace, and the trace rows that replay reads.
#include "WorkspaceStore.h"

#include <chrono>
#include <cstdlib>

namespace llmops {
namespace {

// The settings key whose value is the active rule set version.
constexpr const char* kActiveRuleSetSetting = "active_rule_set";

} // namespace

Result<std::vector<StoredRuleSet>> WorkspaceStore::ruleSets()
{
    Statement query(m_database, "SELECT version, rules, note, created_at FROM rule_sets ORDER BY version");
    std::vector<StoredRuleSet> sets;
    while (query.step())
        sets.push_back({static_cast<int>(query.columnInt(0)), query.columnText(1), query.columnText(2),
                        query.columnInt(3)});
    if (!query.status().isOk())
        return query.status();
    return sets;
}

Result<int> WorkspaceStore::insertRuleSet(const std::string& rulesJson, const std::string& note)
{
    using namespace std::chrono;
    const auto now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    Statement insert(m_database, "INSERT INTO rule_sets(rules, note, created_at) VALUES (?, ?, ?)");
    insert.bind(1, rulesJson).bind(2, note).bind(3, static_cast<std::int64_t>(now));
    if (Status status = insert.run(); !status.isOk())
        return Status::ioError("cannot store the rule set in " + m_path + ": " + status.message());
    return static_cast<int>(m_database.lastInsertId());
}

int WorkspaceStore::activeRuleSetVersion()
{
    const auto value = setting(kActiveRuleSetSetting);
    return value ? std::atoi(value->c_str()) : 0;
}

Status WorkspaceStore::setActiveRuleSetVersion(int version)
{
    return setSetting(kActiveRuleSetSetting, std::to_string(version));
}

Status WorkspaceStore::forEachReplayTrace(int limit, const std::function<void(const ReplayTrace&)>& visit)
{
    Statement query(m_database, R"sql(
        SELECT id, started_at, query, model, flags, metadata, input_tokens, output_tokens
        FROM traces WHERE status != 'blocked' ORDER BY started_at DESC, id DESC LIMIT ?)sql");
    query.bind(1, static_cast<std::int64_t>(limit));
    ReplayTrace trace;
    while (query.step()) {
        trace.id = query.columnInt(0);
        trace.startedAtMs = query.columnInt(1);
        trace.query = query.columnText(2);
        trace.model = query.columnText(3);
        trace.flags = query.columnText(4);
        trace.metadataJson = query.columnText(5);
        trace.usage.inputTokens = query.columnInt(6);
        trace.usage.outputTokens = query.columnInt(7);
        visit(trace);
    }
    return query.status();
}

} // namespace llmops
