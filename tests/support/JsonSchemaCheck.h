// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace llmops::test {

// Checks value against a JSON schema written with a small set of keywords: type (object,
// array, string, integer, number, boolean), required, properties, additionalProperties
// (false only), items, minItems, pattern (a regular expression in PCRE syntax), enum,
// minimum, maximum, $ref ("#/definitions/NAME") and oneOfKeys (exactly one of the listed
// members present). Returns one message per violation, each naming the JSON path; empty when
// value conforms. Unknown keywords are reported too, so a schema cannot silently check less.
QStringList checkJsonSchema(const QJsonValue& value, const QJsonObject& schema);

} // namespace llmops::test
