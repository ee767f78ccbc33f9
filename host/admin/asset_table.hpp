#pragma once
// The monitor page's files, compiled into the binary from host/admin/assets/ (the build
// generates the table): the server never touches the file system, so no request path can
// reach one. Lookups are exact matches on the URL path; anything else is not found.

#include <optional>
#include <string_view>
#include <vector>

namespace cardsync::admin {

struct Asset {
  std::string_view name;  // path under assets/, e.g. "index.html", "js/app.js"
  std::string_view content;
  std::string_view content_type;
};

// "/" -> index.html; "/assets/<name>" -> that file. Query strings must be stripped first.
std::optional<Asset> find_asset(std::string_view url_path);

std::vector<Asset> all_assets();

std::string_view content_type_for(std::string_view name);

}  // namespace cardsync::admin
