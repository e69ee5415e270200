// SPDX-License-Identifier: MIT
// Alphanumeric identifiers: Indian PAN and GSTIN, and IBANs.
#include "GuardScanners.h"

#include <algorithm>
#include <array>
#include <string>

namespace llmops::guard {
namespace {

constexpr std::size_t kPanLength = 10;
constexpr std::size_t kGstinLength = 15;
constexpr std::size_t kMinIbanLength = 15; // Norway, the shortest in the IBAN registry
constexpr std::size_t kMaxIbanLength = 34; // ISO 13616

// IBAN length per country, from the SWIFT IBAN registry. A country not listed here is accepted
// with any length from 15 to 34 that passes the mod-97 check.
struct IbanCountry {
    char code[3];
    std::size_t length;
};

constexpr std::array kIbanCountries = {
    IbanCountry{"AD", 24}, IbanCountry{"AE", 23}, IbanCountry{"AL", 28}, IbanCountry{"AT", 20},
    IbanCountry{"AZ", 28}, IbanCountry{"BA", 20}, IbanCountry{"BE", 16}, IbanCountry{"BG", 22},
    IbanCountry{"BH", 22}, IbanCountry{"BI", 27}, IbanCountry{"BR", 29}, IbanCountry{"BY", 28},
    IbanCountry{"CH", 21}, IbanCountry{"CR", 22}, IbanCountry{"CY", 28}, IbanCountry{"CZ", 24},
    IbanCountry{"DE", 22}, IbanCountry{"DJ", 27}, IbanCountry{"DK", 18}, IbanCountry{"DO", 28},
    IbanCountry{"EE", 20}, IbanCountry{"EG", 29}, IbanCountry{"ES", 24}, IbanCountry{"FI", 18},
    IbanCountry{"FK", 18}, IbanCountry{"FO", 18}, IbanCountry{"FR", 27}, IbanCountry{"GB", 22},
    IbanCountry{"GE", 22}, IbanCountry{"GI", 23}, IbanCountry{"GL", 18}, IbanCountry{"GR", 27},
    IbanCountry{"GT", 28}, IbanCountry{"HR", 21}, IbanCountry{"HU", 28}, IbanCountry{"IE", 22},
    IbanCountry{"IL", 23}, IbanCountry{"IQ", 23}, IbanCountry{"IS", 26}, IbanCountry{"IT", 27},
    IbanCountry{"JO", 30}, IbanCountry{"KW", 30}, IbanCountry{"KZ", 20}, IbanCountry{"LB", 28},
    IbanCountry{"LC", 32}, IbanCountry{"LI", 21}, IbanCountry{"LT", 20}, IbanCountry{"LU", 20},
    IbanCountry{"LV", 21}, IbanCountry{"LY", 25}, IbanCountry{"MC", 27}, IbanCountry{"MD", 24},
    IbanCountry{"ME", 22}, IbanCountry{"MK", 19}, IbanCountry{"MN", 20}, IbanCountry{"MR", 27},
    IbanCountry{"MT", 31}, IbanCountry{"MU", 30}, IbanCountry{"NI", 28}, IbanCountry{"NL", 18},
    IbanCountry{"NO", 15}, IbanCountry{"OM", 23}, IbanCountry{"PK", 24}, IbanCountry{"PL", 28},
    IbanCountry{"PS", 29}, IbanCountry{"PT", 25}, IbanCountry{"QA", 29}, IbanCountry{"RO", 24},
    IbanCountry{"RS", 22}, IbanCountry{"RU", 33}, IbanCountry{"SA", 24}, IbanCountry{"SC", 31},
    IbanCountry{"SD", 18}, IbanCountry{"SE", 24}, IbanCountry{"SI", 19}, IbanCountry{"SK", 24},
    IbanCountry{"SM", 27}, IbanCountry{"SO", 23}, IbanCountry{"ST", 25}, IbanCountry{"SV", 28},
    IbanCountry{"TL", 23}, IbanCountry{"TN", 24}, IbanCountry{"TR", 26}, IbanCountry{"UA", 29},
    IbanCountry{"VA", 22}, IbanCountry{"VG", 24}, IbanCountry{"XK", 20}, IbanCountry{"YE", 30},
};

// Returns the registered length of an IBAN starting with `country`, or 0 when unknown.
std::size_t ibanLength(std::string_view country)
{
    const auto found = std::find_if(kIbanCountries.begin(), kIbanCountries.end(),
                                    [&](const IbanCountry& entry) { return country == entry.code; });
    return found == kIbanCountries.end() ? 0 : found->length;
}

// PAN holder types, the fourth character: Association of persons, Body of individuals,
// Company, Firm, Government, Hindu undivided family, artificial Juridical person, Local
// authority, Person and Trust.
bool isPanHolderType(char c)
{
    return std::string_view("ABCFGHJLPT").find(c) != std::string_view::npos;
}

bool startsWord(std::string_view text, std::size_t i)
{
    return i == 0 || !isAsciiAlnum(text[i - 1]);
}

bool endsWord(std::string_view text, std::size_t end)
{
    return end >= text.size() || !isAsciiAlnum(text[end]);
}

// The PAN layout AAAAA9999A without the holder-type rule, shared with the GSTIN.
bool hasPanLayout(std::string_view code)
{
    return code.size() == kPanLength && std::all_of(code.begin(), code.begin() + 5, isUpper) &&
           std::all_of(code.begin() + 5, code.begin() + 9, isDigit) && isUpper(code[9]);
}

bool isPan(std::string_view code)
{
    return hasPanLayout(code) && isPanHolderType(code[3]);
}

// GSTIN: a state code 01-38, the holder's PAN, an entity number 1-9 or A-Z, the letter Z and
// the check character.
bool isGstin(std::string_view code)
{
    if (code.size() != kGstinLength || !isDigit(code[0]) || !isDigit(code[1]))
        return false;
    const int state = (code[0] - '0') * 10 + (code[1] - '0');
    const bool entityOk = (code[12] >= '1' && code[12] <= '9') || isUpper(code[12]);
    return state >= 1 && state <= 38 && hasPanLayout(code.substr(2, kPanLength)) && entityOk &&
           code[13] == 'Z' && passesGstinCheck(code);
}

// Reads an IBAN at i, written compact or in the printed form of four-character groups joined by
// single spaces (or single dashes, which people also write). Returns the end offset, or 0 when
// none starts there.
std::size_t ibanEndAt(std::string_view text, std::size_t i)
{
    if (i + 4 > text.size() || !isUpper(text[i]) || !isUpper(text[i + 1]) || !isDigit(text[i + 2]) ||
        !isDigit(text[i + 3]) || !startsWord(text, i))
        return 0;

    const std::size_t expected = ibanLength(text.substr(i, 2));
    const std::size_t maxLength = expected > 0 ? expected : kMaxIbanLength;
    const char separator = i + 4 < text.size() && (text[i + 4] == ' ' || text[i + 4] == '-') ? text[i + 4] : 0;
    std::string compact(text.substr(i, 4));
    std::size_t k = i + 4;
    std::size_t end = 0;
    while (compact.size() < maxLength) {
        if (separator != 0 && compact.size() % 4 == 0) {
            if (k + 1 >= text.size() || text[k] != separator || !isAsciiAlnum(text[k + 1]))
                break;
            ++k;
        }
        if (k >= text.size() || !(isUpper(text[k]) || isDigit(text[k])))
            break;
        compact += text[k++];

        // Without a registered length, the longest candidate that passes the check wins.
        if (expected == 0 && compact.size() >= kMinIbanLength && endsWord(text, k) && passesIbanMod97(compact))
            end = k;
    }
    if (expected == 0)
        return end;
    return compact.size() == expected && endsWord(text, k) && passesIbanMod97(compact) ? k : 0;
}

} // namespace

std::vector<Flag> scanIndianTaxIds(std::string_view text)
{
    std::vector<Flag> found;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!isAsciiAlnum(text[i]) || !startsWord(text, i))
            continue;
        if (i + kGstinLength <= text.size() && endsWord(text, i + kGstinLength) &&
            isGstin(text.substr(i, kGstinLength))) {
            found.push_back({"pii.gstin", piiType("pii.gstin").description, i, i + kGstinLength});
            i += kGstinLength - 1;
        } else if (i + kPanLength <= text.size() && endsWord(text, i + kPanLength) &&
                   isPan(text.substr(i, kPanLength))) {
            found.push_back({"pii.pan", piiType("pii.pan").description, i, i + kPanLength});
            i += kPanLength - 1;
        }
    }
    return found;
}

std::vector<Flag> scanIbans(std::string_view text)
{
    std::vector<Flag> found;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (const std::size_t end = ibanEndAt(text, i)) {
            found.push_back({"pii.iban", piiType("pii.iban").description, i, end});
            i = end - 1;
        }
    }
    return found;
}

} // namespace llmops::guard
