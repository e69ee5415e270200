// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace llmops {

// The text of resources/prices/model-prices.json, compiled in by CMake so that the price table
// needs no file at run time.
std::string_view bundledPriceTableJson();

} // namespace llmops
