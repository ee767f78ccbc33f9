#include "admin/admin_api.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "admin/metrics_exposition.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"
#include "log/request_id.hpp"

namespace cardsync::admin {
namespace {

namespace http = boost::beast::http;

bool in_api(std::string_view path) {
  return path.starts_with("/api/v1/") || path == "/api/v1";
}

// The Allow header of a 405: the path's methods. Outside the API a GET route's Allow also
// names HEAD (which every GET route answers); the API's names only what its table lists.
std::string allow_header(const std::vector<http::verb>& methods, bool name_head) {
  std::string out;
  for (const auto m : methods) {
    if (!out.empty()) out += ", ";
    out += to_std(http::to_string(m));
    if (m == http::verb::get && name_head) out += ", HEAD";
  }
  return out;
}

std::string use_message(const std::vector<http::verb>& methods) {
  std::string out = "use ";
  for (size_t i = 0; i < methods.size(); ++i) {
    if (i > 0) out += " or ";
    out += to_std(http::to_string(methods[i]));
  }
  return out;
}

}  // namespace

AdminApi::AdminApi(const AdminOptions& options, AdminContext context)
    : options_(options),
      ctx_(std::move(context)),
      cors_(options.allowed_origins),
      cross_site_(options.host, options.allowed_origins),
      verifier_(options.auth, ctx_.clock),
      queue_stats_(ctx_.queue, ctx_.clock),
      lookup_budget_(options.viewer_fetches_per_day, ctx_.clock),
      services_{ctx_, options_, verifier_, queue_stats_, requests_, lookup_budget_},
      routes_(admin_routes(services_)) {}

std::string AdminApi::queue_stats_json() {
  return queue_stats_.json();
}

std::string AdminApi::metrics_text() {
  return metrics_exposition(ctx_, requests_, *queue_stats_.counts());
}

Reply AdminApi::handle(const HttpRequest& req) noexcept {
  const auto started = ctx_.clock.now();
  std::string request_id;
  try {
    RequestTarget target = read_request_target(to_std(req.target()));
    AdminCall call{
        req, {}, {}, std::move(target.path), std::move(target.query), target.bad_query, {},
        {},  {}, {}};
    const auto given = to_std(req["X-Request-Id"]);
    call.request_id = log::is_valid_request_id(given) ? std::string(given) : log::new_request_id();
    request_id = call.request_id;
    call.origin = std::string(to_std(req[http::field::origin]));
    Reply reply = dispatch(call);
    Finish finish{req.method(), call.request_id,         call.origin,
                  call.path,    std::string(call.route), started};
    if (reply.blocking) return later(reply.blocking, std::move(finish));
    complete(reply, finish);
    return reply;
  } catch (const std::exception& e) {
    return failed(req, request_id, e.what());
  }
}

Reply AdminApi::failed(const HttpRequest& req, std::string request_id, const char* what) noexcept {
  if (request_id.empty()) request_id = log::new_request_id();
  ctx_.logger.error("admin request failed", request_id, {{"error", what}});
  Reply r = json_reply(
      500, error_body("internal", "internal error; see the log for this request id", request_id));
  r.response.set("X-Request-Id", to_beast(request_id));
  r.response.set(http::field::vary, "Origin");
  const auto target = to_std(req.target());
  count_request(req.method(), target.substr(0, target.find('?')), {}, 500);
  return r;
}

Reply AdminApi::later(const std::shared_ptr<BlockingReply>& inner, Finish finish) {
  auto info = std::make_shared<const Finish>(std::move(finish));
  auto outer = std::make_shared<BlockingReply>();
  // Both run after handle() returned: they hold copies of what finishing needs, not the call.
  outer->run = [this, inner, info]() -> Reply {
    try {
      Reply r = inner->run();
      complete(r, *info);
      return r;
    } catch (const std::exception& e) {
      ctx_.logger.error("admin request failed", info->request_id, {{"error", e.what()}});
      Reply r =
          json_reply(500, error_body("internal", "internal error; see the log for this request id",
                                     info->request_id));
      complete(r, *info);
      return r;
    }
  };
  outer->refused = [this, inner, info]() -> Reply {
    Reply r = inner->refused();
    complete(r, *info);
    return r;
  };
  Reply reply;
  reply.blocking = std::move(outer);
  return reply;
}

void AdminApi::complete(Reply& reply, const Finish& f) {
  auto& res = reply.response;
  res.set("X-Request-Id", to_beast(f.request_id));
  res.set("X-Content-Type-Options", "nosniff");
  if (!res.has_content_length() && res.find(http::field::cache_control) == res.end()) {
    res.set(http::field::cache_control, "no-store");
  }
  if (f.method == http::verb::options) {
    cors_.apply_preflight(f.origin, res.base());
  } else {
    cors_.apply(f.origin, res.base());
  }
  if (ctx_.logger.enabled(log::Level::debug)) {
    ctx_.logger.debug(
        "admin request", f.request_id,
        {{"method", to_std(http::to_string(f.method))},
         {"path", f.path},
         {"status", static_cast<int>(res.result_int())},
         {"ms", std::chrono::duration<double, std::milli>(ctx_.clock.now() - f.started).count()}});
  }
  count_request(f.method, f.path, f.route, res.result_int());
}

HttpResponse AdminApi::refuse(const HttpRequest& head, unsigned status, std::string_view code,
                              std::string_view message) noexcept {
  const auto given = to_std(head["X-Request-Id"]);
  const std::string request_id =
      log::is_valid_request_id(given) ? std::string(given) : log::new_request_id();
  Reply r = json_reply(status, error_body(code, message, request_id));
  r.response.set("X-Request-Id", to_beast(request_id));
  r.response.set(http::field::cache_control, "no-store");
  cors_.apply(to_std(head[http::field::origin]), r.response.base());
  const auto target = to_std(head.target());
  count_request(head.method(), target.substr(0, target.find('?')), {}, status);
  return std::move(r.response);
}

Reply AdminApi::dispatch(AdminCall& call) {
  // Under /api/v1 the caller is identified before the path is looked up, so a caller without
  // a token learns nothing about which routes exist.
  const bool api = in_api(call.path);
  if (api) {
    if (auto stop = admit_api_call(call)) return std::move(*stop);
  }
  RouteMatch match = routes_.match(call.req.method(), call.path, call.role);
  switch (match.outcome) {
    case RouteMatch::Outcome::found:
      call.route = match.route->pattern;
      call.path_params = std::move(match.params);
      return match.route->handler(call);
    case RouteMatch::Outcome::forbidden:
      call.route = match.route->pattern;
      return error_reply(call, 403, "forbidden",
                         "this needs the " + std::string(to_string(match.route->role)) + " role");
    case RouteMatch::Outcome::method_not_allowed: {
      Reply r = error_reply(call, 405, "method_not_allowed", use_message(match.allowed));
      r.response.set(http::field::allow, allow_header(match.allowed, !api));
      return r;
    }
    case RouteMatch::Outcome::not_found:
      break;
  }
  return error_reply(call, 404, "not_found", "no such resource");
}

void AdminApi::count_request(http::verb method, std::string_view path, std::string_view route,
                             unsigned status) {
  std::string_view label = route;
  if (label.empty()) {
    // Stopped before its route was looked up (a token or a size refused): still the route's.
    const RouteMatch match = routes_.match(method, path, Role::operator_);
    label = match.route != nullptr ? std::string_view(match.route->pattern) : "unmatched";
  }
  const std::string code = std::to_string(status);
  requests_.add({to_std(http::to_string(method)), label, code});
}

std::optional<Reply> AdminApi::admit_api_call(AdminCall& call) {
  if (call.req.method() == http::verb::options) {
    if (!cors_.allowed(call.origin)) {
      return error_reply(call, 403, "origin_not_allowed",
                         "this origin is not in admin.allowed_origins");
    }
    return make_reply(204, {}, "text/plain");
  }
  if (options_.auth.enabled) {
    const auto header = to_std(call.req[http::field::authorization]);
    std::string_view token;
    if (header.size() > 7 &&
        (header.substr(0, 7) == "Bearer " || header.substr(0, 7) == "bearer ")) {
      token = std::string_view(header.data() + 7, header.size() - 7);
    }
    if (token.empty()) {
      Reply r = error_reply(call, 401, "unauthorized",
                            "this API needs an Authorization: Bearer <JWT> header");
      r.response.set(http::field::www_authenticate, "Bearer");
      return r;
    }
    const TokenCheck check = verifier_.verify(token);
    if (!check.ok) {
      Reply r = error_reply(call, 401, "unauthorized", check.problem);
      r.response.set(http::field::www_authenticate, "Bearer error=\"invalid_token\"");
      return r;
    }
    call.role = check.role;
    call.subject = check.subject;
  } else {
    call.role = Role::operator_;
  }
  // After the caller is known, so a caller without a token learns nothing here either.
  if (auto refusal = cross_site_.check(call.req)) {
    return error_reply(call, refusal->status, refusal->code, refusal->message);
  }
  if (call.bad_query) {
    return error_reply(call, 400, "invalid_parameter", "malformed query string");
  }
  return std::nullopt;
}

}  // namespace cardsync::admin
