#pragma once
// Every catalog value is a pure function of (seed, facet, indices): nothing is stored, so a
// million-variant catalog costs no memory, and two processes started with the same seed agree
// on every item without talking to each other.

#include <cstdint>

namespace cardsync::sandbox {

// Each facet draws from its own stream, so changing how one property is derived never shifts
// the values of another.
enum class Facet : std::uint64_t {
  kGameValue = 1,
  kSetName,
  kSetRelease,
  kSetValue,
  kCardName,
  kCardNumber,
  kCardRarity,
  kCardTcgplayer,
  kCardDetails,
  kCardExternalId,
  kCardPrice,
  kDefect,
  kDefectKind,
  kVariantPrice,
  kVariantLanguage,
  kVariantLastUpdated,
  kStatistic,
  kStatisticValue,
  kMutate,
  kMutatePrice,
  kFaultRng,
  kCardKind,   // Pokémon supertype, Yu-Gi-Oh! card type
  kPrintings,  // which printings a card has
  kPriceNull,  // whether a price is unknown
  kReprint,    // whether a card is printed again in another set
  kArchetype,  // Yu-Gi-Oh! archetype, or none
  kCardStat,   // attack, defence, level, HP
};

constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

constexpr std::uint64_t mix(std::uint64_t seed, Facet facet, std::uint64_t a, std::uint64_t b = 0) {
  std::uint64_t h = splitmix64(seed ^ (static_cast<std::uint64_t>(facet) * 0xd6e8feb86659fd93ULL));
  h = splitmix64(h ^ a);
  return splitmix64(h ^ (b * 0x9e3779b97f4a7c15ULL));
}

// Uniform in [0, 1) from the top 53 bits.
constexpr double unit_interval(std::uint64_t h) {
  return static_cast<double>(h >> 11U) * 0x1.0p-53;
}

}  // namespace cardsync::sandbox
