// SPDX-License-Identifier: MIT
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>

namespace llmops {

// Compiles a routing rule's pattern with RE2, case-insensitive. RE2 matches in time linear in
// the question's length whatever the pattern, so no rule can stall the router; it lacks
// back-references and look-around, which the rule check reports as invalid syntax.
inline std::shared_ptr<const re2::RE2> compileRoutingPattern(const std::string& pattern)
{
    re2::RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    options.set_max_mem(8 << 20);  // bounds the compiled program of a long alternation
    return std::make_shared<const re2::RE2>(pattern, options);
}

} // namespace llmops
