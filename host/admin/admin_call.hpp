#pragma once
// One admin request as the routes see it: the request, its id (the caller's when well
// formed, else a new one), the decoded query, the matched route's path parameters and who
// is calling.

#include <boost/beast/http/field.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "admin/http_exchange.hpp"
#include "admin/jwt_verifier.hpp"
#include "admin/request_target.hpp"
#include "admin/route_table.hpp"

namespace cardsync::admin {

struct AdminCall {
  const HttpRequest& req;
  std::string request_id;
  std::string origin;
  std::string path;
  QueryValues query;
  bool bad_query = false;
  PathParams path_params;
  Role role = Role::none;
  std::string subject;     // the token's `sub`, for the log
  std::string_view route;  // the matched route's pattern (a metric label); empty when none

  // A query value; nullopt when absent or empty.
  std::optional<std::string_view> query_param(std::string_view name) const {
    auto it = query.find(name);
    if (it == query.end() || it->second.empty()) return std::nullopt;
    return std::string_view(it->second);
  }
  // Request bodies are JSON objects, and say so (cross_site_guard.hpp: why an empty one too).
  bool json_content_type() const {
    return to_std(req[boost::beast::http::field::content_type]).starts_with("application/json");
  }
};

}  // namespace cardsync::admin
