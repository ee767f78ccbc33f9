#include "sandbox/pokemontcg_flags.hpp"

#include "sandbox/sandbox_options.hpp"

namespace cardsync::sandbox {

namespace po = boost::program_options;

po::options_description pokemontcg_flags(const PokemonTcgOptions& defaults) {
  po::options_description d("Pokemon TCG API v2 (mounted at /pokemontcg/v2; same seed)");
  d.add_options()("pokemontcg-sets", po::value<std::uint32_t>()->default_value(defaults.shape.sets),
                  "sets")("pokemontcg-cards-per-set",
                          po::value<std::uint32_t>()->default_value(defaults.shape.cards_per_set),
                          "cards per set")(
      "pokemontcg-api-key", po::value<std::string>()->default_value(defaults.api_key),
      "the accepted X-Api-Key (optional; a wrong one gets 403)")(
      "pokemontcg-anonymous-per-minute",
      po::value<std::uint32_t>()->default_value(defaults.anonymous_per_minute),
      "requests a minute without a key before 429; 0 = off")(
      "pokemontcg-anonymous-per-day",
      po::value<std::uint64_t>()->default_value(defaults.anonymous_per_day),
      "requests a UTC day without a key before 429; 0 = off")(
      "pokemontcg-keyed-per-day", po::value<std::uint64_t>()->default_value(defaults.keyed_per_day),
      "requests a UTC day with the key before 429; 0 = off");
  return d;
}

void read_pokemontcg_flags(const po::variables_map& vm, PokemonTcgOptions& out) {
  out.shape.sets = vm["pokemontcg-sets"].as<std::uint32_t>();
  out.shape.cards_per_set = vm["pokemontcg-cards-per-set"].as<std::uint32_t>();
  if (out.shape.sets == 0 || out.shape.sets > 1000) {
    throw SandboxUsageError("--pokemontcg-sets must be within [1, 1000]");
  }
  if (out.shape.cards_per_set == 0 || out.shape.cards_per_set > 10000) {
    throw SandboxUsageError("--pokemontcg-cards-per-set must be within [1, 10000]");
  }
  out.api_key = vm["pokemontcg-api-key"].as<std::string>();
  if (out.api_key.empty()) throw SandboxUsageError("--pokemontcg-api-key must not be empty");
  out.anonymous_per_minute = vm["pokemontcg-anonymous-per-minute"].as<std::uint32_t>();
  out.anonymous_per_day = vm["pokemontcg-anonymous-per-day"].as<std::uint64_t>();
  out.keyed_per_day = vm["pokemontcg-keyed-per-day"].as<std::uint64_t>();
}

}  // namespace cardsync::sandbox
