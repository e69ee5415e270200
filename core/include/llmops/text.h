// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace llmops {

// Text helpers shared by the embedder, the retriever, the answerer and the validator, so that
// all of them agree on what a word and a sentence are.

// Splits text into lower-cased ASCII-folded word tokens. Letters and digits form words; any
// non-ASCII UTF-8 sequence is kept inside the word it appears in. Stop words are kept.
std::vector<std::string> tokenizeWords(std::string_view text);

// Returns true for common English function words ("the", "of", "how", ...).
bool isStopWord(std::string_view word);

// Content words of text: tokens that are not stop words, reduced by a light suffix stemmer
// ("refunds" and "refunded" both become "refund").
std::vector<std::string> contentTerms(std::string_view text);

// A light English suffix stemmer: plural and -ed/-ing endings only.
std::string stemWord(std::string_view word);

// A sentence as a byte span of the text it came from.
struct SentenceSpan {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// Splits text into sentences at ., ! and ? followed by white space, and at line breaks that
// end a list item or a paragraph. Empty sentences are dropped.
std::vector<SentenceSpan> splitSentences(std::string_view text);

// Returns text with leading and trailing ASCII white space removed.
std::string_view trimmed(std::string_view text);

// Returns the byte offset of the first invalid UTF-8 sequence, or std::string_view::npos when
// the text is valid UTF-8 (overlong forms and surrogates are invalid).
std::size_t findInvalidUtf8(std::string_view text);

// Returns true when the bytes look binary: a NUL byte within the first 8 KiB.
bool looksBinary(std::string_view bytes);

// Lower-case hex SHA-256 of bytes.
std::string sha256Hex(std::string_view bytes);

} // namespace llmops
