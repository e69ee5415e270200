// SPDX-License-Identifier: MIT
#pragma once

#include "llmops/types.h"

#include <QString>

namespace llmops::ui {

// HTML for the answer: the text escaped, line breaks kept, and every "[n]" that names one of the
// result's citations turned into a link to "#citation-n".
QString answerToHtml(const llmops::QueryResult& result);

// HTML for the citation list: per citation its number (the "citation-n" anchor), the document
// title, the heading path without a leading copy of the title, and the snippet, all escaped.
QString citationsToHtml(const llmops::QueryResult& result);

// The anchor name of citation number n, "citation-n".
QString citationAnchor(int number);

} // namespace llmops::ui
