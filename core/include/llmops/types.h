// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace llmops {

// One piece of a document as stored in the workspace. Offsets are byte offsets into the
// source file: the first byte of the first block the chunk came from and one past the last.
struct Chunk {
    std::int64_t id = 0;
    std::int64_t documentId = 0;
    int ordinal = 0;
    std::string headingPath;  // "Page title > Section > Subsection"
    std::string text;
    std::size_t startOffset = 0;
    std::size_t endOffset = 0;
};

// A chunk found by the retriever, with the ranks and the fused score that put it there.
// A rank of 0 means the chunk was not in that list.
struct RetrievalHit {
    Chunk chunk;
    std::string documentPath;
    std::string documentTitle;
    int vectorRank = 0;
    int keywordRank = 0;
    double vectorSimilarity = 0.0;  // cosine similarity, -1 to 1
    double fusedScore = 0.0;        // weighted reciprocal rank fusion
};

// Token counts of one model call, as the provider reported them. The cache and reasoning counts
// are subsets of inputTokens and outputTokens, so the uncached input is
// inputTokens - cachedInputTokens - cacheWriteTokens whatever the provider.
struct TokenUsage {
    std::int64_t inputTokens = 0;        // every prompt token the model read, cached or not
    std::int64_t outputTokens = 0;       // every generated token, reasoning included
    std::int64_t cachedInputTokens = 0;  // part of inputTokens read from the provider's prompt cache
    std::int64_t cacheWriteTokens = 0;   // part of inputTokens written to the prompt cache
    std::int64_t reasoningTokens = 0;    // part of outputTokens spent on hidden reasoning
};

// What one model call cost in US dollars, bucket by bucket; totalUsd is their sum.
struct CostBreakdown {
    double uncachedInputUsd = 0.0;
    double cachedInputUsd = 0.0;    // cached prompt tokens read
    double cacheWriteUsd = 0.0;     // prompt tokens written to the cache
    double outputUsd = 0.0;         // output tokens other than reasoning
    double reasoningUsd = 0.0;
    double totalUsd = 0.0;
    // "table" (a price table entry), "endpoint" (the endpoint's own prices), "local" (no
    // charge) or "unpriced" (no price known, so every figure is zero); empty when no model ran
    std::string source;
    std::string pricedModel;            // the price table key used, for source "table"
    std::string tableVersion;           // the price table consulted, for "table" and "unpriced"
    std::int64_t tierAboveTokens = 0;   // threshold of the long-prompt tier applied; 0: base prices
};

// A numbered citation in an answer: "[n]" in the text refers to context hit n (1-based).
struct Citation {
    int number = 0;
    std::int64_t chunkId = 0;
    std::string documentPath;
    std::string documentTitle;
    std::string headingPath;
    std::string snippet;
};

// A guardrail or validator finding attached to a query result.
struct Flag {
    std::string kind;      // "prompt_injection", "pii.email", "unsupported_claim", ...
    std::string detail;    // human-readable reason, with the matched evidence
    std::size_t begin = 0; // byte span in the text the finding refers to
    std::size_t end = 0;
};

// One pipeline stage as recorded in a trace. Times are microseconds; startUs is relative to
// the start of the trace.
struct Span {
    std::string name;
    std::int64_t startUs = 0;
    std::int64_t durationUs = 0;
    std::string status = "ok";  // "ok", "skipped", "hit", "miss", "blocked", "error"
    std::string detail;         // one line shown in the stage timeline
};

// The verdict on one answer sentence: is it supported by the retrieved chunks?
struct ClaimVerdict {
    std::string claim;      // the sentence with citation markers removed
    bool supported = false;
    double score = 0.0;     // best support score over the context, 0 to 1
    int bestContext = 0;    // 1-based context number of the best supporting chunk, 0 if none
    std::size_t begin = 0;  // byte span of the sentence in the answer
    std::size_t end = 0;
    std::int64_t chunkId = 0;  // the best supporting chunk; 0 and empty strings when none
    std::string documentPath;
    std::string headingPath;
};

// What the pipeline returns for one question.
struct QueryResult {
    std::int64_t traceId = 0;
    std::string query;
    std::string answer;
    std::vector<Citation> citations;
    std::vector<RetrievalHit> context;
    std::string route;   // the name of the routing rule that fired
    std::string routeReason;  // its conditions with the values the query had, such as "tier(complex) [...: yes]"
    int ruleSetVersion = 0;   // the version of the rule set that routed the query; 0 for older traces
    std::map<std::string, std::string> metadata;  // the request metadata (AskOptions::metadata)
    std::string model;   // the model endpoint that answered
    TokenUsage usage;
    double costUsd = 0.0;  // cost.totalUsd
    CostBreakdown cost;
    bool cached = false;
    bool blocked = false;
    std::vector<Flag> flags;
    std::vector<ClaimVerdict> claims;
    std::vector<Span> spans;
    std::int64_t totalUs = 0;
};

// A stored trace as listed by `llmops traces`.
struct TraceSummary {
    std::int64_t id = 0;
    std::int64_t startedAtMs = 0;  // Unix time in milliseconds
    std::string query;
    std::string route;
    std::string model;
    double costUsd = 0.0;
    std::int64_t totalUs = 0;
    std::string flags;  // comma-separated flag kinds
    std::string status; // "ok", "cached", "blocked", "error"
};

} // namespace llmops
