#pragma once
// cardsync-sandbox's command line (README lists every flag).

#include <cstdint>
#include <stdexcept>
#include <string>

#include "sandbox/catalog.hpp"
#include "sandbox/fault_injector.hpp"
#include "sandbox/justtcg_api.hpp"
#include "sandbox/pokemontcg_api.hpp"
#include "sandbox/psa_api.hpp"
#include "sandbox/scryfall_catalog.hpp"
#include "sandbox/vault_api.hpp"
#include "sandbox/ygoprodeck_api.hpp"

namespace cardsync::sandbox {

struct SandboxOptions {
  std::uint16_t port = 0;  // 0: an ephemeral port
  std::size_t threads = 2;
  CatalogShape catalog;
  JustTcgOptions justtcg;
  PsaOptions psa;
  ScryfallShape scryfall;
  PokemonTcgOptions pokemontcg;
  YgoProDeckOptions ygoprodeck;
  VaultOptions vault;
  FaultOptions faults;
  double mutate = 0.0;  // fraction of prices that change at start, in every catalog
};

class SandboxUsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SandboxCommandLine {
  SandboxOptions options;
  bool help = false;
  std::string help_text;
};

// Throws SandboxUsageError naming the offending flag.
SandboxCommandLine parse_sandbox_command_line(int argc, const char* const* argv);

}  // namespace cardsync::sandbox
