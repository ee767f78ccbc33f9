#pragma once
// cardsync plugin SDK: a header-only C++ wrapper over abi.h, in three parts: marshalling.hpp
// (strings, errors, logging, the exception guard), provider.hpp and storage.hpp.
//
// A plugin is one class plus one export macro:
//
//   class MyProvider : public cardsync::sdk::Provider {
//    public:
//     static constexpr const char* kName = "mysource";
//     static constexpr const char* kVersion = "1.0.0";
//     static constexpr const char* kDescription = "Cards from mysource";
//     static constexpr const char* kConfigSchema = R"({"type":"object", ...})";
//     static constexpr const char* kService = "mysource";
//     static constexpr const char* kJobTypes[] = {"mysource.cards", nullptr};
//     static constexpr const char* kItemSchemas = "{}";
//     explicit MyProvider(const rapidjson::Value& config);
//     void start(const Job& job, Emitter& out) override;
//     void handle(const Job& job, const Request& req, const Response& res, Emitter& out) override;
//   };
//   CARDSYNC_EXPORT_PLUGIN(MyProvider)
//
// Every trampoline catches every exception and reports it through the host as an error
// status: nothing unwinds across the C boundary. Throw sdk::Error (or Retry/Permanent/Fatal)
// to choose the status; any other exception becomes CS_PERMANENT with its what().
// Tests may link a plugin's sources statically and call descriptor<MyProvider>() directly;
// CARDSYNC_EXPORT_PLUGIN belongs in the one file that is compiled only into the .so.

#include <cardsync/marshalling.hpp>
#include <cardsync/provider.hpp>
#include <cardsync/storage.hpp>

#include <type_traits>

namespace cardsync::sdk {

// The static descriptor of plugin class T. Safe to call from tests that link T statically.
template <class T>
const cs_plugin_descriptor* descriptor() noexcept {
  static_assert(std::is_base_of_v<Provider, T> || std::is_base_of_v<Storage, T>,
                "a cardsync plugin derives from sdk::Provider or sdk::Storage");
  using Common = detail::PluginTrampolines<T>;
  static const void* vtable = []() -> const void* {
    if constexpr (std::is_base_of_v<Provider, T>) {
      return detail::ProviderTrampolines<T>::vtable();
    } else {
      return detail::StorageTrampolines<T>::vtable();
    }
  }();
  static const cs_plugin_descriptor d = [] {
    cs_plugin_descriptor t{sizeof(cs_plugin_descriptor),
                           CS_ABI_MAJOR,
                           CS_ABI_MINOR,
                           std::is_base_of_v<Provider, T> ? static_cast<uint32_t>(CS_KIND_PROVIDER)
                                                          : static_cast<uint32_t>(CS_KIND_STORAGE),
                           T::kName,
                           T::kVersion,
                           T::kDescription,
                           T::kConfigSchema,
                           &Common::init,
                           &Common::create,
                           &Common::destroy,
                           vtable,
                           nullptr,
                           nullptr,
                           nullptr};
    if constexpr (detail::HasDocument<T>) {
      t.document_key = T::kDocumentKey;
      t.document_schema = T::kDocumentSchema;
      t.inspect_document = &Common::inspect_document;
    }
    return t;
  }();
  return &d;
}

}  // namespace cardsync::sdk

// Exports plugin class T from this shared library. Use it exactly once per library.
#define CARDSYNC_EXPORT_PLUGIN(T)                                               \
  extern "C" __attribute__((visibility("default"))) const cs_plugin_descriptor* \
  cardsync_plugin_query(void) {                                                 \
    return ::cardsync::sdk::descriptor<T>();                                    \
  }
