// SPDX-License-Identifier: MIT
#include "llmops/guard.h"

#include "GuardScanners.h"

#include <algorithm>
#include <cstdio>

namespace llmops {
namespace {

std::string formatScore(double score)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.2f", score);
    return buffer;
}

// Lists the matched cues with their weights, for example
// "cues: "forget everything" (0.70), "new task" (0.35); sentence score 0.81, text score 0.81",
// led by "decoded from base64: " when the sentence was hidden in an encoded token.
std::string describeSentence(const guard::InjectionSentence& sentence, double textScore)
{
    std::string detail;
    if (!sentence.encoding.empty())
        detail = "decoded from " + sentence.encoding + ": ";
    detail += "cues: ";
    for (std::size_t i = 0; i < sentence.cues.size(); ++i) {
        if (i > 0)
            detail += ", ";
        detail += '"';
        detail += sentence.cues[i]->label;
        detail += "\" (" + formatScore(sentence.cues[i]->weight) + ")";
    }
    detail += "; sentence score " + formatScore(sentence.score) + ", text score " + formatScore(textScore);
    return detail;
}

// A span to replace and its placeholder.
struct Replacement {
    std::size_t begin;
    std::size_t end;
    std::string placeholder;
};

// Replaces the spans; a span that overlaps one kept before it is skipped, because the
// earlier (and, at equal starts, longer) span already covers its text.
std::string redact(std::string_view text, std::vector<Replacement> replacements)
{
    std::sort(replacements.begin(), replacements.end(), [](const Replacement& a, const Replacement& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
    std::string redacted;
    redacted.reserve(text.size());
    std::size_t copied = 0;
    for (const Replacement& replacement : replacements) {
        if (replacement.begin < copied)
            continue;
        redacted.append(text.substr(copied, replacement.begin - copied));
        redacted.append(replacement.placeholder);
        copied = replacement.end;
    }
    redacted.append(text.substr(copied));
    return redacted;
}

void addBlockReason(InputGuardVerdict* verdict, const std::string& kind)
{
    verdict->blocked = true;
    if (verdict->blockReason.find(kind) != std::string::npos)
        return;
    if (!verdict->blockReason.empty())
        verdict->blockReason += ", ";
    verdict->blockReason += kind;
}

} // namespace

const char* guardActionName(GuardAction action)
{
    switch (action) {
    case GuardAction::Block: return "block";
    case GuardAction::Redact: return "redact";
    case GuardAction::Flag: return "flag";
    }
    return "flag";
}

std::optional<GuardAction> parseGuardAction(std::string_view name)
{
    for (const GuardAction action : {GuardAction::Block, GuardAction::Redact, GuardAction::Flag}) {
        if (name == guardActionName(action))
            return action;
    }
    return std::nullopt;
}

GuardAction guardAction(const InputGuardOptions& options, std::string_view kind)
{
    if (const auto exact = options.actions.find(std::string(kind)); exact != options.actions.end())
        return exact->second;
    const std::string group(kind.substr(0, kind.find('.')));
    if (const auto grouped = options.actions.find(group); grouped != options.actions.end())
        return grouped->second;
    if (kind == "prompt_injection")
        return options.blockInjection ? GuardAction::Block : GuardAction::Flag;
    return options.redactPii ? GuardAction::Redact : GuardAction::Flag;
}

InputGuardVerdict checkInput(std::string_view text, const InputGuardOptions& options)
{
    InputGuardVerdict verdict;
    std::vector<Replacement> replacements;

    // 1. Prompt injection. Findings are added only when the combined score reaches the
    //    threshold, one per sentence (or decoded token) that contributed a cue.
    const guard::InjectionScan injection = guard::scanInjection(text, options.allowList);
    verdict.injectionScore = injection.score;
    if (injection.score >= options.injectionThreshold) {
        const GuardAction action = guardAction(options, "prompt_injection");
        for (const guard::InjectionSentence& sentence : injection.sentences) {
            verdict.findings.push_back({"prompt_injection", describeSentence(sentence, injection.score),
                                        sentence.begin, sentence.end});
            if (action == GuardAction::Redact)
                replacements.push_back({sentence.begin, sentence.end, "[REMOVED]"});
        }
        if (action == GuardAction::Block)
            addBlockReason(&verdict, "prompt_injection");
    }

    // 2. PII, each entity handled by the action of its kind.
    for (const Flag& flag : guard::scanPii(text)) {
        const GuardAction action = guardAction(options, flag.kind);
        if (action == GuardAction::Block)
            addBlockReason(&verdict, flag.kind);
        else if (action == GuardAction::Redact)
            replacements.push_back({flag.begin, flag.end, guard::piiType(flag.kind).placeholder});
        verdict.findings.push_back(flag);
    }

    // The blocked question is still stored in the trace, so PII that blocks it is replaced too.
    if (verdict.blocked) {
        for (const Flag& flag : verdict.findings) {
            if (flag.kind.starts_with("pii.") && guardAction(options, flag.kind) == GuardAction::Block)
                replacements.push_back({flag.begin, flag.end, guard::piiType(flag.kind).placeholder});
        }
    }
    verdict.sanitizedText = redact(text, std::move(replacements));
    return verdict;
}

} // namespace llmops
