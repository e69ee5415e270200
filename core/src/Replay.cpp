// SPDX-License-Identifier: MIT
// What-if replay: stored queries routed through a draft rule set, with projected monthly cost.
#include <algorithm>
#include <sstream>

#include "EngineImpl.h"
#include "ResultJson.h"
#include "llmops/guard.h"

namespace llmops {
namespace {

constexpr double kMsPerDay = 86400000.0;
constexpr double kDaysPerMonth = 30.0;

std::vector<std::string> splitFlags(const std::string& joined)
{
    std::vector<std::string> kinds;
    std::stringstream stream(joined);
    std::string kind;
    while (std::getline(stream, kind, ','))
        if (!kind.empty())
            kinds.push_back(kind);
    return kinds;
}

// Sums the replayed queries per model under both rule sets.
class ReplayTally {
public:
    ReplayTally(const Router& active, const Router& draft, const PipelineSettings& settings, const PriceTable& prices,
                std::size_t maxListedChanges)
        : m_active(active), m_draft(draft), m_settings(settings), m_prices(prices), m_maxListedChanges(maxListedChanges)
    {
    }

    void add(const ReplayTrace& trace)
    {
        const QueryFeatures features = m_draft.features(trace.query, splitFlags(trace.flags),
                                                        metadataFromJson(trace.metadataJson));
        const RouteDecision active = m_active.route(features, trace.query);
        const RouteDecision draft = m_draft.route(features, trace.query);

        ReplayModelShare& activeShare = share(active.model);
        ++activeShare.activeQueries;
        activeShare.activeMonthlyUsd += price(trace.usage, active.model);
        ReplayModelShare& draftShare = share(draft.model);
        ++draftShare.draftQueries;
        draftShare.draftMonthlyUsd += price(trace.usage, draft.model);

        if (active.model != draft.model || active.rule != draft.rule) {
            ++m_report.changedQueries;
            if (m_report.changes.size() < m_maxListedChanges)
                m_report.changes.push_back({trace.id, trace.query, active.rule, active.model, draft.rule, draft.model});
        }
        ++m_report.queries;
        if (trace.id != 0) {
            m_oldestMs = std::min(m_oldestMs, trace.startedAtMs);
            m_newestMs = std::max(m_newestMs, trace.startedAtMs);
        }
    }

    // Scales the sums to 30 days of the observed volume.
    ReplayReport finish(int activeVersion)
    {
        m_report.activeVersion = activeVersion;
        m_report.spanDays = m_newestMs >= m_oldestMs ? (m_newestMs - m_oldestMs) / kMsPerDay : 0.0;
        const double factor = kDaysPerMonth / std::max(m_report.spanDays, 1.0);
        m_report.monthlyQueries = static_cast<double>(m_report.queries) * factor;
        for (auto& [name, model] : m_models) {
            model.activeMonthlyUsd *= factor;
            model.draftMonthlyUsd *= factor;
            m_report.activeMonthlyUsd += model.activeMonthlyUsd;
            m_report.draftMonthlyUsd += model.draftMonthlyUsd;
            m_report.models.push_back(model);
        }
        m_report.unpricedQueries = m_unpriced;
        return std::move(m_report);
    }

private:
    ReplayModelShare& share(const std::string& model)
    {
        ReplayModelShare& entry = m_models[model];
        entry.model = model;
        return entry;
    }

    double price(const TokenUsage& usage, const std::string& modelName)
    {
        const auto endpoint = std::find_if(m_settings.models.begin(), m_settings.models.end(),
                                           [&](const ModelEndpoint& m) { return m.name == modelName; });
        if (endpoint == m_settings.models.end()) {
            ++m_unpriced;
            return 0.0;
        }
        Result<CostBreakdown> cost = computeCost(usage, *endpoint, m_prices);
        if (!cost.isOk()) {
            ++m_unpriced;
            return 0.0;
        }
        return cost->totalUsd;
    }

    const Router& m_active;
    const Router& m_draft;
    const PipelineSettings& m_settings;
    const PriceTable& m_prices;
    std::size_t m_maxListedChanges;
    std::map<std::string, ReplayModelShare> m_models;
    ReplayReport m_report;
    std::int64_t m_unpriced = 0;
    std::int64_t m_oldestMs = INT64_MAX;
    std::int64_t m_newestMs = INT64_MIN;
};

// A question that is not a trace: it goes through the input guard as ask() would, and has no
// token counts.
ReplayTrace questionAsTrace(const std::string& question, const InputGuardOptions& guard)
{
    const InputGuardVerdict verdict = checkInput(question, guard);
    ReplayTrace trace;
    trace.query = verdict.sanitizedText;
    for (const Flag& flag : verdict.findings)
        trace.flags += (trace.flags.empty() ? "" : ",") + flag.kind;
    trace.metadataJson = "{}";
    return trace;
}

bool cancelledAt(const ReplayOptions& options, std::int64_t count)
{
    return count % 1000 == 0 && options.cancel != nullptr && options.cancel->load();
}

} // namespace

Result<ReplayReport> Engine::replay(const std::vector<RoutingRule>& draft, const ReplayOptions& options)
{
    Impl& impl = *m_impl;
    PipelineSettings candidate = impl.settings;
    candidate.rules = draft;
    if (Status status = validateSettings(candidate); !status.isOk())
        return Status::invalidArgument("the draft rule set is invalid: " + status.message());

    const Router draftRouter(draft, classifierFor(impl.settings));
    ReplayTally tally(*impl.router, draftRouter, impl.settings, impl.prices, options.maxListedChanges);
    std::int64_t seen = 0;
    bool stopped = false;
    if (!options.questions.empty()) {
        for (const std::string& question : options.questions) {
            if ((stopped = cancelledAt(options, ++seen)))
                break;
            tally.add(questionAsTrace(question, impl.settings.inputGuard));
        }
    } else {
        Status status = impl.store.forEachReplayTrace(std::max(options.lastTraces, 1), [&](const ReplayTrace& trace) {
            stopped = stopped || cancelledAt(options, ++seen);
            if (!stopped)
                tally.add(trace);
        });
        if (!status.isOk())
            return status;
    }
    if (stopped)
        return Status::cancelled("the replay was cancelled");
    if (seen == 0)
        return Status::notFound("there are no traces to replay in " + impl.store.path() +
                                "; ask some questions first, or replay a list of questions");
    return tally.finish(impl.activeRuleSet);
}

} // namespace llmops
