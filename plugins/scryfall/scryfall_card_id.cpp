#include "scryfall_card_id.hpp"

#include <cardsync/lookup_key.hpp>

#include <cctype>

namespace cardsync::scryfall {

CardId normalise_card_id(std::string_view raw) {
  const std::string_view text = sdk::trim_space(raw);
  CardId out;
  std::string id;
  bool shaped = text.size() == 36;
  for (std::size_t i = 0; shaped && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    shaped = dash_here ? c == '-' : std::isxdigit(c) != 0;
    id += static_cast<char>(std::tolower(c));
  }
  if (!shaped) {
    out.problem = "a Scryfall card id is a UUID, e.g. 0a1b2c3d-1111-4222-8333-444455556666";
    out.problem += sdk::not_one(text);
    return out;
  }
  out.uuid = std::move(id);
  return out;
}

}  // namespace cardsync::scryfall
