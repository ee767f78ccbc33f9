#include "sandbox/ygoprodeck_api.hpp"

#include <cardsync/url.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>

#include "sandbox/calendar_text.hpp"
#include "sandbox/router.hpp"
#include "sandbox/truth.hpp"
#include "sandbox/ygoprodeck_json.hpp"

namespace cardsync::sandbox {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view kNoMatch =
    "No card matching your query was found in the database. Please see "
    "https://db.ygoprodeck.com/api-guide/ for syntax usage.";

// The cardinfo.php parameters the sandbox implements; any other is answered like a bad one.
constexpr std::array<std::string_view, 5> kParameters{"cardset", "id", "name", "num", "offset"};

void str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

ApiResponse finish(unsigned status, const rapidjson::StringBuffer& buf) {
  return ApiResponse::json(status, std::string(buf.GetString(), buf.GetSize()));
}

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ceil(rows / per_page), without overflow for a huge `num`.
std::uint64_t pages(std::uint64_t rows, std::uint64_t per_page) {
  return rows == 0 ? 0 : (rows - 1) / per_page + 1;
}

}  // namespace

YgoProDeckApi::YgoProDeckApi(std::uint64_t seed, YgoProDeckOptions options, FaultInjector& faults,
                             RequestStats& stats)
    : options_(options),
      catalog_(seed, options_.shape),
      faults_(faults),
      stats_(stats),
      rate_(options_.rate_limit, faults.clock(), std::chrono::seconds(1)) {}

void YgoProDeckApi::add_routes(Router& router) {
  router.add(
      http::verb::get, "/ygoprodeck/api/v7/cardsets.php",
      [this](const ApiRequest& r) { return cardsets(r); }, this);
  router.add(
      http::verb::get, "/ygoprodeck/api/v7/cardinfo.php",
      [this](const ApiRequest& r) { return cardinfo(r); }, this);
}

void YgoProDeckApi::add_control_routes(Router& router) {
  router.add(
      http::verb::get, "/_sandbox/truth/ygoprodeck",
      [this](const ApiRequest& r) { return truth(r); }, nullptr);
}

ApiResponse YgoProDeckApi::error(unsigned status, std::string_view /*code*/,
                                 std::string_view message) const {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("error");
  str(w, message);
  w.EndObject();
  return finish(status, buf);
}

std::optional<ApiResponse> YgoProDeckApi::admit() {
  std::lock_guard lock(block_mu_);
  const Clock::SteadyTime now = faults_.clock().now();
  if (blocked_until_ && now < *blocked_until_) {
    stats_.add(StatCounter::kRateLimited);
    return error(429, "", "You have been temporarily blocked for exceeding the rate limit.");
  }
  if (rate_.try_acquire()) {
    blocked_until_ = now + options_.block;
    stats_.add(StatCounter::kRateLimited);
    return error(429, "",
                 "Rate limit of " + std::to_string(rate_.limit()) +
                     " requests per second exceeded; you have been temporarily blocked.");
  }
  return std::nullopt;
}

ApiResponse YgoProDeckApi::cardsets(const ApiRequest&) {
  if (auto rejected = admit()) return *rejected;
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartArray();
  for (const auto& s : catalog_.sets()) write_ygoprodeck_set(w, s);
  w.EndArray();
  stats_.add(StatCounter::kSetsServed, catalog_.sets().size());
  return finish(200, buf);
}

std::optional<std::vector<std::uint64_t>> YgoProDeckApi::matching(const ApiRequest& req) const {
  for (const auto& [name, value] : req.query.all()) {
    if (std::find(kParameters.begin(), kParameters.end(), name) == kParameters.end()) {
      return std::nullopt;
    }
  }
  std::vector<std::uint64_t> cards;
  if (auto set_name = req.query.get("cardset")) {
    const auto set = catalog_.find_set(*set_name);
    if (!set) return std::nullopt;
    cards = catalog_.set_cards(*set);
  } else {
    cards.resize(catalog_.card_count());
    for (std::uint64_t i = 0; i < cards.size(); ++i) cards[i] = i;
  }
  if (auto ids = req.query.get("id")) {
    std::vector<std::uint64_t> wanted;
    std::string_view rest = *ids;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto id = number(rest.substr(0, comma));
      if (!id || *id > UINT32_MAX) return std::nullopt;
      if (auto index = catalog_.find_card(static_cast<std::uint32_t>(*id)))
        wanted.push_back(*index);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    std::erase_if(cards, [&](std::uint64_t c) {
      return std::find(wanted.begin(), wanted.end(), c) == wanted.end();
    });
  }
  if (auto name = req.query.get("name")) {
    const std::string wanted = lowercase(*name);
    std::erase_if(cards,
                  [&](std::uint64_t c) { return lowercase(catalog_.card(c).name) != wanted; });
  }
  return cards;
}

ApiResponse YgoProDeckApi::cardinfo(const ApiRequest& req) {
  if (auto rejected = admit()) return *rejected;
  const auto num_text = req.query.get("num");
  const auto offset_text = req.query.get("offset");
  if (num_text.has_value() != offset_text.has_value()) return error(400, "", kNoMatch);
  const bool paged = num_text.has_value();
  const auto num = paged ? number(*num_text) : std::optional<std::uint64_t>(0);
  const auto offset = paged ? number(*offset_text) : std::optional<std::uint64_t>(0);
  if (!num || !offset || (paged && *num == 0)) return error(400, "", kNoMatch);
  const auto cards = matching(req);
  if (!cards || cards->empty() || *offset >= cards->size()) return error(400, "", kNoMatch);

  const std::uint64_t total = cards->size();
  std::uint64_t rows = paged ? *num : total;
  if (paged && rows > 1 && faults_.roll(faults_.options().short_page_rate)) {
    rows /= 2;
    stats_.add(StatCounter::kShortPage);
  }
  const std::uint64_t next = *offset + std::min(rows, total - *offset);
  std::uint64_t last = next;
  if (paged && faults_.roll(faults_.options().repeat_rate) && last < total) {
    ++last;
    stats_.add(StatCounter::kRepeat);
  }

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("data");
  w.StartArray();
  for (std::uint64_t i = *offset; i < last; ++i) {
    const YgoProDeckCard c = catalog_.card((*cards)[i]);
    write_ygoprodeck_card(w, c, catalog_.sets());
    stats_.add(StatCounter::kCardsServed);
    stats_.add(StatCounter::kVariantsServed, c.printings.size());
  }
  w.EndArray();
  if (paged) {
    w.Key("meta");
    w.StartObject();
    w.Key("current_rows");
    w.Uint64(next - *offset);
    w.Key("total_rows");
    w.Uint64(total);
    w.Key("rows_remaining");
    w.Uint64(total - next);
    w.Key("total_pages");
    w.Uint64(pages(total, *num));
    w.Key("pages_remaining");
    w.Uint64(pages(total - next, *num));
    if (next < total) {
      std::string url =
          "http://" + std::string(req.header("Host")) + "/ygoprodeck/api/v7/cardinfo.php?";
      for (const auto& [name, value] : req.query.all()) {
        if (name == "num" || name == "offset") continue;
        url += sdk::percent_encode(name) + "=" + sdk::percent_encode(value) + "&";
      }
      url += "num=" + std::to_string(*num) + "&offset=" + std::to_string(next);
      w.Key("next_page");
      str(w, url);
      w.Key("next_page_offset");
      w.Uint64(next);
    }
    w.EndObject();
  }
  w.EndObject();
  return finish(200, buf);
}

ApiResponse YgoProDeckApi::truth(const ApiRequest& req) const {
  const YgoProDeckTruth t = compute_ygoprodeck_truth(catalog_);
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("sets");
  w.Uint64(t.sets);
  w.Key("cards");
  w.Uint64(t.cards);
  w.Key("unprinted_cards");
  w.Uint64(t.unprinted_cards);
  w.Key("variants");
  w.Uint64(t.variants);
  w.Key("priced");
  w.Uint64(t.priced);
  w.Key("checksum");
  str(w, checksum_hex(t.checksum));
  w.Key("generation");
  w.Uint64(t.generation);
  w.Key("checksum_definition");
  str(w,
      "hex(sum mod 2^64 over one variant per printing (card id, set_code, set_rarity) of every "
      "printed card of fnv1a64(\"<card id>/<set_code>/<set_rarity>|<card id>|<tcgplayer_price "
      "in integer cents, empty for 0.00>|USD\"))");
  if (req.query.has("items")) {
    const PriceBook::Snapshot snapshot = catalog_.prices().snapshot();
    w.Key("items");
    w.StartObject();
    w.Key("sets");
    w.StartArray();
    for (const auto& s : catalog_.sets()) {
      w.StartObject();
      w.Key("key");
      str(w, s.code);
      w.Key("name");
      str(w, s.name);
      w.Key("release_date");
      if (s.tcg_date) {
        str(w, date_text(*s.tcg_date, '-'));
      } else {
        w.Null();
      }
      w.Key("cards_count");
      w.Uint(s.num_of_cards);
      w.EndObject();
    }
    w.EndArray();
    std::vector<YgoProDeckCard> cards;
    cards.reserve(catalog_.card_count());
    for (std::uint64_t i = 0; i < catalog_.card_count(); ++i) {
      cards.push_back(catalog_.card(i, snapshot));
    }
    for (const bool printed : {true, false}) {
      w.Key(printed ? "cards" : "unprinted_cards");
      w.StartArray();
      for (const auto& c : cards) {
        if (c.printings.empty() == printed) continue;
        w.StartObject();
        w.Key("key");
        str(w, std::to_string(c.id));
        w.Key("name");
        str(w, c.name);
        if (printed) {
          w.Key("sets");
          w.StartArray();
          std::vector<std::uint32_t> seen;
          for (const auto& p : c.printings) {
            if (std::find(seen.begin(), seen.end(), p.set) != seen.end()) continue;
            seen.push_back(p.set);
            str(w, catalog_.sets()[p.set].code);
          }
          w.EndArray();
        }
        w.EndObject();
      }
      w.EndArray();
    }
    w.Key("variants");
    w.StartArray();
    for (const auto& c : cards) {
      const std::int64_t cents = c.prices[kYgoTcgplayer];
      for (const auto& p : c.printings) {
        w.StartObject();
        w.Key("key");
        str(w, ygoprodeck_variant_key(c.id, p));
        w.Key("card");
        str(w, std::to_string(c.id));
        w.Key("set");
        str(w, catalog_.sets()[p.set].code);
        w.Key("set_code");
        str(w, p.set_code);
        w.Key("rarity");
        str(w, p.rarity);
        w.Key("price_cents");
        if (cents != 0) {
          w.Int64(cents);
        } else {
          w.Null();
        }
        w.Key("currency");
        str(w, "USD");
        w.EndObject();
      }
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
  return finish(200, buf);
}

}  // namespace cardsync::sandbox
