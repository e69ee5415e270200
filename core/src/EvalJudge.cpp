// SPDX-License-Identifier: MIT
// The four metrics scored by a judge model with RAGAS's method. The model extracts and judges
// statements, writes questions back from the answer and marks useful chunks, and the arithmetic
// over its verdicts follows RAGAS. docs/METRICS.md lists the tasks.
#include "llmops/eval_metrics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>

#include "llmops/embedder.h"
#include "llmops/generator.h"

namespace llmops {
namespace {

using Json = nlohmann::json;

std::vector<RetrievalHit> passages(const std::vector<std::string>& texts)
{
    std::vector<RetrievalHit> hits(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
        hits[i].chunk.text = texts[i];
    return hits;
}

// Sends one task and reads the JSON object in the reply; a discarded value when there is none.
Json ask(Generator& judge, const std::string& task, const std::vector<std::string>& contexts,
         const std::atomic<bool>* cancel)
{
    GenerationRequest request;
    request.query = task;
    request.context = passages(contexts);
    request.systemPrompt = kJudgeSystemPrompt;
    request.cancel = cancel;
    const Result<Completion> reply = judge.generate(request);
    if (!reply.isOk())
        return Json(Json::value_t::discarded);
    const std::string& text = reply.value().text;
    const std::size_t open = text.find('{');
    const std::size_t close = text.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return Json(Json::value_t::discarded);
    return Json::parse(text.substr(open, close - open + 1), nullptr, false);
}

// The share of entries of list whose field is 1; nothing for an empty or malformed list.
std::optional<double> shareOfOnes(const Json& reply, const char* list, const char* field)
{
    if (!reply.is_object() || !reply.contains(list) || !reply[list].is_array() || reply[list].empty())
        return std::nullopt;
    int ones = 0;
    for (const Json& entry : reply[list]) {
        if (entry.is_object() && entry.value(field, 0) == 1)
            ++ones;
    }
    return static_cast<double>(ones) / static_cast<double>(reply[list].size());
}

std::optional<double> judgeFaithfulness(Generator& judge, const MetricInput& input, const std::atomic<bool>* cancel)
{
    const std::string task =
        "Break the ANSWER below into short standalone statements. For each statement give verdict 1 when it "
        "can be inferred from the numbered context, else 0. Reply with JSON only: "
        "{\"statements\": [{\"statement\": \"...\", \"verdict\": 0 or 1}]}.\nANSWER: " + input.answer;
    return shareOfOnes(ask(judge, task, input.contexts, cancel), "statements", "verdict");
}

std::optional<double> judgeRelevancy(Generator& judge, const MetricInput& input, const std::atomic<bool>* cancel)
{
    const std::string task =
        "Write 3 questions that the ANSWER below answers, and set noncommittal to 1 when the answer is evasive "
        "or vague, else 0. Reply with JSON only: {\"questions\": [\"...\"], \"noncommittal\": 0 or 1}.\nANSWER: " +
        input.answer;
    const Json reply = ask(judge, task, {}, cancel);
    if (!reply.is_object() || !reply.contains("questions") || !reply["questions"].is_array() ||
        reply["questions"].empty())
        return std::nullopt;
    if (reply.value("noncommittal", 0) == 1)
        return 0.0;

    // RAGAS's score: the mean cosine of the generated questions to the real one.
    const HashingEmbedder embedder;
    const std::vector<float> question = embedder.embedOne(input.question);
    double sum = 0.0;
    for (const Json& generated : reply["questions"]) {
        const std::vector<float> vector = embedder.embedOne(generated.is_string() ? generated.get<std::string>() : "");
        sum += std::inner_product(question.begin(), question.end(), vector.begin(), 0.0);
    }
    return std::clamp(sum / static_cast<double>(reply["questions"].size()), 0.0, 1.0);
}

std::optional<double> judgeRecall(Generator& judge, const MetricInput& input, const std::string& reference,
                                  const std::atomic<bool>* cancel)
{
    const std::string task =
        "Split the REFERENCE below into sentences. For each give attributed 1 when the numbered context "
        "supports it, else 0. Reply with JSON only: {\"sentences\": [{\"sentence\": \"...\", \"attributed\": 0 or 1}]}."
        "\nREFERENCE: " + reference;
    if (input.contexts.empty())
        return 0.0;
    return shareOfOnes(ask(judge, task, input.contexts, cancel), "sentences", "attributed");
}

std::optional<double> judgePrecision(Generator& judge, const MetricInput& input, const std::string& reference,
                                     const std::atomic<bool>* cancel)
{
    const std::string task =
        "For each numbered context in order, give 1 when it was useful for arriving at the REFERENCE answer to the "
        "QUESTION, else 0. Reply with JSON only: {\"verdicts\": [0 or 1, ...]} with one entry per context.\n"
        "QUESTION: " + input.question + "\nREFERENCE: " + reference;
    if (input.contexts.empty())
        return 0.0;
    const Json reply = ask(judge, task, input.contexts, cancel);
    if (!reply.is_object() || !reply.contains("verdicts") || !reply["verdicts"].is_array() ||
        reply["verdicts"].size() != input.contexts.size())
        return std::nullopt;
    std::vector<bool> relevant;
    for (const Json& verdict : reply["verdicts"])
        relevant.push_back(verdict == 1);
    return rankAwarePrecision(relevant);
}

} // namespace

const char* const kJudgeSystemPrompt =
    "You grade the answers of a retrieval-augmented assistant. Follow the task exactly, judge only from the text "
    "given, and reply with the JSON object the task asks for and nothing else.";

EvalScores judgeScores(Generator& judge, const MetricInput& input, const std::atomic<bool>* cancel)
{
    EvalScores scores;
    if (!input.answer.empty()) {
        scores[static_cast<int>(EvalMetric::Faithfulness)] = judgeFaithfulness(judge, input, cancel);
        scores[static_cast<int>(EvalMetric::AnswerRelevancy)] = judgeRelevancy(judge, input, cancel);
    }
    std::string reference = input.reference;
    for (const std::string& context : input.referenceContexts)
        reference += (reference.empty() ? "" : "\n") + context;
    if (!reference.empty()) {
        scores[static_cast<int>(EvalMetric::ContextRecall)] = judgeRecall(judge, input, reference, cancel);
        scores[static_cast<int>(EvalMetric::ContextPrecision)] = judgePrecision(judge, input, reference, cancel);
    }
    return scores;
}

} // namespace llmops
