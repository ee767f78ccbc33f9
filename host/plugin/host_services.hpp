#pragma once
// The services the host offers every plugin (cs_host_api). One instance outlives every
// library it was handed to, so plugins may keep the pointer until they are unloaded.

#include <cardsync/abi.h>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cardsync::plugin {

class HostServices {
 public:
  using Fields = std::vector<std::pair<std::string, std::string>>;
  // Receives plugin log lines; must be thread-safe.
  using LogFn = std::function<void(cs_log_level, std::string_view request_id,
                                   std::string_view message, Fields fields)>;

  explicit HostServices(LogFn log);
  HostServices(const HostServices&) = delete;
  HostServices& operator=(const HostServices&) = delete;

  // Stable pointer for the lifetime of this object.
  const cs_host_api* api() const { return &api_; }

 private:
  static void log_trampoline(void* ctx, cs_log_level level, cs_str request_id, cs_str message,
                             const cs_field* fields, size_t field_count);
  static void set_error_trampoline(cs_error* err, cs_str message);

  LogFn log_;
  cs_host_api api_{};
};

}  // namespace cardsync::plugin
