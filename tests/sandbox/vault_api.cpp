#include "sandbox/vault_api.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <cardsync/url.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "sandbox/calendar_text.hpp"
#include "sandbox/router.hpp"
#include "sandbox/vault_json.hpp"
#include "sandbox/vault_truth.hpp"

namespace cardsync::sandbox {
namespace {

namespace http = boost::beast::http;

ApiResponse finish(unsigned status, const rapidjson::StringBuffer& buf) {
  return ApiResponse::json(status, std::string(buf.GetString(), buf.GetSize()));
}

std::optional<std::uint64_t> positive(std::string_view text) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v == 0) return std::nullopt;
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// RFC 6750: "Bearer <token>", the scheme in any case.
std::optional<std::string_view> bearer_token(std::string_view authorization) {
  authorization = trim(authorization);
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) {
      return std::nullopt;
    }
  }
  return trim(authorization.substr(kScheme.size()));
}

}  // namespace

VaultApi::VaultApi(std::uint64_t seed, double invalid_rate, VaultOptions options,
                   FaultInjector& faults, RequestStats& stats)
    : options_(std::move(options)),
      catalog_(seed, invalid_rate, options_.shape),
      faults_(faults),
      stats_(stats),
      rate_(options_.requests_per_minute, faults.clock()) {}

void VaultApi::add_routes(Router& router) {
  router.add(
      http::verb::get, "/vault/v1/sets", [this](const ApiRequest& r) { return sets(r); }, this);
  router.add(
      http::verb::get, "/vault/v1/sets/{code}/cards",
      [this](const ApiRequest& r) { return cards(r); }, this);
}

void VaultApi::add_control_routes(Router& router) {
  router.add(
      http::verb::get, "/_sandbox/truth/vault", [this](const ApiRequest& r) { return truth(r); },
      nullptr);
}

ApiResponse VaultApi::error(unsigned status, std::string_view code,
                            std::string_view message) const {
  std::string lower(code);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("code");
  w.String(lower.data(), static_cast<rapidjson::SizeType>(lower.size()));
  w.Key("message");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.EndObject();
  w.EndObject();
  return finish(status, buf);
}

std::optional<ApiResponse> VaultApi::admit(const ApiRequest& req) {
  const bool sent = req.has_header("Authorization");
  const auto token = bearer_token(req.header("Authorization"));
  if (!token || *token != options_.token) {
    ApiResponse res = error(401, "unauthorized",
                            sent ? "The bearer token is invalid or has been revoked."
                                 : "Authentication required: send Authorization: Bearer <token>.");
    res.headers.emplace_back(
        "WWW-Authenticate",
        sent ? R"(Bearer realm="vault", error="invalid_token")" : R"(Bearer realm="vault")");
    return res;
  }
  if (auto wait = rate_.try_acquire()) {
    stats_.add(StatCounter::kRateLimited);
    ApiResponse res = error(429, "rate_limit_exceeded",
                            "Too many requests: at most " +
                                std::to_string(options_.requests_per_minute) + " a minute.");
    if (auto value = faults_.retry_after_value(*wait)) {
      res.headers.emplace_back("Retry-After", *value);
    }
    return res;
  }
  return std::nullopt;
}

std::optional<ApiResponse> VaultApi::paging(const ApiRequest& req, Page& out) const {
  if (auto text = req.query.get("page")) {
    auto v = positive(*text);
    if (!v) return error(400, "invalid_parameter", "page must be a positive integer.");
    out.number = *v;
  }
  if (auto text = req.query.get("per_page")) {
    auto v = positive(*text);
    if (!v || *v > kMaxPerPage) {
      return error(400, "invalid_parameter",
                   "per_page must be an integer from 1 to " + std::to_string(kMaxPerPage) + ".");
    }
    out.size = static_cast<std::uint32_t>(*v);
  }
  return std::nullopt;
}

template <class Write>
ApiResponse VaultApi::list(const ApiRequest& req, const Page& page, std::uint64_t total,
                           const std::string& extra, Write&& write) {
  const std::uint64_t last_page = std::max<std::uint64_t>(1, (total + page.size - 1) / page.size);
  // Compared before multiplying, so a huge page number cannot overflow.
  const std::uint64_t begin =
      page.number > last_page ? total : std::min(total, (page.number - 1) * page.size);
  const std::uint64_t end = std::min(total, begin + page.size);
  std::uint64_t served_end = end;
  // A repeat carries the next page's first item after the page's own ones.
  if (faults_.roll(faults_.options().repeat_rate) && begin < end && end < total) {
    ++served_end;
    stats_.add(StatCounter::kRepeat);
  }
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartArray();
  for (std::uint64_t i = begin; i < served_end; ++i) write(w, i);
  w.EndArray();
  ApiResponse res = finish(200, buf);

  // GitHub's order and choice of relations: prev, next, last, first, each only where it
  // leads somewhere; nothing past the end.
  if (begin < end) {
    const std::string base = "http://" + std::string(req.header("Host")) + std::string(req.path);
    auto link = [&](std::uint64_t number, std::string_view rel) {
      return "<" + base + "?page=" + std::to_string(number) +
             "&per_page=" + std::to_string(page.size) + extra + ">; rel=\"" + std::string(rel) +
             "\"";
    };
    std::vector<std::string> links;
    if (page.number > 1) links.push_back(link(page.number - 1, "prev"));
    if (page.number < last_page) {
      links.push_back(link(page.number + 1, "next"));
      links.push_back(link(last_page, "last"));
    }
    if (page.number > 1) links.push_back(link(1, "first"));
    std::string value;
    for (const auto& l : links) value += (value.empty() ? "" : ", ") + l;
    if (!value.empty()) res.headers.emplace_back("Link", value);
  }
  return res;
}

ApiResponse VaultApi::sets(const ApiRequest& req) {
  if (auto rejected = admit(req)) return *rejected;
  Page page;
  if (auto bad = paging(req, page)) return *bad;
  return list(req, page, catalog_.sets().size(), "", [&](JsonWriter& w, std::uint64_t i) {
    write_vault_set(w, catalog_.sets()[i]);
    stats_.add(StatCounter::kSetsServed);
  });
}

ApiResponse VaultApi::cards(const ApiRequest& req) {
  if (auto rejected = admit(req)) return *rejected;
  Page page;
  if (auto bad = paging(req, page)) return *bad;
  const std::string& code = req.path_params.at("code");
  const auto set_index = catalog_.find_set(code);
  if (!set_index) return error(404, "set_not_found", "No set with the code '" + code + "'.");
  const VaultSet& set = catalog_.sets()[*set_index];
  std::vector<VaultCard> cards;
  std::string extra;
  const std::uint64_t first = catalog_.first_card(set.index);
  if (auto since_text = req.query.get("updated_since")) {
    const auto since = parse_iso_timestamp(*since_text);
    if (!since) {
      return error(400, "invalid_parameter",
                   "updated_since must be a UTC timestamp such as 2025-01-31T12:00:00Z.");
    }
    extra = "&updated_since=" + sdk::percent_encode(*since_text);
    for (std::uint64_t i = first; i < first + set.card_count; ++i) {
      VaultCard c = catalog_.card(i);
      if (c.updated_at >= *since) cards.push_back(std::move(c));
    }
  }
  const bool filtered = req.query.has("updated_since");
  const std::uint64_t total = filtered ? cards.size() : set.card_count;
  return list(req, page, total, extra, [&](JsonWriter& w, std::uint64_t i) {
    const VaultCard c = filtered ? cards[i] : catalog_.card(first + i);
    write_vault_card(w, c, set);
    stats_.add(StatCounter::kCardsServed);
    stats_.add(StatCounter::kVariantsServed, c.offers.size());
    if (c.defect != VaultDefect::kNone) stats_.add(StatCounter::kInvalidItem);
  });
}

ApiResponse VaultApi::truth(const ApiRequest& req) const {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  write_vault_truth(w, catalog_, req.query.has("invalid"), req.query.has("items"));
  return finish(200, buf);
}

}  // namespace cardsync::sandbox
