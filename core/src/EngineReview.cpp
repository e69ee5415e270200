// SPDX-License-Identifier: MIT
// The review queue as the engine exposes it: listing, verdicts, the allow-list and exports.
#include "EngineImpl.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "llmops/eval.h"
#include "llmops/text.h"

namespace llmops {
namespace {

using nlohmann::json;

// Longer phrases would be whole prompts, and matching them word by word costs more per sentence.
constexpr std::size_t kMaxAllowedPhraseWords = 64;

json itemToJson(const ReviewItem& item)
{
    return {{"id", item.id},
            {"kind", item.kind},
            {"trace_id", item.traceId},
            {"eval_ref", item.evalRef},
            {"detail", item.detail},
            {"status", item.status},
            {"verdict", item.verdict},
            {"note", item.note},
            {"corrected_answer", item.correctedAnswer},
            {"created_at_ms", item.createdAtMs},
            {"updated_at_ms", item.updatedAtMs},
            {"question", item.query},
            {"answer", item.answer},
            {"route", item.route},
            {"model", item.model}};
}

bool belongsInDataset(const ReviewItem& item)
{
    return item.traceId > 0 && (item.verdict == "correct" || !item.correctedAnswer.empty());
}

} // namespace

Result<std::vector<ReviewItem>> Engine::reviewItems(const ReviewFilter& filter)
{
    return m_impl->store.reviewItems(filter);
}

Result<ReviewCounts> Engine::reviewCounts(const ReviewFilter& filter)
{
    return m_impl->store.reviewCounts(filter);
}

Result<ReviewItem> Engine::reviewItem(std::int64_t id)
{
    return m_impl->store.reviewItem(id);
}

Result<std::int64_t> Engine::addReviewItem(const std::string& kind, std::int64_t traceId, const std::string& evalRef,
                                           const std::string& detail)
{
    if (traceId != 0 && !m_impl->store.hasTrace(traceId))
        return Status::notFound("no trace with id " + std::to_string(traceId) + " in " + path() +
                                "; list ids with `llmops traces`");
    return m_impl->store.insertReviewItem(kind, traceId, evalRef, detail);
}

Status Engine::setReviewVerdict(std::int64_t id, const std::string& verdict, const std::string& note,
                                const std::string& correctedAnswer)
{
    if (findInvalidUtf8(note) != std::string_view::npos)
        return Status::invalidArgument("the reviewer note is not valid UTF-8; type it again as text");
    if (findInvalidUtf8(correctedAnswer) != std::string_view::npos)
        return Status::invalidArgument("the corrected answer is not valid UTF-8; type it again as text");
    return m_impl->store.setReviewVerdict(id, verdict, note, correctedAnswer);
}

Status Engine::addToAllowList(const std::string& phrase)
{
    if (const std::size_t bad = findInvalidUtf8(phrase); bad != std::string_view::npos)
        return Status::invalidArgument("the allow-list phrase is not valid UTF-8 (byte " + std::to_string(bad) +
                                       "); pass the flagged text as it was typed");
    const std::size_t words = tokenizeWords(phrase).size();
    if (words == 0)
        return Status::invalidArgument("the allow-list phrase has no words; pass the text of the false alarm");
    if (words > kMaxAllowedPhraseWords)
        return Status::invalidArgument("the allow-list phrase has " + std::to_string(words) + " words, over the " +
                                       std::to_string(kMaxAllowedPhraseWords) +
                                       "-word limit; pass only the sentence that was flagged");
    PipelineSettings updated = settings();
    std::vector<std::string>& allowList = updated.inputGuard.allowList;
    const std::string trimmedPhrase(trimmed(phrase));
    if (std::find(allowList.begin(), allowList.end(), trimmedPhrase) != allowList.end())
        return Status::ok();
    allowList.push_back(trimmedPhrase);
    return updateSettings(updated);
}

Result<int> Engine::addReviewItemToDataset(std::int64_t reviewItemId, const std::string& datasetName)
{
    Result<ReviewItem> item = reviewItem(reviewItemId);
    if (!item.isOk())
        return item.status();
    if (!belongsInDataset(item.value()))
        return Status::invalidArgument("review item " + std::to_string(reviewItemId) +
                                       " has no answer to trust yet; mark it correct or write a corrected answer first");
    Result<QueryResult> stored = trace(item->traceId);
    if (!stored.isOk())
        return stored.status();

    EvalItem added;
    added.question = item->query;
    added.reference = item->correctedAnswer.empty() ? item->answer : item->correctedAnswer;
    for (const RetrievalHit& hit : stored->context)
        added.referenceContexts.push_back(hit.chunk.text);
    added.tags = {"review", item->kind};

    // Data sets are versioned, so adding an item stores the previous items with it as a new
    // version; runs of the older version keep comparing against what they ran.
    Result<std::unique_ptr<EvalStore>> evals = EvalStore::open(path());
    if (!evals.isOk())
        return evals.status();
    std::vector<EvalItem> items;
    if (Result<EvalDatasetInfo> existing = evals.value()->dataset(datasetName); existing.isOk()) {
        Result<std::vector<EvalItem>> previous = evals.value()->items(existing->id);
        if (!previous.isOk())
            return previous.status();
        items = std::move(previous.value());
        for (EvalItem& kept : items)
            kept.id = 0;
    }
    items.push_back(std::move(added));
    Result<EvalDatasetInfo> version =
        evals.value()->importDataset(datasetName, items, "review item " + std::to_string(reviewItemId));
    if (!version.isOk())
        return version.status();
    return version->version;
}

Result<std::int64_t> Engine::exportReview(const std::string& path, ReviewExportFormat format,
                                          const ReviewFilter& filter)
{
    Result<std::vector<ReviewItem>> items = reviewItems(filter);
    if (!items.isOk())
        return items.status();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        return Status::ioError("cannot write " + path + "; check that its folder exists and is writable");

    std::int64_t lines = 0;
    for (const ReviewItem& item : items.value()) {
        json line;
        if (format == ReviewExportFormat::Items) {
            line = itemToJson(item);
        } else {
            if (!belongsInDataset(item))
                continue;
            Result<QueryResult> stored = trace(item.traceId);
            if (!stored.isOk())
                return stored.status();
            json contexts = json::array();
            for (const RetrievalHit& hit : stored->context)
                contexts.push_back(hit.chunk.text);
            line = {{"question", item.query},
                    {"answer", item.correctedAnswer.empty() ? item.answer : item.correctedAnswer},
                    {"contexts", contexts}};
        }
        out << line.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
        ++lines;
    }
    out.flush();
    if (!out)
        return Status::ioError("writing " + path + " failed; check the free disk space");
    return lines;
}

} // namespace llmops
