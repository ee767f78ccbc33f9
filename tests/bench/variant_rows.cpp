#include "variant_rows.hpp"

#include <cstdio>

#include "queue/content_hash.hpp"

namespace cardsync::bench {

std::vector<VariantRow> make_variant_rows(int count, int generation, const std::string& prefix) {
  static const char* conditions[] = {"NM", "LP", "MP", "HP", "DMG"};
  std::vector<VariantRow> rows;
  rows.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    const int card = i / 5;
    const char* cond = conditions[i % 5];
    char key[64];
    std::snprintf(key, sizeof key, "%s-sv4-%06d-%s-holofoil-en", prefix.c_str(), card, cond);
    char parent[48];
    std::snprintf(parent, sizeof parent, "%s-sv4-%06d", prefix.c_str(), card);
    const double price = 1.0 + (i % 997) * 0.13 + generation * 0.01;
    char core[256];
    std::snprintf(core, sizeof core,
                  R"({"condition":"%s","printing":"Holofoil","language":"English",)"
                  R"("price":%.2f,"currency":"USD","last_updated":%d})",
                  cond, price, 1714560000 + generation);
    char raw[512];
    std::snprintf(raw, sizeof raw,
                  R"({"id":"%s","printing":"Holofoil","condition":"%s","language":"English",)"
                  R"("tcgplayerSkuId":%d,"price":%.2f,"lastUpdated":%d,"priceChange24hr":0.0,)"
                  R"("priceChange7d":-1.25,"avgPrice":%.2f,"priceHistory":[],"minPrice7d":%.2f,)"
                  R"("maxPrice7d":%.2f,"stdDev7d":0.21,"trend":"stable"})",
                  key, cond, 4000000 + i, price, 1714560000 + generation, price * 1.02, price * 0.9,
                  price * 1.1);
    VariantRow r{key, parent, core, raw, {}};
    r.hash = queue::content_hash(r.parent, "justtcg", r.core, r.raw);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace cardsync::bench
