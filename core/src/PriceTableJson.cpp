// SPDX-License-Identifier: MIT
// Reading and writing price maps in LiteLLM's key format.
#include "llmops/cost.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <fstream>
#include <sstream>

#include "BundledPrices.h"
#include "llmops/text.h"

namespace llmops {

using Json = nlohmann::json;

namespace {

constexpr const char* kInputKey = "input_cost_per_token";
constexpr const char* kOutputKey = "output_cost_per_token";
constexpr const char* kCacheReadKey = "cache_read_input_token_cost";
constexpr const char* kCacheWriteKey = "cache_creation_input_token_cost";
constexpr const char* kReasoningKey = "output_cost_per_reasoning_token";

const char* jsonTypeName(const Json& value)
{
    return value.type_name();
}

// Parses the threshold of a tier key's middle part: "200k" is 200000, "128000" is 128000.
// Returns 0 for anything else, such as the "1hr" of cache_creation_input_token_cost_above_1hr.
std::int64_t parseThreshold(const std::string& text)
{
    std::string digits = text;
    std::int64_t scale = 1;
    if (!digits.empty() && digits.back() == 'k') {
        digits.pop_back();
        scale = 1000;
    }
    if (digits.empty() || digits.size() > 12)
        return 0;
    for (const char c : digits) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return 0;
    }
    return std::stoll(digits) * scale;
}

// Splits "<base>_above_<N>_tokens" into base and threshold. Returns 0 when key is not a tier key
// of one of the four tiered buckets.
std::int64_t tierThreshold(const std::string& key, std::string* base)
{
    static const char* const kBases[] = {kInputKey, kOutputKey, kCacheReadKey, kCacheWriteKey};
    const std::string suffix = "_tokens";
    for (const char* candidate : kBases) {
        const std::string prefix = std::string(candidate) + "_above_";
        if (key.size() <= prefix.size() + suffix.size() || key.compare(0, prefix.size(), prefix) != 0 ||
            key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        *base = candidate;
        return parseThreshold(key.substr(prefix.size(), key.size() - prefix.size() - suffix.size()));
    }
    return 0;
}

std::string formatThreshold(std::int64_t tokens)
{
    return tokens % 1000 == 0 ? std::to_string(tokens / 1000) + "k" : std::to_string(tokens);
}

// "litellm-2026-07-24" from a last_updated value such as "2026-07-24T18:23:43.215560+00:00".
std::string versionFromLastUpdated(const std::string& lastUpdated)
{
    return "litellm-" + lastUpdated.substr(0, 10);
}

} // namespace

// Builds a PriceTable from a price map's text. The first bad value stops the read with an error
// that names the model and the key.
class PriceTableReader {
public:
    explicit PriceTableReader(std::string origin) : m_origin(std::move(origin)) {}

    Result<PriceTable> read(const std::string& text);

private:
    Status readEntry(const std::string& model, const Json& entry);
    Status readPrice(const std::string& model, const Json& entry, const char* key, std::optional<double>* price);
    Status readTiers(const std::string& model, const Json& entry, ModelPrice* price);
    Status readString(const std::string& model, const Json& entry, const char* key, std::string* value);
    void readMeta(const Json& root, const std::string& text);
    Status badValue(const std::string& model, const std::string& key, const std::string& problem) const;

    std::string m_origin;
    PriceTable m_table;
};

Status PriceTableReader::badValue(const std::string& model, const std::string& key, const std::string& problem) const
{
    return Status::invalidArgument(m_origin + ": model \"" + model + "\": " + key + " " + problem +
                                   "; fix the entry or remove it from the file");
}

Status PriceTableReader::readPrice(const std::string& model, const Json& entry, const char* key,
                                   std::optional<double>* price)
{
    const auto found = entry.find(key);
    if (found == entry.end() || found->is_null())
        return Status::ok();
    if (!found->is_number())
        return badValue(model, key, std::string("must be a number of US dollars per token, found ") +
                                        jsonTypeName(*found) + " " + found->dump());
    const double value = found->get<double>();
    if (value < 0.0)
        return badValue(model, key, "must not be negative, found " + found->dump());
    *price = value;
    return Status::ok();
}

Status PriceTableReader::readString(const std::string& model, const Json& entry, const char* key, std::string* value)
{
    const auto found = entry.find(key);
    if (found == entry.end() || found->is_null())
        return Status::ok();
    if (!found->is_string())
        return badValue(model, key, std::string("must be a string, found ") + jsonTypeName(*found) + " " + found->dump());
    *value = found->get<std::string>();
    return Status::ok();
}

Status PriceTableReader::readTiers(const std::string& model, const Json& entry, ModelPrice* price)
{
    std::map<std::int64_t, std::map<std::string, double>> tiers;
    for (const auto& [key, value] : entry.items()) {
        std::string base;
        const std::int64_t threshold = tierThreshold(key, &base);
        if (threshold <= 0)
            continue;
        std::optional<double> tierPrice;
        if (Status status = readPrice(model, entry, key.c_str(), &tierPrice); !status.isOk())
            return status;
        if (tierPrice)
            tiers[threshold][base] = *tierPrice;
    }

    // As in LiteLLM, a tier exists only where its input price is given.
    for (const auto& [threshold, prices] : tiers) {
        const auto input = prices.find(kInputKey);
        if (input == prices.end())
            continue;
        ModelPrice::Tier tier;
        tier.aboveInputTokens = threshold;
        tier.inputUsdPerToken = input->second;
        if (const auto it = prices.find(kOutputKey); it != prices.end())
            tier.outputUsdPerToken = it->second;
        if (const auto it = prices.find(kCacheReadKey); it != prices.end())
            tier.cacheReadUsdPerToken = it->second;
        if (const auto it = prices.find(kCacheWriteKey); it != prices.end())
            tier.cacheWriteUsdPerToken = it->second;
        price->tiers.push_back(tier);
    }
    return Status::ok();
}

Status PriceTableReader::readEntry(const std::string& model, const Json& entry)
{
    std::string mode;
    if (Status status = readString(model, entry, "mode", &mode); !status.isOk())
        return status;
    if (mode != "chat") {
        ++m_table.m_skippedEntries;
        return Status::ok();
    }

    ModelPrice price;
    price.model = model;
    std::optional<double> input;
    std::optional<double> output;
    Status status = readString(model, entry, "litellm_provider", &price.provider);
    if (status.isOk())
        status = readPrice(model, entry, kInputKey, &input);
    if (status.isOk())
        status = readPrice(model, entry, kOutputKey, &output);
    if (status.isOk())
        status = readPrice(model, entry, kCacheReadKey, &price.cacheReadUsdPerToken);
    if (status.isOk())
        status = readPrice(model, entry, kCacheWriteKey, &price.cacheWriteUsdPerToken);
    if (status.isOk())
        status = readPrice(model, entry, kReasoningKey, &price.reasoningUsdPerToken);
    if (status.isOk())
        status = readTiers(model, entry, &price);
    if (!status.isOk())
        return status;

    if (!input || !output) {
        ++m_table.m_unpricedEntries;
        return Status::ok();
    }
    price.inputUsdPerToken = *input;
    price.outputUsdPerToken = *output;
    m_table.m_prices.emplace(model, std::move(price));
    return Status::ok();
}

void PriceTableReader::readMeta(const Json& root, const std::string& text)
{
    m_table.m_source = m_origin;
    const auto meta = root.find("_meta");
    if (meta != root.end() && meta->is_object()) {
        const auto version = meta->find("version");
        const auto source = meta->find("source");
        if (version != meta->end() && version->is_string())
            m_table.m_version = version->get<std::string>();
        if (source != meta->end() && source->is_string())
            m_table.m_source = source->get<std::string>();
    }
    const auto lastUpdated = root.find("last_updated");
    if (m_table.m_version.empty() && lastUpdated != root.end() && lastUpdated->is_string() &&
        lastUpdated->get<std::string>().size() >= 10)
        m_table.m_version = versionFromLastUpdated(lastUpdated->get<std::string>());
    if (m_table.m_version.empty())
        m_table.m_version = "sha256:" + sha256Hex(text).substr(0, 12);
}

Result<PriceTable> PriceTableReader::read(const std::string& text)
{
    Json root;
    try {
        root = Json::parse(text);
    } catch (const Json::parse_error& error) {
        return Status::invalidArgument(m_origin + " is not valid JSON: " + error.what());
    }
    if (!root.is_object())
        return Status::invalidArgument(m_origin + " is a JSON " + jsonTypeName(root) +
                                       ", not an object keyed by model id as in LiteLLM's price map");

    // Top-level values that are not objects, such as LiteLLM's "last_updated" string, are not
    // models; "_meta" is this project's version record.
    for (const auto& [model, entry] : root.items()) {
        if (model == "_meta" || !entry.is_object()) {
            if (model != "_meta")
                ++m_table.m_skippedEntries;
            continue;
        }
        if (Status status = readEntry(model, entry); !status.isOk())
            return status;
    }
    readMeta(root, text);
    return std::move(m_table);
}

Result<PriceTable> PriceTable::fromJson(const std::string& json, const std::string& origin)
{
    return PriceTableReader(origin).read(json);
}

Result<PriceTable> PriceTable::bundled()
{
    return fromJson(std::string(bundledPriceTableJson()), "the bundled price table");
}

Result<PriceTable> PriceTable::importFile(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return Status::ioError("cannot open the price file " + path + "; check the path and its permissions");
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad())
        return Status::ioError("cannot read the price file " + path);
    return fromJson(text.str(), path);
}

namespace {

Json tierToJson(const ModelPrice& price, Json entry)
{
    for (const ModelPrice::Tier& tier : price.tiers) {
        const std::string suffix = "_above_" + formatThreshold(tier.aboveInputTokens) + "_tokens";
        entry[kInputKey + suffix] = tier.inputUsdPerToken;
        if (tier.outputUsdPerToken)
            entry[kOutputKey + suffix] = *tier.outputUsdPerToken;
        if (tier.cacheReadUsdPerToken)
            entry[kCacheReadKey + suffix] = *tier.cacheReadUsdPerToken;
        if (tier.cacheWriteUsdPerToken)
            entry[kCacheWriteKey + suffix] = *tier.cacheWriteUsdPerToken;
    }
    return entry;
}

Json priceToJson(const ModelPrice& price)
{
    Json entry = {{kInputKey, price.inputUsdPerToken},
                  {kOutputKey, price.outputUsdPerToken},
                  {"litellm_provider", price.provider},
                  {"mode", "chat"}};
    if (price.cacheReadUsdPerToken)
        entry[kCacheReadKey] = *price.cacheReadUsdPerToken;
    if (price.cacheWriteUsdPerToken)
        entry[kCacheWriteKey] = *price.cacheWriteUsdPerToken;
    if (price.reasoningUsdPerToken)
        entry[kReasoningKey] = *price.reasoningUsdPerToken;
    return tierToJson(price, std::move(entry));
}

} // namespace

std::string PriceTable::toJson() const
{
    Json root = Json::object();
    root["_meta"] = {{"version", m_version}, {"source", m_source}, {"unit", "US dollars per token"}};
    for (const auto& [model, price] : m_prices)
        root[model] = priceToJson(price);
    return root.dump();
}

} // namespace llmops
