#include "sandbox/router.hpp"

#include <cardsync/url.hpp>

#include <utility>

namespace cardsync::sandbox {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    parts.emplace_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  return parts;
}

bool is_capture(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(boost::beast::http::verb method, std::string_view pattern, Handler handler,
                 const UpstreamApi* upstream) {
  Route route;
  route.method = method;
  route.pattern = std::string(pattern);
  auto verb = boost::beast::http::to_string(method);
  route.label = std::string(verb.data(), verb.size()) + " " + route.pattern;
  route.segments = split_path(pattern);
  route.handler = std::move(handler);
  route.upstream = upstream;
  routes_.push_back(std::move(route));
}

void Router::mount(UpstreamApi& upstream) {
  upstreams_.push_back(&upstream);
  upstream.add_routes(*this);
}

Router::Match Router::match(boost::beast::http::verb method, std::string_view path) const {
  Match result;
  auto parts = split_path(path);
  for (const auto& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    std::map<std::string, std::string, std::less<>> params;
    bool same = true;
    for (std::size_t i = 0; i < parts.size() && same; ++i) {
      const auto& seg = route.segments[i];
      if (is_capture(seg)) {
        params.emplace(seg.substr(1, seg.size() - 2), sdk::percent_decode(parts[i]));
      } else {
        same = seg == parts[i];
      }
    }
    if (!same) continue;
    if (route.method != method) {
      result.path_known = true;
      continue;
    }
    result.route = &route;
    result.params = std::move(params);
    return result;
  }
  return result;
}

const UpstreamApi* Router::upstream_for(std::string_view path) const {
  const UpstreamApi* best = nullptr;
  std::size_t best_len = 0;
  for (const auto* upstream : upstreams_) {
    auto mount = upstream->mount_path();
    bool under = path.substr(0, mount.size()) == mount &&
                 (path.size() == mount.size() || path[mount.size()] == '/');
    if (under && mount.size() >= best_len) {
      best = upstream;
      best_len = mount.size();
    }
  }
  return best;
}

}  // namespace cardsync::sandbox
