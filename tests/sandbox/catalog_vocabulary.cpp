#include "sandbox/catalog_vocabulary.hpp"

#include <array>

namespace cardsync::sandbox {
namespace {

using namespace std::string_view_literals;

constexpr std::array kGames{
    GameTitle{"pokemon", "Pokemon"},
    GameTitle{"magic-the-gathering", "Magic: The Gathering"},
    GameTitle{"yugioh", "YuGiOh"},
    GameTitle{"disney-lorcana", "Disney Lorcana"},
    GameTitle{"one-piece-card-game", "One Piece Card Game"},
    GameTitle{"digimon-card-game", "Digimon Card Game"},
    GameTitle{"flesh-and-blood-tcg", "Flesh and Blood TCG"},
    GameTitle{"union-arena", "Union Arena"},
    GameTitle{"pokemon-japan", "Pokemon Japan"},
    GameTitle{"age-of-sigmar", "Age of Sigmar"},
    GameTitle{"warhammer-40000", "Warhammer 40,000"},
};

constexpr std::array kConditions{
    ConditionName{"Near Mint", "NM", "near-mint", 1.0},
    ConditionName{"Lightly Played", "LP", "lightly-played", 0.85},
    ConditionName{"Moderately Played", "MP", "moderately-played", 0.7},
    ConditionName{"Heavily Played", "HP", "heavily-played", 0.5},
    ConditionName{"Damaged", "DMG", "damaged", 0.35},
};

constexpr std::array kPrintings{
    PrintingName{"Normal", "normal", 1.0},
    PrintingName{"Foil", "foil", 1.6},
    PrintingName{"Holofoil", "holofoil", 1.4},
    PrintingName{"Reverse Holofoil", "reverse-holofoil", 1.2},
    PrintingName{"1st Edition", "1st-edition", 2.5},
};

constexpr std::array kLanguages{
    LanguageName{"English", "english", 1.0},
    LanguageName{"Japanese", "japanese", 0.9},
    LanguageName{"German", "german", 0.7},
};

constexpr std::array kAdjectives{
    "Ancient"sv, "Blazing"sv,   "Crimson"sv, "Silent"sv,   "Radiant"sv, "Shadow"sv, "Frozen"sv,
    "Golden"sv,  "Hidden"sv,    "Iron"sv,    "Lunar"sv,    "Mystic"sv,  "Noble"sv,  "Obsidian"sv,
    "Primal"sv,  "Royal"sv,     "Storm"sv,   "Twilight"sv, "Verdant"sv, "Wild"sv,   "Arcane"sv,
    "Brave"sv,   "Celestial"sv, "Dread"sv,   "Eternal"sv,  "Fallen"sv,  "Gilded"sv, "Hollow"sv,
    "Jade"sv,    "Kindled"sv,   "Lost"sv,    "Molten"sv,
};

constexpr std::array kSetNouns{
    "Legends"sv,    "Horizons"sv,   "Tides"sv,   "Origins"sv,   "Frontiers"sv, "Echoes"sv,
    "Dominion"sv,   "Skies"sv,      "Depths"sv,  "Reign"sv,     "Awakening"sv, "Chronicles"sv,
    "Crossroads"sv, "Expedition"sv, "Paradox"sv, "Rebellion"sv,
};

constexpr std::array kCardNouns{
    "Dragon"sv,  "Knight"sv,   "Sprite"sv,  "Golem"sv,    "Phoenix"sv, "Wyrm"sv,   "Sentinel"sv,
    "Oracle"sv,  "Warden"sv,   "Serpent"sv, "Titan"sv,    "Wisp"sv,    "Raven"sv,  "Lion"sv,
    "Hydra"sv,   "Sage"sv,     "Ranger"sv,  "Colossus"sv, "Specter"sv, "Falcon"sv, "Basilisk"sv,
    "Druid"sv,   "Griffin"sv,  "Mage"sv,    "Kraken"sv,   "Paladin"sv, "Rogue"sv,  "Shaman"sv,
    "Unicorn"sv, "Valkyrie"sv, "Wolf"sv,    "Yeti"sv,
};

constexpr std::array kRarities{
    "Common"sv, "Uncommon"sv, "Rare"sv, "Holo Rare"sv, "Ultra Rare"sv, "Secret Rare"sv,
};

}  // namespace

std::span<const GameTitle> known_game_titles() {
  return kGames;
}
std::span<const ConditionName> card_conditions() {
  return kConditions;
}
std::span<const PrintingName> card_printings() {
  return kPrintings;
}
std::span<const LanguageName> card_languages() {
  return kLanguages;
}
std::span<const std::string_view> name_adjectives() {
  return kAdjectives;
}
std::span<const std::string_view> set_nouns() {
  return kSetNouns;
}
std::span<const std::string_view> card_nouns() {
  return kCardNouns;
}
std::span<const std::string_view> card_rarities() {
  return kRarities;
}

}  // namespace cardsync::sandbox
