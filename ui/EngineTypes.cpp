// SPDX-License-Identifier: MIT
#include "EngineTypes.h"

#include <QFile>

namespace llmops::ui {

void registerEngineMetaTypes()
{
    qRegisterMetaType<llmops::IndexReport>();
    qRegisterMetaType<llmops::WorkspaceStats>();
    qRegisterMetaType<llmops::QueryResult>();
    qRegisterMetaType<llmops::ui::DocumentRows>();
    qRegisterMetaType<llmops::PipelineSettings>();
    qRegisterMetaType<llmops::ReviewItem>();
    qRegisterMetaType<llmops::ui::ReviewItems>();
    qRegisterMetaType<llmops::ReviewCounts>();
    qRegisterMetaType<llmops::ReviewFilter>();
    qRegisterMetaType<llmops::ReplayReport>();
    qRegisterMetaType<llmops::ui::RoutingRules>();
    qRegisterMetaType<llmops::ui::RuleSetVersions>();
    qRegisterMetaType<llmops::MetricsQuery>();
    qRegisterMetaType<llmops::MetricsReport>();
    qRegisterMetaType<llmops::TraceFilter>();
    qRegisterMetaType<llmops::ui::TraceRows>();
}

std::string toEnginePath(const QString& path)
{
    return QFile::encodeName(path).toStdString();
}

QString fromEnginePath(const std::string& path)
{
    return QFile::decodeName(QByteArray::fromStdString(path));
}

} // namespace llmops::ui
