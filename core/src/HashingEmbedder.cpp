// SPDX-License-Identifier: MIT
#include "llmops/embedder.h"

#include <cmath>
#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "llmops/text.h"

namespace llmops {
namespace {

// Feature weights: whole stemmed words carry the meaning, bigrams reward matching phrases,
// and character trigrams let "password" meet "passwords" or a typo like "pasword".
constexpr float kWordWeight = 1.0f;
constexpr float kBigramWeight = 0.5f;
constexpr float kTrigramWeight = 0.2f;

// FNV-1a, 64 bits: fast, and identical on every platform, so stored vectors stay valid.
std::uint64_t fnv1a(std::string_view bytes, std::uint64_t seed)
{
    std::uint64_t hash = 14695981039346656037ull ^ seed;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    return hash;
}

// Counts each feature's occurrences; the vector gets weight * (1 + ln count) per feature, so
// a word repeated ten times weighs about three times as much as a word seen once.
class FeatureCounts {
public:
    void add(std::string_view feature, std::uint64_t seed, float weight)
    {
        Feature& entry = m_features[fnv1a(feature, seed)];
        entry.weight = weight;
        entry.count += 1;
    }

    void project(std::vector<float>* vector) const
    {
        const auto dimension = static_cast<std::uint64_t>(vector->size());
        for (const auto& [hash, feature] : m_features) {
            // The top bit picks the sign so that colliding features tend to cancel, not pile up.
            const float sign = (hash >> 63) != 0 ? -1.0f : 1.0f;
            const float value = feature.weight * (1.0f + std::log(static_cast<float>(feature.count)));
            (*vector)[hash % dimension] += sign * value;
        }
    }

private:
    struct Feature {
        float weight = 0.0f;
        int count = 0;
    };
    std::unordered_map<std::uint64_t, Feature> m_features;
};

void addTrigrams(FeatureCounts* counts, const std::string& term)
{
    const std::string padded = "#" + term + "#";
    for (std::size_t i = 0; i + 3 <= padded.size(); ++i)
        counts->add(std::string_view(padded).substr(i, 3), 3, kTrigramWeight);
}

void normalise(std::vector<float>* vector)
{
    double squares = 0.0;
    for (const float value : *vector)
        squares += static_cast<double>(value) * value;
    if (squares <= 0.0)
        return;
    const auto scale = static_cast<float>(1.0 / std::sqrt(squares));
    for (float& value : *vector)
        value *= scale;
}

} // namespace

HashingEmbedder::HashingEmbedder(int dimension) : m_dimension(dimension > 0 ? dimension : 384) {}

std::string HashingEmbedder::id() const
{
    return "hashing-v1-" + std::to_string(m_dimension);
}

std::vector<float> HashingEmbedder::embedOne(const std::string& text) const
{
    const std::vector<std::string> terms = contentTerms(text);
    FeatureCounts counts;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        counts.add(terms[i], 1, kWordWeight);
        if (i + 1 < terms.size())
            counts.add(terms[i] + ' ' + terms[i + 1], 2, kBigramWeight);
        addTrigrams(&counts, terms[i]);
    }

    std::vector<float> vector(static_cast<std::size_t>(m_dimension), 0.0f);
    counts.project(&vector);
    normalise(&vector);
    return vector;
}

Result<std::vector<std::vector<float>>> HashingEmbedder::embed(const std::vector<std::string>& texts)
{
    std::vector<std::vector<float>> vectors;
    vectors.reserve(texts.size());
    for (const std::string& text : texts)
        vectors.push_back(embedOne(text));
    return vectors;
}

} // namespace llmops
