// SPDX-License-Identifier: MIT
#include "GuardScanners.h"

#include "llmops/text.h"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

namespace llmops::guard {
namespace {

// One slot of a cue pattern, see the pattern syntax in InjectionCues.cpp.
struct Slot {
    std::vector<std::string> words;    // exact alternatives
    std::vector<std::string> prefixes; // alternatives written with a trailing '*'
    bool optional = false;
    int maxGap = 0; // > 0 for a "~N" slot

    bool accepts(const std::string& word) const
    {
        for (const std::string& candidate : words) {
            if (word == candidate)
                return true;
        }
        for (const std::string& prefix : prefixes) {
            if (word.starts_with(prefix))
                return true;
        }
        return false;
    }
};

struct CompiledCue {
    const InjectionCue* cue;
    std::vector<Slot> slots;
};

Slot parseSlot(std::string_view token)
{
    Slot slot;
    if (token.starts_with('~')) {
        slot.maxGap = std::stoi(std::string(token.substr(1)));
        return slot;
    }
    if (token.starts_with('[') && token.ends_with(']')) {
        slot.optional = true;
        token = token.substr(1, token.size() - 2);
    }

    std::size_t start = 0;
    while (start <= token.size()) {
        const std::size_t bar = std::min(token.find('|', start), token.size());
        const std::string_view alternative = token.substr(start, bar - start);
        if (alternative.ends_with('*'))
            slot.prefixes.emplace_back(alternative.substr(0, alternative.size() - 1));
        else
            slot.words.emplace_back(alternative);
        start = bar + 1;
    }
    return slot;
}

std::vector<Slot> parsePattern(std::string_view pattern)
{
    std::vector<Slot> slots;
    std::size_t start = 0;
    while (start < pattern.size()) {
        const std::size_t space = std::min(pattern.find(' ', start), pattern.size());
        if (space > start)
            slots.push_back(parseSlot(pattern.substr(start, space - start)));
        start = space + 1;
    }
    return slots;
}

// The cues by the alternatives of their first slot, so that each word of a sentence is
// looked up once instead of being compared with every cue.
struct CueIndex {
    std::vector<CompiledCue> cues;
    std::unordered_map<std::string, std::vector<std::size_t>> byFirstWord;
    std::vector<std::pair<std::string, std::size_t>> byFirstPrefix;
};

const CueIndex& cueIndex()
{
    static const CueIndex index = [] {
        CueIndex built;
        for (const InjectionCue& cue : injectionCues()) {
            const std::size_t position = built.cues.size();
            built.cues.push_back({&cue, parsePattern(cue.pattern)});
            const Slot& first = built.cues.back().slots.front();
            for (const std::string& word : first.words)
                built.byFirstWord[word].push_back(position);
            for (const std::string& prefix : first.prefixes)
                built.byFirstPrefix.emplace_back(prefix, position);
        }
        return built;
    }();
    return index;
}

constexpr std::size_t kNoMatch = static_cast<std::size_t>(-1);

// Returns one past the last word of a match of slots[slot...] starting at words[word], or
// kNoMatch. Backtracks over optional and gap slots only, so the work per start word is bounded
// by the pattern's shape and not by the sentence length.
std::size_t matchEnd(const std::vector<Slot>& slots, std::size_t slot, const std::vector<std::string>& words,
                     std::size_t word)
{
    if (slot == slots.size())
        return word;

    const Slot& current = slots[slot];
    if (current.maxGap > 0) {
        for (int skip = 0; skip <= current.maxGap && word + skip <= words.size(); ++skip) {
            if (const std::size_t end = matchEnd(slots, slot + 1, words, word + skip); end != kNoMatch)
                return end;
        }
        return kNoMatch;
    }

    if (word < words.size() && current.accepts(words[word])) {
        if (const std::size_t end = matchEnd(slots, slot + 1, words, word + 1); end != kNoMatch)
            return end;
    }
    return current.optional ? matchEnd(slots, slot + 1, words, word) : kNoMatch;
}

double combineEvidence(const std::vector<const InjectionCue*>& cues)
{
    double unlikely = 1.0;
    for (const InjectionCue* cue : cues)
        unlikely *= 1.0 - cue->weight;
    return 1.0 - unlikely;
}

// Lower-cases the Latin-1 capitals (Ä, Ö, Ü, É, ...) that tokenizeWords() leaves alone, and
// Cyrillic capitals of the basic range, so German and Russian cues match sentence-initial words.
std::string foldCase(std::string_view sentence)
{
    std::string folded(sentence);
    for (std::size_t i = 0; i + 1 < folded.size(); ++i) {
        auto& lead = reinterpret_cast<unsigned char&>(folded[i]);
        auto& next = reinterpret_cast<unsigned char&>(folded[i + 1]);
        if (lead == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) {
            next += 0x20;
        } else if (lead == 0xD0 && next >= 0x90 && next <= 0x9F) {
            next += 0x20;
        } else if (lead == 0xD0 && next >= 0xA0 && next <= 0xAF) {
            lead = 0xD1;
            next -= 0x20;
        }
    }
    return folded;
}

std::vector<std::string> sentenceWords(std::string_view sentence)
{
    return tokenizeWords(foldCase(sentence));
}

// Word ranges [begin, end) of a sentence covered by an allowed phrase. Phrases are short, so
// the direct comparison at each start word stays linear in the sentence length.
using WordRanges = std::vector<std::pair<std::size_t, std::size_t>>;

WordRanges allowedRanges(const std::vector<std::string>& words, const std::vector<std::vector<std::string>>& phrases)
{
    WordRanges ranges;
    for (const std::vector<std::string>& phrase : phrases) {
        if (phrase.empty() || phrase.size() > words.size())
            continue;
        for (std::size_t start = 0; start + phrase.size() <= words.size(); ++start) {
            if (std::equal(phrase.begin(), phrase.end(), words.begin() + static_cast<std::ptrdiff_t>(start)))
                ranges.emplace_back(start, start + phrase.size());
        }
    }
    return ranges;
}

bool insideAny(const WordRanges& ranges, std::size_t begin, std::size_t end)
{
    return std::any_of(ranges.begin(), ranges.end(),
                       [&](const auto& range) { return range.first <= begin && end <= range.second; });
}

std::vector<const InjectionCue*> matchCues(std::string_view sentence,
                                           const std::vector<std::vector<std::string>>& allowedPhrases)
{
    const std::vector<std::string> words = sentenceWords(sentence);
    const WordRanges allowed = allowedRanges(words, allowedPhrases);
    const CueIndex& index = cueIndex();
    std::vector<bool> matched(index.cues.size(), false);
    const auto tryCue = [&](std::size_t cue, std::size_t word) {
        if (matched[cue])
            return;
        const std::size_t end = matchEnd(index.cues[cue].slots, 1, words, word + 1);
        matched[cue] = end != kNoMatch && !insideAny(allowed, word, end);
    };

    for (std::size_t i = 0; i < words.size(); ++i) {
        if (const auto found = index.byFirstWord.find(words[i]); found != index.byFirstWord.end()) {
            for (const std::size_t cue : found->second)
                tryCue(cue, i);
        }
        for (const auto& [prefix, cue] : index.byFirstPrefix) {
            if (words[i].starts_with(prefix))
                tryCue(cue, i);
        }
    }

    std::vector<const InjectionCue*> cues;
    for (std::size_t cue = 0; cue < matched.size(); ++cue) {
        if (matched[cue])
            cues.push_back(index.cues[cue].cue);
    }
    return cues;
}

// Base64 inside URL encoding is decoded too, but no deeper: each level is at most as long as
// the one before, so the whole scan stays linear.
constexpr int kMaxDecodingDepth = 2;

class Scanner {
public:
    explicit Scanner(const std::vector<std::string>& allowedPhrases)
    {
        for (const std::string& phrase : allowedPhrases)
            m_allowed.push_back(sentenceWords(foldForScanning(phrase).text));
    }

    // Scans text and reports spans in the original input. When encoding is set, text is a
    // decoded payload and every sentence found gets the span [tokenBegin, tokenEnd).
    void scan(std::string_view text, const std::string& encoding, std::size_t tokenBegin, std::size_t tokenEnd,
              int depth)
    {
        const FoldedText folded = foldForScanning(text);
        const std::string_view view = folded.text;
        for (const SentenceSpan& span : splitSentences(view)) {
            std::vector<const InjectionCue*> cues = matchCues(view.substr(span.begin, span.end - span.begin), m_allowed);
            if (cues.empty())
                continue;

            InjectionSentence sentence;
            sentence.begin = encoding.empty() ? folded.sourceBegin[span.begin] : tokenBegin;
            sentence.end = encoding.empty() ? folded.sourceEnd[span.end - 1] : tokenEnd;
            sentence.score = combineEvidence(cues);
            sentence.encoding = encoding;
            m_distinctCues.insert(cues.begin(), cues.end());
            sentence.cues = std::move(cues);
            m_sentences.push_back(std::move(sentence));
        }

        if (depth >= kMaxDecodingDepth)
            return;
        for (const DecodedPayload& payload : findEncodedPayloads(text)) {
            const std::string layers = encoding.empty() ? payload.encoding : encoding + ", then " + payload.encoding;
            const std::size_t begin = encoding.empty() ? payload.begin : tokenBegin;
            const std::size_t end = encoding.empty() ? payload.end : tokenEnd;
            scan(payload.text, layers, begin, end, depth + 1);
        }
    }

    InjectionScan finish()
    {
        // A cue repeated in many sentences counts once, while different cues spread over
        // several sentences add up, as in a benign request followed by a separate injected
        // instruction.
        InjectionScan scan;
        scan.score = combineEvidence({m_distinctCues.begin(), m_distinctCues.end()});
        std::stable_sort(m_sentences.begin(), m_sentences.end(),
                         [](const InjectionSentence& a, const InjectionSentence& b) { return a.begin < b.begin; });
        scan.sentences = std::move(m_sentences);
        return scan;
    }

private:
    std::vector<std::vector<std::string>> m_allowed;
    std::set<const InjectionCue*> m_distinctCues;
    std::vector<InjectionSentence> m_sentences;
};

} // namespace

InjectionScan scanInjection(std::string_view text, const std::vector<std::string>& allowedPhrases)
{
    Scanner scanner(allowedPhrases);
    scanner.scan(text, "", 0, 0, 0);
    return scanner.finish();
}

} // namespace llmops::guard
