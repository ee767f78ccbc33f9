#pragma once
// The realistic variant rows the storage benches write (ids ~30 chars, raw item ~330 bytes of
// JSON, 5 conditions per card), deterministic so that figures from different runs and
// different engines stay comparable.

#include <string>
#include <vector>

namespace cardsync::bench {

struct VariantRow {
  std::string key, parent, core, raw, hash;
};

// `count` variants of the cards "<prefix>-sv4-000000" onwards; `generation` changes the price,
// so every row's content (and hash) differs between generations.
std::vector<VariantRow> make_variant_rows(int count, int generation,
                                          const std::string& prefix = "pkm");

}  // namespace cardsync::bench
