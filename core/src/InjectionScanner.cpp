// SPDX-License-Identifier: MIT
#include "GuardScanners.h"

#include "llmops/text.h"

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

namespace llmops::guard {
namespace {

// Patterns are sequences of word slots matched against tokenizeWords() output of one sentence:
//   a|b|c    one word equal to one of the alternatives; "instruction*" matches by prefix
//   [a|b]    an optional slot
//   ~N       up to N arbitrary words
// The first slot must be a plain word slot. Weights were chosen on hand-written examples and
// on the train split of the deepset prompt-injections set. A single weak cue (0.45 or less)
// stays below the default threshold of 0.5, so blocking needs a strong cue or two weak ones.
constexpr std::array kCues = {
    // English: overriding earlier instructions.
    InjectionCue{"ignore previous instructions",
                 "ignore|disregard|forget|override|bypass|overlook ~3 "
                 "previous|above|prior|preceding|earlier|former|foregoing|initial|original ~2 "
                 "instruction*|prompt*|rule*|direction*|directive*|order*|guideline*|command*|task*|"
                 "assignment*|information|context|message*|conversation|input*|document*|article*",
                 0.85},
    InjectionCue{
        "ignore your instructions",
        "ignore|disregard|forget|drop|override|bypass|change ~2 all|your|any|these ~2 "
        "instruction*|prompt*|rule*|guideline*|directive*|programming|thoughts|documents|context|articles",
        0.75},
    InjectionCue{"forget everything", "ignore|disregard|forget [about] everything", 0.7},
    InjectionCue{"ignore the above", "ignore|disregard|forget ~3 above|before|earlier|previously|beforehand",
                 0.45},
    InjectionCue{"previous instructions",
                 "previous|prior|above|preceding|earlier|original instruction*|prompt*|directions", 0.4},
    InjectionCue{"disregard", "disregard*", 0.3},
    InjectionCue{"ignore the documents",
                 "not|dont|without|disregard*|ignor*|regardless ~4 provided|the|these ~1 "
                 "article*|documents|context",
                 0.35},
    InjectionCue{"own knowledge", "your own knowledge", 0.35},
    InjectionCue{"new task", "new task*|instruction*|assignment*|challenge", 0.35},
    InjectionCue{"focus on a new task", "focus|concentrate on ~2 new task*|assignment*", 0.5},
    InjectionCue{"do not answer the question", "do|dont [not] answer ~2 question", 0.45},
    InjectionCue{"instead output", "instead output|print|say|write|reply|respond", 0.45},
    InjectionCue{"just output", "just|only output|say|print", 0.3},
    InjectionCue{"repeat after me", "repeat after me", 0.5},
    InjectionCue{"leave the previous information behind",
                 "leave|put ~3 previous|prior|earlier ~2 information|instructions|tasks|context behind", 0.6},
    InjectionCue{"your instructions are now", "your instruction*|task|job are|is now", 0.6},
    InjectionCue{"despite what you were told", "despite|regardless ~2 what you|youve ~2 told", 0.6},
    InjectionCue{"stop and write", "stop|stopp [now] write|say|print|schreibe|schreib", 0.5},
    InjectionCue{"attention, stop", "attention|achtung stop|stopp", 0.5},
    InjectionCue{"information in the prompt", "in|from this|the prompt", 0.35},

    // English: closing the user's task and starting another one, and requests to make up or
    // state chosen content.
    InjectionCue{"that is enough", "that|thats is|was [now] enough|done", 0.3},
    InjectionCue{"now write", "now [please] write|say|generate|formulate|tell|state", 0.3},
    InjectionCue{"help me with another task", "help [me] with ~2 following|another|next|new task*", 0.3},
    InjectionCue{"you have outdone yourself", "outdone|outdid yourself", 0.3},
    InjectionCue{"ignore the above and say", "ignore|disregard|forget ~2 above|before ~2 say|print|write|output", 0.6},
    InjectionCue{"untrue headline", "untrue|false|fake|misleading headline*|news|statement*|claim*", 0.55},
    InjectionCue{"execute the following command", "execute|run the following command*|code|script", 0.35},
    InjectionCue{"make something up", "make|making something|things up", 0.45},
    InjectionCue{"say yes", "say yes|no", 0.3},
    InjectionCue{"include that you", "include that you", 0.35},
    InjectionCue{"you hate", "you hate", 0.35},
    InjectionCue{"hate speech", "hate speech", 0.35},
    InjectionCue{"or you die", "or you die|dies", 0.5},
    InjectionCue{"answer in the style of",
                 "answer|respond|reply|talk|speak|write ~1 in|like [the] style|manner|pirate", 0.35},
    InjectionCue{"additional instructions", "additional|extra|further instruction*", 0.4},
    InjectionCue{"the text before", "sentences|words|lines|text before|above the|this text|prompt", 0.5},
    InjectionCue{"actors", "actors|actor|characters", 0.3},

    // English: a new identity or role for the model.
    InjectionCue{"you are now", "you are now", 0.45},
    InjectionCue{"now you are", "now you are", 0.55},
    InjectionCue{"from now on", "from now on", 0.3},
    InjectionCue{"act as", "act|behave as a|an|if", 0.4},
    InjectionCue{"I want you to act as", "want you to act|behave|respond|pretend as", 0.8},
    InjectionCue{"pretend to be", "pretend to be", 0.6},
    InjectionCue{"pretend you are", "pretend [that] you|youre", 0.6},
    InjectionCue{"imagine you are", "imagine [that] you are|were|re", 0.5},
    InjectionCue{"play the role of", "play the role|part of", 0.45},
    InjectionCue{"role play", "role play|playing", 0.5},
    InjectionCue{"in the style of", "in the style of", 0.3},
    InjectionCue{"im Stil von", "im stil eines|einer|von", 0.3},
    InjectionCue{"address the model by name", "hello|hi|hey|hallo|dear gpt|chatgpt", 0.35},
    InjectionCue{"stay in character", "stay|remain|break|out ~3 character|role|roles", 0.35},
    InjectionCue{"without restrictions",
                 "without|no ~1 restrictions|filters|censorship|guidelines|moral*|ethic*", 0.35},

    // English: extracting the hidden prompt, and named jailbreaks.
    InjectionCue{"system prompt", "system prompt*|message|instruction*", 0.45},
    InjectionCue{"your instructions", "your instruction*|prompt|programming|guidelines", 0.35},
    InjectionCue{"reveal your instructions",
                 "reveal|show|print|display|repeat|output|leak|tell|spell ~3 your|system|initial|"
                 "original|hidden|secret|full|entire|complete ~1 instruction*|prompt*",
                 0.75},
    InjectionCue{"prompt text", "prompt text|texts|texte", 0.45},
    InjectionCue{"beginning of the prompt", "beginning|start of this|the|your prompt|conversation", 0.55},
    InjectionCue{"written above", "written|said above", 0.4},
    InjectionCue{"jailbreak", "jailbreak*", 0.6},
    InjectionCue{"DAN", "dan", 0.3},
    InjectionCue{"do anything now", "do anything now", 0.8},
    InjectionCue{"developer mode", "developer|god mode", 0.45},
    InjectionCue{"bypass the safety filters",
                 "override|bypass|disable ~3 safety|filter*|restriction*|guardrail*|censorship", 0.45},

    // German.
    InjectionCue{"vergiss alles", "vergiss|vergesse|vergessen|vergesst alles", 0.75},
    InjectionCue{"ignoriere vorherige Anweisungen",
                 "ignoriere|ignorieren|ignorier|vergiss|vergessen|missachte|missachten|übergehe ~3 "
                 "vorherig*|obig*|bisherig*|vorangehend*|vorangegangen*|früher*|alle|dein*|sämtliche ~2 "
                 "anweisung*|instruktion*|befehl*|aufgabe*|aufträge|auftrag|angaben|informationen|"
                 "regeln|vorgaben|ausführungen|anordnungen",
                 0.85},
    InjectionCue{"vorherige Anweisungen ignorieren",
                 "vorherig*|obig*|bisherig*|vorangehend*|vorangegangen*|alle ~3 anweisung*|instruktion*|"
                 "befehl*|aufgabe*|aufträge|angaben|informationen|ausführungen|vorgaben ~5 "
                 "ignorier*|vergess*|streichen|hinter|irrelevant|unwichtig",
                 0.75},
    InjectionCue{"vergiss das Vorherige",
                 "vergiss|vergessen|ignoriere|ignorieren ~3 davor|vorher|zuvor|oben|gesagte", 0.45},
    InjectionCue{"vorherige Anweisungen",
                 "vorherig*|obig*|bisherig*|vorangegangen* anweisung*|instruktion*|befehl*", 0.4},
    InjectionCue{"abweichend von vorherigen Anweisungen", "abweichend ~2 vorherig*|bisherig*|obig*", 0.5},
    InjectionCue{"neue Aufgabe", "neue|neuen|neuer anweisung*|aufgabe*|instruktion*|herausforderung", 0.35},
    InjectionCue{"konzentriere dich auf die neue Aufgabe",
                 "konzentriere|konzentrieren ~3 neue|neuen aufgabe*", 0.5},
    InjectionCue{"du bist jetzt", "du bist jetzt|nun|ab", 0.45},
    InjectionCue{"jetzt bist du", "jetzt|nun bist du", 0.55},
    InjectionCue{"tu so als", "tu|tue|tun [sie] so als", 0.6},
    InjectionCue{"stell dir vor, du bist",
                 "stell|stelle|stellen [dir|sie] [sich] vor ~1 du|sie bist|wärst|wären|seist", 0.5},
    InjectionCue{"als ... fungieren", "als ~6 fungier*|agier*", 0.45},
    InjectionCue{"dass du als ... fungierst", "dass sie|du als ~6 fungier*|agier*|handel*", 0.75},
    InjectionCue{"spiele die Rolle", "spiel|spiele|spielen die rolle", 0.45},
    InjectionCue{"Systemprompt", "systemprompt*|systemanweisung*", 0.45},
    InjectionCue{"zeige deine Anweisungen",
                 "zeige|zeig|gib|nenne|verrate ~3 dein*|gesamt*|vollständig*|ursprünglich*|versteckt*|"
                 "geheim* ~2 prompt*|anweisung*|instruktion*|systemprompt*",
                 0.7},

    InjectionCue{"das genügt", "das genügt|reicht|langt", 0.3},
    InjectionCue{"das ist erledigt", "das ist [nun] erledigt|genug", 0.3},
    InjectionCue{"jetzt schreibe", "nun|jetzt [bitte] verfasse|schreibe|schreib|formuliere|sag|sage|erzähle", 0.3},
    InjectionCue{"schreibe jetzt", "verfasse|schreibe|schreib|formuliere|sag|sage|erzähle nun|jetzt", 0.3},
    InjectionCue{"hilf mir bei einer weiteren Aufgabe",
                 "hilf|helfen|hilfe ~3 folgender|folgenden|weiteren|neuen|anderen aufgabe", 0.3},
    InjectionCue{"du hast dich selbst übertroffen", "selbst|dich übertroffen", 0.3},
    InjectionCue{"oder du stirbst", "oder du|sie stirbst|sterben", 0.5},
    InjectionCue{"antworte im Stil", "antworte|antworten|antwortest|sprich|rede|schreibe ~1 im|wie stil|ein|eine", 0.35},
    InjectionCue{"du bist keine ... sondern", "du bist kein|keine ~4 sondern", 0.55},
    InjectionCue{"unwahre Überschrift", "unwahre|falsche|gefälschte überschrift*|schlagzeile*|nachricht*|behauptung*",
                 0.55},
    InjectionCue{"erfinde etwas", "erfinde|erfinden [dir] [einfach] etwas|was", 0.45},
    InjectionCue{"Schauspieler", "schauspieler|schauspielerin*", 0.3},
    InjectionCue{"bleibe in der Rolle", "bleib|bleibe|bleiben|bleibt ~3 rolle|rollen|figur", 0.35},

    // Spanish, French, Croatian and Russian forms of "forget all instructions".
    InjectionCue{"forget all instructions (other languages)",
                 "olvida|olvide|olvidar|oubliez|oublie|zaboravi|забудьте|забудь ~3 "
                 "instrucciones|instructions|instrukcije|инструкции|todo|tout|sve",
                 0.7},
};

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
        for (const InjectionCue& cue : kCues) {
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
