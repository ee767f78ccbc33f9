#include "justtcg_response.hpp"

#include <cardsync/error_body.hpp>
#include <cardsync/json_body.hpp>
#include <cardsync/json_fields.hpp>
#include <cardsync/rate_limits.hpp>

#include <string>

namespace cardsync::justtcg {
namespace {

using sdk::Outcome;

// {"error": "...", "code": "..."}, or {"error": {"message", "code"}}.
const sdk::ErrorFields kErrorFields({"/error/code", "/code"}, {"/error", "/error/message"},
                                    "/error");

constexpr const char* kKeyRefused =
    "JustTCG rejected the API key ({code}): check providers.justtcg.api_key";

}  // namespace

sdk::StatusTable status_table(const Config& config) {
  return sdk::StatusTable(
      "JustTCG",
      {{0, 0, "MISSING_API_KEY", Outcome::fatal, kKeyRefused},
       {0, 0, "INVALID_API_KEY", Outcome::fatal, kKeyRefused},
       {401, 401, "", Outcome::fatal, kKeyRefused},
       {403, 403, "", Outcome::fatal,
        "JustTCG refused {request} as not allowed on this API key's plan {detail}: "
        "providers.justtcg.plan is \"" +
            std::string(to_string(config.plan)) + "\" (pages and batches of " +
            std::to_string(config.page_size) +
            "); set providers.justtcg.plan to the key's JustTCG plan, or lower "
            "providers.justtcg.page_size"},
       {0, 0, "DAILY_LIMIT_EXCEEDED", Outcome::retry,
        "JustTCG daily request quota is used up (DAILY_LIMIT_EXCEEDED); it resets at 00:00 UTC"},
       {0, 0, "REQUEST_LIMIT_EXCEEDED", Outcome::retry,
        "JustTCG monthly request quota is used up (REQUEST_LIMIT_EXCEEDED)"},
       {0, 0, "RATE_LIMIT_EXCEEDED", Outcome::retry,
        "JustTCG per-minute rate limit exceeded (RATE_LIMIT_EXCEEDED)"},
       {429, 429, "", Outcome::retry, "JustTCG throttled the request {detail}"},
       {404, 404, "", Outcome::permanent, "JustTCG has no such resource: {request} {detail}"}});
}

const rapidjson::Value& success_data(const sdk::Response& response, const sdk::ParsedBody& body,
                                     const sdk::Request& request, const Config& config,
                                     const sdk::StatusTable& table) {
  const int status = response.status;
  const sdk::UpstreamError e = kErrorFields.read(body.root(), config.api_key);
  const std::string what = sdk::request_text(request, config.base_url);
  table.check(status, e, what);
  if (!body.ok()) {
    throw sdk::malformed_body("JustTCG", what, status, response.body.size(), body.error());
  }
  if (e.present) sdk::fail(Outcome::permanent, table.message({}, status, e, what));
  const rapidjson::Value* data = sdk::member(body.root(), "data");
  if (data == nullptr || !data->IsArray()) {
    throw sdk::Retry("JustTCG sent a malformed body for " + what + " (HTTP " +
                     std::to_string(status) + ": no \"data\" array)");
  }
  return *data;
}

void forward_rate_limits(const sdk::ParsedBody& body, const sdk::Emitter& out) {
  const rapidjson::Value* meta = sdk::member(body.root(), "_metadata");
  if (meta == nullptr || !meta->IsObject()) return;
  out.rate_limits(sdk::limit_value(sdk::member(*meta, "apiRateLimit")),
                  sdk::limit_value(sdk::member(*meta, "apiDailyRequestsRemaining")));
}

}  // namespace cardsync::justtcg
