// SPDX-License-Identifier: MIT
// Documents, chunks, embeddings and search queries of the workspace.
#include "WorkspaceStore.h"

#include <chrono>
#include <unordered_map>

namespace llmops {
namespace {

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Status collectChunkIds(Database& database, std::int64_t documentId, std::vector<std::int64_t>* ids)
{
    Statement query(database, "SELECT id FROM chunks WHERE document_id = ? ORDER BY ordinal");
    query.bind(1, documentId);
    while (query.step())
        ids->push_back(query.columnInt(0));
    return query.status();
}

Result<std::int64_t> upsertDocument(Database& database, const DocumentWrite& document)
{
    Statement upsert(database, R"sql(
        INSERT INTO documents(path, title, metadata, content_hash, mtime, size, status, error, indexed_at)
        VALUES (?, ?, ?, ?, ?, ?, 'indexed', NULL, ?)
        ON CONFLICT(path) DO UPDATE SET title = excluded.title, metadata = excluded.metadata,
            content_hash = excluded.content_hash, mtime = excluded.mtime, size = excluded.size,
            status = 'indexed', error = NULL, indexed_at = excluded.indexed_at
        RETURNING id)sql");
    upsert.bind(1, document.path).bind(2, document.title).bind(3, document.metadataJson);
    upsert.bind(4, document.contentHash).bind(5, document.mtime).bind(6, document.size).bind(7, nowMs());
    if (!upsert.step())
        return upsert.status().isOk() ? Status::internal("document upsert returned no id") : upsert.status();
    const std::int64_t id = upsert.columnInt(0);
    Status status = upsert.run();
    if (!status.isOk())
        return status;
    return id;
}

Status insertChunks(Database& database, std::int64_t documentId, const DocumentWrite& document,
                    std::vector<std::int64_t>* addedChunkIds)
{
    Statement chunk(database, "INSERT INTO chunks(document_id, ordinal, heading_path, text, start_offset, "
                              "end_offset) VALUES (?, ?, ?, ?, ?, ?)");
    Statement embedding(database, "INSERT INTO embeddings(chunk_id, embedder, vector) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < document.chunks.size(); ++i) {
        const ChunkDraft& draft = document.chunks[i];
        chunk.reset();
        chunk.bind(1, documentId).bind(2, static_cast<std::int64_t>(i)).bind(3, draft.headingPath);
        chunk.bind(4, draft.text).bind(5, static_cast<std::int64_t>(draft.startOffset));
        chunk.bind(6, static_cast<std::int64_t>(draft.endOffset));
        if (Status status = chunk.run(); !status.isOk())
            return status;
        const std::int64_t chunkId = database.lastInsertId();
        addedChunkIds->push_back(chunkId);

        const std::vector<float>& vector = document.vectors[i];
        embedding.reset();
        embedding.bind(1, chunkId).bind(2, document.embedderId);
        embedding.bindBlob(3, vector.data(), vector.size() * sizeof(float));
        if (Status status = embedding.run(); !status.isOk())
            return status;
    }
    return Status::ok();
}

} // namespace

std::optional<StoredDocument> WorkspaceStore::findDocument(const std::string& path)
{
    Statement query(m_database, "SELECT id, COALESCE(content_hash, ''), status FROM documents WHERE path = ?");
    query.bind(1, path);
    if (!query.step())
        return std::nullopt;
    return StoredDocument{query.columnInt(0), query.columnText(1), query.columnText(2)};
}

Status WorkspaceStore::writeDocument(const DocumentWrite& document, std::vector<std::int64_t>* removedChunkIds,
                                     std::vector<std::int64_t>* addedChunkIds)
{
    Transaction transaction(m_database);
    if (!transaction.beginStatus().isOk())
        return transaction.beginStatus();

    const Result<std::int64_t> documentId = upsertDocument(m_database, document);
    if (!documentId.isOk())
        return documentId.status();

    // Deleting the old chunks cascades to their embeddings; a trigger removes them from FTS.
    Status status = collectChunkIds(m_database, documentId.value(), removedChunkIds);
    if (status.isOk()) {
        Statement remove(m_database, "DELETE FROM chunks WHERE document_id = ?");
        remove.bind(1, documentId.value());
        status = remove.run();
    }
    if (status.isOk())
        status = insertChunks(m_database, documentId.value(), document, addedChunkIds);
    if (status.isOk())
        status = bumpIndexVersion();
    if (status.isOk())
        status = transaction.commit();
    if (!status.isOk()) {
        removedChunkIds->clear();
        addedChunkIds->clear();
        return Status::ioError("cannot store " + document.path + " in " + m_path + ": " + status.message());
    }
    return Status::ok();
}

std::vector<std::string> WorkspaceStore::documentsUnder(const std::string& folder)
{
    // substr() rather than LIKE, because '%' and '_' are valid in file names.
    Statement query(m_database, "SELECT path FROM documents WHERE substr(path, 1, length(?1)) = ?1");
    query.bind(1, folder);
    std::vector<std::string> paths;
    while (query.step())
        paths.push_back(query.columnText(0));
    return paths;
}

Status WorkspaceStore::removeDocument(const std::string& path, std::vector<std::int64_t>* removedChunkIds)
{
    Transaction transaction(m_database);
    if (!transaction.beginStatus().isOk())
        return transaction.beginStatus();
    const std::optional<StoredDocument> stored = findDocument(path);
    if (!stored)
        return Status::ok();

    Status status = collectChunkIds(m_database, stored->id, removedChunkIds);
    if (status.isOk()) {
        Statement remove(m_database, "DELETE FROM documents WHERE id = ?");
        remove.bind(1, stored->id);
        status = remove.run();
    }
    if (status.isOk())
        status = bumpIndexVersion();
    if (status.isOk())
        status = transaction.commit();
    if (!status.isOk()) {
        removedChunkIds->clear();
        return Status::ioError("cannot remove " + path + " from " + m_path + ": " + status.message());
    }
    return Status::ok();
}

Status WorkspaceStore::recordFailure(const std::string& path, const std::string& error)
{
    Statement upsert(m_database, R"sql(
        INSERT INTO documents(path, status, error, indexed_at) VALUES (?, 'failed', ?, ?)
        ON CONFLICT(path) DO UPDATE SET status = 'failed', error = excluded.error,
            indexed_at = excluded.indexed_at)sql");
    upsert.bind(1, path).bind(2, error).bind(3, nowMs());
    return upsert.run();
}

Status WorkspaceStore::forEachEmbedding(const std::function<void(std::int64_t, const std::vector<float>&)>& visit)
{
    Statement query(m_database, "SELECT chunk_id, vector FROM embeddings");
    while (query.step())
        visit(query.columnInt(0), query.columnFloats(1));
    return query.status();
}

std::int64_t WorkspaceStore::embeddingCount()
{
    Statement query(m_database, "SELECT COUNT(*) FROM embeddings");
    return query.step() ? query.columnInt(0) : 0;
}

std::unordered_map<std::string, std::int64_t> WorkspaceStore::termDocumentCounts(const std::vector<std::string>& terms)
{
    // fts5vocab reads the index's term list directly; a temp table keeps it out of the schema.
    (void)m_database.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_fts_terms "
                             "USING fts5vocab(main, chunks_fts, 'row')");
    Statement query(m_database, "SELECT doc FROM temp.chunks_fts_terms WHERE term = ?");
    std::unordered_map<std::string, std::int64_t> counts;
    for (const std::string& term : terms) {
        query.reset();
        query.bind(1, term);
        if (query.step())
            counts[term] = query.columnInt(0);
    }
    return counts;
}

std::int64_t WorkspaceStore::chunkCount()
{
    Statement query(m_database, "SELECT COUNT(*) FROM chunks");
    return query.step() ? query.columnInt(0) : 0;
}

Result<std::vector<std::int64_t>> WorkspaceStore::keywordSearch(const std::string& matchExpression, int limit)
{
    // bm25() weights: a term in a heading counts twice as much as one in the body.
    Statement query(m_database, "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? "
                                "ORDER BY bm25(chunks_fts, 2.0, 1.0) LIMIT ?");
    query.bind(1, matchExpression).bind(2, static_cast<std::int64_t>(limit));
    std::vector<std::int64_t> ids;
    while (query.step())
        ids.push_back(query.columnInt(0));
    if (!query.status().isOk())
        return query.status();
    return ids;
}

Result<std::vector<RetrievalHit>> WorkspaceStore::loadHits(const std::vector<std::int64_t>& chunkIds)
{
    Statement query(m_database, R"sql(
        SELECT c.id, c.document_id, c.ordinal, c.heading_path, c.text, c.start_offset, c.end_offset,
               d.path, d.title
        FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ?)sql");
    std::vector<RetrievalHit> hits;
    for (const std::int64_t id : chunkIds) {
        query.reset();
        query.bind(1, id);
        if (!query.step()) {
            if (!query.status().isOk())
                return query.status();
            continue;  // removed since the index was searched
        }
        RetrievalHit hit;
        hit.chunk = Chunk{query.columnInt(0), query.columnInt(1), static_cast<int>(query.columnInt(2)),
                          query.columnText(3), query.columnText(4), static_cast<std::size_t>(query.columnInt(5)),
                          static_cast<std::size_t>(query.columnInt(6))};
        hit.documentPath = query.columnText(7);
        hit.documentTitle = query.columnText(8);
        hits.push_back(std::move(hit));
    }
    return hits;
}

Status WorkspaceStore::forEachChunk(const std::function<void(std::int64_t, const std::string&)>& visit)
{
    Statement query(m_database, "SELECT id, heading_path || char(10) || text FROM chunks");
    while (query.step())
        visit(query.columnInt(0), query.columnText(1));
    return query.status();
}

Status WorkspaceStore::replaceEmbedding(std::int64_t chunkId, const std::vector<float>& vector,
                                        const std::string& embedderId)
{
    Statement upsert(m_database, "INSERT OR REPLACE INTO embeddings(chunk_id, embedder, vector) VALUES (?, ?, ?)");
    upsert.bind(1, chunkId).bind(2, embedderId).bindBlob(3, vector.data(), vector.size() * sizeof(float));
    return upsert.run();
}

Result<std::vector<Engine::DocumentRow>> WorkspaceStore::documents()
{
    Statement query(m_database, R"sql(
        SELECT d.id, d.path, d.title, d.status, COALESCE(d.error, ''),
               (SELECT COUNT(*) FROM chunks c WHERE c.document_id = d.id), COALESCE(d.indexed_at, 0)
        FROM documents d ORDER BY d.path)sql");
    std::vector<Engine::DocumentRow> rows;
    while (query.step()) {
        rows.push_back({query.columnInt(0), query.columnText(1), query.columnText(2), query.columnText(3),
                        query.columnText(4), static_cast<int>(query.columnInt(5)), query.columnInt(6)});
    }
    if (!query.status().isOk())
        return query.status();
    return rows;
}

WorkspaceStats WorkspaceStore::stats()
{
    WorkspaceStats stats;
    Statement query(m_database, R"sql(
        SELECT (SELECT COUNT(*) FROM documents WHERE status = 'indexed'),
               (SELECT COUNT(*) FROM chunks),
               (SELECT COUNT(*) FROM documents WHERE status = 'failed'),
               (SELECT COUNT(*) FROM traces))sql");
    if (query.step()) {
        stats.documents = query.columnInt(0);
        stats.chunks = query.columnInt(1);
        stats.failedDocuments = query.columnInt(2);
        stats.traces = query.columnInt(3);
    }
    return stats;
}

} // namespace llmops
