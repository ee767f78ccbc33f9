#pragma once
// A real admin server on 127.0.0.1:<free port> over a real SQLite storage (the plugin, loaded
// as cardsync loads it), virtual time for tokens, and a libcurl client.

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <jwt.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "admin/admin_api.hpp"
#include "admin/asset_table.hpp"
#include "admin/http_server.hpp"
#include "log/logger.hpp"
#include "log/request_id.hpp"
#include "plugin/host_services.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"
#include "queue/job_queue.hpp"
#include "time/clock.hpp"

namespace cardsync::admin::testing {

inline constexpr const char* kSecret = "test-secret-0123456789abcdef-0123456789";
inline constexpr const char* kOrigin = "https://shop.example";

struct HttpResult {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has(const std::string& name) const { return headers.count(name) > 0; }
};

struct RequestSpec {
  std::string method = "GET";
  std::string path;
  std::string body;
  std::vector<std::string> headers;
  std::string token;  // Bearer token, when not empty
};

inline size_t collect_body(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
inline size_t collect_header(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

inline HttpResult http(uint16_t port, const RequestSpec& r) {
  HttpResult out;
  CURL* curl = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + r.path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);  // traversal strings reach the server as typed
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  if (r.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, r.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
  }
  curl_slist* headers = nullptr;
  for (const auto& h : r.headers) headers = curl_slist_append(headers, h.c_str());
  if (!r.token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + r.token).c_str());
  }
  // Like every API client: a POST says it sends JSON, even an empty body.
  if (r.method == "POST") {
    bool has_ct = false;
    for (const auto& h : r.headers) has_ct = has_ct || h.rfind("Content-Type", 0) == 0;
    if (!has_ct) headers = curl_slist_append(headers, "Content-Type: application/json");
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &out.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return out;
}

// A JWT signed with libjwt. `exp`/`nbf` are absolute epoch seconds (0: left out).
inline std::string make_token(jwt_alg_t alg, const std::string& key, const std::string& role,
                              long exp, long nbf = 0) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  if (!role.empty()) jwt_add_grant(jwt, "role", role.c_str());
  jwt_add_grant(jwt, "sub", "test-user");
  if (exp != 0) jwt_add_grant_int(jwt, "exp", exp);
  if (nbf != 0) jwt_add_grant_int(jwt, "nbf", nbf);
  jwt_set_alg(jwt, alg,
              alg == JWT_ALG_NONE ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
              alg == JWT_ALG_NONE ? 0 : static_cast<int>(key.size()));
  char* text = jwt_encode_str(jwt);
  std::string out = text != nullptr ? text : "";
  free(text);  // NOLINT(cppcoreguidelines-no-malloc): libjwt 1.10 allocates with malloc
  jwt_free(jwt);
  return out;
}

inline long epoch_seconds(const Clock& clock) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::seconds>(clock.wall().time_since_epoch()).count());
}

// The SQLite storage plugin over a scratch file.
struct SqliteStorage {
  std::filesystem::path dir;
  std::shared_ptr<plugin::Registry> registry;
  std::unique_ptr<plugin::PluginStorage> storage;

  SqliteStorage() {
    dir = std::filesystem::temp_directory_path() /
          ("cardsync-admin-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    registry = std::make_shared<plugin::Registry>(std::make_shared<plugin::HostServices>(nullptr));
    auto lib = registry->load_file(std::filesystem::path(CARDSYNC_PLUGIN_DIR) /
                                   "cardsync-storage-sqlite.so");
    const std::string config = R"({"path":")" + (dir / "cs.db").string() + R"("})";
    storage = std::make_unique<plugin::PluginStorage>(
        std::shared_ptr<plugin::Instance>(plugin::Instance::create(lib, config)));
    storage->migrate();
  }
  ~SqliteStorage() {
    storage.reset();
    std::filesystem::remove_all(dir);
  }
  SqliteStorage(const SqliteStorage&) = delete;
  SqliteStorage& operator=(const SqliteStorage&) = delete;
};

// Virtual wall time near the real one, so tokens look ordinary.
inline Clock::WallTime wall_origin() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace cardsync::admin::testing
