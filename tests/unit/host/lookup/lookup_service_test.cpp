// The lookup service over real providers: the built PSA plugin (one lookup), the shelf test
// plugin (two lookups, answered from their keys with no upstream) and the echo test plugin
// (none), with the built SQLite storage. What is refused before any lookup, what an invalid
// key is answered, and that a key reaches its own kind's cache timed by its provider section.
#include "lookup/lookup_service.hpp"

#include <gmock/gmock.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <filesystem>
#include <memory>
#include <string>
#include <variant>

#include "support/lookup_harness.hpp"
#include "time/clock.hpp"

namespace cardsync::lookup {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kWithLookups = "providers with lookups: psa (cert); shelf (set, card)";

class LookupServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("cardsync-lookup-service-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    test::LookupHarnessOptions options;
    options.storage_plugin = CARDSYNC_SQLITE_PLUGIN;
    options.database = dir_ / "db.sqlite";
    options.log_level = log::Level::error;
    host_ = std::make_unique<test::LookupHarness>(clock_, options);

    // Nothing listens on port 9: a PSA request would fail, and none is expected.
    host_->add_provider(CARDSYNC_PSA_PLUGIN,
                        R"({"token":"t","base_url":"http://127.0.0.1:9/publicapi"})");
    host_->add_provider(CARDSYNC_SHELF_PLUGIN, "{}");
    host_->add_provider(CARDSYNC_ECHO_PLUGIN, R"({"channel":"c"})");
  }

  void TearDown() override {
    host_.reset();
    fs::remove_all(dir_);
  }

  // The service over every provider, timed by `providers_json` (the "providers" object).
  LookupService& service(const std::string& providers_json = "{}") {
    return host_->serve_lookups(providers_json);
  }

  LookupRefusal refusal(std::string_view provider, std::string_view kind, std::string_view key) {
    auto r = host_->service->lookup(provider, kind, key, "test");
    EXPECT_TRUE(std::holds_alternative<LookupRefusal>(r)) << provider << " " << kind << " " << key;
    return std::holds_alternative<LookupRefusal>(r) ? std::get<LookupRefusal>(r) : LookupRefusal{};
  }
  LookupAnswer answer(std::string_view provider, std::string_view kind, std::string_view key) {
    auto r = host_->service->lookup(provider, kind, key, "test");
    if (const auto* refused = std::get_if<LookupRefusal>(&r)) {
      ADD_FAILURE() << "refused: " << refused->message;
      return {};
    }
    return std::get<LookupAnswer>(r);
  }

  std::int64_t jobs() { return host_->jobs(); }
  std::int64_t jobs_started() const { return host_->stats.jobs_started.load(); }

  ManualClock clock_{true, Clock::WallTime{std::chrono::hours(24 * 365 * 56)}};
  fs::path dir_;
  std::unique_ptr<test::LookupHarness> host_;
};

TEST_F(LookupServiceTest, TheCatalogListsTheProvidersWithLookupsByName) {
  auto catalog = service().catalog();
  ASSERT_EQ(catalog.size(), 2U);  // not echo
  EXPECT_EQ(catalog[0].provider, "psa");
  ASSERT_EQ(catalog[0].kinds.size(), 1U);
  EXPECT_EQ(catalog[0].kinds[0].name, "cert");
  EXPECT_EQ(catalog[1].provider, "shelf");
  ASSERT_EQ(catalog[1].kinds.size(), 2U);
  EXPECT_EQ(catalog[1].kinds[0].name, "set");
  EXPECT_EQ(catalog[1].kinds[1].name, "card");
}

TEST_F(LookupServiceTest, AnUnknownProviderIsRefusedNamingThoseWithLookups) {
  service();
  auto r = refusal("nope", "", "1");
  EXPECT_EQ(r.why, LookupRefusal::Why::no_such_provider);
  EXPECT_THAT(r.message, HasSubstr("no provider \"nope\" is configured"));
  EXPECT_THAT(r.message, HasSubstr(kWithLookups));
  EXPECT_THAT(r.message, Not(HasSubstr("\n")));
  EXPECT_EQ(jobs(), 0);
}

TEST_F(LookupServiceTest, AProviderWithoutLookupsIsRefusedNamingThoseThatHaveThem) {
  service();
  auto r = refusal("echo", "", "1");
  EXPECT_EQ(r.why, LookupRefusal::Why::no_lookups);
  EXPECT_EQ(r.message, std::string("provider \"echo\" has no lookups; ") + kWithLookups);
  EXPECT_EQ(refusal("echo", "cert", "1").why, LookupRefusal::Why::no_lookups);
  EXPECT_EQ(jobs(), 0);
}

TEST_F(LookupServiceTest, WithoutAnyProviderWithLookupsTheRefusalSaysSo) {
  host_->providers.erase(host_->providers.begin(), host_->providers.begin() + 2);  // echo alone
  service();
  auto r = refusal("psa", "", "1");
  EXPECT_EQ(r.why, LookupRefusal::Why::no_such_provider);
  EXPECT_THAT(r.message, HasSubstr("no configured provider has lookups"));
  EXPECT_EQ(refusal("echo", "", "1").message,
            "provider \"echo\" has no lookups; no configured provider has lookups");
}

TEST_F(LookupServiceTest, AnUnknownKindIsRefusedNamingTheProvidersKinds) {
  service();
  auto r = refusal("psa", "card", "1");
  EXPECT_EQ(r.why, LookupRefusal::Why::no_such_kind);
  EXPECT_EQ(r.message, "provider \"psa\" has no lookup \"card\"; its lookups: cert");
  auto shelf = refusal("shelf", "cert", "1");
  EXPECT_EQ(shelf.why, LookupRefusal::Why::no_such_kind);
  EXPECT_THAT(shelf.message, HasSubstr("its lookups: set, card"));
  EXPECT_EQ(jobs(), 0);
}

TEST_F(LookupServiceTest, SeveralKindsNeedTheKindNamed) {
  service();
  auto r = refusal("shelf", "", "abc");
  EXPECT_EQ(r.why, LookupRefusal::Why::no_such_kind);
  EXPECT_EQ(r.message, "provider \"shelf\" has several lookups; choose one with kind: set, card");
  EXPECT_EQ(jobs(), 0);
  // A provider with one lookup needs no kind.
  EXPECT_EQ(answer("psa", "", "abc").kind, "cert");
}

TEST_F(LookupServiceTest, AnInvalidKeyIsAnsweredInvalidWithTheProvidersWordsAndNoJob) {
  service();
  auto letters = answer("psa", "", "slab #ABC");
  EXPECT_EQ(letters.status, LookupStatus::invalid);
  EXPECT_EQ(letters.provider, "psa");
  EXPECT_EQ(letters.kind, "cert");
  EXPECT_EQ(letters.key, "");
  EXPECT_EQ(letters.message, "a PSA cert number needs at least one digit");
  EXPECT_FALSE(letters.fetched_now);
  EXPECT_FALSE(letters.job_id);
  EXPECT_EQ(letters.http_status(), 400U);

  auto long_one = answer("psa", "cert", "1234 5678 9012 3");
  EXPECT_EQ(long_one.status, LookupStatus::invalid);
  EXPECT_THAT(long_one.message, HasSubstr("at most 12"));
  EXPECT_THAT(long_one.message, HasSubstr("13"));
  EXPECT_EQ(answer("psa", "cert", "").status, LookupStatus::invalid);

  auto card = answer("shelf", "card", "4x2");
  EXPECT_EQ(card.status, LookupStatus::invalid);
  EXPECT_EQ(card.kind, "card");
  EXPECT_EQ(card.message, "a shelf card key is digits, like 42");
  EXPECT_EQ(answer("shelf", "set", "a1").message, "a shelf set key is letters, like abc");

  EXPECT_EQ(jobs(), 0);
  EXPECT_EQ(jobs_started(), 0);
}

TEST_F(LookupServiceTest, AKeyIsCanonicalisedAndAnsweredByItsKindsCache) {
  service();
  auto set = answer("shelf", "set", " A b C");
  ASSERT_EQ(set.status, LookupStatus::fresh) << set.message;
  EXPECT_EQ(set.provider, "shelf");
  EXPECT_EQ(set.kind, "set");
  EXPECT_EQ(set.key, "abc");
  EXPECT_TRUE(set.fetched_now);
  EXPECT_EQ(set.core_json, R"({"name":"abc"})");
  // The children under the kind's field, in key order (the plugin emitted /2 first).
  EXPECT_EQ(set.child_field, "cards");
  EXPECT_THAT(set.children_json, ::testing::ElementsAre(R"({"number":1})", R"({"number":2})"));
  rapidjson::Document doc;
  doc.Parse(set.to_json().c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(doc["data"]["cards"][0]["number"].GetInt(), 1);

  auto card = answer("shelf", "card", "00 42");
  ASSERT_EQ(card.status, LookupStatus::fresh) << card.message;
  EXPECT_EQ(card.key, "0042");
  EXPECT_EQ(card.core_json, R"({"number":"0042"})");
  EXPECT_TRUE(card.child_field.empty());
  EXPECT_TRUE(card.children_json.empty());

  EXPECT_EQ(answer("shelf", "card", "0").status, LookupStatus::not_found);
  EXPECT_EQ(answer("shelf", "set", "none").status, LookupStatus::not_found);

  // Asked again: from storage, nothing run.
  const auto started = jobs_started();
  auto again = answer("shelf", "set", "ABC");
  EXPECT_EQ(again.status, LookupStatus::fresh);
  EXPECT_FALSE(again.fetched_now);
  EXPECT_EQ(again.children_json.size(), 2U);
  EXPECT_EQ(jobs_started(), started);
}

TEST_F(LookupServiceTest, EachProvidersSectionTimesItsOwnCaches) {
  // shelf: set 1 h and card 7 days by its kinds; its section shortens both to 10 s.
  service(R"({"shelf":{"ttl_seconds":10}})");
  ASSERT_EQ(answer("shelf", "set", "abc").status, LookupStatus::fresh);
  ASSERT_EQ(answer("shelf", "card", "42").status, LookupStatus::fresh);
  clock_.advance(std::chrono::seconds(9));
  EXPECT_EQ(answer("shelf", "set", "abc").status, LookupStatus::fresh);
  clock_.advance(std::chrono::seconds(2));
  auto set = answer("shelf", "set", "abc");
  EXPECT_EQ(set.status, LookupStatus::stale);
  EXPECT_TRUE(set.job_id.has_value());
  EXPECT_EQ(answer("shelf", "card", "42").status, LookupStatus::stale);

  // Without a section the kind's own times hold: not found is remembered 60 s for a set.
  service("{}");
  ASSERT_EQ(answer("shelf", "set", "none").status, LookupStatus::not_found);
  const auto started = jobs_started();
  clock_.advance(std::chrono::seconds(59));
  EXPECT_FALSE(answer("shelf", "set", "none").fetched_now);
  EXPECT_EQ(jobs_started(), started);
  clock_.advance(std::chrono::seconds(2));
  EXPECT_TRUE(answer("shelf", "set", "none").fetched_now);
}

}  // namespace
}  // namespace cardsync::lookup
