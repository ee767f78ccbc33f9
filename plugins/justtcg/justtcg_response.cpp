#include "justtcg_response.hpp"

#include <cstdint>
#include <string>

#include "decimal_number.hpp"
#include "justtcg_records.hpp"

namespace cardsync::justtcg {
namespace {

struct ApiError {
  std::string code;     // e.g. "INVALID_API_KEY"; empty when the body has none
  std::string message;  // upstream's words, scrubbed of the key and shortened
  bool present = false;
};

std::string scrubbed(std::string text, const std::string& api_key) {
  if (!api_key.empty()) {
    for (std::size_t at = text.find(api_key); at != std::string::npos;
         at = text.find(api_key, at)) {
      text.replace(at, api_key.size(), "[redacted]");
    }
  }
  constexpr std::size_t kMax = 200;
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

ApiError api_error(const ParsedBody& body, const Config& config) {
  ApiError e;
  if (!body.ok() || !body.root().IsObject()) return e;
  const rapidjson::Value* error = field(body.root(), "error");
  const rapidjson::Value* holder = &body.root();
  if (error != nullptr) {
    e.present = true;
    if (error->IsString()) {
      e.message = std::string(error->GetString(), error->GetStringLength());
    } else if (error->IsObject()) {  // tolerate {"error": {"message", "code"}}
      holder = error;
      e.message = std::string(text_field(*error, "message"));
    }
  }
  e.code = scrubbed(std::string(text_field(*holder, "code", text_field(body.root(), "code"))),
                    config.api_key);
  e.message = scrubbed(e.message, config.api_key);
  return e;
}

// "GET /cards?game=pokemon&limit=20" — the request without the base URL.
std::string describe(const sdk::Request& request, const Config& config) {
  std::string_view url = request.url;
  if (url.rfind(config.base_url, 0) == 0) url.remove_prefix(config.base_url.size());
  return request.method + " " + std::string(url);
}

// "(HTTP 404 NOT_FOUND: Game not found)"
std::string detail(int status, const ApiError& e) {
  std::string out = "(HTTP " + std::to_string(status);
  if (!e.code.empty()) out += " " + e.code;
  if (!e.message.empty()) out += (e.code.empty() ? " " : ": ") + e.message;
  return out + ")";
}

[[noreturn]] void fail_key(const ApiError& e, int status) {
  const std::string what = e.code.empty() ? "HTTP " + std::to_string(status) : e.code;
  throw sdk::Fatal("JustTCG rejected the API key (" + what + "): check providers.justtcg.api_key");
}

[[noreturn]] void fail_plan(const sdk::Request& request, const Config& config, int status,
                            const ApiError& e) {
  throw sdk::Fatal("JustTCG refused " + describe(request, config) +
                   " as not allowed on this API key's plan " + detail(status, e) +
                   ": providers.justtcg.plan is \"" + std::string(to_string(config.plan)) +
                   "\" (pages and batches of " + std::to_string(config.page_size) +
                   "); set providers.justtcg.plan to the key's JustTCG plan, or lower "
                   "providers.justtcg.page_size");
}

[[noreturn]] void fail_throttled(std::string_view code, int status) {
  if (code == "DAILY_LIMIT_EXCEEDED") {
    throw sdk::Retry(
        "JustTCG daily request quota is used up (DAILY_LIMIT_EXCEEDED); it resets "
        "at 00:00 UTC");
  }
  if (code == "REQUEST_LIMIT_EXCEEDED") {
    throw sdk::Retry("JustTCG monthly request quota is used up (REQUEST_LIMIT_EXCEEDED)");
  }
  if (code == "RATE_LIMIT_EXCEEDED") {
    throw sdk::Retry("JustTCG per-minute rate limit exceeded (RATE_LIMIT_EXCEEDED)");
  }
  throw sdk::Retry("JustTCG throttled the request (HTTP " + std::to_string(status) +
                   (code.empty() ? "" : " " + std::string(code)) + ")");
}

bool is_key_code(std::string_view code) {
  return code == "MISSING_API_KEY" || code == "INVALID_API_KEY";
}
bool is_throttle_code(std::string_view code) {
  return code == "RATE_LIMIT_EXCEEDED" || code == "DAILY_LIMIT_EXCEEDED" ||
         code == "REQUEST_LIMIT_EXCEEDED";
}

std::int64_t limit_value(const rapidjson::Value& meta, const char* key) {
  const rapidjson::Value* v = field(meta, key);
  auto n = v == nullptr ? std::nullopt : scale_json_number(*v, 0, Rounding::toward_zero);
  return n && *n >= 0 ? *n : -1;
}

}  // namespace

const rapidjson::Value& success_data(const sdk::Response& response, const ParsedBody& body,
                                     const sdk::Request& request, const Config& config) {
  const int status = response.status;
  const ApiError e = api_error(body, config);
  if (status == 401 || is_key_code(e.code)) fail_key(e, status);
  if (status == 403) fail_plan(request, config, status, e);
  if (status == 429 || is_throttle_code(e.code)) fail_throttled(e.code, status);
  if (status == 404) {
    throw sdk::Permanent("JustTCG has no such resource: " + describe(request, config) + " " +
                         detail(status, e));
  }
  if (status == 408 || (status >= 500 && status != 501)) {
    throw sdk::Retry("JustTCG failed to answer " + describe(request, config) + " " +
                     detail(status, e));
  }
  if (status < 200 || status > 299) {
    throw sdk::Permanent("JustTCG rejected " + describe(request, config) + " " + detail(status, e));
  }
  if (!body.ok()) {
    throw sdk::Retry("JustTCG sent a truncated or malformed body for " + describe(request, config) +
                     " (HTTP " + std::to_string(status) + ", " +
                     std::to_string(response.body.size()) + " bytes: " + body.error() + ")");
  }
  if (e.present) {
    throw sdk::Permanent("JustTCG rejected " + describe(request, config) + " " + detail(status, e));
  }
  const rapidjson::Value* data = body.root().IsObject() ? field(body.root(), "data") : nullptr;
  if (data == nullptr || !data->IsArray()) {
    throw sdk::Retry("JustTCG sent a malformed body for " + describe(request, config) + " (HTTP " +
                     std::to_string(status) + ": no \"data\" array)");
  }
  return *data;
}

void forward_rate_limits(const ParsedBody& body, const sdk::Emitter& out) {
  if (!body.ok() || !body.root().IsObject()) return;
  const rapidjson::Value* meta = field(body.root(), "_metadata");
  if (meta == nullptr || !meta->IsObject()) return;
  out.rate_limits(limit_value(*meta, "apiRateLimit"),
                  limit_value(*meta, "apiDailyRequestsRemaining"));
}

}  // namespace cardsync::justtcg
