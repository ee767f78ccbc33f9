#pragma once
// A request as a route handler sees it and the response it returns: HTTP details the server
// handles (keep-alive, framing, injected faults) stay out of the emulated APIs.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sandbox/query_params.hpp"

namespace cardsync::sandbox {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

struct ApiRequest {
  const HttpRequest& message;
  std::string_view path;  // without the query string
  QueryParams query;
  std::map<std::string, std::string, std::less<>> path_params;  // "{cert}" segments

  std::string_view header(std::string_view name) const {
    auto it = message.find(boost::beast::string_view(name.data(), name.size()));
    if (it == message.end()) return {};
    auto v = it->value();
    return {v.data(), v.size()};
  }
  bool has_header(std::string_view name) const {
    return message.find(boost::beast::string_view(name.data(), name.size())) != message.end();
  }
  const std::string& body() const { return message.body(); }
};

struct ApiResponse {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;

  static ApiResponse json(unsigned status, std::string body) {
    ApiResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
};

}  // namespace cardsync::sandbox
