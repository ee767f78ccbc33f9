#include "justtcg_provider.hpp"

#include <cardsync/decimal.hpp>
#include <cardsync/json_body.hpp>
#include <cardsync/lookup_key.hpp>
#include <cardsync/quarantine.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "justtcg_cards.hpp"
#include "justtcg_cursor.hpp"
#include "justtcg_endpoint.hpp"
#include "justtcg_payload.hpp"
#include "justtcg_records.hpp"
#include "justtcg_response.hpp"
#include "tcgplayer_id.hpp"

namespace cardsync::justtcg {
namespace {

std::string id_of(const rapidjson::Value& item) {
  return std::string(text_member(item, "id"));
}

// The page offset a request of ours asked for (0 when it named none).
std::int64_t requested_offset(const sdk::Request& request) {
  auto text = query_value(request.url, "offset");
  auto n = text ? sdk::scale_decimal(*text, 0, sdk::Rounding::toward_zero) : std::nullopt;
  return n && *n >= 0 ? *n : 0;
}

std::optional<std::int64_t> requested_updated_after(const sdk::Request& request) {
  auto text = query_value(request.url, "updated_after");
  return text ? sdk::scale_decimal(*text, 0, sdk::Rounding::toward_zero) : std::nullopt;
}

// Whether another page follows. meta.hasMore decides; meta.limit is not trusted (JustTCG has
// answered with a limit smaller than asked).
bool has_more(const rapidjson::Value& root, std::int64_t offset, std::size_t count) {
  const rapidjson::Value* meta = sdk::member(root, "meta");
  if (meta == nullptr || !meta->IsObject()) return false;
  if (const rapidjson::Value* more = sdk::member(*meta, "hasMore")) {
    if (more->IsBool()) return more->GetBool();
    if (more->IsString()) return std::string_view(more->GetString()) == "true";
    if (more->IsNumber()) return more->GetDouble() != 0;
  }
  if (const rapidjson::Value* total = sdk::member(*meta, "total")) {
    auto n = sdk::scale_json_number(*total, 0, sdk::Rounding::toward_zero);
    return n && offset + static_cast<std::int64_t>(count) < *n;
  }
  return false;
}

// The next page starts after the items actually received: a short page (fewer items than
// asked) must not make the sync skip the rest.
std::int64_t next_offset(const sdk::Request& request, std::int64_t offset,
                         const rapidjson::Value& data) {
  if (data.Empty()) {
    throw sdk::Retry("JustTCG reported more items after an empty page for " + request.url +
                     " (offset " + std::to_string(offset) + ")");
  }
  return offset + static_cast<std::int64_t>(data.Size());
}

std::optional<std::int64_t> later(std::optional<std::int64_t> a, std::optional<std::int64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

// FNV-1a 64: a stable job key for a batch of lookups, so planning the same batch twice
// deduplicates in the queue.
std::string batch_key(std::string_view body) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : body) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return "refresh-" + std::string(buf);
}

std::string empty_cursor() {
  return PassCursor{}.to_json();
}

// A justtcg.card job key must already be a canonical TCGplayer id.
std::string tcgplayer_id_of(const sdk::Job& job) {
  const TcgplayerId id = normalise_tcgplayer_id(job.key);
  return sdk::canonical_job_key(job, id.digits, id.problem, "a canonical TCGplayer product id",
                                "digits without leading zeros");
}

// The tcgplayerId of a card as text (JustTCG sends a string; a number is read too).
std::string tcgplayer_id_text(const rapidjson::Value& card) {
  const rapidjson::Value* v = sdk::member(card, "tcgplayerId");
  if (v == nullptr) return {};
  if (v->IsString()) return {v->GetString(), v->GetStringLength()};
  if (v->IsUint64()) return std::to_string(v->GetUint64());
  return "?";
}

PassCursor read_cursor(const sdk::Job& job) {
  if (auto c = PassCursor::parse(job.cursor)) return *c;
  // A checkpoint we cannot read is not worth failing the job for: start the pass over.
  sdk::Log::warn(job.request_id, "justtcg: ignoring an unreadable job cursor",
                 {{"type", job.type}, {"key", job.key}, {"cursor", job.cursor}});
  return {};
}

}  // namespace

JustTcgProvider::JustTcgProvider(const rapidjson::Value& config)
    : JustTcgProvider(Config::from_json(config)) {}

JustTcgProvider::JustTcgProvider(Config config)
    : config_(std::move(config)), schemas_(item_schemas()), status_(status_table(config_)) {}

void JustTcgProvider::plan(std::string_view spec, Emitter& out) {
  JobPayload overrides;
  rapidjson::Document doc;
  if (spec.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    doc.Parse(spec.data(), spec.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      throw sdk::Permanent("sync spec for justtcg is not a JSON object");
    }
    parse_overrides(doc, "sync spec", overrides);
    if (auto it = doc.FindMember("refresh"); it != doc.MemberEnd()) {
      const std::vector<Lookup> lookups = parse_lookups(it->value, "sync spec \"refresh\"");
      if (lookups.empty()) throw sdk::Permanent("sync spec \"refresh\" names no cards");
      const auto batch = static_cast<std::size_t>(config_.page_size);
      for (std::size_t begin = 0; begin < lookups.size(); begin += batch) {
        const std::size_t end = std::min(lookups.size(), begin + batch);
        JobPayload payload;
        payload.lookups.assign(lookups.begin() + static_cast<std::ptrdiff_t>(begin),
                               lookups.begin() + static_cast<std::ptrdiff_t>(end));
        out.job(kRefreshJob, batch_key(lookups_body(lookups, begin, end)), payload.to_json());
      }
      return;
    }
  }
  out.job(kGamesJob, "all", overrides.to_json());
}

std::string JustTcgProvider::normalise_key(std::string_view kind, std::string_view input) const {
  if (kind != "card") throw sdk::Permanent("the justtcg provider looks up only cards");
  const TcgplayerId id = normalise_tcgplayer_id(input);
  return sdk::key_or_throw(id.digits, id.problem);
}

void JustTcgProvider::start(const Job& job, Emitter& out) {
  const std::string page = std::to_string(config_.page_size);
  if (job.type == kGamesJob) {
    out.request(get_request(config_, "/games", {}));
  } else if (job.type == kSetsJob) {
    const PassCursor cursor = read_cursor(job);
    out.request(get_request(config_, "/sets",
                            {{"game", std::string(job.key)},
                             {"limit", page},
                             {"offset", std::to_string(cursor.offset.value_or(0))}}));
  } else if (job.type == kCardsJob) {
    const JobPayload payload = JobPayload::parse(job.payload);
    const PassCursor cursor = read_cursor(job);
    std::optional<std::int64_t> updated_after;
    if (cursor.offset) {
      updated_after = cursor.updated_after;  // resuming a pass: keep its filter
    } else if (payload.updated_after) {
      updated_after = payload.updated_after;
    } else if (payload.mode.value_or(config_.mode) == Mode::incremental) {
      updated_after = cursor.high_water;  // the previous pass's sync point, if any
    }
    QueryParams params;
    if (payload.game) params.emplace_back("game", *payload.game);
    params.emplace_back("set", std::string(job.key));
    params.emplace_back("limit", page);
    params.emplace_back("offset", std::to_string(cursor.offset.value_or(0)));
    if (updated_after) params.emplace_back("updated_after", std::to_string(*updated_after));
    out.request(get_request(config_, "/cards", params));
  } else if (job.type == kRefreshJob) {
    const JobPayload payload = JobPayload::parse(job.payload);
    if (payload.lookups.empty()) throw sdk::Permanent("justtcg.refresh job names no cards");
    const auto batch = static_cast<std::size_t>(config_.page_size);
    out.request(post_request(config_, "/cards", lookups_body(payload.lookups, 0, batch)));
  } else if (job.type == kCardJob) {
    out.request(get_request(config_, "/cards", {{"tcgplayerId", tcgplayer_id_of(job)}}));
  } else {
    throw sdk::Permanent("the justtcg provider has no job type \"" + std::string(job.type) + "\"");
  }
}

void JustTcgProvider::handle(const Job& job, const Request& request, const Response& response,
                             Emitter& out) {
  const sdk::ParsedBody body(response.body);
  forward_rate_limits(body, out);
  const rapidjson::Value& data = success_data(response, body, request, config_, status_);
  if (job.type == kGamesJob) {
    handle_games(job, data, body, out);
  } else if (job.type == kSetsJob) {
    handle_sets(job, request, data, body, out);
  } else if (job.type == kCardsJob) {
    handle_cards(job, request, data, body, out);
  } else if (job.type == kRefreshJob) {
    handle_refresh(job, data, body, out);
  } else if (job.type == kCardJob) {
    handle_card(job, request, data, body, out);
  } else {
    throw sdk::Permanent("the justtcg provider has no job type \"" + std::string(job.type) + "\"");
  }
}

void JustTcgProvider::handle_games(const Job& job, const rapidjson::Value& data,
                                   const sdk::ParsedBody& body, Emitter& out) const {
  const JobPayload payload = JobPayload::parse(job.payload);
  std::vector<std::string> listed;
  for (const auto& game : data.GetArray()) {
    if (sdk::quarantine_if_invalid(schemas_.game, game, body, out)) continue;
    listed.push_back(id_of(game));
    out.record(CS_RECORD_GAME, listed.back(), "", game_core(game), body.raw(game));
  }
  JobPayload child;
  child.mode = payload.mode;
  const std::string child_payload = child.to_json();
  const std::vector<std::string>& wanted = payload.games ? *payload.games : config_.games;
  if (wanted.empty()) {
    std::unordered_set<std::string> done;
    for (const auto& id : listed) {
      if (done.insert(id).second) out.job(kSetsJob, id, child_payload);
    }
    return;
  }
  for (const auto& slug : wanted) {
    // JustTCG is the authority on slugs: an unlisted one still gets its job, which fails
    // visibly with JustTCG's own 404 if the slug is wrong.
    if (std::find(listed.begin(), listed.end(), slug) == listed.end()) {
      sdk::Log::warn(job.request_id, "justtcg: configured game is not in GET /games",
                     {{"game", slug}});
    }
    out.job(kSetsJob, slug, child_payload);
  }
}

void JustTcgProvider::handle_sets(const Job& job, const Request& request,
                                  const rapidjson::Value& data, const sdk::ParsedBody& body,
                                  Emitter& out) const {
  const JobPayload payload = JobPayload::parse(job.payload);
  JobPayload child;
  child.game = std::string(job.key);
  child.mode = payload.mode;
  const std::string child_payload = child.to_json();
  for (const auto& set : data.GetArray()) {
    if (sdk::quarantine_if_invalid(schemas_.set, set, body, out)) continue;
    const std::string id = id_of(set);
    out.record(CS_RECORD_SET, id, text_member(set, "game_id", job.key), set_core(set),
               body.raw(set));
    out.job(kCardsJob, id, child_payload);
  }
  const std::int64_t offset = requested_offset(request);
  if (!has_more(body.root(), offset, data.Size())) {
    out.cursor(empty_cursor());
    return;
  }
  const std::int64_t next = next_offset(request, offset, data);
  out.cursor(PassCursor{next, std::nullopt, std::nullopt}.to_json());
  out.request(get_request(config_, "/sets",
                          {{"game", std::string(job.key)},
                           {"limit", std::to_string(config_.page_size)},
                           {"offset", std::to_string(next)}}));
}

void JustTcgProvider::handle_cards(const Job& job, const Request& request,
                                   const rapidjson::Value& data, const sdk::ParsedBody& body,
                                   Emitter& out) const {
  const std::int64_t offset = requested_offset(request);
  const std::optional<std::int64_t> updated_after = requested_updated_after(request);
  // The high-water mark carried by the checkpoint of this very page (the host hands back the
  // cursor it stored with the previous page). A cursor for another page is not ours to trust:
  // falling back to the pass's own floor can only make the next pass fetch a little more.
  std::optional<std::int64_t> high = updated_after;
  if (auto cursor = PassCursor::parse(job.cursor); cursor && cursor->offset.value_or(0) == offset) {
    high = later(high, cursor->high_water);
  }
  high = later(high, emit_cards(data, body, schemas_, job.key, out).newest);

  if (!has_more(body.root(), offset, data.Size())) {
    out.cursor(PassCursor{std::nullopt, std::nullopt, high}.to_json());
    return;
  }
  const std::int64_t next = next_offset(request, offset, data);
  out.cursor(PassCursor{next, updated_after, high}.to_json());
  QueryParams params;
  if (auto game = query_value(request.url, "game")) params.emplace_back("game", *game);
  params.emplace_back("set", std::string(job.key));
  params.emplace_back("limit", std::to_string(config_.page_size));
  params.emplace_back("offset", std::to_string(next));
  if (updated_after) params.emplace_back("updated_after", std::to_string(*updated_after));
  out.request(get_request(config_, "/cards", params));
}

void JustTcgProvider::handle_refresh(const Job& job, const rapidjson::Value& data,
                                     const sdk::ParsedBody& body, Emitter& out) const {
  emit_cards(data, body, schemas_, "", out);
  // A job naming more cards than one batch holds: the rest become jobs of one batch each.
  const JobPayload payload = JobPayload::parse(job.payload);
  const auto batch = static_cast<std::size_t>(config_.page_size);
  for (std::size_t begin = batch; begin < payload.lookups.size(); begin += batch) {
    JobPayload rest;
    const std::size_t end = std::min(payload.lookups.size(), begin + batch);
    rest.lookups.assign(payload.lookups.begin() + static_cast<std::ptrdiff_t>(begin),
                        payload.lookups.begin() + static_cast<std::ptrdiff_t>(end));
    out.job(kRefreshJob, std::string(job.key) + "/" + std::to_string(begin / batch),
            rest.to_json());
  }
}

void JustTcgProvider::handle_card(const Job& job, const Request& request,
                                  const rapidjson::Value& data, const sdk::ParsedBody& body,
                                  Emitter& out) const {
  const std::string id = tcgplayer_id_of(job);
  if (data.Empty()) {
    // Not a failure but a fact worth remembering: the host keeps the cursor with its time, so
    // asking again for the same id spends no request until the not-found is forgotten.
    sdk::Log::info(job.request_id, "justtcg: no card with this TCGplayer id",
                   {{"tcgplayer_id", id}});
    out.cursor(sdk::kLookupNotFound);
    return;
  }
  // An answer about other cards (a filter JustTCG ignored) must not be stored as this one.
  for (const auto& card : data.GetArray()) {
    const std::string other = tcgplayer_id_text(card);
    if (!other.empty() && other != id) {
      throw sdk::Permanent("JustTCG answered " + request.method + " " + request.url +
                           " with a card of TCGplayer id " + other.substr(0, 40));
    }
  }
  const EmittedCards emitted = emit_cards(data, body, schemas_, "", out);
  if (emitted.cards == 0) {
    throw sdk::Permanent("JustTCG sent the card of TCGplayer id " + id +
                         " in an unexpected shape: " + emitted.first_bad->reason + " at " +
                         emitted.first_bad->json_path);
  }
  // Stored under JustTCG's card id (the catalog's rows), not the TCGplayer id asked for.
  out.cursor(sdk::lookup_found_as(emitted.first_card));
}

}  // namespace cardsync::justtcg
