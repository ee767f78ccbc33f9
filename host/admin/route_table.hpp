#pragma once
// The admin server's routes as data: each entry is a method, a path pattern, the least role
// the caller needs and the handler. A pattern is a path whose segments are literal text or a
// parameter: `{name}` takes any non-empty segment, `{name:int}` only a positive decimal
// integer (digits only, fitting int64). The table answers which route a request reaches, or
// why none does (no such path, wrong method, too small a role).

#include <boost/beast/http/verb.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "admin/http_exchange.hpp"
#include "admin/jwt_verifier.hpp"

namespace cardsync::admin {

struct AdminCall;
using RouteHandler = std::function<Reply(AdminCall&)>;

struct Route {
  boost::beast::http::verb method;  // a GET route answers HEAD too
  std::string pattern;              // e.g. "/api/v1/jobs/{id:int}/retry"
  Role role;                        // none: no token needed
  RouteHandler handler;
};

// The values of a matched pattern's parameters: the raw path segments, still
// percent-encoded (decoding is the handler's, since what a value may hold is its business).
class PathParams {
 public:
  void add(std::string_view name, std::string_view value);
  // Empty when the pattern has no parameter of that name.
  std::string_view get(std::string_view name) const;
  size_t size() const { return values_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

struct RouteMatch {
  enum class Outcome { found, not_found, method_not_allowed, forbidden };
  Outcome outcome = Outcome::not_found;
  const Route* route = nullptr;  // found, forbidden
  PathParams params;             // found
  // method_not_allowed: the methods the path's routes take, in table order, each once.
  std::vector<boost::beast::http::verb> allowed;
};

class RouteTable {
 public:
  RouteTable() = default;
  // Throws std::invalid_argument for a malformed pattern.
  explicit RouteTable(std::vector<Route> routes);
  void add(Route route);

  // The first route (in table order) whose pattern matches `path` and that takes `method`;
  // then whether `caller` holds the role it needs.
  RouteMatch match(boost::beast::http::verb method, std::string_view path, Role caller) const;

 private:
  struct Segment {
    enum class Kind { literal, any, positive_int };
    Kind kind = Kind::literal;
    std::string text;  // the literal, or the parameter's name
  };
  struct Entry {
    Route route;
    std::vector<Segment> segments;
  };
  // Fills `params` (when given) only on a match.
  static bool matches(const Entry& entry, const std::vector<std::string_view>& parts,
                      PathParams* params);

  std::vector<Entry> entries_;
};

// Whether `caller` may use a route that needs `needed` (operator > viewer > none).
bool role_permits(Role caller, Role needed) noexcept;

}  // namespace cardsync::admin
