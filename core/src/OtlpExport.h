// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "llmops/metrics.h"
#include "llmops/types.h"

namespace llmops {

// One stored trace as the exporter needs it: the result with its spans, when it started, its
// stored status and the provider and model id of the endpoint that answered.
struct OtlpTraceInput {
    QueryResult result;
    std::int64_t startedAtMs = 0;
    std::string status;
    std::string provider;      // gen_ai.provider.name, such as "openai"
    std::string requestModel;  // the model id the endpoint sends
    bool synthetic = false;
};

// An OTLP/JSON ExportTraceServiceRequest: one root span per trace with the pipeline stages as
// child spans; the generator span carries the OpenTelemetry GenAI attributes. workspaceKey
// makes trace ids differ between workspaces whose trace numbers coincide.
std::string otlpRequestJson(const std::vector<OtlpTraceInput>& traces, const OtlpExportOptions& options,
                            const std::string& workspaceKey);

} // namespace llmops
