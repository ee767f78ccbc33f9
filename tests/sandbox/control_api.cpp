#include "sandbox/control_api.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

namespace cardsync::sandbox {
namespace {

namespace http = boost::beast::http;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

ApiResponse json(rapidjson::StringBuffer& buf) {
  return ApiResponse::json(200, std::string(buf.GetString(), buf.GetSize()));
}

ApiResponse bad_request(const std::string& message) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("error");
  w.String(message);
  w.EndObject();
  return ApiResponse::json(400, std::string(buf.GetString(), buf.GetSize()));
}

std::optional<double> parse_number(std::string_view text) {
  std::string s(text);
  char* end = nullptr;
  double value = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

void write_faults(Writer& w, const FaultOptions& o) {
  w.StartObject();
  w.Key("fail_rate");
  w.Double(o.fail_rate);
  w.Key("throttle_rate");
  w.Double(o.throttle_rate);
  w.Key("hang_rate");
  w.Double(o.hang_rate);
  w.Key("truncate_rate");
  w.Double(o.truncate_rate);
  w.Key("repeat_rate");
  w.Double(o.repeat_rate);
  w.Key("short_page_rate");
  w.Double(o.short_page_rate);
  w.Key("retry_after_form");
  w.String(retry_after_form_name(o.retry_after_form));
  w.Key("retry_after");
  w.Int64(o.retry_after.count());
  w.Key("outage_start");
  w.Double(o.outage_start);
  w.Key("outage_duration");
  w.Double(o.outage_duration);
  w.Key("latency_ms");
  w.Int64(o.latency.count());
  w.EndObject();
}

}  // namespace

const char* retry_after_form_name(RetryAfterForm form) {
  switch (form) {
    case RetryAfterForm::kSeconds:
      return "seconds";
    case RetryAfterForm::kDate:
      return "date";
    case RetryAfterForm::kNone:
      return "none";
  }
  return "seconds";
}

std::optional<RetryAfterForm> parse_retry_after_form(std::string_view name) {
  if (name == "seconds") return RetryAfterForm::kSeconds;
  if (name == "date") return RetryAfterForm::kDate;
  if (name == "none") return RetryAfterForm::kNone;
  return std::nullopt;
}

ControlApi::ControlApi(Catalog& catalog, FaultInjector& faults, RequestStats& stats,
                       TruthCache& truth, std::vector<MutableCatalog> others)
    : catalog_(catalog),
      faults_(faults),
      stats_(stats),
      truth_(truth),
      others_(std::move(others)) {}

void ControlApi::add_routes(Router& router) {
  auto bind = [this](ApiResponse (ControlApi::*fn)(const ApiRequest&)) {
    return [this, fn](const ApiRequest& r) { return (this->*fn)(r); };
  };
  router.add(http::verb::get, "/_sandbox/truth", bind(&ControlApi::truth), nullptr);
  router.add(http::verb::get, "/_sandbox/stats", bind(&ControlApi::stats), nullptr);
  router.add(http::verb::post, "/_sandbox/reset-stats", bind(&ControlApi::reset_stats), nullptr);
  router.add(http::verb::post, "/_sandbox/mutate", bind(&ControlApi::mutate), nullptr);
  router.add(http::verb::post, "/_sandbox/outage", bind(&ControlApi::outage), nullptr);
  router.add(http::verb::post, "/_sandbox/faults", bind(&ControlApi::faults), nullptr);
  router.add(http::verb::get, "/_sandbox/config", bind(&ControlApi::config), nullptr);
}

ApiResponse ControlApi::truth(const ApiRequest& req) {
  Truth t = truth_.get(catalog_);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("games");
  w.Uint64(t.games);
  w.Key("sets");
  w.Uint64(t.sets);
  w.Key("cards");
  w.Uint64(t.cards);
  w.Key("variants");
  w.Uint64(t.variants);
  w.Key("checksum");
  w.String(checksum_hex(t.checksum));
  w.Key("invalid");
  w.StartObject();
  w.Key("cards");
  w.Uint64(t.invalid_cards);
  w.Key("variants");
  w.Uint64(t.invalid_variants);
  w.Key("card_items");
  w.Uint64(t.invalid_card_items);
  w.Key("variant_items");
  w.Uint64(t.invalid_variant_items);
  w.EndObject();
  w.Key("generation");
  w.Uint64(t.generation);
  w.Key("mutation_rounds");
  w.Uint(catalog_.mutation_rounds());
  w.Key("checksum_definition");
  w.String(
      "hex(sum mod 2^64 over valid variants of valid cards of "
      "fnv1a64(\"<variant id>|<card id>|<condition>|<printing>|<price in integer cents>\"))");
  if (req.query.has("invalid")) {
    w.Key("invalid_items");
    w.StartArray();
    for (std::uint64_t i = 0; i < catalog_.card_count(); ++i) {
      CardItem card = catalog_.card(i);
      if (card.defect == Defect::kNone) continue;
      const bool whole_card = card_invalid(card);
      w.StartObject();
      w.Key("kind");
      w.String(whole_card ? "card" : "variant");
      w.Key("id");
      w.String(whole_card ? card.id : catalog_.variant(card, kDefectiveVariant).id);
      w.Key("card_id");
      w.String(card.id);
      w.Key("defect");
      auto name = defect_name(card.defect);
      w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
      w.Key("path");
      auto path = defect_path(card.defect);
      w.String(path.data(), static_cast<rapidjson::SizeType>(path.size()));
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return json(buf);
}

ApiResponse ControlApi::stats(const ApiRequest&) {
  return ApiResponse::json(200, stats_.to_json());
}

ApiResponse ControlApi::reset_stats(const ApiRequest&) {
  stats_.reset();
  return ApiResponse::json(200, R"({"reset":true})");
}

ApiResponse ControlApi::mutate(const ApiRequest& req) {
  auto text = req.query.get("fraction");
  auto fraction = text ? parse_number(*text) : std::nullopt;
  if (!fraction || *fraction < 0 || *fraction > 1) {
    return bad_request("fraction must be a number within [0, 1]");
  }
  auto now =
      std::chrono::duration_cast<std::chrono::seconds>(faults_.clock().wall().time_since_epoch())
          .count();
  std::uint64_t changed = catalog_.mutate(*fraction, now);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("mutated");
  w.Uint64(changed);
  w.Key("last_updated");
  w.Int64(now);
  w.Key("round");
  w.Uint(catalog_.mutation_rounds());
  w.Key("apis");
  w.StartObject();
  w.Key("justtcg");
  w.Uint64(changed);
  for (const auto& other : others_) {
    w.Key(other.name.c_str(), static_cast<rapidjson::SizeType>(other.name.size()));
    w.Uint64(other.mutate(*fraction, now));
  }
  w.EndObject();
  w.EndObject();
  return json(buf);
}

ApiResponse ControlApi::outage(const ApiRequest& req) {
  auto duration_text = req.query.get("duration");
  auto duration = duration_text ? parse_number(*duration_text) : std::nullopt;
  if (!duration || *duration < 0) return bad_request("duration must be a number of seconds >= 0");
  double now = faults_.seconds_since_start();
  double start = now;
  if (auto start_text = req.query.get("start")) {
    auto value = parse_number(*start_text);
    if (!value) return bad_request("start must be a number of seconds since server start");
    start = *value;
  }
  faults_.set_outage(start, *duration);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("outage_start");
  w.Double(start);
  w.Key("outage_duration");
  w.Double(*duration);
  w.Key("now");
  w.Double(now);
  w.EndObject();
  return json(buf);
}

ApiResponse ControlApi::faults(const ApiRequest& req) {
  FaultOptions o = faults_.options();
  for (const auto& [raw_name, value] : req.query.all()) {
    std::string name = raw_name;
    for (char& c : name) c = c == '-' ? '_' : c;
    if (name == "retry_after_form") {
      auto form = parse_retry_after_form(value);
      if (!form) return bad_request("retry_after_form must be seconds, date or none");
      o.retry_after_form = *form;
      continue;
    }
    auto number = parse_number(value);
    if (!number) return bad_request(name + " must be a number");
    auto rate = [&](double& field) {
      if (*number < 0 || *number > 1) return false;
      field = *number;
      return true;
    };
    bool ok = true;
    if (name == "fail_rate") {
      ok = rate(o.fail_rate);
    } else if (name == "throttle_rate") {
      ok = rate(o.throttle_rate);
    } else if (name == "hang_rate") {
      ok = rate(o.hang_rate);
    } else if (name == "truncate_rate") {
      ok = rate(o.truncate_rate);
    } else if (name == "repeat_rate") {
      ok = rate(o.repeat_rate);
    } else if (name == "short_page_rate") {
      ok = rate(o.short_page_rate);
    } else if (name == "latency_ms" && *number >= 0) {
      o.latency = std::chrono::milliseconds(static_cast<std::int64_t>(*number));
    } else if (name == "retry_after" && *number >= 0) {
      o.retry_after = std::chrono::seconds(static_cast<std::int64_t>(*number));
    } else {
      return bad_request("unknown or out-of-range setting: " + name);
    }
    if (!ok) return bad_request(name + " must be within [0, 1]");
  }
  faults_.set_options(o);
  return config(req);
}

ApiResponse ControlApi::config(const ApiRequest&) {
  const CatalogShape& shape = catalog_.shape();
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("catalog");
  w.StartObject();
  w.Key("seed");
  w.Uint64(shape.seed);
  w.Key("games");
  w.Uint(shape.games);
  w.Key("sets_per_game");
  w.Uint(shape.sets_per_game);
  w.Key("cards_per_set");
  w.Uint(shape.cards_per_set);
  w.Key("variants_per_card");
  w.Uint(shape.variants_per_card);
  w.Key("invalid_rate");
  w.Double(shape.invalid_rate);
  w.EndObject();
  w.Key("faults");
  write_faults(w, faults_.options());
  w.Key("uptime_seconds");
  w.Double(faults_.seconds_since_start());
  w.EndObject();
  return json(buf);
}

}  // namespace cardsync::sandbox
