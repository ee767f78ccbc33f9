#pragma once
// Runs a Sandbox in-process on an ephemeral port and talks to it over real HTTP.

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>

#include "http_test_client.hpp"
#include "sandbox/sandbox.hpp"

namespace cardsync::sandbox::testing {

inline constexpr const char* kKey = "tcg_sandbox";

// 2 games x 3 sets x 7 cards x 5 variants: every quirk shows up, every test stays fast.
inline SandboxOptions small_options() {
  SandboxOptions o;
  o.catalog.seed = 7;
  o.catalog.games = 2;
  o.catalog.sets_per_game = 3;
  o.catalog.cards_per_set = 7;
  o.catalog.variants_per_card = 5;
  o.threads = 2;
  return o;
}

inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text.substr(0, 200);
  return doc;
}

class SandboxTest : public ::testing::Test {
 protected:
  void start(SandboxOptions options, Clock& clock = SystemClock::instance()) {
    sandbox_ = std::make_unique<Sandbox>(std::move(options), clock);
    port_ = sandbox_->start();
    client_ = std::make_unique<HttpTestClient>(port_);
  }
  void TearDown() override {
    client_.reset();
    if (sandbox_) sandbox_->stop();
  }

  HttpResult api(const std::string& target) { return client_->get(target, {{"x-api-key", kKey}}); }
  // GET with the key; expects a complete 200 and returns the parsed body.
  rapidjson::Document api_json(const std::string& target) {
    HttpResult r = api(target);
    EXPECT_TRUE(r.complete) << target << ": " << r.error;
    EXPECT_EQ(r.status, 200U) << target << ": " << r.body;
    return parse_json(r.body);
  }
  rapidjson::Document control(boost::beast::http::verb method, const std::string& target) {
    HttpResult r = client_->request(method, target);
    EXPECT_EQ(r.status, 200U) << target << ": " << r.body;
    return parse_json(r.body);
  }

  std::unique_ptr<Sandbox> sandbox_;
  std::unique_ptr<HttpTestClient> client_;
  std::uint16_t port_ = 0;
};

}  // namespace cardsync::sandbox::testing
