// The route table on its own: pattern parameters, which of 404 / 405 / 403 a request gets,
// and which route wins when several could answer.
#include <gmock/gmock.h>

#include <stdexcept>

#include "admin/admin_call.hpp"
#include "admin/route_table.hpp"

namespace cardsync::admin {
namespace {

using boost::beast::http::verb;
using Outcome = RouteMatch::Outcome;
using ::testing::ElementsAre;

Reply nothing(AdminCall& /*call*/) {
  return {};
}

RouteTable table() {
  return RouteTable({
      {verb::get, "/healthz", Role::none, nothing},
      {verb::get, "/api/v1/jobs", Role::viewer, nothing},
      {verb::get, "/api/v1/jobs/failed.csv", Role::viewer, nothing},
      {verb::post, "/api/v1/jobs/retry-failed", Role::operator_, nothing},
      {verb::get, "/api/v1/jobs/{id:int}", Role::viewer, nothing},
      {verb::post, "/api/v1/jobs/{id:int}/retry", Role::operator_, nothing},
      {verb::get, "/api/v1/lookup/{provider}/{key}", Role::viewer, nothing},
      {verb::get, "/api/v1/things", Role::viewer, nothing},
      {verb::post, "/api/v1/things", Role::operator_, nothing},
  });
}

TEST(RouteTableTest, ALiteralPathFindsItsRoute) {
  const auto t = table();
  auto m = t.match(verb::get, "/api/v1/jobs", Role::viewer);
  ASSERT_EQ(m.outcome, Outcome::found);
  EXPECT_EQ(m.route->pattern, "/api/v1/jobs");
  EXPECT_EQ(m.params.size(), 0u);
  EXPECT_EQ(t.match(verb::get, "/api/v1/jobs/", Role::viewer).outcome, Outcome::not_found);
  EXPECT_EQ(t.match(verb::get, "/api/v1//jobs", Role::viewer).outcome, Outcome::not_found);
  EXPECT_EQ(t.match(verb::get, "/api/v1/job", Role::viewer).outcome, Outcome::not_found);
}

TEST(RouteTableTest, TwoParametersAreTakenRawFromTheirSegments) {
  const auto t = table();
  auto m = t.match(verb::get, "/api/v1/lookup/psa/12345678", Role::viewer);
  ASSERT_EQ(m.outcome, Outcome::found);
  EXPECT_EQ(m.route->pattern, "/api/v1/lookup/{provider}/{key}");
  EXPECT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params.get("provider"), "psa");
  EXPECT_EQ(m.params.get("key"), "12345678");
  EXPECT_EQ(m.params.get("nope"), "");
  // Still encoded, so an escaped slash stays inside its segment.
  auto encoded = t.match(verb::get, "/api/v1/lookup/some%20one/a%2Fb", Role::viewer);
  ASSERT_EQ(encoded.outcome, Outcome::found);
  EXPECT_EQ(encoded.params.get("provider"), "some%20one");
  EXPECT_EQ(encoded.params.get("key"), "a%2Fb");
  // A parameter takes exactly one non-empty segment.
  for (const char* path : {"/api/v1/lookup/psa", "/api/v1/lookup/psa/", "/api/v1/lookup//1",
                           "/api/v1/lookup/psa/1/2"}) {
    EXPECT_EQ(t.match(verb::get, path, Role::viewer).outcome, Outcome::not_found) << path;
  }
}

TEST(RouteTableTest, AnIntParameterTakesOnlyPositiveIntegersThatFit) {
  const auto t = table();
  for (const char* id : {"1", "42", "007", "9223372036854775807"}) {
    auto m = t.match(verb::get, std::string("/api/v1/jobs/") + id, Role::viewer);
    ASSERT_EQ(m.outcome, Outcome::found) << id;
    EXPECT_EQ(m.params.get("id"), id);
  }
  for (const char* id : {"0", "000", "-1", "+1", "abc", "1a", "1.5", " 1", "9223372036854775808",
                         "99999999999999999999"}) {
    EXPECT_EQ(t.match(verb::get, std::string("/api/v1/jobs/") + id, Role::viewer).outcome,
              Outcome::not_found)
        << id;
  }
  auto retry = t.match(verb::post, "/api/v1/jobs/12/retry", Role::operator_);
  ASSERT_EQ(retry.outcome, Outcome::found);
  EXPECT_EQ(retry.params.get("id"), "12");
  // Literal siblings are not taken for ids.
  EXPECT_EQ(t.match(verb::get, "/api/v1/jobs/failed.csv", Role::viewer).route->pattern,
            "/api/v1/jobs/failed.csv");
}

TEST(RouteTableTest, AKnownPathWithTheWrongMethodIs405WithItsMethods) {
  const auto t = table();
  auto m = t.match(verb::post, "/api/v1/jobs", Role::operator_);
  EXPECT_EQ(m.outcome, Outcome::method_not_allowed);
  EXPECT_THAT(m.allowed, ElementsAre(verb::get));
  EXPECT_THAT(t.match(verb::get, "/api/v1/jobs/retry-failed", Role::operator_).allowed,
              ElementsAre(verb::post));
  EXPECT_THAT(t.match(verb::get, "/api/v1/jobs/3/retry", Role::operator_).allowed,
              ElementsAre(verb::post));
  auto both = t.match(verb::delete_, "/api/v1/things", Role::operator_);
  EXPECT_EQ(both.outcome, Outcome::method_not_allowed);
  EXPECT_THAT(both.allowed, ElementsAre(verb::get, verb::post));
  // An unknown path is 404 whatever the method.
  auto unknown = t.match(verb::post, "/api/v1/nope", Role::operator_);
  EXPECT_EQ(unknown.outcome, Outcome::not_found);
  EXPECT_TRUE(unknown.allowed.empty());
  EXPECT_EQ(t.match(verb::post, "/api/v1/jobs/abc", Role::operator_).outcome, Outcome::not_found);
}

TEST(RouteTableTest, HeadIsAnsweredWhereverGetIs) {
  const auto t = table();
  EXPECT_EQ(t.match(verb::head, "/healthz", Role::none).outcome, Outcome::found);
  EXPECT_EQ(t.match(verb::head, "/api/v1/jobs/5", Role::viewer).outcome, Outcome::found);
  EXPECT_EQ(t.match(verb::head, "/api/v1/jobs/retry-failed", Role::operator_).outcome,
            Outcome::method_not_allowed);
  EXPECT_EQ(t.match(verb::options, "/healthz", Role::none).outcome, Outcome::method_not_allowed);
}

TEST(RouteTableTest, TheRouteSaysWhichRoleItNeeds) {
  const auto t = table();
  EXPECT_EQ(t.match(verb::get, "/healthz", Role::none).outcome, Outcome::found);
  EXPECT_EQ(t.match(verb::get, "/api/v1/jobs", Role::none).outcome, Outcome::forbidden);
  EXPECT_EQ(t.match(verb::get, "/api/v1/jobs", Role::viewer).outcome, Outcome::found);
  EXPECT_EQ(t.match(verb::get, "/api/v1/jobs", Role::operator_).outcome, Outcome::found);
  auto refused = t.match(verb::post, "/api/v1/jobs/5/retry", Role::viewer);
  EXPECT_EQ(refused.outcome, Outcome::forbidden);
  ASSERT_NE(refused.route, nullptr);
  EXPECT_EQ(refused.route->role, Role::operator_);
  EXPECT_EQ(refused.params.size(), 0u);
  EXPECT_EQ(t.match(verb::post, "/api/v1/jobs/5/retry", Role::operator_).outcome, Outcome::found);
  // The method is checked first: a viewer using the wrong method hears 405, not 403.
  EXPECT_EQ(t.match(verb::get, "/api/v1/jobs/retry-failed", Role::viewer).outcome,
            Outcome::method_not_allowed);
  // Per method on one path.
  EXPECT_EQ(t.match(verb::get, "/api/v1/things", Role::viewer).outcome, Outcome::found);
  EXPECT_EQ(t.match(verb::post, "/api/v1/things", Role::viewer).outcome, Outcome::forbidden);
}

TEST(RouteTableTest, RolesRankOperatorOverViewerOverNone) {
  EXPECT_TRUE(role_permits(Role::none, Role::none));
  EXPECT_TRUE(role_permits(Role::operator_, Role::none));
  EXPECT_FALSE(role_permits(Role::none, Role::viewer));
  EXPECT_TRUE(role_permits(Role::viewer, Role::viewer));
  EXPECT_TRUE(role_permits(Role::operator_, Role::viewer));
  EXPECT_FALSE(role_permits(Role::viewer, Role::operator_));
  EXPECT_TRUE(role_permits(Role::operator_, Role::operator_));
}

TEST(RouteTableTest, TheFirstListedRouteWinsWhenPatternsOverlap) {
  const RouteTable t({
      {verb::get, "/files/latest", Role::none, nothing},
      {verb::get, "/files/{name}", Role::none, nothing},
  });
  EXPECT_EQ(t.match(verb::get, "/files/latest", Role::none).route->pattern, "/files/latest");
  auto other = t.match(verb::get, "/files/report", Role::none);
  EXPECT_EQ(other.route->pattern, "/files/{name}");
  EXPECT_EQ(other.params.get("name"), "report");
}

TEST(RouteTableTest, TheRootPathIsARouteOfItsOwn) {
  const RouteTable t({{verb::get, "/", Role::none, nothing}});
  EXPECT_EQ(t.match(verb::get, "/", Role::none).outcome, Outcome::found);
  EXPECT_EQ(t.match(verb::get, "//", Role::none).outcome, Outcome::not_found);
  EXPECT_EQ(t.match(verb::get, "", Role::none).outcome, Outcome::not_found);
}

TEST(RouteTableTest, MalformedPatternsAreRefused) {
  for (const char* pattern : {"", "healthz", "/a/{", "/a/}", "/a/{}", "/a/{x", "/a/x}",
                              "/a/{x:float}", "/a/{:int}", "/a/{x}y", "/a/{{x}}"}) {
    RouteTable t;
    EXPECT_THROW(t.add({verb::get, pattern, Role::none, nothing}), std::invalid_argument)
        << pattern;
  }
}

}  // namespace
}  // namespace cardsync::admin
