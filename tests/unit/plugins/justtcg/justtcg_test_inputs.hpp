#pragma once
// What a JustTcgProvider call is handed in these tests: recorded JustTCG bodies (fixtures/),
// jobs as the host stores them, and the headers of the requests the provider asks for. What
// the provider emits is recorded by support/recording_emitter.hpp.

#include <cardsync/sdk.hpp>

#include <string>
#include <string_view>

#include "support/recorded_response.hpp"

namespace cardsync::justtcg::test {

using cardsync::test::response;

inline std::string fixture(const std::string& name) {
  return cardsync::test::read_fixture(CARDSYNC_JUSTTCG_FIXTURES, name);
}

// A job as the host would hand it over; the strings must outlive the call.
inline sdk::Job job(std::string_view type, std::string_view key, std::string_view payload = {},
                    std::string_view cursor = {}) {
  sdk::Job j;
  j.id = 1;
  j.type = type;
  j.key = key;
  j.payload = payload;
  j.cursor = cursor;
  j.request_id = "req-test";
  return j;
}

inline std::string header(const sdk::Request& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

}  // namespace cardsync::justtcg::test
