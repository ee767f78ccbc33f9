#include "sandbox/pokemontcg_api.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <vector>

#include "sandbox/calendar_text.hpp"
#include "sandbox/pokemontcg_json.hpp"
#include "sandbox/router.hpp"
#include "sandbox/truth.hpp"

namespace cardsync::sandbox {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view kBadRequest =
    "Bad Request. Your request is either malformed, or is missing one or more required fields.";

void str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

ApiResponse finish(unsigned status, const rapidjson::StringBuffer& buf) {
  return ApiResponse::json(status, std::string(buf.GetString(), buf.GetSize()));
}

std::optional<std::uint64_t> positive(std::string_view text) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v == 0) return std::nullopt;
  return v;
}

// One Lucene-like term, `field:value` or `field:"value"`: all the sandbox understands of
// `q`. nullopt for anything else (several terms, wildcards, ranges).
struct Term {
  std::string field;
  std::string value;
};
std::optional<Term> parse_term(std::string_view q) {
  while (!q.empty() && q.front() == ' ') q.remove_prefix(1);
  while (!q.empty() && q.back() == ' ') q.remove_suffix(1);
  const auto colon = q.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  Term t{std::string(q.substr(0, colon)), std::string(q.substr(colon + 1))};
  if (t.value.size() >= 2 && t.value.front() == '"' && t.value.back() == '"') {
    t.value = t.value.substr(1, t.value.size() - 2);
  } else if (t.value.find_first_of(" *\"[]") != std::string::npos) {
    return std::nullopt;
  }
  if (t.value.empty()) return std::nullopt;
  return t;
}

}  // namespace

PokemonTcgApi::PokemonTcgApi(std::uint64_t seed, PokemonTcgOptions options, FaultInjector& faults,
                             RequestStats& stats)
    : options_(std::move(options)),
      catalog_(seed, options_.shape),
      faults_(faults),
      stats_(stats),
      anonymous_rate_(options_.anonymous_per_minute, faults.clock()),
      anonymous_daily_(options_.anonymous_per_day, 0, faults.clock()),
      keyed_daily_(options_.keyed_per_day, 0, faults.clock()) {}

void PokemonTcgApi::add_routes(Router& router) {
  auto bind = [this](ApiResponse (PokemonTcgApi::*fn)(const ApiRequest&)) {
    return [this, fn](const ApiRequest& r) { return (this->*fn)(r); };
  };
  router.add(http::verb::get, "/pokemontcg/v2/sets", bind(&PokemonTcgApi::sets), this);
  router.add(http::verb::get, "/pokemontcg/v2/sets/{id}", bind(&PokemonTcgApi::set), this);
  router.add(http::verb::get, "/pokemontcg/v2/cards", bind(&PokemonTcgApi::cards), this);
  router.add(http::verb::get, "/pokemontcg/v2/cards/{id}", bind(&PokemonTcgApi::card), this);
}

void PokemonTcgApi::add_control_routes(Router& router) {
  router.add(
      http::verb::get, "/_sandbox/truth/pokemontcg",
      [this](const ApiRequest& r) { return truth(r); }, nullptr);
}

ApiResponse PokemonTcgApi::error(unsigned status, std::string_view /*code*/,
                                 std::string_view message) const {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("message");
  str(w, message);
  w.Key("code");
  w.Uint(status);
  w.EndObject();
  w.EndObject();
  return finish(status, buf);
}

ApiResponse PokemonTcgApi::limited(std::string_view message, std::chrono::seconds wait) {
  stats_.add(StatCounter::kRateLimited);
  ApiResponse res = error(429, "", message);
  if (auto value = faults_.retry_after_value(wait)) res.headers.emplace_back("Retry-After", *value);
  return res;
}

std::optional<ApiResponse> PokemonTcgApi::admit(const ApiRequest& req) {
  UsageSnapshot used;
  const Clock::WallTime now = faults_.clock().wall();
  if (req.has_header("X-Api-Key")) {
    if (req.header("X-Api-Key") != options_.api_key) {
      return error(403, "", "Forbidden. The API key is invalid or has been revoked.");
    }
    if (keyed_daily_.admit(used) != QuotaVerdict::kAdmitted) {
      return limited("Too Many Requests. The daily request limit for this API key was reached.",
                     until_next_day(now));
    }
    return std::nullopt;
  }
  if (auto wait = anonymous_rate_.try_acquire()) {
    return limited(
        "Too Many Requests. Anonymous requests are limited per minute; send an API key in "
        "X-Api-Key.",
        *wait);
  }
  if (anonymous_daily_.admit(used) != QuotaVerdict::kAdmitted) {
    return limited("Too Many Requests. The daily limit for anonymous requests was reached.",
                   until_next_day(now));
  }
  return std::nullopt;
}

std::optional<ApiResponse> PokemonTcgApi::paging(const ApiRequest& req, Page& out) const {
  if (auto text = req.query.get("page")) {
    auto v = positive(*text);
    if (!v) return error(400, "", kBadRequest);
    out.page = *v;
  }
  if (auto text = req.query.get("pageSize")) {
    auto v = positive(*text);
    if (!v) return error(400, "", kBadRequest);
    // Upstream serves at most 250 and says so in the envelope's pageSize.
    out.size = static_cast<std::uint32_t>(std::min<std::uint64_t>(*v, kMaxPageSize));
  }
  return std::nullopt;
}

template <class Write>
ApiResponse PokemonTcgApi::list(const Page& page, std::uint64_t total, Write&& write) {
  // Compared before multiplying, so a huge page number cannot overflow.
  const std::uint64_t begin =
      page.page - 1 > total / page.size ? total : std::min(total, (page.page - 1) * page.size);
  const std::uint64_t end = std::min(total, begin + page.size);
  std::uint64_t last = end;
  // A repeat carries the next page's first item after the page's own ones.
  if (faults_.roll(faults_.options().repeat_rate) && begin < end && last < total) {
    ++last;
    stats_.add(StatCounter::kRepeat);
  }
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("data");
  w.StartArray();
  for (std::uint64_t i = begin; i < last; ++i) write(w, i);
  w.EndArray();
  w.Key("page");
  w.Uint64(page.page);
  w.Key("pageSize");
  w.Uint(page.size);
  w.Key("count");
  w.Uint64(last - begin);
  w.Key("totalCount");
  w.Uint64(total);
  w.EndObject();
  return finish(200, buf);
}

ApiResponse PokemonTcgApi::sets(const ApiRequest& req) {
  if (auto rejected = admit(req)) return *rejected;
  Page page;
  if (auto bad = paging(req, page)) return *bad;
  std::vector<std::uint32_t> matching;
  const auto q = req.query.get("q");
  const auto term = q ? parse_term(*q) : std::nullopt;
  if (q && (!term || (term->field != "id" && term->field != "series"))) {
    return error(400, "", kBadRequest);
  }
  for (const auto& s : catalog_.sets()) {
    if (!term || (term->field == "id" ? s.id == term->value : s.series == term->value)) {
      matching.push_back(s.index);
    }
  }
  const PokemonFields fields(req.query.get("select").value_or(""));
  return list(page, matching.size(), [&](JsonWriter& w, std::uint64_t i) {
    write_pokemon_set(w, catalog_.sets()[matching[i]], fields);
    stats_.add(StatCounter::kSetsServed);
  });
}

ApiResponse PokemonTcgApi::set(const ApiRequest& req) {
  if (auto rejected = admit(req)) return *rejected;
  const auto index = catalog_.find_set(req.path_params.at("id"));
  if (!index) return error(404, "", "Not Found");
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("data");
  write_pokemon_set(w, catalog_.sets()[*index],
                    PokemonFields(req.query.get("select").value_or("")));
  w.EndObject();
  stats_.add(StatCounter::kSetsServed);
  return finish(200, buf);
}

ApiResponse PokemonTcgApi::cards(const ApiRequest& req) {
  if (auto rejected = admit(req)) return *rejected;
  Page page;
  if (auto bad = paging(req, page)) return *bad;
  // The whole catalog, one set, or one card: what `q` can name in the sandbox.
  std::uint64_t first = 0;
  std::uint64_t total = catalog_.card_count();
  if (auto q = req.query.get("q"); q && !q->empty()) {
    const auto term = parse_term(*q);
    if (!term) return error(400, "", kBadRequest);
    if (term->field == "set.id") {
      const auto set = catalog_.find_set(term->value);
      first = set ? std::uint64_t{*set} * catalog_.shape().cards_per_set : 0;
      total = set ? catalog_.shape().cards_per_set : 0;
    } else if (term->field == "id") {
      const auto card = catalog_.find_card(term->value);
      first = card.value_or(0);
      total = card ? 1 : 0;
    } else {
      return error(400, "", kBadRequest);
    }
  }
  const PokemonFields fields(req.query.get("select").value_or(""));
  return list(page, total, [&](JsonWriter& w, std::uint64_t i) {
    const PokemonTcgCard c = catalog_.card(first + i);
    write_pokemon_card(w, c, catalog_.sets()[c.set], fields);
    stats_.add(StatCounter::kCardsServed);
    stats_.add(StatCounter::kVariantsServed, c.tcgplayer.size());
  });
}

ApiResponse PokemonTcgApi::card(const ApiRequest& req) {
  if (auto rejected = admit(req)) return *rejected;
  const auto index = catalog_.find_card(req.path_params.at("id"));
  if (!index) return error(404, "", "Not Found");
  const PokemonTcgCard c = catalog_.card(*index);
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("data");
  write_pokemon_card(w, c, catalog_.sets()[c.set],
                     PokemonFields(req.query.get("select").value_or("")));
  w.EndObject();
  stats_.add(StatCounter::kCardsServed);
  stats_.add(StatCounter::kVariantsServed, c.tcgplayer.size());
  return finish(200, buf);
}

ApiResponse PokemonTcgApi::truth(const ApiRequest& req) const {
  const PokemonTcgTruth t = compute_pokemon_truth(catalog_);
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("sets");
  w.Uint64(t.sets);
  w.Key("cards");
  w.Uint64(t.cards);
  w.Key("variants");
  w.Uint64(t.variants);
  w.Key("cards_without_tcgplayer");
  w.Uint64(t.cards_without_tcgplayer);
  w.Key("printings_without_market");
  w.Uint64(t.printings_without_market);
  w.Key("checksum");
  str(w, checksum_hex(t.checksum));
  w.Key("generation");
  w.Uint64(t.generation);
  w.Key("checksum_definition");
  str(w,
      "hex(sum mod 2^64 over one variant per TCGplayer printing with a market price of "
      "fnv1a64(\"<card id>/<printing>|<card id>|<printing>|<round(market*100)>|USD\"))");
  if (req.query.has("items")) {
    const PriceBook::Snapshot snapshot = catalog_.prices().snapshot();
    w.Key("items");
    w.StartObject();
    w.Key("sets");
    w.StartArray();
    for (const auto& s : catalog_.sets()) {
      w.StartObject();
      w.Key("key");
      str(w, s.id);
      w.Key("name");
      str(w, s.name);
      w.Key("series");
      str(w, s.series);
      w.Key("release_date");
      str(w, date_text(s.release, '-'));
      w.Key("cards_count");
      w.Uint(s.total);
      w.EndObject();
    }
    w.EndArray();
    std::vector<PokemonTcgCard> cards;
    cards.reserve(catalog_.card_count());
    for (std::uint64_t i = 0; i < catalog_.card_count(); ++i) {
      cards.push_back(catalog_.card(i, snapshot));
    }
    w.Key("cards");
    w.StartArray();
    for (const auto& c : cards) {
      w.StartObject();
      w.Key("key");
      str(w, c.id);
      w.Key("set");
      str(w, catalog_.sets()[c.set].id);
      w.Key("name");
      str(w, c.name);
      w.Key("number");
      str(w, c.number);
      w.Key("rarity");
      if (c.rarity) {
        str(w, *c.rarity);
      } else {
        w.Null();
      }
      w.EndObject();
    }
    w.EndArray();
    w.Key("variants");
    w.StartArray();
    for (const auto& c : cards) {
      for (const auto& p : c.tcgplayer) {
        if (!p.market) continue;
        const std::string_view printing = kPokemonPrintingNames[p.printing];
        w.StartObject();
        w.Key("key");
        str(w, c.id + "/" + std::string(printing));
        w.Key("card");
        str(w, c.id);
        w.Key("printing");
        str(w, printing);
        w.Key("price_cents");
        w.Int64(*p.market);
        w.Key("currency");
        str(w, "USD");
        w.Key("last_updated");
        w.Int64(start_of_day(c.tcgplayer_updated));
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
