// SPDX-License-Identifier: MIT
// Indexing files and folders into the workspace: read, check, parse, chunk, embed, store.
#include "EngineImpl.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <thread>

#include "llmops/text.h"

namespace llmops {
namespace {

namespace fs = std::filesystem;

// The real path with symbolic links resolved, so the same file is stored once however it
// was reached.
std::string canonicalPath(const fs::path& path)
{
    std::error_code error;
    const fs::path canonical = fs::weakly_canonical(fs::absolute(path), error);
    return (error ? fs::absolute(path).lexically_normal() : canonical).string();
}

bool isHidden(const fs::path& path)
{
    const std::string name = path.filename().string();
    return !name.empty() && name.front() == '.';
}

void collectFolder(const fs::path& folder, std::vector<std::string>* files, std::vector<FileOutcome>* unreadable)
{
    std::error_code error;
    auto options = fs::directory_options::skip_permission_denied;
    for (fs::recursive_directory_iterator it(folder, options, error), end; it != end; it.increment(error)) {
        if (error) {
            unreadable->push_back({it->path().string(), FileOutcome::Kind::Failed, 0,
                                   "cannot read folder entry: " + error.message()});
            break;
        }
        if (isHidden(it->path())) {
            if (it->is_directory(error))
                it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(error) && formatForPath(it->path().string()))
            files->push_back(canonicalPath(it->path()));
    }
}

Result<std::string> readFile(const std::string& path, std::size_t maxBytes)
{
    std::error_code error;
    const auto size = fs::file_size(path, error);
    if (error)
        return Status::ioError(path + ": cannot read the file: " + error.message());
    // Reading a file far over the limit would only waste memory: report it from its size.
    if (Status status = checkDocumentSize(size, path, maxBytes); !status.isOk())
        return status;

    std::ifstream input(path, std::ios::binary);
    if (!input)
        return Status::ioError(path + ": cannot open the file; check that it exists and is readable");
    std::string bytes(size, '\0');
    input.read(bytes.data(), static_cast<std::streamsize>(size));
    if (input.gcount() != static_cast<std::streamsize>(size))
        return Status::ioError(path + ": the file changed size while it was read; index it again");
    return bytes;
}

std::string metadataJson(const ParsedDocument& document)
{
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [key, value] : document.metadata)
        object[key] = value;
    return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::int64_t modificationTime(const std::string& path)
{
    std::error_code error;
    const auto time = fs::last_write_time(path, error);
    if (error)
        return 0;
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

} // namespace

int IndexReport::indexed() const
{
    return static_cast<int>(std::count_if(files.begin(), files.end(),
                                          [](const FileOutcome& f) { return f.kind == FileOutcome::Kind::Indexed; }));
}

int IndexReport::unchanged() const
{
    return static_cast<int>(std::count_if(files.begin(), files.end(),
                                          [](const FileOutcome& f) { return f.kind == FileOutcome::Kind::Unchanged; }));
}

int IndexReport::removed() const
{
    return static_cast<int>(std::count_if(files.begin(), files.end(),
                                          [](const FileOutcome& f) { return f.kind == FileOutcome::Kind::Removed; }));
}

int IndexReport::failed() const
{
    return static_cast<int>(std::count_if(files.begin(), files.end(),
                                          [](const FileOutcome& f) { return f.kind == FileOutcome::Kind::Failed; }));
}

std::int64_t IndexReport::chunks() const
{
    return std::accumulate(files.begin(), files.end(), std::int64_t{0},
                           [](std::int64_t sum, const FileOutcome& f) { return sum + f.chunks; });
}

std::vector<std::string> Engine::collectFiles(const std::vector<std::string>& paths,
                                              std::vector<FileOutcome>* unreadable)
{
    std::vector<std::string> files;
    for (const std::string& path : paths) {
        std::error_code error;
        const fs::file_status status = fs::status(path, error);
        const std::string absolute = canonicalPath(path);
        if (error || !fs::exists(status)) {
            unreadable->push_back({absolute, FileOutcome::Kind::Failed, 0,
                                   absolute + ": no such file or folder; check the path"});
        } else if (fs::is_directory(status)) {
            const std::size_t before = files.size();
            collectFolder(path, &files, unreadable);
            if (files.size() == before)
                unreadable->push_back({absolute, FileOutcome::Kind::Failed, 0,
                                       absolute + ": no Markdown, HTML or text files found in this folder"});
        } else if (!formatForPath(path)) {
            unreadable->push_back({absolute, FileOutcome::Kind::Failed, 0,
                                   absolute + ": unsupported file type; index .md, .mdx, .markdown, .html, "
                                              ".htm, .txt or .text files"});
        } else {
            files.push_back(absolute);
        }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

FileOutcome Engine::Impl::indexFile(const std::string& path)
{
    FileOutcome outcome{path, FileOutcome::Kind::Indexed, 0, {}};
    Impl& impl = *this;

    // Vectors from this embedder would not match the stored ones, so nothing is indexed until
    // the embedder works again or the settings name another.
    if (!embedderProblem.empty()) {
        outcome.kind = FileOutcome::Kind::Failed;
        outcome.error = path + ": not indexed because the configured embedder is unavailable: " + embedderProblem;
        return outcome;
    }

    Result<std::string> bytes = readFile(path, settings.maxFileBytes);
    Status status = bytes.isOk() ? checkDocumentBytes(bytes.value(), path, settings.maxFileBytes) : bytes.status();
    if (!status.isOk()) {
        outcome.kind = FileOutcome::Kind::Failed;
        outcome.error = status.message();
        return outcome;
    }

    const std::string hash = sha256Hex(bytes.value());
    const std::optional<StoredDocument> stored = impl.store.findDocument(path);
    if (stored && stored->contentHash == hash && stored->status == "indexed") {
        outcome.kind = FileOutcome::Kind::Unchanged;
        return outcome;
    }

    const std::string fallbackTitle = fs::path(path).stem().string();
    Result<ParsedDocument> parsed = parseDocument(bytes.value(), *formatForPath(path), fallbackTitle);
    if (!parsed.isOk()) {
        outcome.kind = FileOutcome::Kind::Failed;
        outcome.error = parsed.status().message();
        return outcome;
    }

    DocumentWrite write{path, parsed->title, metadataJson(parsed.value()), hash, modificationTime(path),
                        static_cast<std::int64_t>(bytes->size()), chunkDocument(parsed.value(), settings.chunking),
                        {}, impl.embedder->id()};
    if (write.chunks.empty()) {
        outcome.kind = FileOutcome::Kind::Failed;
        outcome.error = path + ": no indexable text was found (only markup, front matter or headings)";
        return outcome;
    }
    std::vector<std::string> texts;
    for (const ChunkDraft& chunk : write.chunks)
        texts.push_back(embeddingText(chunk.headingPath, chunk.text));
    Result<std::vector<std::vector<float>>> vectors = impl.embedder->embed(texts);
    if (!vectors.isOk()) {
        outcome.kind = FileOutcome::Kind::Failed;
        outcome.error = path + ": the embedder failed, so the file was not indexed: " + vectors.status().message();
        return outcome;
    }
    write.vectors = std::move(vectors.value());

    std::vector<std::int64_t> removed;
    std::vector<std::int64_t> added;
    status = impl.store.writeDocument(write, &removed, &added);
    if (status.isOk())
        impl.replaceVectors(removed, added, std::move(write.vectors));
    if (!status.isOk()) {
        outcome.kind = FileOutcome::Kind::Failed;
        outcome.error = status.message();
        return outcome;
    }
    outcome.chunks = static_cast<int>(added.size());
    return outcome;
}

IndexReport Engine::indexPaths(const std::vector<std::string>& paths,
                               const std::function<void(const IndexProgress&)>& progress,
                               const std::atomic<bool>* cancel)
{
    IndexReport report;
    const std::vector<std::string> files = collectFiles(paths, &report.files);
    IndexProgress state{0, static_cast<int>(files.size()), 0, {}};

    for (const std::string& path : files) {
        if (cancel != nullptr && cancel->load()) {
            report.cancelled = true;
            break;
        }
        FileOutcome outcome = m_impl->indexFile(path);
        if (outcome.kind == FileOutcome::Kind::Failed)
            (void)m_impl->store.recordFailure(path, outcome.error);
        state.chunksDone += outcome.chunks;
        state.filesDone += 1;
        state.currentPath = path;
        report.files.push_back(std::move(outcome));
        if (progress)
            progress(state);
    }

    if (!report.cancelled)
        m_impl->removeVanishedDocuments(paths, &report);

    // Removed chunks stay in the graph as tombstones; once they are a fifth of it, rebuild.
    const bool changed = report.indexed() > 0 || report.removed() > 0;
    Status saved = m_impl->flushPendingVectors();
    const bool manyTombstones = m_impl->index.storedCount() > m_impl->index.liveCount() + m_impl->index.liveCount() / 4;
    if (saved.isOk() && manyTombstones)
        saved = m_impl->rebuildIndex();
    else if (saved.isOk() && changed)
        saved = m_impl->saveIndex();
    if (!saved.isOk())
        report.files.push_back({m_impl->indexPath(), FileOutcome::Kind::Failed, 0, saved.message()});
    return report;
}

void Engine::Impl::removeVanishedDocuments(const std::vector<std::string>& paths, IndexReport* report)
{
    for (const std::string& path : paths) {
        std::error_code error;
        if (!fs::is_directory(path, error))
            continue;
        const std::string folder = canonicalPath(path) + "/";
        for (const std::string& stored : store.documentsUnder(folder)) {
            if (fs::exists(stored, error))
                continue;
            std::vector<std::int64_t> removedChunks;
            const Status status = store.removeDocument(stored, &removedChunks);
            if (!status.isOk()) {
                report->files.push_back({stored, FileOutcome::Kind::Failed, 0, status.message()});
                continue;
            }
            replaceVectors(removedChunks, {}, {});
            report->files.push_back({stored, FileOutcome::Kind::Removed, 0, {}});
        }
    }
}

void Engine::Impl::replaceVectors(const std::vector<std::int64_t>& removed, const std::vector<std::int64_t>& added,
                                  std::vector<std::vector<float>> vectors)
{
    // Remove before adding: SQLite may give a new chunk the id of one just deleted.
    for (const std::int64_t id : removed) {
        index.remove(id);
        std::erase_if(pendingVectors, [id](const auto& item) { return item.first == id; });
    }
    for (std::size_t i = 0; i < added.size(); ++i)
        pendingVectors.emplace_back(added[i], std::move(vectors[i]));
    if (pendingVectors.size() >= kVectorBatchSize)
        pendingStatus = flushPendingVectors();
}

Status Engine::Impl::flushPendingVectors()
{
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    Status status = index.addBatch(pendingVectors, threads);
    pendingVectors.clear();
    if (!pendingStatus.isOk())
        status = pendingStatus;
    pendingStatus = Status::ok();
    return status;
}

} // namespace llmops
