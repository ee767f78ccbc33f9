#pragma once
// What a PsaProvider call is handed in these tests: recorded PSA bodies (fixtures/) and jobs
// as the host stores them. What the provider emits is recorded by
// support/recording_emitter.hpp.

#include <cardsync/sdk.hpp>

#include <string>
#include <string_view>

#include "support/recorded_response.hpp"

namespace cardsync::psa::test {

using cardsync::test::response;

// Without the line end the fixture files carry: PSA's bodies have none.
inline std::string fixture(const std::string& name) {
  std::string body = cardsync::test::read_fixture(CARDSYNC_PSA_FIXTURES, name);
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  return body;
}

// The strings must outlive the call.
inline sdk::Job job(std::string_view key, std::string_view cursor = {}) {
  sdk::Job j;
  j.id = 7;
  j.type = "psa.cert";
  j.key = key;
  j.cursor = cursor;
  j.request_id = "req-test";
  return j;
}

}  // namespace cardsync::psa::test
