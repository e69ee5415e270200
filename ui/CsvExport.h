// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QAbstractItemModel;

namespace llmops::ui {

// The model's header and display texts as CSV (RFC 4180: fields with commas, quotes or line
// breaks are quoted, quotes doubled). Cells starting with = + - or @ get a leading apostrophe
// so that spreadsheets do not run them as formulas.
QString modelToCsv(const QAbstractItemModel& model);

// Writes modelToCsv to path; returns an empty string or the reason it failed.
QString writeModelCsv(const QAbstractItemModel& model, const QString& path);

} // namespace llmops::ui
