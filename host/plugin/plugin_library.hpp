#pragma once
// One loaded plugin library that passed the ABI check and initialised. Whatever the plugin
// creates holds a shared_ptr to its Library, so the code stays mapped while objects live.

#include <cardsync/abi.h>

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "plugin/host_services.hpp"

namespace cardsync::plugin {

enum class Kind { provider, storage };
std::string_view to_string(Kind kind);

// A plugin that cannot be used; what() names the file, the problem and the remedy.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Library : public std::enable_shared_from_this<Library> {
 public:
  // Loads `path` and checks the ABI and descriptor; calls nothing but the query function.
  // Throws PluginError. The library keeps `host` alive.
  static std::shared_ptr<Library> open(const std::filesystem::path& path,
                                       std::shared_ptr<HostServices> host);
  // Calls the plugin's init once, after open(). Throws PluginError when it fails.
  void initialise();

  const std::filesystem::path& path() const { return path_; }
  const cs_plugin_descriptor& descriptor() const { return *desc_; }
  Kind kind() const { return kind_; }
  std::string_view name() const { return desc_->name; }
  std::string_view version() const { return desc_->version; }
  std::string_view description() const {
    return desc_->description != nullptr ? desc_->description : "";
  }
  std::string_view config_schema() const {
    return desc_->config_schema != nullptr ? desc_->config_schema : "";
  }
  // The config key naming the plugin's own document (ABI 1.3, e.g. a REST provider's
  // manifest); empty for a plugin that reads none. document_schema is that document's schema.
  std::string_view document_key() const;
  std::string_view document_schema() const;
  // The plugin's verdict on a schema-valid document (abi.h: inspect_document), as JSON text.
  // Throws PluginError when the call itself fails. Thread-safe.
  std::string inspect_document(std::string_view document_json) const;
  // nullptr unless kind() matches.
  const cs_provider_vtable* provider() const;
  const cs_storage_vtable* storage() const;

  Library(boost::dll::shared_library lib, const cs_plugin_descriptor* desc,
          std::filesystem::path path, Kind kind, std::shared_ptr<HostServices> host);

 private:
  // Destroyed last: members below may point into the library.
  boost::dll::shared_library lib_;
  const cs_plugin_descriptor* desc_;
  std::filesystem::path path_;
  Kind kind_;
  std::shared_ptr<HostServices> host_;
};

}  // namespace cardsync::plugin
