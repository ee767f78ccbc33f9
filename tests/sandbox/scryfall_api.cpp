#include "sandbox/scryfall_api.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "sandbox/router.hpp"
#include "sandbox/truth.hpp"

namespace cardsync::sandbox {
namespace {

namespace http = boost::beast::http;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

ApiResponse finish(unsigned status, const rapidjson::StringBuffer& buf) {
  return ApiResponse::json(status, std::string(buf.GetString(), buf.GetSize()));
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string price_text(std::int64_t cents) {
  std::string frac = std::to_string(cents % 100);
  return std::to_string(cents / 100) + "." + (frac.size() == 1 ? "0" : "") + frac;
}

std::optional<std::uint64_t> number(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || end != text->data() + text->size()) return std::nullopt;
  return v;
}

void write_set(Writer& w, const ScryfallSet& s, const std::string& base) {
  w.StartObject();
  w.Key("object");
  str(w, "set");
  w.Key("id");
  str(w, s.id);
  w.Key("code");
  str(w, s.code);
  w.Key("name");
  str(w, s.name);
  w.Key("uri");
  str(w, base + "/sets/" + s.code);
  w.Key("search_uri");
  str(w, base + "/cards/search?order=set&q=e%3A" + s.code + "&unique=prints");
  if (s.released_at) {
    w.Key("released_at");
    str(w, *s.released_at);
  }
  w.Key("set_type");
  str(w, s.set_type);
  w.Key("card_count");
  w.Uint(s.card_count);
  w.Key("digital");
  w.Bool(false);
  w.Key("foil_only");
  w.Bool(false);
  w.EndObject();
}

void write_card(Writer& w, const ScryfallCard& c, const ScryfallSet& set) {
  w.StartObject();
  w.Key("object");
  str(w, "card");
  w.Key("id");
  str(w, c.id);
  w.Key("lang");
  str(w, c.lang);
  if (c.defect != ScryfallDefect::kMissingName) {
    w.Key("name");
    str(w, c.name);
  }
  w.Key("layout");
  str(w, "normal");
  w.Key("set");
  str(w, set.code);
  w.Key("set_name");
  str(w, set.name);
  w.Key("collector_number");
  str(w, c.collector_number);
  w.Key("rarity");
  str(w, c.rarity);
  w.Key("finishes");
  w.StartArray();
  for (const auto& f : c.finishes) str(w, f);
  w.EndArray();
  if (c.tcgplayer_id) {
    w.Key("tcgplayer_id");
    w.Int64(*c.tcgplayer_id);
  }
  w.Key("prices");
  w.StartObject();
  for (std::size_t i = 0; i < kPriceFields; ++i) {
    w.Key(kScryfallPriceNames[i].data());
    if (i == kUsd && c.defect == ScryfallDefect::kPriceWrongType) {
      w.Double(static_cast<double>(c.prices[i].value_or(199)) / 100.0);
    } else if (c.prices[i]) {
      str(w, price_text(*c.prices[i]));
    } else {
      w.Null();
    }
  }
  w.EndObject();
  w.Key("games");
  w.StartArray();
  str(w, "paper");
  w.EndArray();
  w.EndObject();
}

}  // namespace

ScryfallApi::ScryfallApi(std::uint64_t seed, double invalid_rate, ScryfallShape shape,
                         FaultInjector& faults, RequestStats& stats)
    : catalog_(seed, invalid_rate, shape), faults_(faults), stats_(stats) {}

void ScryfallApi::add_routes(Router& router) {
  router.add(
      http::verb::get, "/scryfall/sets", [this](const ApiRequest& r) { return sets(r); }, this);
  router.add(
      http::verb::get, "/scryfall/cards/search", [this](const ApiRequest& r) { return search(r); },
      this);
  // After /cards/search, which the router tries first: "search" is no card id.
  router.add(
      http::verb::get, "/scryfall/cards/{id}", [this](const ApiRequest& r) { return card(r); },
      this);
}

void ScryfallApi::add_control_routes(Router& router) {
  router.add(
      http::verb::get, "/_sandbox/truth/scryfall", [this](const ApiRequest& r) { return truth(r); },
      nullptr);
}

ApiResponse ScryfallApi::error(unsigned status, std::string_view code,
                               std::string_view message) const {
  // The server speaks JustTCG-style codes for the faults it injects; Scryfall's are snake case.
  std::string snake = status == 429 ? "rate_limited" : lowercase(code);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("object");
  str(w, "error");
  w.Key("code");
  str(w, snake);
  w.Key("status");
  w.Uint(status);
  w.Key("details");
  str(w, message);
  w.EndObject();
  return finish(status, buf);
}

std::optional<ApiResponse> ScryfallApi::refuse_headers(const ApiRequest& req) const {
  const std::string accept = lowercase(req.header("Accept"));
  if (req.header("User-Agent").empty() || (accept.find("application/json") == std::string::npos &&
                                           accept.find("*/*") == std::string::npos)) {
    return error(400, "bad_request",
                 "Requests must send an Accept header (application/json) and a User-Agent "
                 "that names the application.");
  }
  return std::nullopt;
}

ApiResponse ScryfallApi::sets(const ApiRequest& req) {
  if (auto refused = refuse_headers(req)) return *refused;
  const std::string base = "http://" + std::string(req.header("Host")) + "/scryfall";
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("object");
  str(w, "list");
  w.Key("has_more");
  w.Bool(false);
  w.Key("data");
  w.StartArray();
  for (const auto& s : catalog_.sets()) write_set(w, s, base);
  w.EndArray();
  w.EndObject();
  stats_.add(StatCounter::kSetsServed, catalog_.sets().size());
  return finish(200, buf);
}

ApiResponse ScryfallApi::search(const ApiRequest& req) {
  if (auto refused = refuse_headers(req)) return *refused;
  const std::string q = lowercase(req.query.get("q").value_or(""));
  std::string code;
  for (std::string_view prefix : {"e:", "set:", "s:"}) {
    if (q.rfind(prefix, 0) == 0) code = q.substr(prefix.size());
  }
  if (code.empty()) {
    return error(400, "bad_request", "The sandbox understands only q=e:<set code> searches.");
  }
  const auto page = number(req.query.get("page")).value_or(1);
  const auto set = catalog_.find_set(code);
  const std::uint32_t total = set ? catalog_.sets()[*set].card_count : 0;
  const std::uint64_t size = catalog_.shape().page_size;
  const std::uint64_t start =
      number(req.query.get("start")).value_or(page == 0 ? 0 : (page - 1) * size);
  if (page == 0 || start >= total) {
    return error(404, "not_found", "Your query didn't match any cards. Adjust your search terms.");
  }
  auto faults = faults_.options();
  std::uint64_t served = size;
  if (size > 1 && faults_.roll(faults.short_page_rate)) {
    served = size / 2;
    stats_.add(StatCounter::kShortPage);
  }
  const std::uint64_t next = std::min<std::uint64_t>(total, start + served);
  std::uint64_t last = next;
  if (faults_.roll(faults.repeat_rate) && last < total) {
    ++last;
    stats_.add(StatCounter::kRepeat);
  }

  const ScryfallSet& s = catalog_.sets()[*set];
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("object");
  str(w, "list");
  w.Key("total_cards");
  w.Uint(total);
  w.Key("has_more");
  w.Bool(next < total);
  if (next < total) {
    w.Key("next_page");
    str(w, "http://" + std::string(req.header("Host")) +
               "/scryfall/cards/search?format=json&include_extras=true&order=set&page=" +
               std::to_string(page + 1) + "&q=e%3A" + s.code + "&start=" + std::to_string(next) +
               "&unique=prints");
  }
  w.Key("data");
  w.StartArray();
  for (std::uint64_t i = start; i < last; ++i) {
    const ScryfallCard c = catalog_.card(s.index, static_cast<std::uint32_t>(i));
    if (c.defect != ScryfallDefect::kNone) stats_.add(StatCounter::kInvalidItem);
    write_card(w, c, s);
  }
  w.EndArray();
  w.EndObject();
  stats_.add(StatCounter::kCardsServed, last - start);
  return finish(200, buf);
}

ApiResponse ScryfallApi::card(const ApiRequest& req) {
  if (auto refused = refuse_headers(req)) return *refused;
  // Scryfall's ids are lowercase; like Scryfall, anything else is simply not found.
  const auto found = catalog_.find_card(req.path_params.at("id"));
  if (!found) {
    return error(404, "not_found",
                 "No card found with the given ID or set code and collector number.");
  }
  const ScryfallCard c = catalog_.card(found->set, found->ordinal);
  if (c.defect != ScryfallDefect::kNone) stats_.add(StatCounter::kInvalidItem);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  write_card(w, c, catalog_.sets()[found->set]);
  stats_.add(StatCounter::kCardsServed);
  return finish(200, buf);
}

ApiResponse ScryfallApi::truth(const ApiRequest& req) const {
  const ScryfallTruth t = compute_scryfall_truth(catalog_);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("sets");
  w.Uint64(t.sets);
  w.Key("cards");
  w.Uint64(t.cards);
  w.Key("variants");
  w.Uint64(t.variants);
  w.Key("priced");
  w.Uint64(t.priced);
  w.Key("checksum");
  str(w, checksum_hex(t.checksum));
  w.Key("invalid");
  w.StartObject();
  w.Key("cards");
  w.Uint64(t.invalid.size());
  w.EndObject();
  w.Key("checksum_definition");
  str(w,
      "hex(sum mod 2^64 over one variant per finish of every valid card of "
      "fnv1a64(\"<card id>|<finish>|<currency>|<price in integer cents>\")), the price from "
      "usd, else eur, currency USD or EUR; both empty when neither has a price");
  if (req.query.has("invalid")) {
    w.Key("invalid_items");
    w.StartArray();
    for (const auto& item : t.invalid) {
      w.StartObject();
      w.Key("kind");
      str(w, "card");
      w.Key("id");
      str(w, item.id);
      w.Key("defect");
      str(w, scryfall_defect_name(item.defect));
      w.Key("path");
      str(w, scryfall_defect_path(item.defect));
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return finish(200, buf);
}

}  // namespace cardsync::sandbox
