// SPDX-License-Identifier: MIT
// `llmops guard scan`: the input guard's detectors over one text per line.
#include "Commands.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

#include "llmops/guard.h"
#include "llmops/text.h"

namespace llmops::cli {
namespace {

// Converts byte offsets to code point offsets by counting the bytes that start a code point.
// Offsets asked in increasing order cost one pass over the text in total.
class CodePointCounter {
public:
    explicit CodePointCounter(std::string_view text) : m_text(text) {}

    std::size_t offsetOf(std::size_t byteOffset)
    {
        if (byteOffset < m_byte) {
            m_byte = 0;
            m_count = 0;
        }
        for (; m_byte < byteOffset && m_byte < m_text.size(); ++m_byte)
            m_count += (static_cast<unsigned char>(m_text[m_byte]) & 0xC0) != 0x80;
        return m_count;
    }

private:
    std::string_view m_text;
    std::size_t m_byte = 0;
    std::size_t m_count = 0;
};

struct LineScan {
    double injectionScore = 0.0;
    bool injectionDetected = false;
    std::vector<Flag> evidence; // one "prompt_injection" finding per sentence that matched a cue
    std::vector<PiiEntity> pii;
};

LineScan scanLine(std::string_view text)
{
    // A threshold of 0 makes checkInput() list every sentence with a cue, so the evidence is
    // shown below the detection threshold too. The verdict uses the default threshold.
    InputGuardOptions listAll;
    listAll.blockInjection = false;
    listAll.redactPii = false;
    listAll.injectionThreshold = 0.0;
    const InputGuardVerdict verdict = checkInput(text, listAll);

    LineScan scan;
    scan.injectionScore = verdict.injectionScore;
    scan.injectionDetected = verdict.injectionScore >= InputGuardOptions{}.injectionThreshold;
    for (const Flag& finding : verdict.findings) {
        if (finding.kind == "prompt_injection")
            scan.evidence.push_back(finding);
    }
    scan.pii = findPii(text);
    return scan;
}

nlohmann::json toJson(std::string_view text, const LineScan& scan)
{
    nlohmann::json evidence = nlohmann::json::array();
    CodePointCounter counter(text);
    for (const Flag& sentence : scan.evidence) {
        const std::size_t start = counter.offsetOf(sentence.begin);
        evidence.push_back({{"start", start},
                            {"end", counter.offsetOf(sentence.end)},
                            {"detail", sentence.detail}});
    }
    nlohmann::json pii = nlohmann::json::array();
    for (const PiiEntity& entity : scan.pii) {
        nlohmann::json item = {{"type", entity.type}, {"start", entity.beginCodePoint}, {"end", entity.endCodePoint}};
        if (entity.validChecksum)
            item["valid_checksum"] = *entity.validChecksum;
        pii.push_back(std::move(item));
    }
    return {{"injection", {{"detected", scan.injectionDetected}, {"score", scan.injectionScore}, {"evidence", evidence}}},
            {"pii", pii}};
}

void printText(long long lineNumber, std::string_view text, const LineScan& scan)
{
    std::printf("line %lld: injection %s (score %.2f)\n", lineNumber,
                scan.injectionDetected ? "detected" : "not detected", scan.injectionScore);
    CodePointCounter counter(text);
    for (const Flag& sentence : scan.evidence) {
        const std::size_t start = counter.offsetOf(sentence.begin);
        std::printf("  evidence [%zu, %zu): %s\n", start, counter.offsetOf(sentence.end), sentence.detail.c_str());
    }
    for (const PiiEntity& entity : scan.pii) {
        const std::string_view match = text.substr(entity.begin, entity.end - entity.begin);
        std::printf("  %s [%zu, %zu) \"%.*s\"%s\n", entity.type.c_str(), entity.beginCodePoint, entity.endCodePoint,
                    static_cast<int>(match.size()), match.data(), entity.validChecksum ? " checksum valid" : "");
    }
}

// Scans one line and prints its result. Returns false when the line is not valid UTF-8.
bool scanAndPrint(const CommonOptions& options, long long lineNumber, std::string_view text)
{
    const std::size_t invalid = findInvalidUtf8(text);
    if (invalid != std::string_view::npos) {
        const std::string message = "line " + std::to_string(lineNumber) + ": invalid UTF-8 at byte " +
                                    std::to_string(invalid);
        if (options.json)
            std::cout << nlohmann::json{{"line", lineNumber}, {"error", message}}.dump() << '\n';
        else
            std::cout << message << '\n';
        return false;
    }
    if (options.json)
        std::cout << toJson(text, scanLine(text)).dump() << '\n';
    else
        printText(lineNumber, text, scanLine(text));
    std::cout.flush();
    return true;
}

} // namespace

int runGuardScan(const CommonOptions& options, const std::optional<std::string>& text)
{
    if (text)
        return scanAndPrint(options, 1, *text) ? 0 : 1;

    bool allValid = true;
    long long lineNumber = 0;
    std::string line;
    while (std::getline(std::cin, line)) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        allValid = scanAndPrint(options, lineNumber, line) && allValid;
    }
    return allValid ? 0 : 1;
}

} // namespace llmops::cli
