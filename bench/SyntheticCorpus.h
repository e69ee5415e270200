// SPDX-License-Identifier: MIT
// A generated support corpus for benchmarks: Markdown pages of Zipf-distributed words from a
// fixed vocabulary, with headings, so that chunking, BM25 and the vector index see realistic
// term statistics. The same seed always writes the same files.
#pragma once

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace llmops::bench {

inline std::vector<std::string> makeVocabulary(std::size_t size, std::mt19937_64& random)
{
    static const char* syllables[] = {"ac", "bil", "cor", "da", "en", "fi", "gra", "hu", "in", "jo", "ka", "lo",
                                      "mi", "no", "or", "pa", "qui", "ra", "si", "to", "un", "ve", "wa", "xi"};
    std::uniform_int_distribution<int> syllable(0, 23);
    std::uniform_int_distribution<int> length(2, 4);
    std::vector<std::string> words;
    for (std::size_t i = 0; i < size; ++i) {
        std::string word;
        for (int k = length(random); k > 0; --k)
            word += syllables[syllable(random)];
        words.push_back(word);
    }
    return words;
}

// Writes pages under folder so that the whole corpus holds about targetChunks chunks of
// roughly 900 bytes each (one section per chunk). Returns the number of files written.
inline int writeSyntheticCorpus(const std::filesystem::path& folder, int targetChunks, unsigned seed = 7)
{
    std::mt19937_64 random(seed);
    const std::vector<std::string> vocabulary = makeVocabulary(20000, random);
    // Zipf weights 1/rank make a few words common and most words rare, as in real prose.
    std::vector<double> weights;
    for (std::size_t rank = 1; rank <= vocabulary.size(); ++rank)
        weights.push_back(1.0 / static_cast<double>(rank));
    std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());

    constexpr int kSectionsPerPage = 10;
    const int pages = (targetChunks + kSectionsPerPage - 1) / kSectionsPerPage;
    std::filesystem::create_directories(folder);
    for (int page = 0; page < pages; ++page) {
        std::ofstream out(folder / ("page-" + std::to_string(page) + ".md"));
        out << "---\ntitle: Page " << page << ' ' << vocabulary[pick(random)] << "\n---\n\n";
        for (int section = 0; section < kSectionsPerPage; ++section) {
            out << "## " << vocabulary[pick(random)] << ' ' << vocabulary[pick(random)] << "\n\n";
            for (int sentence = 0; sentence < 10; ++sentence) {
                for (int word = 0; word < 11; ++word)
                    out << (word == 0 ? "" : " ") << vocabulary[pick(random)];
                out << ". ";
            }
            out << "\n\n";
        }
    }
    return pages;
}

// A question built from words of the vocabulary, like a user's query over the corpus.
inline std::string syntheticQuestion(std::mt19937_64& random, const std::vector<std::string>& vocabulary)
{
    std::uniform_int_distribution<std::size_t> any(0, 2000);
    return "How do I " + vocabulary[any(random)] + " the " + vocabulary[any(random)] + " " +
           vocabulary[any(random)] + "?";
}

} // namespace llmops::bench
