#pragma once
// The words the generated catalog is made of: real game slugs and display names (so a
// provider meets the same slug/display-name split as upstream), the real condition and
// printing names, and word lists for set and card names.

#include <span>
#include <string_view>

namespace cardsync::sandbox {

struct GameTitle {
  std::string_view slug;
  std::string_view name;  // display name, as cards carry it in `game`
};

struct ConditionName {
  std::string_view name;
  std::string_view abbreviation;
  std::string_view slug;  // as it appears in variant ids
  double price_factor;
};

struct PrintingName {
  std::string_view name;
  std::string_view slug;
  double price_factor;
};

struct LanguageName {
  std::string_view name;
  std::string_view slug;
  double price_factor;
};

// Real JustTCG games first; catalogs with more games continue with generated titles.
std::span<const GameTitle> known_game_titles();
// Near Mint .. Damaged. Sealed is accepted in filters but no generated item is sealed.
std::span<const ConditionName> card_conditions();
std::span<const PrintingName> card_printings();
std::span<const LanguageName> card_languages();
std::span<const std::string_view> name_adjectives();
std::span<const std::string_view> set_nouns();
std::span<const std::string_view> card_nouns();
std::span<const std::string_view> card_rarities();

}  // namespace cardsync::sandbox
