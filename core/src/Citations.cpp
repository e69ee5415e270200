// SPDX-License-Identifier: MIT
#include "llmops/generator.h"

#include <algorithm>
#include <optional>

namespace llmops {

namespace {

// Numbers longer than this cannot be a context number and would overflow an int.
constexpr size_t kMaxDigits = 6;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

void skipSpaces(const std::string& text, size_t& pos)
{
    while (pos < text.size() && text[pos] == ' ')
        ++pos;
}

std::optional<int> readNumber(const std::string& text, size_t& pos)
{
    const size_t start = pos;
    while (pos < text.size() && isDigit(text[pos]))
        ++pos;
    const size_t digits = pos - start;
    if (digits == 0 || digits > kMaxDigits)
        return std::nullopt;
    return std::stoi(text.substr(start, digits));
}

// Parses "[1]" or "[1, 2, 3]" starting at the '[' at pos. Returns the numbers and moves pos past
// the ']', or returns nothing for anything else, such as "[a]", "[1,]" or a Markdown link text.
std::optional<std::vector<int>> readBracketGroup(const std::string& text, size_t& pos)
{
    size_t cursor = pos + 1;
    std::vector<int> numbers;
    while (true) {
        skipSpaces(text, cursor);
        const std::optional<int> number = readNumber(text, cursor);
        if (!number)
            return std::nullopt;
        numbers.push_back(*number);

        skipSpaces(text, cursor);
        if (cursor >= text.size())
            return std::nullopt;
        if (text[cursor] == ']')
            break;
        if (text[cursor] != ',')
            return std::nullopt;
        ++cursor;
    }
    pos = cursor + 1;
    return numbers;
}

} // namespace

std::vector<int> parseCitationMarkers(const std::string& text, int maxNumber)
{
    std::vector<int> cited;
    size_t pos = 0;
    while ((pos = text.find('[', pos)) != std::string::npos) {
        const std::optional<std::vector<int>> group = readBracketGroup(text, pos);
        if (!group) {
            ++pos;
            continue;
        }
        for (int number : *group) {
            const bool inRange = number >= 1 && number <= maxNumber;
            if (inRange && std::find(cited.begin(), cited.end(), number) == cited.end())
                cited.push_back(number);
        }
    }
    return cited;
}

} // namespace llmops
