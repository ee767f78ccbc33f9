// The lookups a provider declares, as the host reads them: from the built PSA plugin's
// vtable, and from vtables built here by hand for every way a declaration can be malformed.
#include "plugin/provider_lookups.hpp"

#include <gmock/gmock.h>

#include <array>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugin/call_error.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/provider_runtime.hpp"

namespace cardsync::plugin {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// ---- the PSA plugin ------------------------------------------------------------------------

class PsaLookups : public ::testing::Test {
 protected:
  PsaLookups()
      : registry_(std::make_shared<HostServices>(HostServices::LogFn{})),
        runtime_(std::make_shared<plugin::ProviderRuntime>(
            Instance::create(registry_.load_file(CARDSYNC_PSA_PLUGIN),
                             R"({"token":"t","base_url":"http://127.0.0.1:9/publicapi"})"))) {}

  const ProviderLookups& lookups() const { return runtime_->lookups(); }

  Registry registry_;
  std::shared_ptr<plugin::ProviderRuntime> runtime_;
};

TEST_F(PsaLookups, TheCertKindIsReadFromTheVtable) {
  ASSERT_EQ(lookups().kinds().size(), 1U);
  const LookupKind& k = lookups().kinds().front();
  EXPECT_EQ(k.name, "cert");
  EXPECT_EQ(k.job_type, "psa.cert");
  EXPECT_THAT(k.description, HasSubstr("PSA cert"));
  EXPECT_EQ(k.key_example, "0123-4567");
  EXPECT_EQ(k.record_kind, CS_RECORD_GRADED_CERT);
  EXPECT_EQ(k.child_kind, static_cast<uint32_t>(CS_RECORD_CERT_IMAGE));
  EXPECT_EQ(k.child_field, "images");
  // A cert is fresh for 7 days; PSA's "no such cert" is remembered for 1 day.
  EXPECT_EQ(k.ttl, std::chrono::hours(24 * 7));
  EXPECT_EQ(k.not_found_ttl, std::chrono::hours(24));
}

TEST_F(PsaLookups, FindByNameOrTheOnlyOne) {
  ASSERT_NE(lookups().find("cert"), nullptr);
  EXPECT_EQ(lookups().find(""), lookups().find("cert"));
  EXPECT_EQ(lookups().find("card"), nullptr);
  EXPECT_EQ(lookups().find("CERT"), nullptr);
}

TEST_F(PsaLookups, KeysAreNormalisedByThePlugin) {
  const LookupKind& cert = *lookups().find("cert");
  EXPECT_EQ(lookups().normalise(cert, "0123-4567").key, "01234567");
  auto bad = lookups().normalise(cert, "abc");
  EXPECT_FALSE(bad.key);
  EXPECT_EQ(bad.problem, "a PSA cert number needs at least one digit");
}

// ---- vtables built by hand -----------------------------------------------------------------

cs_status no_plan(void*, cs_str, const cs_emit_api*, cs_emit*, cs_error*) {
  return CS_OK;
}
cs_status no_start(void*, const cs_job*, const cs_emit_api*, cs_emit*, cs_error*) {
  return CS_OK;
}
cs_status no_handle(void*, const cs_job*, const cs_request*, const cs_response*, const cs_emit_api*,
                    cs_emit*, cs_error*) {
  return CS_OK;
}

// Upper-cases "ok..." inputs; refuses others with a message, or (for "silent") says OK
// without giving a key.
cs_status upper(void* instance, cs_str kind, cs_str input, cs_str_visitor visit, void* ctx,
                cs_error* err) {
  *static_cast<std::string*>(instance) = std::string(kind.data, kind.len);
  const std::string in(input.data, input.len);
  if (in == "silent") return CS_OK;
  if (in.rfind("ok", 0) != 0) {
    err->message = "a hand key starts with ok";
    return CS_PERMANENT;
  }
  std::string out = in;
  for (char& c : out) c = static_cast<char>(c - 'a' + 'A');
  visit(ctx, cs_str{out.data(), out.size()});
  return CS_OK;
}

cs_lookup_kind kind(const char* name, const char* job_type) {
  cs_lookup_kind k{};
  k.struct_size = sizeof k;
  k.record_kind = CS_RECORD_CARD;
  k.name = name;
  k.job_type = job_type;
  k.description = "a hand-made lookup";
  k.key_example = "ok";
  k.ttl_seconds = 60;
  k.not_found_ttl_seconds = 30;
  return k;
}

class HandVtable : public ::testing::Test {
 protected:
  ProviderLookups read() {
    vtable_.lookups = kinds_.data();
    vtable_.lookup_count = kinds_.size();
    return ProviderLookups(vtable_, &last_kind_, "hand", {"hand.card", "hand.set"});
  }
  // What reading the declarations refuses with; empty when accepted.
  std::string refusal() {
    try {
      read();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return {};
  }

  std::array<const char*, 3> job_types_{"hand.card", "hand.set", nullptr};
  cs_provider_vtable vtable_{sizeof(cs_provider_vtable),
                             "hand",
                             job_types_.data(),
                             "{}",
                             &no_plan,
                             &no_start,
                             &no_handle,
                             nullptr,
                             0,
                             &upper,
                             nullptr};
  std::vector<cs_lookup_kind> kinds_{kind("card", "hand.card")};
  std::string last_kind_;
};

TEST_F(HandVtable, AWellFormedDeclarationIsReadAsDeclared) {
  kinds_.push_back(kind("set_2", "hand.set"));
  kinds_.back().child_kind = CS_RECORD_CARD;
  kinds_.back().child_field = "cards";
  ProviderLookups l = read();
  ASSERT_EQ(l.kinds().size(), 2U);
  EXPECT_EQ(l.kinds()[0].name, "card");
  EXPECT_EQ(l.kinds()[0].ttl, std::chrono::seconds(60));
  EXPECT_EQ(l.kinds()[0].not_found_ttl, std::chrono::seconds(30));
  EXPECT_EQ(l.kinds()[0].child_kind, 0U);
  EXPECT_EQ(l.kinds()[0].child_field, "");
  EXPECT_EQ(l.kinds()[1].name, "set_2");
  EXPECT_EQ(l.kinds()[1].child_field, "cards");
  EXPECT_EQ(l.find(""), nullptr) << "with two lookups the kind must be named";
  EXPECT_EQ(l.find("set_2"), &l.kinds()[1]);
}

TEST_F(HandVtable, NormaliseAsksThePluginWithTheKindsName) {
  kinds_.push_back(kind("set", "hand.set"));
  ProviderLookups l = read();
  auto good = l.normalise(*l.find("set"), "okay");
  EXPECT_EQ(good.key, "OKAY");
  EXPECT_EQ(last_kind_, "set");
  auto bad = l.normalise(*l.find("card"), "nope");
  EXPECT_FALSE(bad.key);
  EXPECT_EQ(bad.problem, "a hand key starts with ok");
  EXPECT_EQ(last_kind_, "card");
  auto silent = l.normalise(*l.find("card"), "silent");
  EXPECT_FALSE(silent.key);
  EXPECT_THAT(silent.problem, HasSubstr("no canonical form"));
}

TEST_F(HandVtable, NonPositiveTimesBecomeOneSecond) {
  kinds_[0].ttl_seconds = 0;
  kinds_[0].not_found_ttl_seconds = -5;
  ProviderLookups l = read();
  EXPECT_EQ(l.kinds()[0].ttl, std::chrono::seconds(1));
  EXPECT_EQ(l.kinds()[0].not_found_ttl, std::chrono::seconds(1));
}

TEST_F(HandVtable, NoLookupsIsNoKindsAndNoKey) {
  kinds_.clear();
  vtable_.normalise_key = nullptr;
  ProviderLookups l = read();
  EXPECT_TRUE(l.kinds().empty());
  EXPECT_EQ(l.find(""), nullptr);
  LookupKind k;
  k.name = "card";
  auto n = l.normalise(k, "ok");
  EXPECT_FALSE(n.key);
  EXPECT_EQ(n.problem, "this provider offers no lookups");
}

TEST_F(HandVtable, AnOlderVtableIsNotReadPastItsEnd) {
  // A 1.1 plugin's vtable ends before the lookup members: whatever follows is not its own.
  vtable_.struct_size = offsetof(cs_provider_vtable, lookups);
  kinds_.push_back(kind("Not A Name", "not.served"));
  EXPECT_TRUE(read().kinds().empty());
  vtable_.struct_size = offsetof(cs_provider_vtable, normalise_key);  // cut inside 1.2
  EXPECT_TRUE(read().kinds().empty());
}

TEST_F(HandVtable, ANameMustBeLowerCaseLettersDigitsOrUnderscores) {
  for (const char* name : {"Cert", "", "cert-number", "cert number", "cért"}) {
    SCOPED_TRACE(name);
    kinds_[0].name = name;
    EXPECT_THAT(refusal(), AllOf(HasSubstr("provider 'hand'"), HasSubstr("[a-z0-9_]+"),
                                 HasSubstr("\"" + std::string(name) + "\"")));
  }
  kinds_[0].name = nullptr;
  EXPECT_THAT(refusal(), HasSubstr("[a-z0-9_]+"));
}

TEST_F(HandVtable, ANameGivenTwiceIsRefused) {
  kinds_.push_back(kind("card", "hand.set"));
  EXPECT_THAT(refusal(), AllOf(HasSubstr("provider 'hand'"), HasSubstr("\"card\" twice")));
}

TEST_F(HandVtable, AJobTypeTheProviderDoesNotServeIsRefused) {
  kinds_[0].job_type = "hand.deck";
  EXPECT_THAT(refusal(), AllOf(HasSubstr("lookup \"card\""), HasSubstr("\"hand.deck\""),
                               HasSubstr("does not serve")));
  kinds_[0].job_type = nullptr;
  EXPECT_THAT(refusal(), HasSubstr("does not serve"));
}

TEST_F(HandVtable, ChildRecordsNeedAFieldToBeAnsweredIn) {
  kinds_[0].child_kind = CS_RECORD_CERT_IMAGE;
  EXPECT_THAT(refusal(), AllOf(HasSubstr("lookup \"card\""), HasSubstr("no child_field")));
  kinds_[0].child_field = "";
  EXPECT_THAT(refusal(), HasSubstr("no child_field"));
  kinds_[0].child_field = "images";
  EXPECT_EQ(refusal(), "");
}

TEST_F(HandVtable, LookupsNeedTheirTableAndNormaliseKey) {
  vtable_.normalise_key = nullptr;
  EXPECT_THAT(refusal(), AllOf(HasSubstr("provider 'hand'"), HasSubstr("normalise_key")));
  vtable_.normalise_key = &upper;
  vtable_.lookup_count = 1;
  vtable_.lookups = nullptr;
  EXPECT_THROW(ProviderLookups(vtable_, nullptr, "hand", {"hand.card"}), std::invalid_argument);
}

}  // namespace
}  // namespace cardsync::plugin
