// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QAbstractItemModel;
class QWidget;

namespace llmops::ui {

// The model's header and display texts as CSV (RFC 4180: fields with commas, quotes or line
// breaks are quoted, quotes doubled). Cells starting with = + - or @ get a leading apostrophe
// so that spreadsheets do not run them as formulas.
QString modelToCsv(const QAbstractItemModel& model);

// Writes modelToCsv to path; returns an empty string or the reason it failed.
QString writeModelCsv(const QAbstractItemModel& model, const QString& path);

// Asks for a file name (suggestedName first) and writes the model there; returns an empty
// string when it was written or the user cancelled, else the reason it failed.
QString saveModelCsv(QWidget* parent, const QAbstractItemModel& model, const QString& suggestedName);

} // namespace llmops::ui
