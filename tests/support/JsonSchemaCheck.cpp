// SPDX-License-Identifier: MIT
#include "JsonSchemaCheck.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace llmops::test {
namespace {

const QSet<QString> kKeywords = {"type", "required", "properties", "additionalProperties", "items", "minItems",
                                 "pattern", "enum", "minimum", "maximum", "$ref", "oneOfKeys", "description",
                                 "definitions"};

class SchemaChecker {
public:
    explicit SchemaChecker(const QJsonObject& root) : m_definitions(root.value("definitions").toObject()) {}

    void check(const QJsonValue& value, const QJsonObject& schema, const QString& path)
    {
        for (auto key = schema.begin(); key != schema.end(); ++key) {
            if (!kKeywords.contains(key.key()))
                fail(path, "the schema uses the unsupported keyword " + key.key());
        }
        if (schema.contains("$ref")) {
            checkReference(value, schema.value("$ref").toString(), path);
            return;
        }
        if (schema.contains("type") && !hasType(value, schema.value("type").toString())) {
            fail(path, "expected " + schema.value("type").toString());
            return;
        }
        if (schema.contains("enum") && !schema.value("enum").toArray().contains(value))
            fail(path, "value not in the allowed set");
        checkNumber(value, schema, path);
        checkString(value, schema, path);
        if (value.isArray())
            checkArray(value.toArray(), schema, path);
        if (value.isObject())
            checkObject(value.toObject(), schema, path);
    }

    QStringList errors;

private:
    void fail(const QString& path, const QString& message) { errors << path + ": " + message; }

    static bool hasType(const QJsonValue& value, const QString& type)
    {
        if (type == "integer")
            return value.isDouble() && std::floor(value.toDouble()) == value.toDouble();
        return (type == "object" && value.isObject()) || (type == "array" && value.isArray()) ||
               (type == "string" && value.isString()) || (type == "number" && value.isDouble()) ||
               (type == "boolean" && value.isBool());
    }

    void checkReference(const QJsonValue& value, const QString& reference, const QString& path)
    {
        static const QString prefix = QStringLiteral("#/definitions/");
        const QString name = reference.startsWith(prefix) ? reference.mid(prefix.size()) : QString();
        if (!m_definitions.contains(name)) {
            fail(path, "the schema refers to a missing definition " + reference);
            return;
        }
        check(value, m_definitions.value(name).toObject(), path);
    }

    void checkNumber(const QJsonValue& value, const QJsonObject& schema, const QString& path)
    {
        if (!value.isDouble())
            return;
        if (schema.contains("minimum") && value.toDouble() < schema.value("minimum").toDouble())
            fail(path, "below the minimum");
        if (schema.contains("maximum") && value.toDouble() > schema.value("maximum").toDouble())
            fail(path, "above the maximum");
    }

    void checkString(const QJsonValue& value, const QJsonObject& schema, const QString& path)
    {
        if (!value.isString() || !schema.contains("pattern"))
            return;
        const QRegularExpression pattern(schema.value("pattern").toString());
        if (!pattern.isValid())
            fail(path, "the schema's pattern does not compile: " + pattern.errorString());
        else if (!pattern.match(value.toString()).hasMatch())
            fail(path, "\"" + value.toString().left(80) + "\" does not match " + pattern.pattern());
    }

    void checkArray(const QJsonArray& array, const QJsonObject& schema, const QString& path)
    {
        if (schema.contains("minItems") && array.size() < schema.value("minItems").toInt())
            fail(path, "fewer items than " + QString::number(schema.value("minItems").toInt()));
        if (!schema.contains("items"))
            return;
        for (int i = 0; i < array.size(); ++i)
            check(array.at(i), schema.value("items").toObject(), path + "[" + QString::number(i) + "]");
    }

    void checkObject(const QJsonObject& object, const QJsonObject& schema, const QString& path)
    {
        const QJsonObject properties = schema.value("properties").toObject();
        for (const QJsonValue required : schema.value("required").toArray()) {
            if (!object.contains(required.toString()))
                fail(path, "missing required member " + required.toString());
        }
        if (schema.contains("oneOfKeys")) {
            int present = 0;
            for (const QJsonValue key : schema.value("oneOfKeys").toArray())
                present += object.contains(key.toString()) ? 1 : 0;
            if (present != 1)
                fail(path, "needs exactly one of its value members, has " + QString::number(present));
        }
        for (auto member = object.begin(); member != object.end(); ++member) {
            if (properties.contains(member.key()))
                check(member.value(), properties.value(member.key()).toObject(), path + "." + member.key());
            else if (schema.value("additionalProperties") == QJsonValue(false))
                fail(path, "unexpected member " + member.key());
        }
    }

    QJsonObject m_definitions;
};

} // namespace

QStringList checkJsonSchema(const QJsonValue& value, const QJsonObject& schema)
{
    SchemaChecker checker(schema);
    checker.check(value, schema, QStringLiteral("$"));
    return checker.errors;
}

} // namespace llmops::test
