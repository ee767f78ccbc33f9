#include "sandbox/ygoprodeck_flags.hpp"

#include "sandbox/sandbox_options.hpp"

namespace cardsync::sandbox {

namespace po = boost::program_options;

po::options_description ygoprodeck_flags(const YgoProDeckOptions& defaults) {
  po::options_description d("YGOPRODeck API v7 (mounted at /ygoprodeck/api/v7; same seed)");
  d.add_options()("ygoprodeck-sets", po::value<std::uint32_t>()->default_value(defaults.shape.sets),
                  "sets")("ygoprodeck-cards-per-set",
                          po::value<std::uint32_t>()->default_value(defaults.shape.cards_per_set),
                          "cards printed first in each set")(
      "ygoprodeck-rate-limit", po::value<std::uint32_t>()->default_value(defaults.rate_limit),
      "requests per second before 429 and a block (upstream: 20); 0 = off")(
      "ygoprodeck-block-seconds", po::value<std::int64_t>()->default_value(defaults.block.count()),
      "how long a client over the rate limit is blocked (upstream: an hour)");
  return d;
}

void read_ygoprodeck_flags(const po::variables_map& vm, YgoProDeckOptions& out) {
  out.shape.sets = vm["ygoprodeck-sets"].as<std::uint32_t>();
  out.shape.cards_per_set = vm["ygoprodeck-cards-per-set"].as<std::uint32_t>();
  if (out.shape.sets == 0 || out.shape.sets > 676) {
    throw SandboxUsageError("--ygoprodeck-sets must be within [1, 676]");
  }
  if (out.shape.cards_per_set == 0 || out.shape.cards_per_set > 10000) {
    throw SandboxUsageError("--ygoprodeck-cards-per-set must be within [1, 10000]");
  }
  out.rate_limit = vm["ygoprodeck-rate-limit"].as<std::uint32_t>();
  const auto block = vm["ygoprodeck-block-seconds"].as<std::int64_t>();
  if (block < 0) throw SandboxUsageError("--ygoprodeck-block-seconds must be >= 0");
  out.block = std::chrono::seconds(block);
}

}  // namespace cardsync::sandbox
