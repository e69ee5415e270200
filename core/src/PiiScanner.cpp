// SPDX-License-Identifier: MIT
#include "GuardScanners.h"

#include <algorithm>
#include <optional>
#include <string>

namespace llmops::guard {
namespace {

// RFC 5321 limits. Scanning never goes further from an '@' than these, which keeps the e-mail
// scan linear even on text made of '@' and address characters.
constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxDomain = 253;

// A number never has more digits than the longest card, so longer runs are skipped outright.
constexpr std::size_t kMaxNumberDigits = 19;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isAsciiLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isLocalPartChar(char c)
{
    return isAsciiLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool isDomainChar(char c)
{
    return isAsciiLetter(c) || isDigit(c) || c == '.' || c == '-';
}

// Accepts "example.co.uk": at least two labels, no empty label, no label starting or ending
// with '-', and a top-level label of at least two letters.
bool isValidDomain(std::string_view domain)
{
    std::size_t labels = 0;
    std::string_view last;
    std::size_t start = 0;
    while (start <= domain.size()) {
        const std::size_t dot = std::min(domain.find('.', start), domain.size());
        const std::string_view label = domain.substr(start, dot - start);
        if (label.empty() || label.front() == '-' || label.back() == '-')
            return false;
        last = label;
        ++labels;
        start = dot + 1;
    }
    return labels >= 2 && last.size() >= 2 && std::all_of(last.begin(), last.end(), isAsciiLetter);
}

std::optional<Flag> emailAt(std::string_view text, std::size_t at)
{
    std::size_t begin = at;
    while (begin > 0 && at - begin < kMaxLocalPart && isLocalPartChar(text[begin - 1]))
        --begin;
    while (begin < at && text[begin] == '.')
        ++begin;

    std::size_t end = at + 1;
    while (end < text.size() && end - at - 1 < kMaxDomain && isDomainChar(text[end]))
        ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-'))
        --end;

    if (begin == at || !isValidDomain(text.substr(at + 1, end - at - 1)))
        return std::nullopt;
    return Flag{"pii.email", "e-mail address", begin, end};
}

std::vector<Flag> scanEmails(std::string_view text)
{
    std::vector<Flag> found;
    for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        std::optional<Flag> email = emailAt(text, at);
        if (email && (found.empty() || email->begin >= found.back().end))
            found.push_back(*email);
    }
    return found;
}

// A run of digits inside a candidate number, with what separates it from the previous group.
struct DigitGroup {
    std::size_t begin = 0; // first digit, or the '(' of a parenthesised group
    std::size_t end = 0;   // one past the last digit, or past the ')'
    std::string digits;
    char separator = 0; // ' ', '-', '.', '/' or 0 when the group follows directly
    bool parenthesised = false;
};

struct NumberRun {
    bool hasPlus = false;
    std::vector<DigitGroup> groups;
};

bool isSeparator(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '/';
}

// Reads one digit group at i, "123" or "(555)". Returns false when none starts there.
bool readGroup(std::string_view text, std::size_t& i, DigitGroup& group)
{
    const bool open = i < text.size() && text[i] == '(';
    std::size_t k = open ? i + 1 : i;
    const std::size_t digitsBegin = k;
    while (k < text.size() && isDigit(text[k]))
        ++k;
    if (k == digitsBegin || (open && (k >= text.size() || text[k] != ')')))
        return false;

    group.begin = i;
    group.digits.assign(text.substr(digitsBegin, k - digitsBegin));
    group.parenthesised = open;
    group.end = open ? k + 1 : k;
    i = group.end;
    return true;
}

// Reads the longest run of digit groups joined by single separators starting at i, and moves
// i past it. A run of many groups is read once, so scanning stays linear.
NumberRun readRun(std::string_view text, std::size_t& i)
{
    NumberRun run;
    run.hasPlus = text[i] == '+';
    std::size_t k = run.hasPlus ? i + 1 : i;
    char separator = 0;
    DigitGroup group;
    while (readGroup(text, k, group)) {
        group.separator = separator;
        run.groups.push_back(group);

        // ") " and a single separator both join groups; anything else ends the run.
        std::size_t next = k;
        separator = 0;
        if (next < text.size() && isSeparator(text[next]))
            separator = text[next++];
        if (next >= text.size() || !(isDigit(text[next]) || text[next] == '('))
            break;
        k = next;
    }
    i = run.groups.empty() ? i + 1 : run.groups.back().end;
    return run;
}

bool isCard(const NumberRun& run, std::size_t first, std::size_t last, const std::string& digits)
{
    if (digits.size() < 13 || digits.size() > 19 || (first == 0 && run.hasPlus))
        return false;
    for (std::size_t g = first; g <= last; ++g) {
        const DigitGroup& group = run.groups[g];
        // Printed cards use groups of three to six digits (4-4-4-4, 4-6-5, 4-4-4-4-3), so a run of
        // one- or two-digit groups is something else.
        const bool grouped = first != last;
        if (group.parenthesised || (grouped && group.digits.size() < 3) ||
            (g > first && group.separator != ' ' && group.separator != '-'))
            return false;
    }
    return passesLuhn(digits);
}

// North American form: [1] (555) 123-4567, 555-123-4567, 555.123.4567 or 555 123 4567.
bool isNorthAmericanPhone(const NumberRun& run, std::size_t first, std::size_t last)
{
    std::size_t g = first;
    if (last - first == 3 && run.groups[g].digits == "1")
        ++g;
    if (last - g != 2)
        return false;
    return run.groups[g].digits.size() == 3 && run.groups[g + 1].digits.size() == 3 &&
           run.groups[g + 2].digits.size() == 4 && !run.groups[g + 1].parenthesised &&
           !run.groups[g + 2].parenthesised;
}

// Indian mobile numbers have ten digits starting with 6 to 9, written whole or as 5 + 5.
bool isIndianMobile(const NumberRun& run, std::size_t first, std::size_t last, const std::string& digits)
{
    if (digits.size() != 10 || digits.front() < '6' || digits.front() > '9')
        return false;
    return first == last || (last - first == 1 && run.groups[first].digits.size() == 5);
}

bool isPhone(const NumberRun& run, std::size_t first, std::size_t last, const std::string& digits)
{
    if (digits.size() < 10 || digits.size() > 15)
        return false;

    // "+CC ..." in international format: E.164 allows at most 15 digits and no leading zero.
    // Only the country code may be a single digit, so "+1 2 3 4 5 6 7 8 9 0" is no number.
    if (first == 0 && run.hasPlus) {
        for (std::size_t g = first + 1; g <= last; ++g) {
            if (run.groups[g].digits.size() < 2)
                return false;
        }
        return digits.front() != '0';
    }
    return isNorthAmericanPhone(run, first, last) || isIndianMobile(run, first, last, digits);
}

// A number may not continue into a word, as in "A1234567890" or "9876543210x".
bool isBoundary(std::string_view text, std::size_t begin, std::size_t end)
{
    const auto wordLike = [](char c) { return isAsciiLetter(c) || isDigit(c) || c == '_' || c == '@'; };
    const bool startOk = begin == 0 || !wordLike(text[begin - 1]);
    const bool endOk = end == text.size() || !wordLike(text[end]);
    return startOk && endOk;
}

// Finds the longest card or phone number starting at group `first`. Cards win over phones of
// the same extent because a Luhn match is stronger evidence.
std::optional<Flag> longestNumberAt(std::string_view text, const NumberRun& run, std::size_t first,
                                    std::size_t& last)
{
    std::optional<Flag> best;
    std::string digits;
    for (std::size_t g = first; g < run.groups.size(); ++g) {
        digits += run.groups[g].digits;
        if (digits.size() > kMaxNumberDigits)
            break;

        const std::size_t begin =
            first == 0 && run.hasPlus ? run.groups[0].begin - 1 : run.groups[first].begin;
        const std::size_t end = run.groups[g].end;
        if (!isBoundary(text, begin, end))
            continue;
        if (isCard(run, first, g, digits)) {
            best = Flag{"pii.card", "payment card number (Luhn check passed)", begin, end};
            last = g;
        } else if (isPhone(run, first, g, digits)) {
            best = Flag{"pii.phone", "phone number", begin, end};
            last = g;
        }
    }
    return best;
}

void collectNumbers(std::string_view text, const NumberRun& run, std::vector<Flag>& found)
{
    for (std::size_t first = 0; first < run.groups.size(); ++first) {
        // Numbers start at the beginning of the run or after a space, never inside "555-1234".
        if (first > 0 && run.groups[first].separator != ' ')
            continue;
        std::size_t last = first;
        if (std::optional<Flag> number = longestNumberAt(text, run, first, last)) {
            found.push_back(*number);
            first = last;
        }
    }
}

std::vector<Flag> scanNumbers(std::string_view text)
{
    std::vector<Flag> found;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        const bool canStart =
            isDigit(c) || c == '(' || (c == '+' && i + 1 < text.size() && isDigit(text[i + 1]));
        if (!canStart) {
            ++i;
            continue;
        }
        const NumberRun run = readRun(text, i);
        collectNumbers(text, run, found);
    }
    return found;
}

} // namespace

bool passesLuhn(std::string_view digits)
{
    int sum = 0;
    bool doubleIt = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int value = *it - '0';
        if (doubleIt)
            value = value * 2 > 9 ? value * 2 - 9 : value * 2;
        sum += value;
        doubleIt = !doubleIt;
    }
    return !digits.empty() && sum % 10 == 0;
}

std::vector<Flag> scanPii(std::string_view text)
{
    std::vector<Flag> found = scanEmails(text);

    // Digits inside an address ("9876543210@example.com") belong to the address. Both lists
    // are ordered by begin, so one forward pass finds the overlaps.
    const std::size_t emailCount = found.size();
    std::size_t email = 0;
    for (const Flag& number : scanNumbers(text)) {
        while (email < emailCount && found[email].end <= number.begin)
            ++email;
        const bool insideEmail = email < emailCount && found[email].begin < number.end;
        if (!insideEmail)
            found.push_back(number);
    }

    std::sort(found.begin(), found.end(), [](const Flag& a, const Flag& b) { return a.begin < b.begin; });
    return found;
}

} // namespace llmops::guard
