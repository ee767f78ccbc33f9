#include "sandbox/justtcg_api.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <numeric>
#include <string_view>
#include <vector>

#include "sandbox/card_query.hpp"
#include "sandbox/catalog_vocabulary.hpp"
#include "sandbox/router.hpp"

namespace cardsync::sandbox {
namespace {

namespace http = boost::beast::http;

constexpr std::uint32_t kDefaultLimit = 20;
constexpr const char* kValidationCode = "VALIDATION_ERROR";

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    auto comma = text.find(',');
    auto item = trim(text.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  text = trim(text);
  std::uint64_t value = 0;
  if (text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Unix seconds; a fractional part is dropped.
std::optional<std::int64_t> parse_epoch(std::string_view text) {
  std::string s(trim(text));
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(value) || value < 0 || value > 1e13) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(std::floor(value));
}

std::optional<bool> parse_bool(std::string_view text) {
  std::string s = lowercase(trim(text));
  if (s == "true" || s == "1" || s.empty()) return true;
  if (s == "false" || s == "0") return false;
  return std::nullopt;
}

// Full names or abbreviations, any case. Sealed is valid and matches no generated item.
std::optional<std::uint32_t> parse_conditions(const std::vector<std::string>& names) {
  std::uint32_t mask = 0;
  for (const auto& raw : names) {
    std::string name = lowercase(raw);
    if (name == "sealed" || name == "s") continue;
    bool known = false;
    const auto conditions = card_conditions();
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      if (name == lowercase(conditions[i].name) || name == lowercase(conditions[i].abbreviation)) {
        mask |= 1U << i;
        known = true;
      }
    }
    if (!known) return std::nullopt;
  }
  return mask;
}

// Unknown printings are not an error upstream: they just match nothing.
std::uint32_t parse_printings(const std::vector<std::string>& names) {
  std::uint32_t mask = 0;
  const auto printings = card_printings();
  for (const auto& raw : names) {
    std::string name = lowercase(raw);
    for (std::size_t i = 0; i < printings.size(); ++i) {
      if (name == lowercase(printings[i].name)) mask |= 1U << i;
    }
  }
  return mask;
}

std::optional<unsigned> parse_timeframes(std::string_view text) {
  std::string flat = lowercase(trim(text));
  if (flat == "true" || flat == "all") return kAllTimeframes;
  if (flat == "false") return kDefaultTimeframes;
  unsigned mask = 0;
  for (const auto& name : split_list(text)) {
    unsigned bit = timeframe_from_name(name);
    if (bit == 0) return std::nullopt;
    mask |= bit;
  }
  return mask;
}

std::optional<unsigned> parse_history_days(std::string_view text) {
  if (text == "7d") return 7;
  if (text == "30d") return 30;
  if (text == "90d") return 90;
  if (text == "180d") return 180;
  if (text == "1y") return 365;
  return std::nullopt;
}

std::string finish(rapidjson::StringBuffer& buf) {
  return {buf.GetString(), buf.GetSize()};
}

// One lookup's filters, from a query string or a POST /cards item. Empty `error` when valid.
struct CardOptions {
  CardFilter filter;
  CardView view;
  std::string error;
};

void apply_filter_options(CardOptions& o, const std::optional<std::string>& condition,
                          const std::optional<std::string>& printing,
                          const std::optional<std::string>& updated_after,
                          const std::optional<std::string>& include_statistics,
                          const std::optional<std::string>& include_price_history,
                          const std::optional<std::string>& history_duration) {
  if (condition) {
    auto mask = parse_conditions(split_list(*condition));
    if (!mask) {
      o.error = "Invalid condition: " + *condition +
                ". Use Sealed, Near Mint, Lightly Played, Moderately Played, Heavily Played, "
                "Damaged or S, NM, LP, MP, HP, DMG";
      return;
    }
    o.filter.conditions = *mask;
  }
  if (printing) o.filter.printings = parse_printings(split_list(*printing));
  if (updated_after) {
    auto t = parse_epoch(*updated_after);
    if (!t) {
      o.error = "Invalid updated_after: expected a Unix timestamp in seconds";
      return;
    }
    o.filter.updated_after = *t;
  }
  if (include_statistics) {
    auto frames = parse_timeframes(*include_statistics);
    if (!frames) {
      o.error = "Invalid include_statistics: use 7d, 30d, 90d, 1y, allTime";
      return;
    }
    o.view.timeframes = *frames;
  }
  if (include_price_history) {
    auto on = parse_bool(*include_price_history);
    if (!on) {
      o.error = "Invalid include_price_history: expected true or false";
      return;
    }
    o.view.price_history = *on;
  }
  if (history_duration) {
    auto days = parse_history_days(*history_duration);
    if (!days) {
      o.error = "Invalid priceHistoryDuration: use 7d, 30d, 90d, 180d, 1y";
      return;
    }
    o.view.history_days = *days;
  }
}

std::optional<std::string> query_value(const ApiRequest& req, std::string_view name) {
  auto v = req.query.get(name);
  if (!v) return std::nullopt;
  return std::string(*v);
}

// A POST /cards lookup value: a string, a number, or a list of strings.
std::optional<std::string> member_text(const rapidjson::Value& item, const char* name) {
  auto it = item.FindMember(name);
  if (it == item.MemberEnd() || it->value.IsNull()) return std::nullopt;
  const auto& v = it->value;
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return std::string(v.GetBool() ? "true" : "false");
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) return std::to_string(static_cast<std::int64_t>(v.GetDouble()));
  if (v.IsArray()) {
    std::string joined;
    for (const auto& e : v.GetArray()) {
      if (!e.IsString()) continue;
      if (!joined.empty()) joined += ',';
      joined.append(e.GetString(), e.GetStringLength());
    }
    return joined;
  }
  return std::nullopt;
}

// Scope of a single-card lookup: nullopt when no id was given, an empty range when the id
// names nothing.
std::optional<CardFilter> id_scope(
    const Catalog& catalog, const std::function<std::optional<std::string>(const char*)>& get) {
  CardFilter f;
  auto single = [&](std::optional<std::uint64_t> card) {
    f.begin = card.value_or(0);
    f.end = card ? *card + 1 : 0;
    return f;
  };
  auto variant = [&](std::optional<VariantRef> ref) {
    if (ref) f.only_variant = ref->ordinal;
    return single(ref ? std::optional<std::uint64_t>(ref->card) : std::nullopt);
  };
  if (auto v = get("cardId")) return single(catalog.find_card(*v));
  if (auto v = get("variantId")) return variant(catalog.find_variant(*v));
  if (auto v = get("tcgplayerId")) return single(catalog.find_card_by_tcgplayer_id(*v));
  if (auto v = get("tcgplayerSkuId")) return variant(catalog.find_variant_by_sku(*v));
  if (auto v = get("scryfallId")) return single(catalog.find_card_by_scryfall_id(*v));
  if (auto v = get("mtgjsonId")) return single(catalog.find_card_by_mtgjson_id(*v));
  return std::nullopt;
}

// Schema-invalid items among what a response carries of `card`: the card itself, or else its
// defective variant when that variant is among `variants`.
std::uint64_t invalid_items_served(const CardItem& card, std::uint64_t variants) {
  if (card_invalid(card)) return 1;
  if (variant_defect(card, kDefectiveVariant) == Defect::kNone) return 0;
  return (variants >> kDefectiveVariant) & 1U;
}

}  // namespace

JustTcgApi::JustTcgApi(const Catalog& catalog, JustTcgOptions options, FaultInjector& faults,
                       RequestStats& stats)
    : catalog_(catalog),
      options_(std::move(options)),
      faults_(faults),
      stats_(stats),
      rate_(options_.rate_limit, faults.clock()),
      usage_(options_.daily_limit, options_.monthly_limit, faults.clock()) {}

void JustTcgApi::add_routes(Router& router) {
  router.add(
      http::verb::get, "/v1/games", [this](const ApiRequest& r) { return games(r); }, this);
  router.add(
      http::verb::get, "/v1/sets", [this](const ApiRequest& r) { return sets(r); }, this);
  router.add(
      http::verb::get, "/v1/cards", [this](const ApiRequest& r) { return cards(r); }, this);
  router.add(
      http::verb::post, "/v1/cards", [this](const ApiRequest& r) { return batch(r); }, this);
}

ApiResponse JustTcgApi::error(unsigned status, std::string_view code,
                              std::string_view message) const {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("error");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.Key("code");
  w.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  w.EndObject();
  return ApiResponse::json(status, finish(buf));
}

std::optional<ApiResponse> JustTcgApi::admit(const ApiRequest& req, UsageSnapshot& usage) {
  auto key = trim(req.header("x-api-key"));
  if (key.empty()) {
    return error(401, "MISSING_API_KEY", "API key is required. Send it in the x-api-key header.");
  }
  if (key != options_.api_key) return error(401, "INVALID_API_KEY", "Invalid API key");
  if (auto wait = rate_.try_acquire()) {
    stats_.add(StatCounter::kRateLimited);
    auto res =
        error(429, "RATE_LIMIT_EXCEEDED",
              "Rate limit of " + std::to_string(rate_.limit()) + " requests per minute exceeded");
    if (auto value = faults_.retry_after_value(*wait))
      res.headers.emplace_back("Retry-After", *value);
    return res;
  }
  switch (usage_.admit(usage)) {
    case QuotaVerdict::kAdmitted:
      return std::nullopt;
    case QuotaVerdict::kDailyExceeded: {
      stats_.add(StatCounter::kRateLimited);
      auto res = error(429, "DAILY_LIMIT_EXCEEDED", "Daily request limit exceeded");
      auto wait = until_next_day(faults_.clock().wall());
      if (auto value = faults_.retry_after_value(wait))
        res.headers.emplace_back("Retry-After", *value);
      return res;
    }
    case QuotaVerdict::kMonthlyExceeded: {
      stats_.add(StatCounter::kRateLimited);
      auto res = error(429, "REQUEST_LIMIT_EXCEEDED", "Monthly request limit exceeded");
      auto wait = until_next_month(faults_.clock().wall());
      if (auto value = faults_.retry_after_value(wait))
        res.headers.emplace_back("Retry-After", *value);
      return res;
    }
  }
  return std::nullopt;
}

std::optional<ApiResponse> JustTcgApi::paging(const ApiRequest& req, Paging& out) const {
  out.limit = kDefaultLimit;
  out.offset = 0;
  if (auto text = req.query.get("limit")) {
    auto limit = parse_uint(*text);
    if (!limit || *limit == 0) {
      return error(400, "INVALID_REQUEST", "limit must be a positive integer");
    }
    if (*limit > options_.plan.max_limit) {
      return error(403, "PLAN_LIMIT_EXCEEDED",
                   "limit " + std::to_string(*limit) + " is above the maximum of " +
                       std::to_string(options_.plan.max_limit) + " allowed on the " +
                       std::string(options_.plan.name) + " plan");
    }
    out.limit = static_cast<std::uint32_t>(*limit);
  }
  if (auto text = req.query.get("offset")) {
    auto offset = parse_uint(*text);
    if (!offset) return error(400, "INVALID_REQUEST", "offset must be a non-negative integer");
    out.offset = *offset;
  }
  return std::nullopt;
}

void JustTcgApi::write_metadata(JsonWriter& w, const UsageSnapshot& usage) const {
  const auto& plan = options_.plan;
  std::uint64_t monthly = options_.monthly_limit != 0 ? options_.monthly_limit : plan.monthly;
  std::uint64_t daily = options_.daily_limit != 0 ? options_.daily_limit : plan.daily;
  std::uint32_t per_minute = options_.rate_limit != 0 ? options_.rate_limit : plan.per_minute;
  w.Key("_metadata");
  w.StartObject();
  w.Key("apiPlan");
  w.String(plan.name.data(), static_cast<rapidjson::SizeType>(plan.name.size()));
  w.Key("apiRequestLimit");
  w.Uint64(monthly);
  w.Key("apiRequestsUsed");
  w.Uint64(usage.monthly_used);
  w.Key("apiRequestsRemaining");
  w.Uint64(monthly > usage.monthly_used ? monthly - usage.monthly_used : 0);
  w.Key("apiDailyLimit");
  w.Uint64(daily);
  w.Key("apiDailyRequestsUsed");
  w.Uint64(usage.daily_used);
  w.Key("apiDailyRequestsRemaining");
  w.Uint64(daily > usage.daily_used ? daily - usage.daily_used : 0);
  w.Key("apiRateLimit");
  w.Uint(per_minute);
  w.EndObject();
}

ApiResponse JustTcgApi::validation_error(std::string_view message,
                                         const UsageSnapshot& usage) const {
  // Upstream answers some bad parameters with 200, empty data and an error.
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("data");
  w.StartArray();
  w.EndArray();
  w.Key("error");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.Key("code");
  w.String(kValidationCode);
  write_metadata(w, usage);
  w.EndObject();
  return ApiResponse::json(200, finish(buf));
}

ApiResponse JustTcgApi::games(const ApiRequest& req) {
  UsageSnapshot usage;
  if (auto rejected = admit(req, usage)) return *rejected;
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("data");
  w.StartArray();
  for (std::uint32_t g = 0; g < catalog_.game_count(); ++g)
    write_game(w, catalog_, catalog_.game(g));
  w.EndArray();
  write_metadata(w, usage);
  w.EndObject();
  stats_.add(StatCounter::kGamesServed, catalog_.game_count());
  return ApiResponse::json(200, finish(buf));
}

ApiResponse JustTcgApi::sets(const ApiRequest& req) {
  UsageSnapshot usage;
  if (auto rejected = admit(req, usage)) return *rejected;
  Paging page;
  if (auto rejected = paging(req, page)) return *rejected;
  auto game_key = req.query.get("game");
  if (!game_key || trim(*game_key).empty()) {
    return error(400, "INVALID_REQUEST", "Missing required parameter: game");
  }
  auto game = catalog_.find_game(trim(*game_key));
  if (!game) return error(404, "NOT_FOUND", "Game not found: " + std::string(*game_key));

  std::string order_by(req.query.get("orderBy").value_or(""));
  std::string order = lowercase(req.query.get("order").value_or("asc"));
  if (!order_by.empty() && order_by != "name" && order_by != "release_date") {
    return validation_error("Invalid orderBy: use name or release_date", usage);
  }
  if (order != "asc" && order != "desc") {
    return validation_error("Invalid order: use asc or desc", usage);
  }
  std::string q = lowercase(trim(req.query.get("q").value_or("")));

  const std::uint32_t per_game = catalog_.shape().sets_per_game;
  std::vector<std::uint32_t> matches;
  for (std::uint32_t s = 0; s < per_game; ++s) {
    std::uint32_t index = *game * per_game + s;
    if (!q.empty() && lowercase(catalog_.set(index).name).find(q) == std::string::npos) continue;
    matches.push_back(index);
  }
  if (!order_by.empty()) {
    const bool desc = order == "desc";
    std::stable_sort(matches.begin(), matches.end(), [&](std::uint32_t a, std::uint32_t b) {
      const SetItem& x = catalog_.set(a);
      const SetItem& y = catalog_.set(b);
      if (order_by == "name") return desc ? x.name > y.name : x.name < y.name;
      // Sets without a release date go last either way.
      if (x.release_date.has_value() != y.release_date.has_value())
        return x.release_date.has_value();
      if (!x.release_date) return false;
      return desc ? *x.release_date > *y.release_date : *x.release_date < *y.release_date;
    });
  }

  std::uint32_t served_limit = page.limit;
  auto faults = faults_.options();
  if (page.limit > 1 && faults_.roll(faults.short_page_rate)) {
    served_limit = page.limit / 2;
    stats_.add(StatCounter::kShortPage);
  }
  const bool repeat = faults_.roll(faults.repeat_rate);
  const std::uint64_t total = matches.size();
  const std::uint64_t first = std::min(page.offset, total);
  std::uint64_t last = std::min(total, first + served_limit);
  if (repeat && last < total) {
    ++last;
    stats_.add(StatCounter::kRepeat);
  }

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("data");
  w.StartArray();
  for (std::uint64_t i = first; i < last; ++i) write_set(w, catalog_, catalog_.set(matches[i]));
  w.EndArray();
  w.Key("meta");
  w.StartObject();
  w.Key("total");
  w.Uint64(total);
  w.Key("limit");
  w.Uint(served_limit);
  w.Key("offset");
  w.Uint64(page.offset);
  w.Key("hasMore");
  w.Bool(page.offset + served_limit < total);
  w.EndObject();
  write_metadata(w, usage);
  w.EndObject();
  stats_.add(StatCounter::kSetsServed, last - first);
  return ApiResponse::json(200, finish(buf));
}

ApiResponse JustTcgApi::cards(const ApiRequest& req) {
  UsageSnapshot usage;
  if (auto rejected = admit(req, usage)) return *rejected;
  Paging page;
  if (auto rejected = paging(req, page)) return *rejected;

  CardOptions o;
  apply_filter_options(o, query_value(req, "condition"), query_value(req, "printing"),
                       query_value(req, "updated_after"), query_value(req, "include_statistics"),
                       query_value(req, "include_price_history"),
                       query_value(req, "priceHistoryDuration"));
  if (!o.error.empty()) return validation_error(o.error, usage);

  CardOrder order;
  if (auto by = req.query.get("orderBy")) {
    static constexpr std::array<std::pair<std::string_view, CardOrderBy>, 5> kOrders{{
        {"price", CardOrderBy::kPrice},
        {"24h", CardOrderBy::k24h},
        {"7d", CardOrderBy::k7d},
        {"30d", CardOrderBy::k30d},
        {"90d", CardOrderBy::k90d},
    }};
    auto it =
        std::find_if(kOrders.begin(), kOrders.end(), [&](const auto& e) { return e.first == *by; });
    if (it == kOrders.end())
      return validation_error("Invalid orderBy: use price, 24h, 7d, 30d, 90d", usage);
    order.by = it->second;
  }
  if (auto dir = req.query.get("order")) {
    std::string d = lowercase(*dir);
    if (d != "asc" && d != "desc") return validation_error("Invalid order: use asc or desc", usage);
    order.descending = d == "desc";
  }
  std::optional<std::int64_t> min_price;
  if (auto text = req.query.get("min_price")) {
    std::string s(trim(*text));
    char* end = nullptr;
    double dollars = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(dollars)) {
      return validation_error("Invalid min_price: expected a number", usage);
    }
    min_price = std::llround(dollars * 100.0);
  }

  // Scope: an id lookup, else a set, else a game, else everything.
  auto scope = id_scope(catalog_, [&](const char* name) { return query_value(req, name); });
  CardFilter& f = o.filter;
  if (scope) {
    f.begin = scope->begin;
    f.end = scope->end;
    f.only_variant = scope->only_variant;
  } else if (auto set_id = req.query.get("set")) {
    auto set = catalog_.find_set(trim(*set_id));
    auto game = req.query.get("game");
    if (set && (!game || catalog_.find_game(trim(*game)) == catalog_.set(*set).game)) {
      f.begin = catalog_.set(*set).first_card;
      f.end = f.begin + catalog_.shape().cards_per_set;
    }
  } else if (auto game_key = req.query.get("game")) {
    if (auto game = catalog_.find_game(trim(*game_key))) {
      f.begin = std::uint64_t{*game} * catalog_.cards_per_game();
      f.end = f.begin + catalog_.cards_per_game();
    }
  } else {
    f.end = catalog_.card_count();
  }
  if (auto number = req.query.get("number")) f.number = std::string(trim(*number));
  if (auto q = req.query.get("q")) f.name_query = lowercase(trim(*q));
  f.min_price_cents = min_price;

  std::uint32_t served_limit = page.limit;
  auto faults = faults_.options();
  if (page.limit > 1 && faults_.roll(faults.short_page_rate)) {
    served_limit = page.limit / 2;
    stats_.add(StatCounter::kShortPage);
  }
  const bool repeat = faults_.roll(faults.repeat_rate);
  CardPage result = find_cards(catalog_, f, order, page.offset, served_limit + (repeat ? 1 : 0));
  if (result.items.size() > served_limit) stats_.add(StatCounter::kRepeat);

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("data");
  w.StartArray();
  std::uint64_t variants = 0;
  for (const auto& m : result.items) {
    CardItem card = catalog_.card(m.card);
    stats_.add(StatCounter::kInvalidItem, invalid_items_served(card, m.variants));
    variants += write_card(w, catalog_, card, m.variants, o.view);
  }
  w.EndArray();
  w.Key("meta");
  w.StartObject();
  w.Key("total");
  w.Uint64(result.total);
  w.Key("limit");
  w.Uint(served_limit);
  w.Key("offset");
  w.Uint64(page.offset);
  w.Key("hasMore");
  w.Bool(page.offset + served_limit < result.total);
  w.EndObject();
  write_metadata(w, usage);
  w.EndObject();
  stats_.add(StatCounter::kCardsServed, result.items.size());
  stats_.add(StatCounter::kVariantsServed, variants);
  return ApiResponse::json(200, finish(buf));
}

ApiResponse JustTcgApi::batch(const ApiRequest& req) {
  UsageSnapshot usage;
  if (auto rejected = admit(req, usage)) return *rejected;
  rapidjson::Document doc;
  doc.Parse(req.body().c_str(), req.body().size());
  if (doc.HasParseError() || !doc.IsArray() || doc.Empty()) {
    return error(400, "INVALID_REQUEST", "Body must be a non-empty JSON array of card lookups");
  }
  if (doc.Size() > options_.plan.max_limit) {
    return error(403, "PLAN_LIMIT_EXCEEDED",
                 "Batch of " + std::to_string(doc.Size()) + " lookups is above the maximum of " +
                     std::to_string(options_.plan.max_limit) + " allowed on the " +
                     std::string(options_.plan.name) + " plan");
  }
  std::vector<std::pair<CardOptions, std::optional<CardFilter>>> lookups;
  for (const auto& item : doc.GetArray()) {
    if (!item.IsObject()) return error(400, "INVALID_REQUEST", "Each lookup must be an object");
    auto get = [&](const char* name) { return member_text(item, name); };
    CardOptions o;
    apply_filter_options(o, get("condition"), get("printing"), get("updated_after"),
                         get("include_statistics"), get("include_price_history"),
                         get("priceHistoryDuration"));
    if (!o.error.empty()) return validation_error(o.error, usage);
    auto scope = id_scope(catalog_, get);
    if (!scope) {
      return error(400, "INVALID_REQUEST",
                   "Each lookup needs one of cardId, variantId, tcgplayerId, tcgplayerSkuId, "
                   "scryfallId, mtgjsonId");
    }
    lookups.emplace_back(std::move(o), scope);
  }

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("data");
  w.StartArray();
  std::uint64_t cards = 0;
  std::uint64_t variants = 0;
  for (auto& [o, scope] : lookups) {
    o.filter.begin = scope->begin;
    o.filter.end = scope->end;
    o.filter.only_variant = scope->only_variant;
    CardPage found = find_cards(catalog_, o.filter, CardOrder{}, 0, 1);
    for (const auto& m : found.items) {
      CardItem card = catalog_.card(m.card);
      stats_.add(StatCounter::kInvalidItem, invalid_items_served(card, m.variants));
      variants += write_card(w, catalog_, card, m.variants, o.view);
      ++cards;
    }
  }
  w.EndArray();
  write_metadata(w, usage);
  w.EndObject();
  stats_.add(StatCounter::kCardsServed, cards);
  stats_.add(StatCounter::kVariantsServed, variants);
  return ApiResponse::json(200, finish(buf));
}

}  // namespace cardsync::sandbox
