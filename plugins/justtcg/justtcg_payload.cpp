#include "justtcg_payload.hpp"

#include <cardsync/decimal.hpp>
#include <cardsync/sdk.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>

namespace cardsync::justtcg {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::array<std::string_view, 6> kIdFields{"cardId",         "variantId",  "tcgplayerId",
                                                    "tcgplayerSkuId", "scryfallId", "mtgjsonId"};

std::string text_of(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

void write(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
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
  if (auto it = obj.FindMember("mode"); it != obj.MemberEnd() && !it->value.IsNull()) {
    auto mode = it->value.IsString() ? parse_mode(text_of(it->value)) : std::nullopt;
    if (!mode) bad(where, "\"mode\" must be \"full\" or \"incremental\"");
    out.mode = mode;
  }
  if (auto it = obj.FindMember("games"); it != obj.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsArray()) bad(where, "\"games\" must be a list of game slugs");
    std::vector<std::string> games;
    for (const auto& g : it->value.GetArray()) {
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
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartArray();
  for (std::size_t i = begin; i < end && i < lookups.size(); ++i) {
    w.StartObject();
    for (const auto& [key, value] : lookups[i]) {
      write(w, key);
      write(w, value);
    }
    w.EndObject();
  }
  w.EndArray();
  return {buf.GetString(), buf.GetSize()};
}

JobPayload JobPayload::parse(std::string_view json) {
  JobPayload p;
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return p;
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) bad("job payload", "not a JSON object");
  parse_overrides(doc, "job payload", p);
  if (auto it = doc.FindMember("game"); it != doc.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsString() || it->value.GetStringLength() == 0) {
      bad("job payload", "\"game\" must be a game slug");
    }
    p.game = text_of(it->value);
  }
  if (auto it = doc.FindMember("updated_after"); it != doc.MemberEnd() && !it->value.IsNull()) {
    auto t = sdk::scale_json_number(it->value, 0, sdk::Rounding::toward_zero);
    if (!t || *t < 0) bad("job payload", "\"updated_after\" must be Unix seconds");
    p.updated_after = t;
  }
  if (auto it = doc.FindMember("lookups"); it != doc.MemberEnd()) {
    p.lookups = parse_lookups(it->value, "job payload");
  }
  return p;
}

std::string JobPayload::to_json() const {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  if (mode) {
    w.Key("mode");
    write(w, to_string(*mode));
  }
  if (games) {
    w.Key("games");
    w.StartArray();
    for (const auto& g : *games) write(w, g);
    w.EndArray();
  }
  if (game) {
    w.Key("game");
    write(w, *game);
  }
  if (updated_after) {
    w.Key("updated_after");
    w.Int64(*updated_after);
  }
  if (!lookups.empty()) {
    w.Key("lookups");
    const std::string list = lookups_body(lookups, 0, lookups.size());
    w.RawValue(list.data(), list.size(), rapidjson::kArrayType);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::justtcg
