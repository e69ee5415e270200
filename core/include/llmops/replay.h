// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "llmops/settings.h"

namespace llmops {

// A stored version of a workspace's routing rules.
struct RuleSetVersion {
    int version = 0;
    std::string note;              // the author's note, such as "send German questions to medium"
    std::int64_t createdAtMs = 0;  // Unix time in milliseconds
    bool active = false;
    std::vector<RoutingRule> rules;
};

// The input of a replay: the newest `lastTraces` stored traces (blocked ones are skipped,
// because they never reached the router), or, when questions is not empty, those questions.
struct ReplayOptions {
    int lastTraces = 1000;
    std::vector<std::string> questions;
    const std::atomic<bool>* cancel = nullptr;  // polled every 1,000 queries
    std::size_t maxListedChanges = 1000;        // ReplayReport::changes keeps at most this many
};

// Queries and projected monthly cost of one model under the active and the draft rules.
struct ReplayModelShare {
    std::string model;
    std::int64_t activeQueries = 0;
    std::int64_t draftQueries = 0;
    double activeMonthlyUsd = 0.0;
    double draftMonthlyUsd = 0.0;
};

// A query whose route differs between the active and the draft rules.
struct ReplayChange {
    std::int64_t traceId = 0;  // 0 for a question that was not a trace
    std::string query;
    std::string activeRule;
    std::string activeModel;
    std::string draftRule;
    std::string draftModel;
};

// The outcome of replaying queries through a draft rule set. Costs price each trace's recorded
// token counts with the model each rule set picks, and scale them to a month: the sum is
// multiplied by 30 days over the time the replayed traces span (at least one day). Questions
// that are not traces have no token counts and cost nothing.
struct ReplayReport {
    std::int64_t queries = 0;
    int activeVersion = 0;
    double spanDays = 0.0;             // time between the oldest and newest replayed trace
    double monthlyQueries = 0.0;       // queries scaled to 30 days
    double activeMonthlyUsd = 0.0;
    double draftMonthlyUsd = 0.0;
    std::int64_t unpricedQueries = 0;  // routings to a model without a price, counted at zero
    std::int64_t changedQueries = 0;   // queries whose rule or model differs
    std::vector<ReplayModelShare> models;  // sorted by model name
    std::vector<ReplayChange> changes;     // the newest changedQueries, up to maxListedChanges
};

} // namespace llmops
