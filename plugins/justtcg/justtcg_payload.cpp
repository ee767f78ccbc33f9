#include "justtcg_payload.hpp"

#include <cardsync/core_json.hpp>
#include <cardsync/decimal.hpp>
#include <cardsync/json_body.hpp>
#include <cardsync/json_fields.hpp>
#include <cardsync/sdk.hpp>

#include <algorithm>
#include <array>

namespace cardsync::justtcg {
namespace {

constexpr std::array<std::string_view, 6> kIdFields{"cardId",         "variantId",  "tcgplayerId",
                                                    "tcgplayerSkuId", "scryfallId", "mtgjsonId"};

std::string text_of(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

[[noreturn]] void bad(std::string_view where, const std::string& what) {
  throw sdk::Permanent(std::string(where) + ": " + what);
}

std::string scalar_text(const rapidjson::Value& v, std::string_view where, std::string_view key) {
  if (v.IsString()) return text_of(v);
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsArray()) {
    std::string joined;  // JustTCG takes lists comma-joined: "NM,LP"
    for (const auto& e : v.GetArray()) {
      if (!e.IsString()) bad(where, "lookup field \"" + std::string(key) + "\" lists a non-string");
      if (!joined.empty()) joined += ',';
      joined += text_of(e);
    }
    return joined;
  }
  bad(where, "lookup field \"" + std::string(key) + "\" must be a string, number or list");
}

}  // namespace

void parse_overrides(const rapidjson::Value& obj, std::string_view where, JobPayload& out) {
  if (const rapidjson::Value* m = sdk::member(obj, "mode")) {
    auto mode = m->IsString() ? parse_mode(text_of(*m)) : std::nullopt;
    if (!mode) bad(where, "\"mode\" must be \"full\" or \"incremental\"");
    out.mode = mode;
  }
  if (const rapidjson::Value* list = sdk::member(obj, "games")) {
    if (!list->IsArray()) bad(where, "\"games\" must be a list of game slugs");
    std::vector<std::string> games;
    for (const auto& g : list->GetArray()) {
      if (!g.IsString() || g.GetStringLength() == 0) {
        bad(where, "\"games\" must hold non-empty game slugs");
      }
      games.push_back(text_of(g));
    }
    out.games = std::move(games);
  }
}

std::vector<Lookup> parse_lookups(const rapidjson::Value& list, std::string_view where) {
  if (!list.IsArray()) bad(where, "lookups must be a list");
  std::vector<Lookup> out;
  for (const auto& item : list.GetArray()) {
    Lookup lookup;
    if (item.IsString() && item.GetStringLength() > 0) {
      lookup.emplace_back("cardId", text_of(item));
    } else if (item.IsObject()) {
      for (const auto& m : item.GetObject()) {
        if (m.value.IsNull()) continue;
        const std::string key = text_of(m.name);
        lookup.emplace_back(key, scalar_text(m.value, where, key));
      }
    } else {
      bad(where, "a lookup must be an object or a card id");
    }
    const bool named = std::any_of(lookup.begin(), lookup.end(), [](const auto& field) {
      return std::find(kIdFields.begin(), kIdFields.end(), field.first) != kIdFields.end() &&
             !field.second.empty();
    });
    if (!named) {
      bad(where,
          "a lookup needs one of cardId, variantId, tcgplayerId, tcgplayerSkuId, scryfallId, "
          "mtgjsonId");
    }
    out.push_back(std::move(lookup));
  }
  return out;
}

std::string lookups_body(const std::vector<Lookup>& lookups, std::size_t begin, std::size_t end) {
  std::string out = "[";
  for (std::size_t i = begin; i < end && i < lookups.size(); ++i) {
    sdk::JsonObject lookup;
    for (const auto& [key, value] : lookups[i]) lookup.text(key, value);
    out += (i > begin ? "," : "") + lookup.str();
  }
  return out + "]";
}

JobPayload JobPayload::parse(std::string_view json) {
  JobPayload p;
  const auto doc = sdk::parse_object(json);
  if (!doc) bad("job payload", "not a JSON object");
  parse_overrides(*doc, "job payload", p);
  if (const rapidjson::Value* game = sdk::member(*doc, "game")) {
    if (!game->IsString() || game->GetStringLength() == 0) {
      bad("job payload", "\"game\" must be a game slug");
    }
    p.game = text_of(*game);
  }
  if (const rapidjson::Value* after = sdk::member(*doc, "updated_after")) {
    auto t = sdk::scale_json_number(*after, 0, sdk::Rounding::toward_zero);
    if (!t || *t < 0) bad("job payload", "\"updated_after\" must be Unix seconds");
    p.updated_after = t;
  }
  if (auto it = doc->FindMember("lookups"); it != doc->MemberEnd()) {
    p.lookups = parse_lookups(it->value, "job payload");
  }
  return p;
}

std::string JobPayload::to_json() const {
  sdk::JsonObject out;
  out.text_if("mode", mode ? std::optional(to_string(*mode)) : std::nullopt);
  if (games) out.strings("games", *games);
  out.text_if("game", game).integer_if("updated_after", updated_after);
  if (!lookups.empty()) {
    out.raw("lookups", lookups_body(lookups, 0, lookups.size()), rapidjson::kArrayType);
  }
  return out.str();
}

}  // namespace cardsync::justtcg
