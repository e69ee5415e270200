// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/types.h"

#include <QString>

namespace llmops::ui {

// HTML for the answer: the text escaped, line breaks kept, and every "[n]" that names one of the
// result's citations turned into a link to "#citation-n". Each sentence the output validator
// judged unsupported gets a red background. Every judged sentence gets a tooltip (title) with
// its support score and best supporting chunk.
QString answerToHtml(const llmops::QueryResult& result);

// HTML for the list of judged sentences beside the answer: per claim a mark (supported or not),
// the score, the sentence and, when a chunk supports it, that chunk's document, heading and id.
QString claimsToHtml(const llmops::QueryResult& result);

// HTML list of findings: per flag its kind in bold and its detail, escaped; empty for none.
QString flagsToHtml(const std::vector<llmops::Flag>& flags);

// Background colour of unsupported sentences, shared with the Review page.
inline constexpr const char* kUnsupportedColor = "#ffd0d0";

// HTML for the citation list: per citation its number (the "citation-n" anchor), the document
// title, the heading path without a leading copy of the title, and the snippet, all escaped.
QString citationsToHtml(const llmops::QueryResult& result);

// The anchor name of citation number n, "citation-n".
QString citationAnchor(int number);

} // namespace llmops::ui
