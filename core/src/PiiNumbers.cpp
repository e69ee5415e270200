// SPDX-License-Identifier: MIT
// Numbers written as digit groups: payment cards, Aadhaar numbers, US SSNs and phone numbers.
#include "GuardScanners.h"

#include <optional>
#include <string>

namespace llmops::guard {
namespace {

// A number never has more digits than the longest card, so longer runs are skipped outright.
constexpr std::size_t kMaxNumberDigits = 19;

// A run of digits inside a candidate number, with what separates it from the previous group.
struct DigitGroup {
    std::size_t begin = 0; // first digit, or the '(' of a parenthesised group
    std::size_t end = 0;   // one past the last digit, or past the ')'
    std::string digits;
    char separator = 0; // ' ', '-', '.', '/', ':' or 0 when the group follows directly
    bool parenthesised = false;
};

struct NumberRun {
    bool hasPlus = false;
    std::vector<DigitGroup> groups;
};

// Groups first..last of a run, with their digits concatenated.
struct Candidate {
    const NumberRun& run;
    std::size_t first;
    std::size_t last;
    std::string digits;

    const DigitGroup& group(std::size_t offset) const { return run.groups[first + offset]; }
    std::size_t groupCount() const { return last - first + 1; }
    bool international() const { return first == 0 && run.hasPlus; }
};

bool isSeparator(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '/' || c == ':';
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

// True when every group after the first follows the same separator, one of `allowed`, and
// no group is parenthesised.
bool hasUniformSeparators(const Candidate& number, std::string_view allowed)
{
    for (std::size_t g = 0; g < number.groupCount(); ++g) {
        const DigitGroup& group = number.group(g);
        if (group.parenthesised)
            return false;
        if (g > 0 && (allowed.find(group.separator) == std::string_view::npos || group.separator == 0 ||
                      group.separator != number.group(1).separator))
            return false;
    }
    return true;
}

bool hasGroupSizes(const Candidate& number, std::initializer_list<std::size_t> sizes)
{
    if (number.groupCount() != sizes.size())
        return false;
    std::size_t g = 0;
    for (const std::size_t size : sizes) {
        if (number.group(g++).digits.size() != size)
            return false;
    }
    return true;
}

bool isCard(const Candidate& number)
{
    if (number.digits.size() < 13 || number.digits.size() > 19 || number.international())
        return false;
    // Only Visa issued 13-digit numbers.
    if (number.digits.size() == 13 && number.digits.front() != '4')
        return false;
    for (std::size_t g = 0; g < number.groupCount(); ++g) {
        const DigitGroup& group = number.group(g);
        // Printed cards use groups of three to six digits (4-4-4-4, 4-6-5, 4-4-4-4-3), so a run of
        // one- or two-digit groups is something else.
        const bool grouped = number.groupCount() > 1;
        if (group.parenthesised || (grouped && group.digits.size() < 3) ||
            (g > 0 && group.separator != ' ' && group.separator != '-'))
            return false;
    }
    return passesLuhn(number.digits);
}

// Aadhaar: twelve digits, the first 2 to 9, written whole or as 4 + 4 + 4, with a Verhoeff
// check digit last.
bool isAadhaar(const Candidate& number)
{
    if (number.digits.size() != 12 || number.international() || number.digits.front() < '2')
        return false;
    const bool shaped = number.groupCount() == 1 ? !number.group(0).parenthesised
                                                 : hasGroupSizes(number, {4, 4, 4}) &&
                                                       hasUniformSeparators(number, " -:");
    return shaped && passesVerhoeff(number.digits);
}

// US SSN: area-group-serial as 3-2-4 digits with one separator throughout. Area 000, 666 and
// 900-999, group 00 and serial 0000 are never issued. Nine digits written without separators
// are left alone because they are just as often order or account numbers.
bool isSsn(const Candidate& number)
{
    if (number.international() || !hasGroupSizes(number, {3, 2, 4}) || !hasUniformSeparators(number, "-. "))
        return false;
    const std::string& area = number.group(0).digits;
    return area != "000" && area != "666" && area.front() != '9' && number.group(1).digits != "00" &&
           number.group(2).digits != "0000";
}

// "+CC ...": E.164 allows at most 15 digits and no leading zero. Besides the country code, one
// group may be a single digit ("+33 1 42 68 53 00"), so "+1 2 3 4 5 6 7 8 9 0" is no number.
bool isInternationalPhone(const Candidate& number)
{
    if (!number.international() || number.digits.front() == '0' || number.digits.size() < 9)
        return false;
    int singleDigitGroups = 0;
    for (std::size_t g = 1; g < number.groupCount(); ++g) {
        singleDigitGroups += number.group(g).digits.size() < 2;
        if (number.group(g).separator == ':')
            return false;
    }
    return singleDigitGroups <= 1;
}

// North American form: [1] (555) 123-4567, 555-123-4567, 555.123.4567 or 555 123 4567.
bool isNorthAmericanPhone(const Candidate& number)
{
    std::size_t g = 0;
    if (number.groupCount() == 4 && number.group(0).digits == "1")
        ++g;
    if (number.groupCount() - g != 3)
        return false;
    for (std::size_t k = g + 1; k < number.groupCount(); ++k) {
        if (number.group(k).parenthesised || number.group(k).separator == ':' ||
            number.group(k).separator == '/')
            return false;
    }
    return number.group(g).digits.size() == 3 && number.group(g + 1).digits.size() == 3 &&
           number.group(g + 2).digits.size() == 4;
}

// Indian mobile numbers have ten digits starting with 6 to 9, written whole or as 5 + 5, and
// may carry the trunk prefix 0 when written whole.
bool isIndianMobile(const Candidate& number)
{
    const std::string& digits = number.digits;
    if (number.groupCount() == 1 && digits.size() == 11 && digits.front() == '0')
        return digits[1] >= '6' && digits[1] <= '9';
    if (digits.size() != 10 || digits.front() < '6' || digits.front() > '9')
        return false;
    return number.groupCount() == 1 ||
           (hasGroupSizes(number, {5, 5}) && hasUniformSeparators(number, " -"));
}

// Chinese mobile numbers: eleven digits written whole, 13x to 19x.
bool isChineseMobile(const Candidate& number)
{
    const std::string& digits = number.digits;
    return number.groupCount() == 1 && digits.size() == 11 && digits[0] == '1' && digits[1] >= '3';
}

// National numbers with a trunk prefix, as written in most of Europe and Asia: "020 7946 0958",
// "030 1234567", "01 42 68 53 00", "090-1234-5678", "09-7625400" or "(030) 1234567". The area
// code starts with one 0, groups have two or more digits and share one separator. Nine digits
// pass only as area code plus subscriber number, which keeps "078 00 1123" out.
bool isNationalPhone(const Candidate& number)
{
    const std::string& digits = number.digits;
    if (number.international() || number.groupCount() < 2 || digits.size() < 9 || digits.size() > 11)
        return false;
    if (digits.size() == 9 && number.groupCount() != 2)
        return false;

    const DigitGroup& area = number.group(0);
    if (area.digits.size() < 2 || area.digits.size() > 5 || area.digits[0] != '0' || area.digits[1] == '0')
        return false;
    for (std::size_t g = 1; g < number.groupCount(); ++g) {
        const DigitGroup& group = number.group(g);
        const bool afterParenthesis = g == 1 && area.parenthesised && (group.separator == ' ' || group.separator == 0);
        const bool sameSeparator = group.separator == number.group(number.groupCount() - 1).separator &&
                                   (group.separator == ' ' || group.separator == '-' || group.separator == '/');
        if (group.parenthesised || group.digits.size() < 2 || !(afterParenthesis || sameSeparator))
            return false;
    }
    return true;
}

bool isPhone(const Candidate& number)
{
    if (number.digits.size() < 9 || number.digits.size() > 15)
        return false;
    if (number.international())
        return isInternationalPhone(number);
    return isNorthAmericanPhone(number) || isIndianMobile(number) || isChineseMobile(number) ||
           isNationalPhone(number);
}

// A number may not continue into a word, as in "A1234567890" or "9876543210x".
bool isBoundary(std::string_view text, std::size_t begin, std::size_t end)
{
    const auto wordLike = [](char c) { return isAsciiAlnum(c) || c == '_' || c == '@'; };
    const bool startOk = begin == 0 || !wordLike(text[begin - 1]);
    const bool endOk = end == text.size() || !wordLike(text[end]);
    return startOk && endOk;
}

// Returns the kind of the number, checked from the strongest evidence (a checksum) down to the
// weakest (a phone layout), or nullptr.
const char* classify(const Candidate& number)
{
    if (isCard(number))
        return "pii.card";
    if (isAadhaar(number))
        return "pii.aadhaar";
    if (isSsn(number))
        return "pii.ssn";
    if (isPhone(number))
        return "pii.phone";
    return nullptr;
}

// Finds the longest number starting at group `first` and sets `last` to its final group.
std::optional<Flag> longestNumberAt(std::string_view text, const NumberRun& run, std::size_t first,
                                    std::size_t& last)
{
    std::optional<Flag> best;
    Candidate number{run, first, first, {}};
    for (std::size_t g = first; g < run.groups.size(); ++g) {
        number.last = g;
        number.digits += run.groups[g].digits;
        if (number.digits.size() > kMaxNumberDigits)
            break;

        const std::size_t begin = number.international() ? run.groups[0].begin - 1 : run.groups[first].begin;
        const std::size_t end = run.groups[g].end;
        if (!isBoundary(text, begin, end))
            continue;
        if (const char* kind = classify(number)) {
            best = Flag{kind, piiType(kind).description, begin, end};
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

} // namespace

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

} // namespace llmops::guard
