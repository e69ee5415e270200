// SPDX-License-Identifier: MIT
#include "llmops/guard.h"

#include "GuardScanners.h"

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
// "cues: "forget everything" (0.70), "new task" (0.35); sentence score 0.81, text score 0.81".
std::string describeSentence(const guard::InjectionSentence& sentence, double textScore)
{
    std::string detail = "cues: ";
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

std::string redact(std::string_view text, const std::vector<Flag>& pii)
{
    std::string redacted;
    redacted.reserve(text.size());
    std::size_t copied = 0;
    for (const Flag& flag : pii) {
        redacted.append(text.substr(copied, flag.begin - copied));
        redacted.append(guard::piiType(flag.kind).placeholder);
        copied = flag.end;
    }
    redacted.append(text.substr(copied));
    return redacted;
}

} // namespace

InputGuardVerdict checkInput(std::string_view text, const InputGuardOptions& options)
{
    InputGuardVerdict verdict;

    // 1. Prompt injection. Findings are added only when the combined score reaches the
    //    threshold, one per sentence that contributed a cue.
    const guard::InjectionScan injection = guard::scanInjection(text);
    verdict.injectionScore = injection.score;
    const bool injected = injection.score >= options.injectionThreshold;
    if (injected) {
        for (const guard::InjectionSentence& sentence : injection.sentences) {
            verdict.findings.push_back({"prompt_injection", describeSentence(sentence, injection.score),
                                        sentence.begin, sentence.end});
        }
    }
    verdict.blocked = injected && options.blockInjection;

    // 2. PII. Findings are always added, and the spans are replaced only when redaction is on.
    const std::vector<Flag> pii = guard::scanPii(text);
    verdict.findings.insert(verdict.findings.end(), pii.begin(), pii.end());
    verdict.sanitizedText = options.redactPii ? redact(text, pii) : std::string(text);
    return verdict;
}

} // namespace llmops
