#include "admin/route_table.hpp"

#include <algorithm>
#include <stdexcept>

namespace cardsync::admin {
namespace {

namespace http = boost::beast::http;

// The segments of a path or pattern: "/a/b" -> "", "a", "b"; "/" -> "", "".
std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

bool positive_int(std::string_view s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const auto first = s.find_first_not_of('0');
  if (first == std::string_view::npos) return false;  // zero
  const auto digits = s.substr(first);
  constexpr std::string_view kMax = "9223372036854775807";
  return digits.size() < kMax.size() || (digits.size() == kMax.size() && digits <= kMax);
}

}  // namespace

void PathParams::add(std::string_view name, std::string_view value) {
  values_.emplace_back(name, value);
}

std::string_view PathParams::get(std::string_view name) const {
  for (const auto& [n, v] : values_) {
    if (n == name) return v;
  }
  return {};
}

RouteTable::RouteTable(std::vector<Route> routes) {
  for (auto& r : routes) add(std::move(r));
}

void RouteTable::add(Route route) {
  if (!route.pattern.starts_with('/')) {
    throw std::invalid_argument("route pattern \"" + route.pattern + "\" does not start with /");
  }
  Entry entry;
  for (const auto part : split_segments(route.pattern)) {
    Segment seg;
    if (part.starts_with('{') || part.ends_with('}')) {
      std::string_view inner = part.substr(1, part.size() >= 2 ? part.size() - 2 : 0);
      seg.kind = Segment::Kind::any;
      if (inner.ends_with(":int")) {
        inner.remove_suffix(4);
        seg.kind = Segment::Kind::positive_int;
      }
      if (part.size() < 2 || !part.starts_with('{') || !part.ends_with('}') || inner.empty() ||
          inner.find_first_of("{}:") != std::string_view::npos) {
        throw std::invalid_argument("route pattern \"" + route.pattern +
                                    "\" has a malformed parameter \"" + std::string(part) + "\"");
      }
      seg.text = std::string(inner);
    } else {
      seg.text = std::string(part);
    }
    entry.segments.push_back(std::move(seg));
  }
  entry.route = std::move(route);
  entries_.push_back(std::move(entry));
}

bool RouteTable::matches(const Entry& entry, const std::vector<std::string_view>& parts,
                         PathParams* params) {
  if (parts.size() != entry.segments.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& seg = entry.segments[i];
    switch (seg.kind) {
      case Segment::Kind::literal:
        if (parts[i] != seg.text) return false;
        break;
      case Segment::Kind::any:
        if (parts[i].empty()) return false;
        break;
      case Segment::Kind::positive_int:
        if (!positive_int(parts[i])) return false;
        break;
    }
  }
  if (params != nullptr) {
    for (size_t i = 0; i < parts.size(); ++i) {
      if (entry.segments[i].kind != Segment::Kind::literal) {
        params->add(entry.segments[i].text, parts[i]);
      }
    }
  }
  return true;
}

RouteMatch RouteTable::match(http::verb method, std::string_view path, Role caller) const {
  RouteMatch out;
  const auto parts = split_segments(path);
  for (const Entry& e : entries_) {
    if (!matches(e, parts, nullptr)) continue;
    const http::verb takes = e.route.method;
    if (method == takes || (takes == http::verb::get && method == http::verb::head)) {
      out.route = &e.route;
      out.allowed.clear();
      if (!role_permits(caller, e.route.role)) {
        out.outcome = RouteMatch::Outcome::forbidden;
        return out;
      }
      matches(e, parts, &out.params);
      out.outcome = RouteMatch::Outcome::found;
      return out;
    }
    if (std::find(out.allowed.begin(), out.allowed.end(), takes) == out.allowed.end()) {
      out.allowed.push_back(takes);
    }
  }
  out.outcome = out.allowed.empty() ? RouteMatch::Outcome::not_found
                                    : RouteMatch::Outcome::method_not_allowed;
  return out;
}

bool role_permits(Role caller, Role needed) noexcept {
  switch (needed) {
    case Role::none:
      return true;
    case Role::viewer:
      return caller == Role::viewer || caller == Role::operator_;
    case Role::operator_:
      return caller == Role::operator_;
  }
  return false;
}

}  // namespace cardsync::admin
