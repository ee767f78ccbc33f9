#pragma once
// The whole emulator in one object: catalog, faults, statistics, the emulated APIs and the
// control endpoints on one server. main.cpp runs one; tests run one in-process on port 0.
// Each emulated upstream is one UpstreamApi mounted here.

#include <cstdint>
#include <memory>
#include <string>

#include "sandbox/catalog.hpp"
#include "sandbox/control_api.hpp"
#include "sandbox/fault_injector.hpp"
#include "sandbox/http_server.hpp"
#include "sandbox/justtcg_api.hpp"
#include "sandbox/pokemontcg_api.hpp"
#include "sandbox/psa_api.hpp"
#include "sandbox/request_stats.hpp"
#include "sandbox/router.hpp"
#include "sandbox/sandbox_options.hpp"
#include "sandbox/scryfall_api.hpp"
#include "sandbox/truth.hpp"
#include "sandbox/vault_api.hpp"
#include "sandbox/ygoprodeck_api.hpp"
#include "time/clock.hpp"

namespace cardsync::sandbox {

class Sandbox {
 public:
  // Throws std::invalid_argument for a bad catalog shape. `clock` drives outage windows,
  // rate windows, quotas, Retry-After dates and mutation timestamps (latency and hangs are
  // real network time); it must outlive the sandbox.
  explicit Sandbox(SandboxOptions options, Clock& clock = SystemClock::instance());
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Applies --mutate (to every catalog), starts the outage clock and serves on 127.0.0.1;
  // returns the port.
  std::uint16_t start();
  void stop();
  std::uint16_t port() const;
  // "http://127.0.0.1:<port>"; the JustTCG base URL is this plus "/v1".
  std::string base_url() const;

  const SandboxOptions& options() const { return options_; }
  Catalog& catalog() { return catalog_; }
  FaultInjector& faults() { return faults_; }
  RequestStats& stats() { return stats_; }
  Truth truth() { return truth_.get(catalog_); }
  PokemonTcgApi& pokemontcg() { return pokemontcg_; }
  YgoProDeckApi& ygoprodeck() { return ygoprodeck_; }
  VaultApi& vault() { return vault_; }

 private:
  SandboxOptions options_;
  Clock& clock_;
  Catalog catalog_;
  FaultInjector faults_;
  RequestStats stats_;
  TruthCache truth_;
  JustTcgApi justtcg_;
  PsaApi psa_;
  ScryfallApi scryfall_;
  PokemonTcgApi pokemontcg_;
  YgoProDeckApi ygoprodeck_;
  VaultApi vault_;
  ControlApi control_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace cardsync::sandbox
