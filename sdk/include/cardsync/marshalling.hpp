#pragma once
// cardsync SDK: what every plugin, provider or storage, needs to cross the C boundary of
// abi.h: string views both ways, the error types plugin code throws, logging through the
// host, and the guard that turns every exception into a status. Header-only; included by
// provider.hpp and storage.hpp (plugins include sdk.hpp).

#include <cardsync/abi.h>

#include <rapidjson/document.h>

#include <concepts>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace cardsync::sdk {

// ---- strings across the boundary --------------------------------------------------------

inline cs_str str(std::string_view s) noexcept {
  return cs_str{s.data(), s.size()};
}
inline std::string_view view(cs_str s) noexcept {
  return s.data == nullptr ? std::string_view{} : std::string_view{s.data, s.len};
}

// ---- errors ------------------------------------------------------------------------------

// Thrown by plugin code to fail the current call with a chosen status.
class Error : public std::runtime_error {
 public:
  Error(cs_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  cs_status status() const noexcept { return status_; }

 private:
  cs_status status_;
};
// Transient: the host retries later with backoff.
struct Retry : Error {
  explicit Retry(const std::string& m) : Error(CS_RETRY, m) {}
};
// This item or job is bad; retrying will not help.
struct Permanent : Error {
  explicit Permanent(const std::string& m) : Error(CS_PERMANENT, m) {}
};
// Configuration or credentials are wrong: the host stops this plugin's work.
struct Fatal : Error {
  explicit Fatal(const std::string& m) : Error(CS_FATAL, m) {}
};

// ---- host services ------------------------------------------------------------------------

namespace detail {
// The host's services for this library. Set once by init before any other call; one per
// shared object (plugins are built with hidden visibility).
inline const cs_host_api* g_host = nullptr;
}  // namespace detail

// Logging through the host: structured, request-scoped, redacted by the host. Thread-safe.
class Log {
 public:
  using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;
  static void write(cs_log_level level, std::string_view request_id, std::string_view message,
                    Fields fields = {}) noexcept {
    const cs_host_api* host = detail::g_host;
    if (host == nullptr || host->log == nullptr) return;
    cs_field buf[16];
    size_t n = 0;
    for (const auto& [k, v] : fields) {
      if (n == 16) break;
      buf[n++] = cs_field{str(k), str(v)};
    }
    host->log(host->ctx, level, str(request_id), str(message), buf, n);
  }
  static void info(std::string_view rid, std::string_view msg, Fields f = {}) noexcept {
    write(CS_LOG_INFO, rid, msg, f);
  }
  static void warn(std::string_view rid, std::string_view msg, Fields f = {}) noexcept {
    write(CS_LOG_WARN, rid, msg, f);
  }
  static void debug(std::string_view rid, std::string_view msg, Fields f = {}) noexcept {
    write(CS_LOG_DEBUG, rid, msg, f);
  }
};

namespace detail {

inline void set_error(cs_error* err, std::string_view message) noexcept {
  if (g_host != nullptr && g_host->set_error != nullptr && err != nullptr) {
    g_host->set_error(err, str(message));
  }
}

// Runs `fn`, turning every exception into a status and an error message.
template <class Fn>
cs_status guarded(cs_error* err, Fn&& fn) noexcept {
  try {
    std::forward<Fn>(fn)();
    return CS_OK;
  } catch (const Error& e) {
    set_error(err, e.what());
    return e.status();
  } catch (const std::exception& e) {
    set_error(err, std::string("unhandled exception: ") + e.what());
    return CS_PERMANENT;
  } catch (...) {
    set_error(err, "unhandled non-standard exception");
    return CS_PERMANENT;
  }
}

template <class T>
concept HasInitialize = requires {
  T::initialize();
};

// A plugin driven by a document of its own (ABI 1.3): the config key naming the document's
// file, the document's JSON Schema, and
//   static std::string inspect_document(const rapidjson::Value& document);
// returning the JSON text abi.h describes for cs_plugin_descriptor.inspect_document.
template <class T>
concept HasDocument = requires(const rapidjson::Value& document) {
  T::kDocumentKey;
  T::kDocumentSchema;
  { T::inspect_document(document) } -> std::convertible_to<std::string>;
};

// The descriptor functions every plugin kind shares: init, create from the config section,
// destroy.
template <class T>
struct PluginTrampolines {
  static cs_status init(const cs_host_api* host, cs_error* err) noexcept {
    g_host = host;
    return guarded(err, [] {
      if constexpr (HasInitialize<T>) T::initialize();
    });
  }
  static cs_status create(cs_str config_json, void** out, cs_error* err) noexcept {
    return guarded(err, [&] {
      rapidjson::Document doc;
      std::string_view text = view(config_json);
      doc.Parse(text.data(), text.size());
      if (text.empty()) doc.SetObject();
      if (doc.HasParseError()) throw Fatal("config section is not valid JSON");
      // guarded() catches std::bad_alloc too.
      // NOLINTNEXTLINE(bugprone-unhandled-exception-at-new)
      *out = new T(static_cast<const rapidjson::Value&>(doc));
    });
  }
  static void destroy(void* instance) noexcept { delete static_cast<T*>(instance); }
  static cs_status inspect_document(cs_str document_json, cs_str_visitor visit, void* ctx,
                                    cs_error* err) noexcept {
    if constexpr (HasDocument<T>) {
      return guarded(err, [&] {
        rapidjson::Document doc;
        const std::string_view text = view(document_json);
        doc.Parse(text.data(), text.size());
        if (doc.HasParseError()) throw Permanent("the document is not valid JSON");
        const std::string inspection = T::inspect_document(doc);
        visit(ctx, str(inspection));
      });
    } else {
      (void)document_json, (void)visit, (void)ctx;
      set_error(err, "this plugin reads no document");
      return CS_PERMANENT;
    }
  }
};

}  // namespace detail
}  // namespace cardsync::sdk
