// SPDX-License-Identifier: MIT
#include "GuardScanners.h"

#include <array>

namespace llmops::guard {
namespace {

// Verhoeff's tables: multiplication in the dihedral group D5, and the position permutation.
constexpr std::array<std::array<int, 10>, 10> kVerhoeffMultiply = {{
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
    {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
    {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
    {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
    {4, 0, 1, 2, 3, 9, 5, 6, 7, 8},
    {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
    {6, 5, 9, 8, 7, 1, 0, 4, 3, 2},
    {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
    {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
    {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
}};

constexpr std::array<std::array<int, 10>, 8> kVerhoeffPermute = {{
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
    {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
    {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
    {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
    {9, 4, 5, 3, 1, 2, 6, 8, 7, 0},
    {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
    {2, 7, 9, 3, 8, 0, 6, 4, 1, 5},
    {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
}};

// Maps 0-9 to 0-9 and A-Z to 10-35, the alphabet of GSTIN and IBAN; -1 for anything else.
int base36Value(char c)
{
    if (isDigit(c))
        return c - '0';
    if (isUpper(c))
        return c - 'A' + 10;
    return -1;
}

} // namespace

bool passesLuhn(std::string_view digits)
{
    int sum = 0;
    bool doubleIt = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (!isDigit(*it))
            return false;
        int value = *it - '0';
        if (doubleIt)
            value = value * 2 > 9 ? value * 2 - 9 : value * 2;
        sum += value;
        doubleIt = !doubleIt;
    }
    return !digits.empty() && sum % 10 == 0;
}

bool passesVerhoeff(std::string_view digits)
{
    int check = 0;
    std::size_t position = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it, ++position) {
        if (!isDigit(*it))
            return false;
        check = kVerhoeffMultiply[check][kVerhoeffPermute[position % 8][*it - '0']];
    }
    return !digits.empty() && check == 0;
}

// The GSTIN check character: the first 14 characters are weighted 1, 2, 1, 2, ... and each
// product is reduced to quotient + remainder by 36; the check value brings the sum to a
// multiple of 36.
bool passesGstinCheck(std::string_view gstin)
{
    if (gstin.size() != 15)
        return false;
    int sum = 0;
    for (std::size_t i = 0; i < 14; ++i) {
        const int value = base36Value(gstin[i]);
        if (value < 0)
            return false;
        const int product = value * (i % 2 == 0 ? 1 : 2);
        sum += product / 36 + product % 36;
    }
    return base36Value(gstin[14]) == (36 - sum % 36) % 36;
}

// ISO 13616: move the country code and check digits to the end, replace letters by 10-35 and
// take the number modulo 97; a valid IBAN leaves 1. The remainder is carried digit by digit,
// so the number never needs more than an int.
bool passesIbanMod97(std::string_view iban)
{
    if (iban.size() < 5)
        return false;
    int remainder = 0;
    for (std::size_t i = 0; i < iban.size(); ++i) {
        const int value = base36Value(iban[(i + 4) % iban.size()]);
        if (value < 0)
            return false;
        remainder = (value < 10 ? remainder * 10 : remainder * 100) + value;
        remainder %= 97;
    }
    return remainder == 1;
}

} // namespace llmops::guard
