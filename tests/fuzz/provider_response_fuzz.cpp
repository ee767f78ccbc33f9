// Each provider's handling of what an upstream answers, driven through the plugin C ABI as
// the host drives it (conformance/provider_driver.hpp): JustTCG, PSA, Scryfall, and the rest
// plugin with each shipped manifest under manifests/. Input layout:
//   [provider] [job type] [status: 2 bytes] key \0 payload \0 cursor \0 headers \0 body
// The job type indexes the instance's own list; key, payload and cursor are what the storage
// hands back (written by an earlier run or an earlier version), so stored cursors and
// payloads are fuzzed too; headers are "Name: value" lines. start() builds the request, then
// handle() gets the fuzzed status, headers and body.
// Properties: every call returns one of the four statuses, a failure says why, and every
// record a successful call emits has a key and JSON core fields.

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <cardsync/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conformance/provider_driver.hpp"
#include "justtcg_provider.hpp"
#include "psa_provider.hpp"
#include "rest_provider.hpp"
#include "scryfall_provider.hpp"

namespace cardsync::embedded {
extern const std::string_view fuzz_manifest_pokemontcg;
extern const std::string_view fuzz_manifest_ygoprodeck;
extern const std::string_view fuzz_manifest_scryfall;
}  // namespace cardsync::embedded

namespace {

using cardsync::conformance::CallResult;
using cardsync::conformance::JobInput;
using cardsync::conformance::ProviderDriver;

// The rest plugin's config section: the instance's options with the manifest (comments and
// trailing commas allowed, as the host reads it) under "manifest".
std::string rest_section(std::string_view manifest, const char* options) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag>(manifest.data(),
                                                                                 manifest.size());
  if (doc.HasParseError()) std::abort();
  rapidjson::Document config;
  config.Parse(options);
  config.AddMember("manifest", rapidjson::Value(doc, config.GetAllocator()), config.GetAllocator());
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  config.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

struct Subject {
  std::unique_ptr<ProviderDriver> driver;
  std::vector<std::string> job_types;
};

Subject subject(const cs_plugin_descriptor* descriptor, const std::string& config) {
  Subject s;
  s.driver = std::make_unique<ProviderDriver>(descriptor, config);
  const auto description = s.driver->description();
  for (const char* const* t = description.job_types; t != nullptr && *t != nullptr; ++t) {
    s.job_types.emplace_back(*t);
  }
  if (s.job_types.empty()) std::abort();
  return s;
}

std::vector<Subject>& subjects() {
  namespace sdk = cardsync::sdk;
  namespace embedded = cardsync::embedded;
  static std::vector<Subject> all = [] {
    std::vector<Subject> v;
    v.push_back(subject(sdk::descriptor<cardsync::justtcg::JustTcgProvider>(),
                        R"({"base_url":"https://justtcg.example/v1","api_key":"k",)"
                        R"("plan":"enterprise","page_size":20,"mode":"full"})"));
    v.push_back(subject(sdk::descriptor<cardsync::psa::PsaProvider>(),
                        R"({"base_url":"https://psa.example/publicapi","token":"t"})"));
    v.push_back(subject(sdk::descriptor<cardsync::scryfall::ScryfallProvider>(),
                        R"({"base_url":"https://scryfall.example","user_agent":"fuzz/1"})"));
    const auto* rest = sdk::descriptor<cardsync::rest::RestProvider>();
    v.push_back(subject(rest, rest_section(embedded::fuzz_manifest_pokemontcg,
                                           R"({"base_url":"https://ptcg.example/v2",)"
                                           R"("api_key":"k","page_size":10})")));
    v.push_back(subject(rest, rest_section(embedded::fuzz_manifest_ygoprodeck,
                                           R"({"base_url":"https://ygo.example/api/v7",)"
                                           R"("page_size":5})")));
    v.push_back(subject(rest, rest_section(embedded::fuzz_manifest_scryfall,
                                           R"({"base_url":"https://scryfall.example",)"
                                           R"("user_agent":"fuzz/1"})")));
    return v;
  }();
  return all;
}

std::string_view next_field(std::string_view& in) {
  const size_t end = in.find('\0');
  const std::string_view out = in.substr(0, end);
  in.remove_prefix(end == std::string_view::npos ? in.size() : end + 1);
  return out;
}

void check(const CallResult& r) {
  if (r.status != CS_OK && r.status != CS_RETRY && r.status != CS_PERMANENT &&
      r.status != CS_FATAL) {
    std::abort();
  }
  if (r.status != CS_OK) {
    if (r.error.empty()) std::abort();
    return;
  }
  for (const auto& record : r.records) {
    rapidjson::Document core;
    if (record.key.empty() || core.Parse(record.core.c_str()).HasParseError()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& all = subjects();
  if (size < 4) return 0;
  Subject& s = all[data[0] % all.size()];
  const int status = ((data[2] << 8) | data[3]) % 600;
  std::string_view in(reinterpret_cast<const char*>(data) + 4, size - 4);

  JobInput job;
  job.type = s.job_types[data[1] % s.job_types.size()];
  job.key = std::string(next_field(in));
  job.payload = std::string(next_field(in));
  job.cursor = std::string(next_field(in));
  std::string_view header_text = next_field(in);
  const std::string body(in);
  std::vector<std::pair<std::string, std::string>> headers;
  while (!header_text.empty()) {
    const size_t eol = header_text.find('\n');
    const std::string_view line = header_text.substr(0, eol);
    header_text.remove_prefix(eol == std::string_view::npos ? header_text.size() : eol + 1);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }

  const CallResult started = s.driver->start(job);
  check(started);
  if (started.status != CS_OK || started.requests.empty()) return 0;
  check(s.driver->handle(job, started.requests.front(), status, body, headers));
  return 0;
}
