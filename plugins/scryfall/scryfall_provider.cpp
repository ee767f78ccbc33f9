#include "scryfall_provider.hpp"

#include <cardsync/core_json.hpp>
#include <cardsync/json_body.hpp>
#include <cardsync/json_fields.hpp>
#include <cardsync/lookup_key.hpp>
#include <cardsync/quarantine.hpp>
#include <cardsync/query.hpp>

#include <cmath>
#include <optional>
#include <set>
#include <vector>

#include "scryfall_card_id.hpp"
#include "scryfall_records.hpp"

namespace cardsync::scryfall {
namespace {

std::string cursor_json(const std::string& next_page) {
  return sdk::JsonObject()
      .text_if("next_page", next_page.empty() ? std::nullopt : std::optional(next_page))
      .str();
}

// A scryfall.card job key must already be a canonical card id.
std::string card_id_of(const sdk::Job& job) {
  const CardId id = normalise_card_id(job.key);
  return sdk::canonical_job_key(job, id.uuid, id.problem, "a canonical Scryfall card id",
                                "lowercase UUID");
}

}  // namespace

ScryfallProvider::ScryfallProvider(const rapidjson::Value& config)
    : config_(Config::from_json(config)) {}

sdk::Request ScryfallProvider::get(const std::string& url) const {
  return {"GET", url, {{"Accept", "application/json"}, {"User-Agent", config_.user_agent}}, {}};
}

std::string ScryfallProvider::on_base(const std::string& url) const {
  const std::string& base = config_.base_url;
  if (url.size() > base.size() && url.compare(0, base.size(), base) == 0 &&
      (url[base.size()] == '/' || url[base.size()] == '?')) {
    return url.substr(base.size());
  }
  throw sdk::Permanent("Scryfall's next_page " + url +
                       " is not under providers.scryfall.base_url " + base +
                       "; refusing to follow it");
}

void ScryfallProvider::plan(std::string_view spec, Emitter& out) {
  const rapidjson::Document doc = sdk::require_object(spec, "the sync spec");
  const bool sets = doc.HasMember("sets");
  out.job(
      kSetsJob, "all",
      sets ? sdk::JsonObject().raw("sets", sdk::json_text(doc["sets"]), doc["sets"].GetType()).str()
           : "{}");
}

std::string ScryfallProvider::normalise_key(std::string_view kind, std::string_view input) const {
  if (kind != "card") throw sdk::Permanent("the scryfall provider looks up only cards");
  const CardId id = normalise_card_id(input);
  return sdk::key_or_throw(id.uuid, id.problem);
}

void ScryfallProvider::start(const Job& job, Emitter& out) {
  // Scryfall reports no limits: the provider states its own, and the host paces by it.
  out.rate_limits(std::llround(config_.requests_per_second * 60), -1);
  if (job.type == kSetsJob) {
    out.request(get(config_.base_url + "/sets"));
    return;
  }
  if (job.type == kCardJob) {
    out.request(get(config_.base_url + "/cards/" + card_id_of(job)));
    return;
  }
  if (job.type != kCardsJob) throw sdk::Permanent("unknown job type " + std::string(job.type));
  // Resume at the checkpointed page; an unreadable cursor starts the set over (it costs a
  // few requests, never data).
  if (auto cursor = sdk::parse_object(job.cursor)) {
    const std::string_view next = sdk::text_member(*cursor, "next_page");
    if (!next.empty() && next.front() == '/') {
      out.request(get(config_.base_url + std::string(next)));
      return;
    }
  } else {
    sdk::Log::warn(job.request_id, "unreadable scryfall.cards cursor; starting the set over",
                   {{"job_key", job.key}, {"cursor", job.cursor}});
  }
  out.request(
      get(sdk::with_query(config_.base_url + "/cards/search", {{"q", "e:" + std::string(job.key)},
                                                               {"unique", "prints"},
                                                               {"order", "set"},
                                                               {"include_extras", "true"},
                                                               {"include_variations", "true"}})));
}

void ScryfallProvider::handle(const Job& job, const Request& request, const Response& response,
                              Emitter& out) {
  const sdk::ParsedBody body(response.body);
  if (job.type == kCardJob) {
    handle_card(job, request, response, body, out);
    return;
  }
  std::optional<ListPage> page = read_list(request, response, body, config_.base_url);
  if (!page) {
    // A search that matches nothing is a 404, not an empty list: a set without printings.
    if (job.type == kCardsJob && request.url.find("/cards/search") != std::string::npos) {
      out.cursor(cursor_json(""));
      return;
    }
    throw sdk::Permanent("Scryfall has no such resource: " + request.url);
  }
  if (job.type == kSetsJob) {
    handle_sets(job, request, *page, body, out);
  } else {
    for (const auto& card : page->data->GetArray()) {
      if (!sdk::quarantine_if_invalid(card_schema_, card, body, out)) emit_card(card, body, out);
    }
  }
  if (!page->has_more) {
    out.cursor(cursor_json(""));
    return;
  }
  if (page->next_page.empty()) {
    throw sdk::Retry("Scryfall reported more results without a next_page for " + request.url);
  }
  // The cursor is the next page relative to base_url, stored with this page's records: a
  // resumed job continues there, even if base_url moved (a restarted sandbox, a proxy).
  out.cursor(cursor_json(on_base(page->next_page)));
  out.request(get(page->next_page));
}

void ScryfallProvider::handle_sets(const Job& job, const Request& request, const ListPage& page,
                                   const sdk::ParsedBody& body, Emitter& out) const {
  const rapidjson::Document payload = sdk::require_object(job.payload, "the job payload");
  // The payload's "sets" (the sync spec's) replaces the configured ones, even when empty.
  std::vector<std::string> wanted =
      payload.HasMember("sets") ? std::vector<std::string>{} : config_.sets;
  if (const rapidjson::Value* sets = sdk::member(payload, "sets");
      sets != nullptr && sets->IsArray()) {
    for (const auto& v : sets->GetArray()) {
      if (v.IsString()) wanted.emplace_back(v.GetString());
    }
  }
  const std::set<std::string> only(wanted.begin(), wanted.end());

  const bool whole_list = !page.has_more && request.url == config_.base_url + "/sets";
  std::optional<std::int64_t> count;
  if (whole_list) count = static_cast<std::int64_t>(page.data->Size());
  out.record(CS_RECORD_GAME, kGameKey, "", game_core(count), "{}");
  for (const auto& set : page.data->GetArray()) {
    if (sdk::quarantine_if_invalid(set_schema_, set, body, out)) continue;
    const std::string code = set["code"].GetString();
    out.record(CS_RECORD_SET, code, kGameKey, set_core(set), body.raw(set));
    if (only.empty() || only.count(code) != 0) out.job(kCardsJob, code);
  }
}

void ScryfallProvider::handle_card(const Job& job, const Request& request, const Response& response,
                                   const sdk::ParsedBody& body, Emitter& out) const {
  const std::string id = card_id_of(job);
  const rapidjson::Value* card = read_card(request, response, body, config_.base_url);
  if (card == nullptr) {
    // Not a failure but a fact worth remembering: the host keeps the cursor with its time, so
    // asking again for the same id spends no request until the not-found is forgotten.
    sdk::Log::info(job.request_id, "scryfall: no such card", {{"card_id", id}});
    out.cursor(sdk::kLookupNotFound);
    return;
  }
  if (auto bad = card_schema_.validate(*card)) {
    throw sdk::Permanent("Scryfall sent card " + id + " in an unexpected shape: " + bad->reason +
                         " at " + bad->json_path);
  }
  // The host finds the item under the job key: a card filed under another id would be
  // stored where no lookup reads it.
  if (sdk::text_member(*card, "id") != id) {
    throw sdk::Permanent("Scryfall answered " + request.url + " with card " +
                         std::string(sdk::text_member(*card, "id")).substr(0, 40));
  }
  emit_card(*card, body, out);
  out.cursor(sdk::kLookupFound);
}

void ScryfallProvider::emit_card(const rapidjson::Value& card, const sdk::ParsedBody& body,
                                 Emitter& out) const {
  const std::string id = card["id"].GetString();
  out.record(CS_RECORD_CARD, id, card["set"].GetString(), card_core(card), body.raw(card));
  for (const auto& v : card_variants(card, body, config_.currencies)) {
    out.record(CS_RECORD_VARIANT, v.key, id, v.core, v.raw);
  }
}

}  // namespace cardsync::scryfall
