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

struct ProviderSubject {
  std::string name;  // the plugin: cardsync-provider-<name>.so
  // A catalog small enough for a test and big enough to page, with some invalid items.
  std::function<void(sandbox::SandboxOptions&)> shape;
  // The providers.<name> section pointing at the sandbox root "http://127.0.0.1:<port>".
  std::function<std::string(const std::string& sandbox_root)> config;
  // The sync spec handed to plan() ("" = everything configured).
  std::string plan_spec;
  std::function<Expectation(const SandboxGet& get)> expected;
  // false for a provider whose jobs never take more than one request (nothing to resume):
  // the resume check is then skipped, and says so.
  bool multi_request_jobs = true;
  // false for an API without pages (PSA): the page faults (repeated, short pages) cannot
  // happen there, and their checks say so instead of demanding the fault was seen.
  bool paged = true;
};

// Every provider under test.
std::vector<ProviderSubject> provider_subjects();

ProviderSubject justtcg_subject();
ProviderSubject scryfall_subject();
ProviderSubject psa_subject();

}  // namespace cardsync::conformance
