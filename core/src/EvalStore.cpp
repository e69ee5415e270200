// SPDX-License-Identifier: MIT
// SQL access to the eval tables: data set versions, runs, per-item results and alerts.
#include "llmops/eval.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "WorkspaceStore.h"
#include "llmops/text.h"

namespace llmops {
namespace {

using Json = nlohmann::json;

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string listJson(const std::vector<std::string>& values)
{
    return Json(values).dump();
}

std::vector<std::string> listFromJson(const std::string& text)
{
    const Json parsed = Json::parse(text, nullptr, false);
    std::vector<std::string> values;
    if (parsed.is_array()) {
        for (const Json& value : parsed) {
            if (value.is_string())
                values.push_back(value.get<std::string>());
        }
    }
    return values;
}

void bindScore(Statement& statement, int index, const std::optional<double>& score)
{
    if (score)
        statement.bind(index, *score);
    else
        statement.bindNull(index);
}

std::optional<double> columnScore(const Statement& statement, int column)
{
    if (statement.columnIsNull(column))
        return std::nullopt;
    return statement.columnDouble(column);
}

Status failed(const std::string& what, const Status& status)
{
    return Status::ioError("cannot " + what + ": " + status.message());
}

constexpr const char* kDatasetColumns =
    "SELECT d.id, d.name, d.version, d.source, d.created_at, "
    "(SELECT COUNT(*) FROM eval_items i WHERE i.dataset_id = d.id) FROM eval_datasets d ";

EvalDatasetInfo datasetFrom(const Statement& row)
{
    EvalDatasetInfo info;
    info.id = row.columnInt(0);
    info.name = row.columnText(1);
    info.version = static_cast<int>(row.columnInt(2));
    info.source = row.columnText(3);
    info.createdAtMs = row.columnInt(4);
    info.itemCount = row.columnInt(5);
    return info;
}

constexpr const char* kRunColumns =
    "SELECT r.id, r.dataset_id, d.name, d.version, r.status, r.concurrency, r.settings, r.price_table_version, "
    "r.rule_set_version, r.judge_model, r.judge_prompt, r.created_at, COALESCE(r.finished_at, 0), "
    "(SELECT COUNT(*) FROM eval_items i WHERE i.dataset_id = r.dataset_id), "
    "(SELECT COUNT(*) FROM eval_results x WHERE x.run_id = r.id), "
    "(SELECT COALESCE(SUM(cost_usd), 0) FROM eval_results x WHERE x.run_id = r.id), "
    "(SELECT AVG(faithfulness) FROM eval_results x WHERE x.run_id = r.id), "
    "(SELECT AVG(answer_relevancy) FROM eval_results x WHERE x.run_id = r.id), "
    "(SELECT AVG(context_recall) FROM eval_results x WHERE x.run_id = r.id), "
    "(SELECT AVG(context_precision) FROM eval_results x WHERE x.run_id = r.id) "
    "FROM eval_runs r JOIN eval_datasets d ON d.id = r.dataset_id ";

EvalRun runFrom(const Statement& row)
{
    EvalRun run;
    run.id = row.columnInt(0);
    run.datasetId = row.columnInt(1);
    run.datasetName = row.columnText(2);
    run.datasetVersion = static_cast<int>(row.columnInt(3));
    run.status = row.columnText(4);
    run.concurrency = static_cast<int>(row.columnInt(5));
    run.settingsJson = row.columnText(6);
    run.priceTableVersion = row.columnText(7);
    run.ruleSetVersion = static_cast<int>(row.columnInt(8));
    run.judgeModel = row.columnText(9);
    run.judgePrompt = row.columnText(10);
    run.createdAtMs = row.columnInt(11);
    run.finishedAtMs = row.columnInt(12);
    run.itemsTotal = row.columnInt(13);
    run.itemsDone = row.columnInt(14);
    run.costUsd = row.columnDouble(15);
    for (int m = 0; m < kEvalMetricCount; ++m)
        run.means[m] = columnScore(row, 16 + m);  // SQL's AVG skips the unmeasured NULLs
    return run;
}

} // namespace

struct EvalStore::Impl {
    WorkspaceStore store;
};

EvalStore::EvalStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
EvalStore::~EvalStore() = default;

Result<std::unique_ptr<EvalStore>> EvalStore::open(const std::string& path)
{
    auto impl = std::make_unique<Impl>();
    const Status status = impl->store.open(path);
    if (!status.isOk())
        return status;
    return std::unique_ptr<EvalStore>(new EvalStore(std::move(impl)));
}

Result<EvalDatasetInfo> EvalStore::importDataset(const std::string& name, const std::vector<EvalItem>& items,
                                                 const std::string& source)
{
    if (trimmed(name).empty())
        return Status::invalidArgument("the data set name is empty; give one with --name");
    if (items.empty())
        return Status::invalidArgument("data set \"" + name + "\" has no items; give a file with at least one");
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (trimmed(items[i].question).empty())
            return Status::invalidArgument("item " + std::to_string(i + 1) + " of data set \"" + name +
                                           "\" has no question; every item needs one");
    }

    Database& db = m_impl->store.database();
    Transaction transaction(db);
    if (!transaction.beginStatus().isOk())
        return failed("import data set " + name, transaction.beginStatus());
    Statement version(db, "SELECT COALESCE(MAX(version), 0) + 1 FROM eval_datasets WHERE name = ?");
    version.bind(1, name);
    const int next = version.step() ? static_cast<int>(version.columnInt(0)) : 1;
    Statement insertDataset(db, "INSERT INTO eval_datasets(name, version, source, created_at) VALUES (?, ?, ?, ?)");
    insertDataset.bind(1, name).bind(2, static_cast<std::int64_t>(next)).bind(3, source).bind(4, nowMs());
    Status status = insertDataset.run();
    const std::int64_t datasetId = db.lastInsertId();

    Statement insert(db, "INSERT INTO eval_items(dataset_id, ordinal, question, reference, reference_contexts, "
                         "document_ids, tags, assertions, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < items.size() && status.isOk(); ++i) {
        const EvalItem& item = items[i];
        insert.reset();
        insert.bind(1, datasetId).bind(2, static_cast<std::int64_t>(i)).bind(3, item.question).bind(4, item.reference);
        insert.bind(5, listJson(item.referenceContexts)).bind(6, listJson(item.documentIds));
        insert.bind(7, listJson(item.tags)).bind(8, item.assertionsJson).bind(9, item.response);
        status = insert.run();
    }
    if (status.isOk())
        status = transaction.commit();
    if (!status.isOk())
        return failed("import data set " + name, status);
    return dataset(name, next);
}

Result<std::vector<EvalDatasetInfo>> EvalStore::datasets()
{
    Statement query(m_impl->store.database(),
                    std::string(kDatasetColumns) +
                        "WHERE d.version = (SELECT MAX(version) FROM eval_datasets e WHERE e.name = d.name) "
                        "ORDER BY d.name");
    std::vector<EvalDatasetInfo> list;
    while (query.step())
        list.push_back(datasetFrom(query));
    if (!query.status().isOk())
        return failed("list data sets", query.status());
    return list;
}

Result<EvalDatasetInfo> EvalStore::dataset(const std::string& name, int version)
{
    Statement query(m_impl->store.database(),
                    std::string(kDatasetColumns) + "WHERE d.name = ? AND (? = 0 OR d.version = ?) "
                                                   "ORDER BY d.version DESC LIMIT 1");
    query.bind(1, name).bind(2, static_cast<std::int64_t>(version)).bind(3, static_cast<std::int64_t>(version));
    const bool found = query.step();
    if (!query.status().isOk())
        return failed("read data set " + name, query.status());
    if (!found)
        return Status::notFound("no data set named \"" + name + "\"" +
                                (version > 0 ? " at version " + std::to_string(version) : std::string()) +
                                "; list them with llmops eval datasets");
    return datasetFrom(query);
}

Result<std::vector<EvalItem>> EvalStore::items(std::int64_t datasetId)
{
    Statement query(m_impl->store.database(),
                    "SELECT id, question, reference, reference_contexts, document_ids, tags, assertions, response "
                    "FROM eval_items WHERE dataset_id = ? ORDER BY ordinal");
    query.bind(1, datasetId);
    std::vector<EvalItem> list;
    while (query.step()) {
        EvalItem item;
        item.id = query.columnInt(0);
        item.question = query.columnText(1);
        item.reference = query.columnText(2);
        item.referenceContexts = listFromJson(query.columnText(3));
        item.documentIds = listFromJson(query.columnText(4));
        item.tags = listFromJson(query.columnText(5));
        item.assertionsJson = query.columnText(6);
        item.response = query.columnText(7);
        list.push_back(std::move(item));
    }
    if (!query.status().isOk())
        return failed("read data set items", query.status());
    return list;
}

Result<std::int64_t> EvalStore::createRun(std::int64_t datasetId, int concurrency, const std::string& settingsJson,
                                          const std::string& priceTableVersion, int ruleSetVersion,
                                          const std::string& judgeModel, const std::string& judgePrompt)
{
    Database& db = m_impl->store.database();
    Statement insert(db, "INSERT INTO eval_runs(dataset_id, status, concurrency, settings, price_table_version, "
                         "rule_set_version, judge_model, judge_prompt, created_at) "
                         "VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, datasetId).bind(2, static_cast<std::int64_t>(concurrency)).bind(3, settingsJson);
    insert.bind(4, priceTableVersion).bind(5, static_cast<std::int64_t>(ruleSetVersion));
    insert.bind(6, judgeModel).bind(7, judgePrompt).bind(8, nowMs());
    const Status status = insert.run();
    if (!status.isOk())
        return failed("record the eval run", status);
    return db.lastInsertId();
}

Result<EvalRun> EvalStore::run(std::int64_t runId)
{
    Statement query(m_impl->store.database(), std::string(kRunColumns) + "WHERE r.id = ?");
    query.bind(1, runId);
    if (!query.step() && !query.status().isOk())
        return failed("read eval run " + std::to_string(runId), query.status());
    if (!query.status().isOk() || query.columnInt(0) != runId)
        return Status::notFound("no eval run " + std::to_string(runId) + "; list them with llmops eval runs");
    return runFrom(query);
}

Result<std::vector<EvalRun>> EvalStore::runs(const std::string& datasetName)
{
    Statement query(m_impl->store.database(),
                    std::string(kRunColumns) + "WHERE (? = '' OR d.name = ?) ORDER BY r.id DESC");
    query.bind(1, datasetName).bind(2, datasetName);
    std::vector<EvalRun> list;
    while (query.step())
        list.push_back(runFrom(query));
    if (!query.status().isOk())
        return failed("list eval runs", query.status());
    return list;
}

Status EvalStore::finishRun(std::int64_t runId, const std::string& status)
{
    Statement update(m_impl->store.database(), "UPDATE eval_runs SET status = ?, finished_at = ? WHERE id = ?");
    update.bind(1, status).bind(2, nowMs()).bind(3, runId);
    return update.run();
}

Status EvalStore::saveResult(std::int64_t runId, const EvalResult& result)
{
    Statement insert(m_impl->store.database(),
                     "INSERT INTO eval_results(run_id, item_id, answer, contexts, trace_id, latency_us, cost_usd, "
                     "error, faithfulness, answer_relevancy, context_recall, context_precision, finished_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, runId).bind(2, result.itemId).bind(3, result.answer).bind(4, listJson(result.contexts));
    insert.bind(5, result.traceId).bind(6, result.latencyUs).bind(7, result.costUsd).bind(8, result.error);
    for (int m = 0; m < kEvalMetricCount; ++m)
        bindScore(insert, 9 + m, result.scores[m]);
    insert.bind(13, nowMs());
    const Status status = insert.run();
    if (!status.isOk())
        return failed("store the result of eval item " + std::to_string(result.itemId), status);
    return status;
}

Result<std::vector<EvalResult>> EvalStore::results(std::int64_t runId)
{
    Statement query(m_impl->store.database(),
                    "SELECT x.item_id, i.question, i.reference, x.answer, x.contexts, x.trace_id, x.latency_us, "
                    "x.cost_usd, x.error, x.faithfulness, x.answer_relevancy, x.context_recall, x.context_precision, "
                    "i.assertions FROM eval_results x JOIN eval_items i ON i.id = x.item_id WHERE x.run_id = ? ORDER BY i.ordinal");
    query.bind(1, runId);
    std::vector<EvalResult> list;
    while (query.step()) {
        EvalResult result;
        result.itemId = query.columnInt(0);
        result.question = query.columnText(1);
        result.reference = query.columnText(2);
        result.answer = query.columnText(3);
        result.contexts = listFromJson(query.columnText(4));
        result.traceId = query.columnInt(5);
        result.latencyUs = query.columnInt(6);
        result.costUsd = query.columnDouble(7);
        result.error = query.columnText(8);
        for (int m = 0; m < kEvalMetricCount; ++m)
            result.scores[m] = columnScore(query, 9 + m);
        result.assertionsJson = query.columnText(13);
        list.push_back(std::move(result));
    }
    if (!query.status().isOk())
        return failed("read eval results", query.status());
    return list;
}

Result<std::int64_t> EvalStore::saveAlert(const Alert& alert)
{
    Database& db = m_impl->store.database();
    Statement insert(db, "INSERT INTO eval_alerts(rule, run_id, baseline_run_id, detail, created_at) "
                         "VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, alert.rule).bind(3, alert.baselineRunId).bind(4, alert.detail).bind(5, nowMs());
    if (alert.runId > 0)
        insert.bind(2, alert.runId);
    else
        insert.bindNull(2);  // a rule over reviewer verdicts fires without a run
    const Status status = insert.run();
    if (!status.isOk())
        return failed("store the alert", status);
    return db.lastInsertId();
}

Result<std::vector<EvalStore::Alert>> EvalStore::alerts(int limit)
{
    Statement query(m_impl->store.database(),
                    "SELECT id, rule, COALESCE(run_id, 0), baseline_run_id, detail, created_at FROM eval_alerts "
                    "ORDER BY id DESC LIMIT ?");
    query.bind(1, static_cast<std::int64_t>(limit));
    std::vector<Alert> list;
    while (query.step())
        list.push_back({query.columnInt(0), query.columnText(1), query.columnInt(2), query.columnInt(3),
                        query.columnText(4), query.columnInt(5)});
    if (!query.status().isOk())
        return failed("list alerts", query.status());
    return list;
}

} // namespace llmops
