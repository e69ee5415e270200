// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "llmops/engine.h"
#include "llmops/settings.h"
#include "llmops/types.h"

#include <QMetaType>
#include <QString>

namespace llmops::ui {

using DocumentRows = std::vector<llmops::Engine::DocumentRow>;
using ReviewItems = std::vector<llmops::ReviewItem>;
using RoutingRules = std::vector<llmops::RoutingRule>;
using RuleSetVersions = std::vector<llmops::RuleSetVersion>;
using TraceRows = std::vector<llmops::TraceRow>;

// Registers the engine's value structs so queued signals can carry them between threads.
// Safe to call more than once.
void registerEngineMetaTypes();

// Converts between QString file paths and the byte paths the engine takes, using the local
// file name encoding rather than assuming UTF-8.
std::string toEnginePath(const QString& path);
QString fromEnginePath(const std::string& path);

// Converts engine text, which is UTF-8, to a QString.
inline QString fromUtf8(const std::string& text)
{
    return QString::fromStdString(text);
}

} // namespace llmops::ui

Q_DECLARE_METATYPE(llmops::IndexReport)
Q_DECLARE_METATYPE(llmops::WorkspaceStats)
Q_DECLARE_METATYPE(llmops::QueryResult)
Q_DECLARE_METATYPE(llmops::ui::DocumentRows)
Q_DECLARE_METATYPE(llmops::PipelineSettings)
Q_DECLARE_METATYPE(llmops::ReviewItem)
Q_DECLARE_METATYPE(llmops::ui::ReviewItems)
Q_DECLARE_METATYPE(llmops::ReviewCounts)
Q_DECLARE_METATYPE(llmops::ReviewFilter)
Q_DECLARE_METATYPE(llmops::ReplayReport)
Q_DECLARE_METATYPE(llmops::ui::RoutingRules)
Q_DECLARE_METATYPE(llmops::ui::RuleSetVersions)
Q_DECLARE_METATYPE(llmops::MetricsQuery)
Q_DECLARE_METATYPE(llmops::MetricsReport)
Q_DECLARE_METATYPE(llmops::TraceFilter)
Q_DECLARE_METATYPE(llmops::ui::TraceRows)
