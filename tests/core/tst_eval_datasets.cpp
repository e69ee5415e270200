// SPDX-License-Identifier: MIT
// Eval data set files (JSONL, CSV, promptfoo YAML): import, export, bad files, versions.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "TestPaths.h"
#include "TestWorkspace.h"
#include "llmops/eval.h"

using namespace llmops;
using llmops::test::TestWorkspace;
using llmops::test::writeFile;

namespace {

std::string fixture(const char* name)
{
    return (llmops::test::testDataDir() + QStringLiteral("/evals/") + QString::fromUtf8(name)).toStdString();
}

std::string written(const TestWorkspace& workspace, const char* name, const QByteArray& bytes)
{
    return writeFile(workspace.filePath(QString::fromUtf8(name)), bytes).toStdString();
}

} // namespace

class TestEvalDatasets : public QObject {
    Q_OBJECT

private slots:
    void importsTheRagasSample()
    {
        REQUIRE_SHARED_DATA(path, "rag-qa/amnesty-qa-10.jsonl");
        const Result<std::vector<EvalItem>> items = readDatasetFile(path.toStdString());
        QVERIFY2(items.isOk(), items.status().message().c_str());
        QCOMPARE(items.value().size(), std::size_t{10});
        for (const EvalItem& item : items.value()) {
            QVERIFY(!item.question.empty());
            QVERIFY(!item.reference.empty());           // ground_truth, a list, joined
            QVERIFY(!item.referenceContexts.empty());   // context
            QVERIFY(!item.response.empty());            // answer
        }
    }

    void readsRagasAndOlderColumnNames()
    {
        const Result<std::vector<EvalItem>> items = readDatasetFile(fixture("lumen-small.jsonl"));
        QVERIFY2(items.isOk(), items.status().message().c_str());
        QCOMPARE(items.value().size(), std::size_t{6});
        QCOMPARE(items.value()[0].tags, std::vector<std::string>{"refunds"});
        QCOMPARE(items.value()[2].question, std::string("How much does the Studio plan cost per year?"));
        QVERIFY(items.value()[2].reference.starts_with("The Studio plan"));
        QCOMPARE(items.value()[3].referenceContexts.size(), std::size_t{1});
    }

    void importsPromptfooTests()
    {
        const Result<std::vector<EvalItem>> items = readDatasetFile(fixture("promptfoo-lumen.yaml"));
        QVERIFY2(items.isOk(), items.status().message().c_str());
        QCOMPARE(items.value().size(), std::size_t{3});
        const auto first = nlohmann::json::parse(items.value()[0].assertionsJson);
        QCOMPARE(first.size(), std::size_t{2});
        QCOMPARE(first[0]["type"].get<std::string>(), std::string("icontains"));
        QCOMPARE(first[1]["type"].get<std::string>(), std::string("llm-rubric"));
        QCOMPARE(items.value()[1].tags, (std::vector<std::string>{"cancellation", "billing"}));
        QCOMPARE(items.value()[1].referenceContexts.size(), std::size_t{1});
        // The equals assertion gives the reference when vars do not.
        QCOMPARE(items.value()[2].reference, std::string("No, the renewal of a monthly plan is not refunded."));
        const auto third = nlohmann::json::parse(items.value()[2].assertionsJson);
        QCOMPARE(third[1]["threshold"].get<double>(), 0.7);
    }

    void roundTripsEveryFormat()
    {
        TestWorkspace workspace;
        const Result<std::vector<EvalItem>> original = readDatasetFile(fixture("promptfoo-lumen.yaml"));
        QVERIFY(original.isOk());
        for (const char* name : {"out.jsonl", "out.csv", "out.yaml"}) {
            const std::string path = workspace.filePath(QString::fromUtf8(name)).toStdString();
            QVERIFY(writeDatasetFile(path, original.value()).isOk());
            const Result<std::vector<EvalItem>> back = readDatasetFile(path);
            QVERIFY2(back.isOk(), back.status().message().c_str());
            QCOMPARE(back.value().size(), original.value().size());
            for (std::size_t i = 0; i < back.value().size(); ++i) {
                QCOMPARE(back.value()[i].question, original.value()[i].question);
                QCOMPARE(back.value()[i].reference, original.value()[i].reference);
                QCOMPARE(back.value()[i].referenceContexts, original.value()[i].referenceContexts);
                QCOMPARE(back.value()[i].tags, original.value()[i].tags);
            }
        }
    }

    void badFilesNameFileLineAndField_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("malformed json") << "bad.jsonl"
                                        << QByteArray("{\"question\": \"a?\"}\n\n{\"question\": \"b?\"\n")
                                        << "bad.jsonl line 3: malformed JSON";
        QTest::newRow("no question") << "noq.jsonl" << QByteArray("{\"answer\": \"x\"}\n")
                                     << "noq.jsonl line 1: missing question";
        QTest::newRow("wrong type") << "type.jsonl" << QByteArray("{\"question\": \"q?\", \"contexts\": 4}\n")
                                    << "type.jsonl line 1, field \"contexts\"";
        QTest::newRow("csv without question column") << "cols.csv" << QByteArray("answer,reference\nx,y\n")
                                                      << "cols.csv line 1: missing question column";
        QTest::newRow("csv cell count") << "cells.csv" << QByteArray("question,reference\n\"a?\",b\nc?\n")
                                        << "cells.csv line 3: 1 cells";
        QTest::newRow("binary") << "blob.jsonl" << QByteArray("{\"question\"\0\x01", 13) << "is binary";
        QTest::newRow("invalid utf-8") << "latin.csv" << QByteArray("question\nCaf\xe9?\n")
                                       << "latin.csv line 2: invalid UTF-8";
        QTest::newRow("empty") << "empty.jsonl" << QByteArray() << "is empty";
        QTest::newRow("yaml assertion") << "bad.yaml"
                                        << QByteArray("tests:\n  - vars: {question: \"q?\"}\n    assert:\n"
                                                      "      - type: javascript\n        value: x\n")
                                        << "bad.yaml line 4, field \"type\": unsupported assertion type";
        QTest::newRow("yaml syntax") << "syntax.yaml" << QByteArray("tests:\n  - vars: {question: [q\n")
                                     << "syntax.yaml line";
    }

    void badFilesNameFileLineAndField()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        TestWorkspace workspace;
        const std::string path = written(workspace, qPrintable(name), bytes);
        const Result<std::vector<EvalItem>> items = readDatasetFile(path);
        QVERIFY(!items.isOk());
        QVERIFY2(QString::fromStdString(items.status().message()).contains(expected),
                 items.status().message().c_str());
    }

    void storesVersionsAndNothingPartial()
    {
        TestWorkspace workspace;
        auto store = EvalStore::open(workspace.workspacePath().toStdString());
        QVERIFY(store.isOk());
        const Result<std::vector<EvalItem>> items = readDatasetFile(fixture("lumen-small.jsonl"));
        QVERIFY(items.isOk());

        QCOMPARE(store.value()->importDataset("lumen", items.value(), "a.jsonl").value().version, 1);
        QCOMPARE(store.value()->importDataset("lumen", items.value(), "b.jsonl").value().version, 2);

        std::vector<EvalItem> broken = items.value();
        broken[4].question = "  ";
        QVERIFY(!store.value()->importDataset("lumen", broken, "c.jsonl").isOk());
        QVERIFY(!store.value()->importDataset("other", {}, "d.jsonl").isOk());

        const auto datasets = store.value()->datasets();
        QCOMPARE(datasets.value().size(), std::size_t{1});
        QCOMPARE(datasets.value().front().version, 2);
        QCOMPARE(datasets.value().front().itemCount, std::int64_t{6});
        const auto first = store.value()->dataset("lumen", 1);
        QCOMPARE(store.value()->items(first.value().id).value().size(), std::size_t{6});
        QCOMPARE(store.value()->dataset("missing").status().code(), StatusCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestEvalDatasets)
#include "tst_eval_datasets.moc"
