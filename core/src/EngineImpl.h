// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>

#include "Router.h"
#include "VectorIndex.h"
#include "WorkspaceStore.h"
#include "llmops/embedder.h"
#include "llmops/engine.h"

namespace llmops {

// What the vector index and the re-embedding check see of a chunk: its heading path and text
// on two lines, so that a section title helps a chunk that never repeats it.
inline std::string embeddingText(const std::string& headingPath, const std::string& text)
{
    return headingPath + "\n" + text;
}

struct Engine::Impl {
    WorkspaceStore store;
    PipelineSettings settings = PipelineSettings::defaults();
    HashingEmbedder embedder;
    VectorIndex index{embedder.dimension()};
    std::unique_ptr<Router> router;

    std::string indexPath() const { return store.path() + ".hnsw"; }

    Status loadSettings();
    Status reembedIfNeeded();
    Status loadOrRebuildIndex();
    Status rebuildIndex();
    Status saveIndex();

    // Indexes one file and returns its outcome; the workspace and the vector index change
    // only when the whole file succeeded.
    FileOutcome indexFile(const std::string& path);
};

} // namespace llmops
