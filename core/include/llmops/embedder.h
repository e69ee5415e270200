// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "llmops/status.h"

namespace llmops {

// Turns texts into fixed-size vectors for the nearest-neighbour index. Implementations are
// used from one thread at a time.
class Embedder {
public:
    virtual ~Embedder() = default;

    // Number of floats in every vector this embedder returns.
    virtual int dimension() const = 0;

    // Stable identifier stored with the index, such as "hashing-v1-384". A workspace whose
    // stored identifier differs is re-embedded.
    virtual std::string id() const = 0;

    // Returns one L2-normalised vector per text, in order; an empty text gives a zero vector.
    virtual Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) = 0;
};

// The offline default: feature hashing of stemmed content words, word bigrams and character
// trigrams into `dimension` buckets with signed hashes and sublinear term weights. It is
// deterministic, needs no model file, and captures lexical overlap and spelling variants, not
// synonyms. See docs/ARCHITECTURE.md for the exact features and weights.
class HashingEmbedder final : public Embedder {
public:
    explicit HashingEmbedder(int dimension = 384);

    int dimension() const override { return m_dimension; }
    std::string id() const override;
    Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override;

    // Embeds one text; the result is L2-normalised or all zeros.
    std::vector<float> embedOne(const std::string& text) const;

private:
    int m_dimension;
};

} // namespace llmops
