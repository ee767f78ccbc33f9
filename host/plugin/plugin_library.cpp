#include "plugin/plugin_library.hpp"

#include <unistd.h>

#include <boost/dll/library_info.hpp>
#include <cstddef>
#include <regex>

#include "plugin/call_error.hpp"
#include "plugin/file_trust.hpp"

namespace cardsync::plugin {
namespace {

std::string abi_string(unsigned major, unsigned minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// Bytes of the descriptor that ABI 1.0 defines; a smaller one is not a descriptor we know.
constexpr size_t kDescriptorSizeV1_0 = offsetof(cs_plugin_descriptor, vtable) + sizeof(void*);

// cardsync-<kind>-<name>.so: the file name promises what the descriptor must confirm.
struct FileName {
  Kind kind;
  std::string name;
};
FileName parse_file_name(const std::filesystem::path& path) {
  static const std::regex re(R"(cardsync-(provider|storage)-([a-z0-9_]+)\.so)");
  std::smatch m;
  std::string file = path.filename().string();
  if (!std::regex_match(file, m, re)) {
    throw PluginError(path.string() +
                      ": not a plugin file name; expected cardsync-<provider|storage>-<name>.so");
  }
  return {m[1] == "provider" ? Kind::provider : Kind::storage, m[2]};
}

}  // namespace

std::string_view to_string(Kind kind) {
  return kind == Kind::provider ? "provider" : "storage";
}

Library::Library(boost::dll::shared_library lib, const cs_plugin_descriptor* desc,
                 std::filesystem::path path, Kind kind, std::shared_ptr<HostServices> host)
    : lib_(std::move(lib)),
      desc_(desc),
      path_(std::move(path)),
      kind_(kind),
      host_(std::move(host)) {}

const cs_provider_vtable* Library::provider() const {
  return kind_ == Kind::provider ? static_cast<const cs_provider_vtable*>(desc_->vtable) : nullptr;
}
const cs_storage_vtable* Library::storage() const {
  return kind_ == Kind::storage ? static_cast<const cs_storage_vtable*>(desc_->vtable) : nullptr;
}

namespace {
// The first byte past the 1.3 members: a descriptor this long may name a document.
constexpr size_t kDescriptorSizeV1_3 =
    offsetof(cs_plugin_descriptor, inspect_document) + sizeof(void*);
}  // namespace

std::string_view Library::document_key() const {
  if (desc_->struct_size < kDescriptorSizeV1_3 || desc_->document_key == nullptr ||
      desc_->document_schema == nullptr || desc_->inspect_document == nullptr) {
    return {};
  }
  return desc_->document_key;
}

std::string_view Library::document_schema() const {
  return document_key().empty() ? std::string_view() : std::string_view(desc_->document_schema);
}

std::string Library::inspect_document(std::string_view document_json) const {
  if (document_key().empty()) {
    throw PluginError("plugin '" + std::string(name()) + "' reads no document");
  }
  std::string out;
  auto visit = [](void* ctx, cs_str value) {
    static_cast<std::string*>(ctx)->assign(value.data == nullptr ? "" : value.data, value.len);
  };
  cs_error err;
  const cs_status st = desc_->inspect_document(cs_str{document_json.data(), document_json.size()},
                                               visit, &out, &err);
  if (st != CS_OK) {
    throw PluginError("plugin '" + std::string(name()) + "' could not inspect its " +
                      std::string(document_key()) + ": " + describe_failure(st, err));
  }
  return out;
}

std::shared_ptr<Library> Library::open(const std::filesystem::path& path,
                                       std::shared_ptr<HostServices> host) {
  const std::string where = path.string();
  FileName expected = parse_file_name(path);
  // dlopen runs the library's constructors: refuse a file someone else could have planted first.
  if (auto problem = untrusted_reason(path, ::geteuid())) throw PluginError(*problem);

  boost::dll::shared_library lib;
  try {
    // rtld_now: a plugin with unresolved symbols fails here, not in the middle of a sync.
    lib.load(boost::dll::fs::path(where),
             boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    throw PluginError(where + ": cannot load: " + e.what() +
                      "; check that the file is a shared library built for this machine");
  }
  if (!lib.has(CS_QUERY_SYMBOL)) {
    throw PluginError(where + ": not a cardsync plugin: it does not export '" +
                      std::string(CS_QUERY_SYMBOL) +
                      "'; build it with cardsync_add_plugin() and CARDSYNC_EXPORT_PLUGIN");
  }
  auto& query = lib.get<const cs_plugin_descriptor*()>(CS_QUERY_SYMBOL);
  const cs_plugin_descriptor* desc = query();
  if (desc == nullptr) {
    throw PluginError(where + ": " + CS_QUERY_SYMBOL + " returned no descriptor");
  }
  const std::string host_abi = abi_string(CS_ABI_MAJOR, CS_ABI_MINOR);
  if (desc->abi_major != CS_ABI_MAJOR) {
    throw PluginError(where + ": built for cardsync ABI " +
                      abi_string(desc->abi_major, desc->abi_minor) + ", but this host speaks " +
                      host_abi + " (major versions must match); rebuild the plugin against " +
                      "cardsync-sdk " + std::to_string(CS_ABI_MAJOR) + ".x");
  }
  if (desc->abi_minor > CS_ABI_MINOR) {
    throw PluginError(where + ": built for cardsync ABI " +
                      abi_string(desc->abi_major, desc->abi_minor) + ", newer than this host's " +
                      host_abi + "; upgrade cardsync, or rebuild the plugin against cardsync-sdk " +
                      host_abi);
  }
  if (desc->struct_size < kDescriptorSizeV1_0) {
    throw PluginError(where + ": descriptor is " + std::to_string(desc->struct_size) +
                      " bytes but ABI " + host_abi + " defines " +
                      std::to_string(kDescriptorSizeV1_0) +
                      "; the plugin was not built with the cardsync SDK");
  }
  if (desc->kind != CS_KIND_PROVIDER && desc->kind != CS_KIND_STORAGE) {
    throw PluginError(where + ": unknown plugin kind " + std::to_string(desc->kind));
  }
  Kind kind = desc->kind == CS_KIND_PROVIDER ? Kind::provider : Kind::storage;
  std::string name = desc->name != nullptr ? desc->name : "";
  if (kind != expected.kind || name != expected.name) {
    throw PluginError(where + ": the file name says " + std::string(to_string(expected.kind)) +
                      " '" + expected.name + "' but the plugin declares " +
                      std::string(to_string(kind)) + " '" + name + "'; rename the file to " +
                      "cardsync-" + std::string(to_string(kind)) + "-" + name + ".so");
  }
  if (desc->version == nullptr || desc->init == nullptr || desc->create == nullptr ||
      desc->destroy == nullptr || desc->vtable == nullptr) {
    throw PluginError(where + ": plugin '" + name +
                      "' has an incomplete descriptor (version, init, create, destroy and " +
                      "vtable are required)");
  }
  const auto* vt_size = static_cast<const uint32_t*>(desc->vtable);
  if (*vt_size == 0) {
    throw PluginError(where + ": plugin '" + name + "' has an empty vtable");
  }

  return std::make_shared<Library>(std::move(lib), desc, path, kind, std::move(host));
}

void Library::initialise() {
  cs_error err;
  cs_status st = desc_->init(host_->api(), &err);
  if (st != CS_OK) {
    throw PluginError(path_.string() + ": plugin '" + std::string(name()) +
                      "' failed to initialise: " + describe_failure(st, err) +
                      "; fix the cause or remove the file");
  }
}

}  // namespace cardsync::plugin
