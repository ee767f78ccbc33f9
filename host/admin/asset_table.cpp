#include "admin/asset_table.hpp"

#include <cstddef>

namespace cardsync::embedded {
struct AdminAsset {
  std::string_view name;
  const std::string_view* content;
};
extern const AdminAsset admin_assets[];
extern const std::size_t admin_asset_count;
}  // namespace cardsync::embedded

namespace cardsync::admin {

std::string_view content_type_for(std::string_view name) {
  struct Type {
    std::string_view ext, type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& t : kTypes) {
    if (name.ends_with(t.ext)) return t.type;
  }
  return "application/octet-stream";
}

std::vector<Asset> all_assets() {
  std::vector<Asset> out;
  out.reserve(embedded::admin_asset_count);
  for (std::size_t i = 0; i < embedded::admin_asset_count; ++i) {
    const auto& a = embedded::admin_assets[i];
    out.push_back({a.name, *a.content, content_type_for(a.name)});
  }
  return out;
}

std::optional<Asset> find_asset(std::string_view url_path) {
  std::string_view name;
  if (url_path == "/" || url_path == "/index.html") {
    name = "index.html";
  } else if (url_path.starts_with("/assets/")) {
    name = url_path.substr(8);
  } else {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < embedded::admin_asset_count; ++i) {
    const auto& a = embedded::admin_assets[i];
    if (a.name == name) return Asset{a.name, *a.content, content_type_for(a.name)};
  }
  return std::nullopt;
}

}  // namespace cardsync::admin
