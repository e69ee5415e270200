// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "llmops/status.h"

namespace llmops {

// Approximate nearest-neighbour index over L2-normalised vectors, keyed by chunk id, scored by
// inner product (cosine similarity for normalised vectors). A thin wrapper so that hnswlib's
// header, which defines non-inline functions, is included in VectorIndex.cpp alone.
class VectorIndex {
public:
    explicit VectorIndex(int dimension);
    ~VectorIndex();
    VectorIndex(const VectorIndex&) = delete;
    VectorIndex& operator=(const VectorIndex&) = delete;

    // Drops every vector and starts an empty index with room for capacity vectors.
    void clear(std::size_t capacity = 1024);

    // Drops every vector and starts an empty index for vectors of another size, for a workspace
    // whose embedder changed.
    void reset(int dimension, std::size_t capacity = 1024);
    int dimension() const;

    // Loads an index saved by save(). Fails with Corruption, leaving this index empty, when the
    // file is missing, truncated, built for another dimension or otherwise unreadable.
    Status load(const std::string& path);

    // Writes the index to path through a temporary file and a rename, so a crash never leaves a
    // half-written index under that name.
    Status save(const std::string& path) const;

    // Adds or replaces the vector of a chunk; grows the index as needed.
    Status add(std::int64_t chunkId, const std::vector<float>& vector);

    // Adds many vectors using up to `threads` threads; hnswlib's insertion is thread-safe for
    // distinct ids. The index is grown once, up front.
    Status addBatch(const std::vector<std::pair<std::int64_t, std::vector<float>>>& items, unsigned threads);

    // Hides a chunk from searches. Unknown ids are ignored.
    void remove(std::int64_t chunkId);

    // Up to k nearest chunks as (chunk id, cosine similarity), most similar first.
    std::vector<std::pair<std::int64_t, float>> search(const std::vector<float>& query, int k) const;

    // Vectors searchable now, and slots used including removed ones.
    std::size_t liveCount() const;
    std::size_t storedCount() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace llmops
