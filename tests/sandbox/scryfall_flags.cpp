#include "sandbox/scryfall_flags.hpp"

#include "sandbox/sandbox_options.hpp"

namespace cardsync::sandbox {

namespace po = boost::program_options;

po::options_description scryfall_flags(const ScryfallShape& defaults) {
  po::options_description scryfall("Scryfall (mounted at /scryfall; same seed and --invalid-rate)");
  scryfall.add_options()("scryfall-sets", po::value<std::uint32_t>()->default_value(defaults.sets),
                         "sets (from 3 on, the last one has no printings)")(
      "scryfall-cards-per-set", po::value<std::uint32_t>()->default_value(defaults.cards_per_set),
      "printings per set")("scryfall-page-size",
                           po::value<std::uint32_t>()->default_value(defaults.page_size),
                           "cards per search page (Scryfall: 175)");
  return scryfall;
}

void read_scryfall_flags(const po::variables_map& vm, ScryfallShape& out) {
  out.sets = vm["scryfall-sets"].as<std::uint32_t>();
  out.cards_per_set = vm["scryfall-cards-per-set"].as<std::uint32_t>();
  out.page_size = vm["scryfall-page-size"].as<std::uint32_t>();
  if (out.sets == 0 || out.sets > 676) {
    throw SandboxUsageError("--scryfall-sets must be within [1, 676]");
  }
  if (out.page_size == 0) throw SandboxUsageError("--scryfall-page-size must be at least 1");
}

}  // namespace cardsync::sandbox
