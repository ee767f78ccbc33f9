// The admin server's request handling from raw bytes: Beast's parser with the server's
// header and body limits, the server's framing check (request smuggling), then AdminApi
// (request id, CORS, cross-site guard, bearer auth, router, the handlers and their paging
// and query parameters) over a canned storage. Nothing but the socket is left out.
// The first byte picks the server: even, auth on (HS256) with an allowed origin; odd, auth
// off on loopback. In the rest, "$OPERATOR" and "$VIEWER" become valid tokens of that role,
// so the fuzzer reaches what sits behind auth as well as what stands in front of it.
// Properties: every request gets a response with a real status, a refusal is 4xx, and a
// request under /api/v1/ without a token never succeeds when auth is on (a preflight aside).

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "admin/admin_api.hpp"
#include "admin/jwt_minter.hpp"
#include "admin/request_framing.hpp"
#include "canned_storage.hpp"
#include "log/logger.hpp"
#include "queue/job_queue.hpp"
#include "time/clock.hpp"

namespace cardsync::fuzz {
namespace {

namespace http = boost::beast::http;

constexpr const char* kSecret = "fuzz-admin-secret-0123456789abcdef-0123456789";

struct Server {
  explicit Server(bool auth) : logger(clock, log::Level::trace), queue(storage, clock) {
    options.auth.enabled = auth;
    options.auth.hs256_secret = kSecret;
    options.allowed_origins = {"https://shop.example"};
    options.max_body_bytes = 4096;
    options.max_header_bytes = 4096;
    if (!admin::check_admin_options(options).empty()) std::abort();
    admin::AdminContext ctx(storage, queue, clock, logger);
    ctx.plugins_loaded = [] { return 2; };
    ctx.log_drops = [] { return int64_t{0}; };
    ctx.plan_sync = [](std::string_view provider,
                       std::string_view spec) -> std::optional<schedule::PlannedSync> {
      if (provider != "justtcg") return std::nullopt;
      schedule::PlannedSync p;
      p.ok = spec.find("bad") == std::string_view::npos;
      if (!p.ok) p.error = "unknown game";
      if (p.ok) p.jobs.push_back({"justtcg.games", "all", "", "", {}, 0});
      return p;
    };
    ctx.lookup_catalog = [] {
      plugin::LookupKind cert;
      cert.name = "cert";
      cert.description = "a cert by its number";
      cert.key_example = "12345678";
      return std::vector<lookup::LookupService::ProviderLookupInfo>{{"psa", {cert}}};
    };
    // One cached cert, one that must be fetched (the role and budget checks, then the fetch
    // as a blocking reply), anything else not a cert number.
    ctx.lookup_cached = [](std::string_view provider, std::string_view kind, std::string_view key,
                           std::string_view) -> lookup::CachedLookup {
      if (provider != "psa") {
        return lookup::LookupRefusal{lookup::LookupRefusal::Why::no_such_provider, "no provider"};
      }
      if (key == "87654321") {
        return lookup::LookupMiss{std::string(provider), std::string(kind), std::string(key)};
      }
      lookup::LookupAnswer a;
      a.provider = "psa";
      a.kind = std::string(kind);
      a.key = std::string(key);
      a.status = key == "12345678" ? lookup::LookupStatus::fresh : lookup::LookupStatus::invalid;
      if (a.status == lookup::LookupStatus::fresh) a.core_json = R"({"grade":"10"})";
      return a;
    };
    ctx.lookup_fetch = [](const lookup::LookupMiss& miss, std::string_view, Clock::SteadyTime) {
      lookup::LookupAnswer a;
      a.provider = miss.provider;
      a.kind = miss.kind;
      a.key = miss.key;
      a.status = lookup::LookupStatus::fresh;
      a.core_json = R"({"grade":"9"})";
      return a;
    };
    ctx.log_broadcast = std::make_shared<admin::LogBroadcast>();
    ctx.records_per_minute = std::make_shared<admin::RecordsPerMinute>();
    api = std::make_unique<admin::AdminApi>(options, std::move(ctx));
    operator_token =
        admin::mint_token(admin::JwtAlgorithm::hs256, kSecret,
                          {admin::Role::operator_, "fuzz", std::chrono::hours(1)}, clock);
    viewer_token = admin::mint_token(admin::JwtAlgorithm::hs256, kSecret,
                                     {admin::Role::viewer, "fuzz", std::chrono::hours(1)}, clock);
  }

  ManualClock clock;
  CannedStorage storage;
  log::Logger logger;
  queue::JobQueue queue;
  admin::AdminOptions options;
  std::unique_ptr<admin::AdminApi> api;
  std::string operator_token, viewer_token;
};

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

void check_status(unsigned status) {
  if (status < 100 || status > 599) std::abort();
}

}  // namespace
}  // namespace cardsync::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace http = boost::beast::http;
  using cardsync::fuzz::check_status;
  using cardsync::fuzz::replace_all;
  using cardsync::fuzz::Server;
  static Server with_auth(true);
  static Server without_auth(false);
  if (size == 0) return 0;
  Server& server = (data[0] & 1) != 0 ? without_auth : with_auth;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const bool has_token =
      bytes.find("$OPERATOR") != std::string::npos || bytes.find("$VIEWER") != std::string::npos;
  replace_all(bytes, "$OPERATOR", server.operator_token);
  replace_all(bytes, "$VIEWER", server.viewer_token);

  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(server.options.max_header_bytes));
  parser.body_limit(server.options.max_body_bytes);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = 0;
  bool framing_checked = false;
  while (!ec && !parser.is_done() && used < bytes.size()) {
    const size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (parser.is_header_done() && !framing_checked) {
      framing_checked = true;
      if (cardsync::admin::ambiguous_framing(parser.get())) {
        check_status(server.api->refuse(parser.get(), 400, "bad_request", "framing").result_int());
        return 0;
      }
    }
    if (ec == http::error::need_more) ec = {};
    if (n == 0) break;
  }
  if (!ec && !parser.is_done()) parser.put_eof(ec);  // the client closed its side
  if (ec) {
    unsigned status = 400;
    if (ec == http::error::body_limit) status = 413;
    if (ec == http::error::header_limit) status = 431;
    if (ec == http::error::partial_message) return 0;  // the server waits, then times out
    const auto refusal = server.api->refuse(parser.get(), status, "refused", "fuzz");
    if (refusal.result_int() != status) std::abort();
    return 0;
  }
  if (!parser.is_done()) return 0;

  const cardsync::admin::HttpRequest request = parser.release();
  auto reply = server.api->handle(request);
  // As the server does: a blocking reply runs on its pool (here, at once); both of its
  // outcomes must be answers.
  if (reply.blocking) {
    const auto refused = reply.blocking->refused();
    check_status(refused.response.result_int());
    reply = reply.blocking->run();
  }
  const unsigned status = reply.response.result_int();
  check_status(status);
  if (reply.stream) (void)reply.stream->poll();
  reply.response.prepare_payload();

  // Without a token, auth on: an /api/v1 success comes only from the routes open to all.
  const auto target = cardsync::admin::to_std(request.target());
  if (&server == &with_auth && !has_token && status / 100 == 2 &&
      target.rfind("/api/v1/", 0) == 0 && request.method() != http::verb::options) {
    std::abort();
  }
  return 0;
}
