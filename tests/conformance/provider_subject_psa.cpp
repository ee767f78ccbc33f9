// PSA in the provider conformance suite: a sync of named certs covering every case the
// sandbox serves (images back first, no images, leading zeros, both kinds of "No data
// found"). PSA sends no malformed items, so the quarantine check has nothing to see.
#include "provider_subject.hpp"

namespace cardsync::conformance {
namespace {

constexpr const char* kCerts[] = {"10000011", "10000012", "10000013", "00001235", "10000000",
                                  "10000999", "20000017", "20000018", "20000021", "30000034"};

std::string cert_list(const char* separator) {
  std::string out;
  for (const char* c : kCerts) {
    if (!out.empty()) out += separator;
    out += c;
  }
  return out;
}

}  // namespace

ProviderSubject psa_subject() {
  ProviderSubject s;
  s.name = "psa";
  // Faults make the suite retry; the free plan's 100 calls a day would end the test early.
  s.shape = [](sandbox::SandboxOptions& o) { o.psa.daily_quota = 0; };
  s.config = [](const std::string& root) {
    return R"({"base_url":")" + root + R"(/publicapi","token":"psa_sandbox"})";
  };
  s.paged = false;
  s.plan_spec = R"({"certs":[")" + cert_list(R"(",")") + R"("]})";
  s.expected = [](const SandboxGet& get) {
    const auto t = get("/_sandbox/truth/psa?certs=" + cert_list(","));
    Expectation e;
    e.records[CS_RECORD_GRADED_CERT] = 0;
    e.records[CS_RECORD_CERT_IMAGE] = 0;
    for (const auto& c : t["certs"].GetArray()) {
      if (std::string(c["status"].GetString()) != "found") continue;
      e.records[CS_RECORD_GRADED_CERT] += 1;
      e.records[CS_RECORD_CERT_IMAGE] += c["images"].MemberCount();
    }
    return e;
  };
  return s;
}

}  // namespace cardsync::conformance
