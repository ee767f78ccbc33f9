#pragma once
// What the provider conformance suite needs to know about one provider. Adding a provider
// (PSA) means writing one of these (provider_subject_psa.cpp) and adding it to
// provider_subjects.cpp; the suite itself never names a provider.

#include <cardsync/abi.h>

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sandbox/sandbox_options.hpp"

namespace cardsync::conformance {

// What a complete, correct sync of the subject's sandbox catalog emits.
struct Expectation {
  std::map<int, std::uint64_t> records;  // distinct keys per cs_record_kind
  std::uint64_t rejected_items = 0;      // distinct (reason, path, raw item) rejections
};

// GET <sandbox>/<path> as JSON (a control route such as /_sandbox/truth/scryfall).
using SandboxGet = std::function<rapidjson::Document(const std::string& path)>;

struct SyncOutcome;

struct ProviderSubject {
  std::string name;    // the instance (test names); also the plugin unless `plugin` is set
  std::string plugin;  // the plugin, cardsync-provider-<plugin>.so, when it is not `name`
  // A catalog small enough for a test and big enough to page, with some invalid items.
  std::function<void(sandbox::SandboxOptions&)> shape;
  // The providers.<name> section pointing at the sandbox root "http://127.0.0.1:<port>".
  std::function<std::string(const std::string& sandbox_root)> config;
  // The sync spec handed to plan() ("" = everything configured).
  std::string plan_spec;
  std::function<Expectation(const SandboxGet& get)> expected;
  // Optional: further checks of a clean sync's records against the sandbox's truth (e.g. its
  // checksum); gtest assertions inside.
  std::function<void(const SyncOutcome& out, const SandboxGet& get)> check_records;
  // false for a provider whose jobs never take more than one request (nothing to resume):
  // the resume check is then skipped, and says so.
  bool multi_request_jobs = true;
  // false for an API without pages (PSA): the page faults (repeated, short pages) cannot
  // happen there, and their checks say so instead of demanding the fault was seen.
  bool paged = true;
  // Fault flags its emulated upstream does not play (the sandbox README says which), e.g.
  // short pages for an API whose page numbers address fixed windows: their checks skip.
  std::vector<std::string> faults_not_played;
};

// Every provider under test.
std::vector<ProviderSubject> provider_subjects();

ProviderSubject justtcg_subject();
ProviderSubject scryfall_subject();
ProviderSubject psa_subject();
ProviderSubject pokemontcg_manifest_subject();
ProviderSubject ygoprodeck_manifest_subject();
ProviderSubject scryfall_manifest_subject();

// The config section of a provider served by the rest plugin: `manifest_file` (under
// manifests/) parsed as the host parses it and put under "manifest", with `options`.
std::string manifest_section(const std::string& manifest_file, const std::string& options);

}  // namespace cardsync::conformance
