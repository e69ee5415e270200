// SPDX-License-Identifier: MIT
// The weighted phrases the injection scanner looks for, in English and German.
#include "GuardScanners.h"

#include <array>

namespace llmops::guard {
namespace {

// Patterns are sequences of word slots that InjectionScanner.cpp matches against the
// tokenizeWords() output of one sentence:
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

} // namespace

std::span<const InjectionCue> injectionCues()
{
    return kCues;
}

} // namespace llmops::guard
