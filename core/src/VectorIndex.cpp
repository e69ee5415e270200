// SPDX-License-Identifier: MIT
#include "VectorIndex.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace llmops {
namespace {

// Graph parameters: 16 links per node and a construction beam of 40. Graph insertion is most of
// the indexing time, and a beam of 40 halves it against 100; docs/BENCHMARKS.md has the effect.
constexpr std::size_t kLinksPerNode = 16;
constexpr std::size_t kConstructionBeam = 40;
constexpr std::size_t kMinSearchBeam = 64;

// The first fields hnswlib writes, read before handing the file to hnswlib, because its loader
// trusts them and would allocate whatever a damaged header claims.
struct SavedHeader {
    std::size_t offsetLevel0 = 0;
    std::size_t maxElements = 0;
    std::size_t elementCount = 0;
    std::size_t bytesPerElement = 0;
};

bool readHeader(const std::string& path, SavedHeader* header)
{
    std::ifstream input(path, std::ios::binary);
    input.read(reinterpret_cast<char*>(header), sizeof(SavedHeader));
    return input.gcount() == static_cast<std::streamsize>(sizeof(SavedHeader));
}

std::size_t countRemoved(const hnswlib::HierarchicalNSW<float>& graph)
{
    std::size_t removed = 0;
    for (std::size_t i = 0; i < graph.cur_element_count; ++i)
        removed += graph.isMarkedDeleted(static_cast<hnswlib::tableint>(i)) ? 1 : 0;
    return removed;
}

} // namespace

struct VectorIndex::Impl {
    explicit Impl(int dimension) : space(static_cast<std::size_t>(dimension)), dimension(dimension) {}

    hnswlib::InnerProductSpace space;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
    std::size_t removed = 0;
    int dimension;

    // Bytes one element takes in hnswlib's level-0 layout with our parameters.
    std::size_t expectedBytesPerElement() const
    {
        const std::size_t links = kLinksPerNode * 2 * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint);
        return links + static_cast<std::size_t>(dimension) * sizeof(float) + sizeof(hnswlib::labeltype);
    }
};

VectorIndex::VectorIndex(int dimension) : m_impl(std::make_unique<Impl>(dimension))
{
    clear();
}

VectorIndex::~VectorIndex() = default;

void VectorIndex::clear(std::size_t capacity)
{
    m_impl->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(
        &m_impl->space, std::max<std::size_t>(capacity, 16), kLinksPerNode, kConstructionBeam);
    m_impl->removed = 0;
}

void VectorIndex::reset(int dimension, std::size_t capacity)
{
    m_impl->graph.reset();  // the graph points at the space, so it goes first
    m_impl = std::make_unique<Impl>(dimension);
    clear(capacity);
}

int VectorIndex::dimension() const
{
    return m_impl->dimension;
}

Status VectorIndex::load(const std::string& path)
{
    std::error_code error;
    const auto fileSize = std::filesystem::file_size(path, error);
    SavedHeader header;
    if (error || !readHeader(path, &header)) {
        clear();
        return Status::corruption("cannot read the vector index file " + path);
    }

    const bool plausible = header.bytesPerElement == m_impl->expectedBytesPerElement() &&
                           header.elementCount <= header.maxElements &&
                           header.elementCount * header.bytesPerElement <= fileSize;
    if (!plausible) {
        clear();
        return Status::corruption("the vector index file " + path + " does not match this workspace");
    }

    try {
        auto graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(&m_impl->space, path, false,
                                                                      header.maxElements);
        m_impl->graph = std::move(graph);
        m_impl->removed = countRemoved(*m_impl->graph);
    } catch (const std::exception& e) {
        clear();
        return Status::corruption("the vector index file " + path + " is damaged: " + e.what());
    }
    return Status::ok();
}

Status VectorIndex::save(const std::string& path) const
{
    const std::string temporary = path + ".tmp";
    try {
        m_impl->graph->saveIndex(temporary);
    } catch (const std::exception& e) {
        return Status::ioError("cannot write the vector index to " + temporary + ": " + e.what());
    }

    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error)
        return Status::ioError("cannot replace the vector index " + path + ": " + error.message());
    return Status::ok();
}

Status VectorIndex::add(std::int64_t chunkId, const std::vector<float>& vector)
{
    if (static_cast<int>(vector.size()) != m_impl->dimension)
        return Status::invalidArgument("vector of chunk " + std::to_string(chunkId) + " has " +
                                       std::to_string(vector.size()) + " dimensions, expected " +
                                       std::to_string(m_impl->dimension));
    auto& graph = *m_impl->graph;
    try {
        if (graph.cur_element_count >= graph.max_elements_)
            graph.resizeIndex(graph.max_elements_ * 2);
        // hnswlib revives a removed label on re-add, so the removed count must follow.
        const auto existing = graph.label_lookup_.find(static_cast<hnswlib::labeltype>(chunkId));
        if (existing != graph.label_lookup_.end() && graph.isMarkedDeleted(existing->second))
            --m_impl->removed;
        graph.addPoint(vector.data(), static_cast<hnswlib::labeltype>(chunkId));
    } catch (const std::exception& e) {
        return Status::internal("cannot add chunk " + std::to_string(chunkId) + " to the vector index: " +
                                e.what());
    }
    return Status::ok();
}

Status VectorIndex::addBatch(const std::vector<std::pair<std::int64_t, std::vector<float>>>& items, unsigned threads)
{
    auto& graph = *m_impl->graph;
    for (const auto& [chunkId, vector] : items) {
        if (static_cast<int>(vector.size()) != m_impl->dimension)
            return add(chunkId, vector);  // reports the dimension error
        const auto existing = graph.label_lookup_.find(static_cast<hnswlib::labeltype>(chunkId));
        if (existing != graph.label_lookup_.end() && graph.isMarkedDeleted(existing->second))
            --m_impl->removed;
    }
    try {
        if (graph.cur_element_count + items.size() > graph.max_elements_)
            graph.resizeIndex(std::max(graph.max_elements_ * 2, graph.cur_element_count + items.size()));
    } catch (const std::exception& e) {
        return Status::internal(std::string("cannot grow the vector index: ") + e.what());
    }

    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    auto work = [&] {
        for (std::size_t i = next++; i < items.size() && !failed; i = next++) {
            try {
                graph.addPoint(items[i].second.data(), static_cast<hnswlib::labeltype>(items[i].first));
            } catch (const std::exception&) {
                failed = true;
            }
        }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < std::max(1u, threads); ++t)
        workers.emplace_back(work);
    work();
    for (std::thread& worker : workers)
        worker.join();
    return failed ? Status::internal("cannot add a batch of chunks to the vector index") : Status::ok();
}

void VectorIndex::remove(std::int64_t chunkId)
{
    try {
        m_impl->graph->markDelete(static_cast<hnswlib::labeltype>(chunkId));
        ++m_impl->removed;
    } catch (const std::exception&) {
        // hnswlib reports an unknown or already removed label by throwing; both mean "not there".
    }
}

std::vector<std::pair<std::int64_t, float>> VectorIndex::search(const std::vector<float>& query, int k) const
{
    std::vector<std::pair<std::int64_t, float>> hits;
    auto& graph = *m_impl->graph;
    if (k <= 0 || liveCount() == 0 || static_cast<int>(query.size()) != m_impl->dimension)
        return hits;

    graph.setEf(std::max<std::size_t>(kMinSearchBeam, static_cast<std::size_t>(k)));
    auto queue = graph.searchKnn(query.data(), std::min<std::size_t>(static_cast<std::size_t>(k), liveCount()));
    hits.reserve(queue.size());
    while (!queue.empty()) {
        // Inner-product distance is 1 - dot, so similarity is 1 - distance.
        hits.emplace_back(static_cast<std::int64_t>(queue.top().second), 1.0f - queue.top().first);
        queue.pop();
    }
    std::reverse(hits.begin(), hits.end());
    return hits;
}

std::size_t VectorIndex::liveCount() const
{
    const std::size_t stored = m_impl->graph->cur_element_count;
    return stored > m_impl->removed ? stored - m_impl->removed : 0;
}

std::size_t VectorIndex::storedCount() const
{
    return m_impl->graph->cur_element_count;
}

} // namespace llmops
