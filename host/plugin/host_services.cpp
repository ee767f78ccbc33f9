#include "plugin/host_services.hpp"

#include <exception>

#include "plugin/call_error.hpp"

namespace cardsync::plugin {
namespace {
std::string_view view(cs_str s) {
  return s.data == nullptr ? std::string_view{} : std::string_view{s.data, s.len};
}
}  // namespace

HostServices::HostServices(LogFn log) : log_(std::move(log)) {
  api_.struct_size = sizeof(cs_host_api);
  api_.abi_major = CS_ABI_MAJOR;
  api_.abi_minor = CS_ABI_MINOR;
  api_.ctx = this;
  api_.log = &HostServices::log_trampoline;
  api_.set_error = &HostServices::set_error_trampoline;
}

void HostServices::log_trampoline(void* ctx, cs_log_level level, cs_str request_id, cs_str message,
                                  const cs_field* fields, size_t field_count) {
  // Called from C: a logging failure must never unwind into the plugin.
  try {
    auto* self = static_cast<HostServices*>(ctx);
    if (!self->log_) return;
    Fields copied;
    copied.reserve(field_count);
    for (size_t i = 0; i < field_count; ++i) {
      copied.emplace_back(std::string(view(fields[i].key)), std::string(view(fields[i].value)));
    }
    self->log_(level, view(request_id), view(message), std::move(copied));
  } catch (...) {  // NOLINT(bugprone-empty-catch): losing one log line beats crashing
  }
}

void HostServices::set_error_trampoline(cs_error* err, cs_str message) {
  if (err == nullptr) return;
  try {
    err->message.assign(view(message));
  } catch (...) {  // NOLINT(bugprone-empty-catch): out of memory; the status still says it
  }
}

}  // namespace cardsync::plugin
