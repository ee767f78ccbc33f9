#include "sandbox/card_query.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <utility>

#include "sandbox/variant_statistics.hpp"

namespace cardsync::sandbox {
namespace {

std::uint64_t all_variants(std::uint32_t per_card) {
  return per_card >= 64 ? ~0ULL : (1ULL << per_card) - 1;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Matcher {
 public:
  Matcher(const Catalog& catalog, const CardFilter& filter) : catalog_(catalog), filter_(filter) {}

  bool card_ok(const CardItem& card) const {
    if (filter_.number && card.number != filter_.number) return false;
    if (!filter_.name_query.empty() &&
        lowercase(card.name).find(filter_.name_query) == std::string::npos) {
      return false;
    }
    return true;
  }

  bool variant_ok(const CardItem& card, std::uint32_t ordinal, const PriceChange& state) const {
    if (filter_.only_variant && *filter_.only_variant != ordinal) return false;
    if ((filter_.conditions & (1U << catalog_.condition_of(ordinal))) == 0) return false;
    if ((filter_.printings & (1U << catalog_.printing_of(card, ordinal))) == 0) return false;
    if (filter_.updated_after && state.last_updated <= *filter_.updated_after) return false;
    if (filter_.min_price_cents && state.price_cents < *filter_.min_price_cents) return false;
    return true;
  }

  bool needs_state() const { return filter_.updated_after || filter_.min_price_cents; }

 private:
  const Catalog& catalog_;
  const CardFilter& filter_;
};

std::optional<std::size_t> order_statistic(CardOrderBy by) {
  switch (by) {
    case CardOrderBy::k24h:
      return find_statistic("priceChange24hr");
    case CardOrderBy::k7d:
      return find_statistic("priceChange7d");
    case CardOrderBy::k30d:
      return find_statistic("priceChange30d");
    case CardOrderBy::k90d:
      return find_statistic("priceChange90d");
    case CardOrderBy::kCatalog:
    case CardOrderBy::kPrice:
      break;
  }
  return std::nullopt;
}

// Cards without a value for the key go last in either direction.
std::optional<double> order_key(const Catalog& catalog, const CardMatch& m, CardOrderBy by) {
  CardItem card = catalog.card(m.card);
  const std::uint32_t per_card = catalog.shape().variants_per_card;
  if (by == CardOrderBy::kPrice) {
    std::optional<double> best;
    for (std::uint32_t v = 0; v < per_card; ++v) {
      if ((m.variants & (1ULL << v)) == 0) continue;
      auto price = static_cast<double>(catalog.variant_state(card, v).price_cents);
      if (!best || price > *best) best = price;
    }
    return best;
  }
  auto statistic = order_statistic(by);
  for (std::uint32_t v = 0; v < per_card && statistic; ++v) {
    if ((m.variants & (1ULL << v)) == 0) continue;
    auto value = statistic_value(catalog.shape().seed, catalog.variant(card, v), *statistic);
    if (value.presence != Presence::kValue) return std::nullopt;
    return value.number;
  }
  return std::nullopt;
}

}  // namespace

CardPage find_cards(const Catalog& catalog, const CardFilter& filter, const CardOrder& order,
                    std::uint64_t offset, std::uint64_t count) {
  const std::uint32_t per_card = catalog.shape().variants_per_card;
  const std::uint64_t every = all_variants(per_card);
  const std::uint64_t begin = std::min(filter.begin, catalog.card_count());
  const std::uint64_t end = std::clamp(filter.end, begin, catalog.card_count());
  const bool variant_filters = filter.only_variant || filter.conditions != kAnyOf ||
                               filter.printings != kAnyOf || filter.updated_after ||
                               filter.min_price_cents;
  const bool card_filters = filter.number || !filter.name_query.empty();
  const bool ordered = order.by != CardOrderBy::kCatalog;
  CardPage page;

  if (!variant_filters && !card_filters && !ordered) {
    page.total = end - begin;
    for (std::uint64_t i = begin + std::min(offset, page.total);
         i < end && page.items.size() < count; ++i) {
      page.items.push_back({i, every});
    }
    return page;
  }

  Matcher matcher(catalog, filter);
  std::vector<CardMatch> all;
  auto accept = [&](CardMatch m) {
    if (ordered) {
      all.push_back(m);
    } else if (page.total >= offset && page.items.size() < count) {
      page.items.push_back(m);
    }
    ++page.total;
  };

  if (filter.updated_after && *filter.updated_after >= Catalog::kEpoch) {
    // Generated timestamps are all <= kEpoch: only stored changes can be newer.
    std::vector<std::pair<std::uint64_t, PriceChange>> changed;
    catalog.prices().visit(begin * per_card, end * per_card,
                           [&](std::uint64_t variant, const PriceChange& change) {
                             if (change.last_updated > *filter.updated_after) {
                               changed.emplace_back(variant, change);
                             }
                           });
    for (std::size_t i = 0; i < changed.size();) {
      const std::uint64_t card_index = changed[i].first / per_card;
      CardItem card = catalog.card(card_index);
      const bool ok = matcher.card_ok(card);
      std::uint64_t mask = 0;
      for (; i < changed.size() && changed[i].first / per_card == card_index; ++i) {
        auto ordinal = static_cast<std::uint32_t>(changed[i].first % per_card);
        if (ok && matcher.variant_ok(card, ordinal, changed[i].second)) mask |= 1ULL << ordinal;
      }
      if (mask != 0) accept({card_index, mask});
    }
  } else {
    for (std::uint64_t i = begin; i < end; ++i) {
      if (!variant_filters && !card_filters) {
        accept({i, every});
        continue;
      }
      CardItem card = catalog.card(i);
      if (!matcher.card_ok(card)) continue;
      std::uint64_t mask = 0;
      for (std::uint32_t v = 0; v < per_card; ++v) {
        PriceChange state;
        if (matcher.needs_state()) state = catalog.variant_state(card, v);
        if (matcher.variant_ok(card, v, state)) mask |= 1ULL << v;
      }
      if (mask != 0) accept({i, mask});
    }
  }

  if (ordered) {
    std::vector<std::pair<std::optional<double>, CardMatch>> keyed;
    keyed.reserve(all.size());
    for (const auto& m : all) keyed.emplace_back(order_key(catalog, m, order.by), m);
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
      if (a.first.has_value() != b.first.has_value()) return a.first.has_value();
      if (!a.first) return false;
      return order.descending ? *a.first > *b.first : *a.first < *b.first;
    });
    for (std::uint64_t i = std::min<std::uint64_t>(offset, keyed.size());
         i < keyed.size() && page.items.size() < count; ++i) {
      page.items.push_back(keyed[i].second);
    }
  }
  return page;
}

}  // namespace cardsync::sandbox
