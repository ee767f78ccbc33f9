#pragma once
// Maps (method, path) to a handler. Patterns are literal segments plus "{name}" captures
// (PSA's "/publicapi/cert/GetByCertNumber/{cert}"). Routes of an emulated upstream carry it,
// so the server applies faults to them and counts them; control routes carry none.

#include <boost/beast/http/verb.hpp>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/api_message.hpp"
#include "sandbox/upstream_api.hpp"

namespace cardsync::sandbox {

class Router {
 public:
  using Handler = std::function<ApiResponse(const ApiRequest&)>;

  struct Route {
    boost::beast::http::verb method;
    std::string pattern;
    std::string label;  // "GET /v1/cards": the key in request statistics
    std::vector<std::string> segments;
    Handler handler;
    const UpstreamApi* upstream = nullptr;
  };

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> params;
    bool path_known = false;  // some route has this path, with another method (405)
  };

  // `upstream` must outlive the router; nullptr marks a control route (never faulted).
  void add(boost::beast::http::verb method, std::string_view pattern, Handler handler,
           const UpstreamApi* upstream);
  void mount(UpstreamApi& upstream);
  Match match(boost::beast::http::verb method, std::string_view path) const;
  // The upstream whose mount path is the longest prefix of `path`, for unmatched paths.
  const UpstreamApi* upstream_for(std::string_view path) const;

 private:
  std::vector<Route> routes_;
  std::vector<const UpstreamApi*> upstreams_;
};

}  // namespace cardsync::sandbox
