#include "http/http_headers.hpp"

#include <algorithm>
#include <cctype>

namespace cardsync {

bool header_name_equals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

void HttpHeaders::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::set(std::string_view name, std::string value) {
  remove(name);
  fields_.emplace_back(std::string(name), std::move(value));
}

void HttpHeaders::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return header_name_equals(f.first, name); });
}

std::optional<std::string_view> HttpHeaders::find(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (header_name_equals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

}  // namespace cardsync
