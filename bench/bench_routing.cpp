// SPDX-License-Identifier: MIT
// Routing decisions per second over the labelled support queries, and a what-if replay of
// synthetic stored traces through a draft rule set.
//
//   bench_routing [TRACES] [DECISIONS]     defaults: 100000 traces, 200000 decisions
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "BenchUtil.h"
#include "Sqlite.h"
#include "llmops/engine.h"

namespace fs = std::filesystem;
using namespace llmops;

namespace {

RoutingRule ruleWhen(const std::string& name, const std::string& condition, const std::string& model)
{
    RoutingRule rule;
    rule.name = name;
    rule.model = model;
    if (!condition.empty())
        rule.when = conditionFromText(condition).value();
    return rule;
}

// Eight rules of the kinds a support team writes, ending with the default.
std::vector<RoutingRule> activeRules()
{
    return {ruleWhen("injection or pii", "flag(prompt_injection) or flag(pii)", "local-extractive"),
            ruleWhen("enterprise complex", R"(meta(user_tier, "enterprise") and tier(complex))", "big"),
            ruleWhen("code", "code() or regex(\"\\\\b(api|webhook|sdk)s?\\\\b\")", "big"),
            ruleWhen("billing", R"(keywords("invoice", "refund", "charge", "vat", "rechnung"))", "cheap"),
            ruleWhen("german", "language(de) and not tier(simple)", "cheap"),
            ruleWhen("long", "min_tokens(120)", "big"),
            ruleWhen("complex", "tier(complex)", "big"),
            ruleWhen("default", "", "cheap")};
}

std::vector<RoutingRule> draftRules()
{
    std::vector<RoutingRule> rules = activeRules();
    rules[3].model = "big";                        // billing to the big model
    rules.insert(rules.begin() + 6, ruleWhen("medium", "tier(medium)", "cheap"));
    rules.back().model = "local-extractive";       // simple questions answered locally
    return rules;
}

ModelEndpoint pricedModel(const std::string& name, double inputPerMillion, double outputPerMillion)
{
    ModelEndpoint model;
    model.name = name;
    model.kind = "openai-compatible";
    model.baseUrl = "http://127.0.0.1:9/v1";
    model.model = name;
    model.inputUsdPerMillion = inputPerMillion;
    model.outputUsdPerMillion = outputPerMillion;
    return model;
}

std::vector<std::string> labelledQueries()
{
    Result<std::vector<LabelledQuery>> rows = readLabelledQueries(LLMOPS_TEST_DATA_DIR "/complexity-queries.tsv");
    std::vector<std::string> queries;
    if (rows.isOk())
        for (const LabelledQuery& row : rows.value())
            queries.push_back(row.query);
    return queries;
}

void benchDecisions(const std::vector<std::string>& queries, int decisions)
{
    const Router router(activeRules());
    const std::map<std::string, std::string> metadata = {{"user_tier", "enterprise"}};
    std::size_t checksum = 0;
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < decisions; ++i) {
        const std::string& query = queries[static_cast<std::size_t>(i) % queries.size()];
        checksum += static_cast<std::size_t>(router.route(router.features(query, {}, metadata), query).ruleIndex);
    }
    const double seconds = bench::secondsSince(started);
    std::printf("routing: %d decisions (features + 8 rules) in %.3f s = %.0f per second, %.2f us each (checksum %zu)\n",
                decisions, seconds, decisions / seconds, seconds * 1e6 / decisions, checksum);
}

Status insertTraces(const std::string& path, const std::vector<std::string>& queries, int count)
{
    Database database;
    if (Status status = database.open(path); !status.isOk())
        return status;
    Transaction transaction(database);
    Statement insert(database, R"sql(
        INSERT INTO traces(started_at, query, answer, route, model, input_tokens, output_tokens, cost_usd,
                           total_us, status, flags, result, rule_set_version, metadata)
        VALUES (?, ?, '', 'default', 'cheap', ?, ?, 0, 0, 'ok', '', '{}', 1, ?))sql");
    std::mt19937_64 random(7);
    const std::int64_t start = 1767225600000;  // 2026-01-01, spread over 30 days
    for (int i = 0; i < count; ++i) {
        insert.reset();
        insert.bind(1, start + static_cast<std::int64_t>(random() % (30ULL * 86400000ULL)));
        insert.bind(2, queries[random() % queries.size()]);
        insert.bind(3, static_cast<std::int64_t>(800 + random() % 3000)).bind(4, static_cast<std::int64_t>(50 + random() % 400));
        insert.bind(5, std::string_view(random() % 5 == 0 ? R"({"user_tier":"enterprise"})" : "{}"));
        if (Status status = insert.run(); !status.isOk())
            return status;
    }
    return transaction.commit();
}

} // namespace

int main(int argc, char** argv)
{
    const int traces = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int decisions = argc > 2 ? std::atoi(argv[2]) : 200000;
    const std::vector<std::string> queries = labelledQueries();
    if (queries.empty()) {
        std::fprintf(stderr, "cannot read %s/complexity-queries.tsv\n", LLMOPS_TEST_DATA_DIR);
        return 1;
    }
    benchDecisions(queries, decisions);

    const fs::path scratch = fs::temp_directory_path() / ("llmops-bench-routing-" + std::to_string(::getpid()));
    fs::create_directories(scratch);
    const std::string path = (scratch / "bench.llmops").string();
    {
        Result<std::unique_ptr<Engine>> engine = Engine::open(path);
        PipelineSettings settings = PipelineSettings::defaults();
        settings.models.push_back(pricedModel("cheap", 0.15, 0.60));
        settings.models.push_back(pricedModel("big", 2.50, 10.00));
        settings.rules = activeRules();
        Status status = engine.isOk() ? engine.value()->updateSettings(settings) : engine.status();
        if (!status.isOk()) {
            std::fprintf(stderr, "%s\n", status.toString().c_str());
            return 1;
        }
    }
    auto inserting = std::chrono::steady_clock::now();
    if (Status status = insertTraces(path, queries, traces); !status.isOk()) {
        std::fprintf(stderr, "%s\n", status.toString().c_str());
        return 1;
    }
    std::printf("inserted %d synthetic traces in %.2f s\n", traces, bench::secondsSince(inserting));

    Result<std::unique_ptr<Engine>> engine = Engine::open(path);
    ReplayOptions options;
    options.lastTraces = traces;
    const auto started = std::chrono::steady_clock::now();
    Result<ReplayReport> report = engine.value()->replay(draftRules(), options);
    const double seconds = bench::secondsSince(started);
    if (!report.isOk()) {
        std::fprintf(stderr, "%s\n", report.status().toString().c_str());
        return 1;
    }
    std::printf("replay: %lld traces in %.2f s = %.0f per second; %lld change route; active $%.2f/month, "
                "draft $%.2f/month; peak RSS %.0f MiB\n",
                static_cast<long long>(report->queries), seconds, report->queries / seconds, static_cast<long long>(report->changedQueries),
                report->activeMonthlyUsd, report->draftMonthlyUsd, bench::peakRssMiB());
    fs::remove_all(scratch);
    return 0;
}
