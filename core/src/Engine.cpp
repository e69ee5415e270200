// SPDX-License-Identifier: MIT
// Opening a workspace: settings, the embedder check and the vector index beside the database.
#include "EngineImpl.h"

#include <cstdlib>
#include <filesystem>

#include "ResultJson.h"

namespace llmops {

Engine::Engine(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const std::string& path)
{
    if (path.empty())
        return Status::invalidArgument("no workspace path given; pass --workspace FILE or set LLMOPS_WORKSPACE");

    auto impl = std::make_unique<Impl>();
    Status status = impl->store.open(path);
    if (status.isOk())
        status = impl->loadSettings();
    if (status.isOk())
        status = impl->loadRuleSet();
    if (status.isOk())
        status = impl->loadPrices();
    if (status.isOk()) {
        // An embedder that cannot be reached must not lock the user out of the workspace whose
        // settings name it: open it with keyword search alone, and say why.
        if (Status embedded = impl->useEmbedder(impl->settings.embedder); !embedded.isOk())
            impl->embedderProblem = embedded.message();
        status = impl->loadOrRebuildIndex();
    }
    if (!status.isOk())
        return status;
    return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

const std::string& Engine::path() const
{
    return m_impl->store.path();
}

const PipelineSettings& Engine::settings() const
{
    return m_impl->settings;
}

Status Engine::updateSettings(const PipelineSettings& settings)
{
    if (Status status = validateSettings(settings); !status.isOk())
        return status;
    const bool embedderEdited = settings.embedder != m_impl->settings.embedder;
    if (Status status = m_impl->useEmbedder(settings.embedder, embedderEdited); !status.isOk())
        return status;
    m_impl->embedderProblem.clear();
    return m_impl->storeSettingsWithRules(settings, "changed with the pipeline settings");
}

void Engine::Impl::applySettings(PipelineSettings newSettings)
{
    settings = std::move(newSettings);
    settingsJson = settingsToJson(settings);
    router = std::make_unique<Router>(settings.rules, classifierFor(settings));
}

Status Engine::Impl::loadSettings()
{
    const std::optional<std::string> stored = store.setting("pipeline");
    if (!stored) {
        applySettings(PipelineSettings::defaults());
        return store.setSetting("pipeline", settingsJson);
    }

    Result<PipelineSettings> parsed = settingsFromJson(*stored);
    Status status = parsed.isOk() ? validateSettings(parsed.value()) : parsed.status();
    if (!status.isOk())
        return Status::invalidArgument("the settings stored in " + store.path() + " are invalid: " + status.message());
    applySettings(std::move(parsed.value()));
    return Status::ok();
}

// The workspace setting that stores an imported price table, in LiteLLM's format.
constexpr const char* kPriceTableSetting = "price_table";

const PriceTable& Engine::priceTable() const
{
    return m_impl->prices;
}

Status Engine::importPriceTable(const std::string& path)
{
    Result<PriceTable> imported = PriceTable::importFile(path);
    if (!imported.isOk())
        return imported.status();
    if (Status status = m_impl->store.setSetting(kPriceTableSetting, imported->toJson()); !status.isOk())
        return status;
    m_impl->prices = std::move(imported.value());
    return Status::ok();
}

Status Engine::Impl::loadPrices()
{
    // A stored table that no longer parses (a row edited by hand) gives way to the bundled one
    // instead of failing the open, because `prices import` needs an open workspace to replace
    // it. Every cost records the version of the table that priced it.
    const std::optional<std::string> stored = store.setting(kPriceTableSetting);
    Result<PriceTable> table = Status::notFound("no stored price table");
    if (stored)
        table = PriceTable::fromJson(*stored, "the price table stored in " + store.path());
    if (!table.isOk())
        table = PriceTable::bundled();
    if (!table.isOk())
        return Status::internal("the bundled price table is invalid: " + table.status().message());
    prices = std::move(table.value());
    return Status::ok();
}

Status Engine::Impl::useEmbedder(const EmbedderSettings& wanted, bool probe)
{
    std::unique_ptr<Embedder> candidate = makeEmbedder(wanted);
    if (store.setting("embedder") != candidate->id()) {
        if (Status status = reembedAll(*candidate); !status.isOk())
            return status;
        embedder = std::move(candidate);
        index.reset(embedder->dimension());
        return rebuildIndex();
    }

    // The same vector space: a remote embedder learns the size of the stored vectors, so a
    // reply of another size is caught before it reaches the index.
    const int stored = std::atoi(store.setting("embedder_dimension").value_or("0").c_str());
    if (auto* remote = dynamic_cast<HttpEmbedder*>(candidate.get()); remote != nullptr && stored > 0)
        remote->setDimension(stored);
    if (probe && wanted.kind != "hashing") {
        if (Status status = candidate->embed({"probe"}).status(); !status.isOk())
            return Status::upstream("the embedder did not answer, so the previous settings stay: " + status.message());
    }
    embedder = std::move(candidate);
    if (embedder->dimension() > 0 && embedder->dimension() != index.dimension())
        index.reset(embedder->dimension());
    return Status::ok();
}

Status Engine::Impl::reembedAll(Embedder& candidate)
{
    constexpr std::size_t kBatch = 256;
    std::vector<std::int64_t> ids;
    std::vector<std::string> texts;
    Status written;
    const auto flush = [&]() {
        Result<std::vector<std::vector<float>>> vectors = candidate.embed(texts);
        if (!vectors.isOk()) {
            written = vectors.status();
        } else {
            for (std::size_t i = 0; i < ids.size() && written.isOk(); ++i)
                written = store.replaceEmbedding(ids[i], vectors.value()[i], candidate.id());
        }
        ids.clear();
        texts.clear();
    };

    Transaction transaction(store.database());
    Status status = transaction.beginStatus();
    if (status.isOk())
        status = store.forEachChunk([&](std::int64_t chunkId, const std::string& text) {
            if (!written.isOk())
                return;
            ids.push_back(chunkId);
            texts.push_back(text);
            if (ids.size() >= kBatch)
                flush();
        });
    if (status.isOk() && written.isOk() && !ids.empty())
        flush();
    // An empty workspace still needs the vector size, and a settings change should fail now,
    // not at the first indexing, when the embedder cannot be reached.
    if (status.isOk() && written.isOk() && candidate.dimension() == 0)
        written = candidate.embed({"dimension probe"}).status();
    if (status.isOk())
        status = written;
    if (!status.isOk())
        return Status::upstream("embedding the workspace again with " + candidate.id() +
                                " failed, so the previous embedder stays: " + status.message());

    status = store.setSetting("embedder", candidate.id());
    if (status.isOk())
        status = store.setSetting("embedder_dimension", std::to_string(candidate.dimension()));
    if (status.isOk())
        status = store.setSetting("vector_index_version", "-1");
    if (status.isOk())
        status = transaction.commit();
    return status;
}

Status Engine::Impl::loadOrRebuildIndex()
{
    const std::string savedVersion = store.setting("vector_index_version").value_or("-1");
    const bool current = savedVersion == std::to_string(store.indexVersion());
    if (current && index.load(indexPath()).isOk() && index.liveCount() == static_cast<std::size_t>(store.embeddingCount()))
        return Status::ok();
    return rebuildIndex();
}

Status Engine::Impl::rebuildIndex()
{
    index.clear(static_cast<std::size_t>(store.embeddingCount()) + 16);
    pendingVectors.clear();
    Status status = store.forEachEmbedding([&](std::int64_t chunkId, const std::vector<float>& vector) {
        pendingVectors.emplace_back(chunkId, vector);
        if (pendingVectors.size() >= kVectorBatchSize)
            pendingStatus = flushPendingVectors();
    });
    Status flushed = flushPendingVectors();
    if (!status.isOk())
        return status;
    if (!flushed.isOk())
        return flushed;
    return saveIndex();
}

Status Engine::Impl::saveIndex()
{
    if (Status status = index.save(indexPath()); !status.isOk())
        return status;
    return store.setSetting("vector_index_version", std::to_string(store.indexVersion()));
}

Result<std::vector<TraceSummary>> Engine::recentTraces(int limit)
{
    return m_impl->store.recentTraces(limit > 0 ? limit : 20);
}

Result<QueryResult> Engine::trace(std::int64_t traceId)
{
    Result<std::string> json = m_impl->store.traceResultJson(traceId);
    if (!json.isOk())
        return json.status();
    Result<QueryResult> result = queryResultFromJson(json.value());
    if (!result.isOk())
        return result;
    result->traceId = traceId;
    Result<std::vector<Span>> spans = m_impl->store.traceSpans(traceId);
    if (!spans.isOk())
        return spans.status();
    result->spans = std::move(spans.value());
    Result<std::vector<ClaimVerdict>> claims = m_impl->store.traceClaims(traceId);
    if (!claims.isOk())
        return claims.status();
    if (!claims->empty())  // traces stored before schema 3 keep the verdicts of their JSON
        result->claims = std::move(claims.value());
    if (!result->spans.empty())  // the end of the last span, which includes the trace writer
        result->totalUs = result->spans.back().startUs + result->spans.back().durationUs;
    return result;
}

Result<std::vector<Engine::DocumentRow>> Engine::documents()
{
    return m_impl->store.documents();
}

WorkspaceStats Engine::stats()
{
    return m_impl->store.stats();
}

std::string defaultWorkspacePath()
{
    if (const char* named = std::getenv("LLMOPS_WORKSPACE"); named != nullptr && *named != '\0')
        return named;

    std::filesystem::path base;
    if (const char* dataHome = std::getenv("XDG_DATA_HOME"); dataHome != nullptr && *dataHome != '\0')
        base = dataHome;
    else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
        base = std::filesystem::path(home) / ".local" / "share";
    else
        base = std::filesystem::current_path();
    return (base / "llmops" / "workspace.llmops").string();
}

} // namespace llmops
