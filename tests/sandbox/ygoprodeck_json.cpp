#include "sandbox/ygoprodeck_json.hpp"

#include <cctype>

#include "sandbox/calendar_text.hpp"

namespace cardsync::sandbox {
namespace {

void str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string slug(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  return out;
}

}  // namespace

std::string ygoprodeck_price_text(std::int64_t cents) {
  std::string frac = std::to_string(cents % 100);
  if (frac.size() == 1) frac.insert(0, "0");
  return std::to_string(cents / 100) + "." + frac;
}

void write_ygoprodeck_set(JsonWriter& w, const YgoProDeckSet& s) {
  w.StartObject();
  w.Key("set_name");
  str(w, s.name);
  w.Key("set_code");
  str(w, s.code);
  w.Key("num_of_cards");
  w.Uint(s.num_of_cards);
  if (s.tcg_date) {
    w.Key("tcg_date");
    str(w, date_text(*s.tcg_date, '-'));
  }
  w.Key("set_image");
  str(w, "https://images.ygoprodeck.com/images/sets/" + s.code + ".jpg");
  w.EndObject();
}

void write_ygoprodeck_card(JsonWriter& w, const YgoProDeckCard& c,
                           const std::vector<YgoProDeckSet>& sets) {
  const std::string id = std::to_string(c.id);
  w.StartObject();
  w.Key("id");
  w.Uint(c.id);
  w.Key("name");
  str(w, c.name);
  w.Key("type");
  str(w, c.type);
  w.Key("frameType");
  str(w, c.frame_type);
  w.Key("desc");
  str(w, c.desc);
  if (c.atk) {
    w.Key("atk");
    w.Int(*c.atk);
  }
  if (c.def) {
    w.Key("def");
    w.Int(*c.def);
  }
  if (c.level) {
    w.Key("level");
    w.Int(*c.level);
  }
  w.Key("race");
  str(w, c.race);
  if (c.attribute) {
    w.Key("attribute");
    str(w, *c.attribute);
  }
  if (c.linkval) {
    w.Key("linkval");
    w.Int(*c.linkval);
    w.Key("linkmarkers");
    w.StartArray();
    for (auto m : c.linkmarkers) str(w, m);
    w.EndArray();
  }
  if (c.archetype) {
    w.Key("archetype");
    str(w, *c.archetype);
  }
  w.Key("ygoprodeck_url");
  str(w, "https://ygoprodeck.com/card/" + slug(c.name) + "-" + id);
  if (!c.printings.empty()) {
    w.Key("card_sets");
    w.StartArray();
    for (const auto& p : c.printings) {
      w.StartObject();
      w.Key("set_name");
      str(w, sets.at(p.set).name);
      w.Key("set_code");
      str(w, p.set_code);
      w.Key("set_rarity");
      str(w, p.rarity);
      w.Key("set_rarity_code");
      str(w, p.rarity_code);
      w.Key("set_price");
      str(w, ygoprodeck_price_text(p.price_cents));
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("card_images");
  w.StartArray();
  w.StartObject();
  w.Key("id");
  w.Uint(c.id);
  w.Key("image_url");
  str(w, "https://images.ygoprodeck.com/images/cards/" + id + ".jpg");
  w.Key("image_url_small");
  str(w, "https://images.ygoprodeck.com/images/cards_small/" + id + ".jpg");
  w.Key("image_url_cropped");
  str(w, "https://images.ygoprodeck.com/images/cards_cropped/" + id + ".jpg");
  w.EndObject();
  w.EndArray();
  w.Key("card_prices");
  w.StartArray();
  w.StartObject();
  for (std::size_t shop = 0; shop < kYgoShops; ++shop) {
    w.Key(kYgoShopPriceNames[shop].data(),
          static_cast<rapidjson::SizeType>(kYgoShopPriceNames[shop].size()));
    str(w, ygoprodeck_price_text(c.prices[shop]));
  }
  w.EndObject();
  w.EndArray();
  w.EndObject();
}

}  // namespace cardsync::sandbox
