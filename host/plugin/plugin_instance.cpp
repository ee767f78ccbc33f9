#include "plugin/plugin_instance.hpp"

#include "plugin/call_error.hpp"

namespace cardsync::plugin {

std::unique_ptr<Instance> Instance::create(std::shared_ptr<const Library> lib,
                                           std::string_view config_json) {
  cs_error err;
  void* handle = nullptr;
  cs_status st =
      lib->descriptor().create(cs_str{config_json.data(), config_json.size()}, &handle, &err);
  if (st != CS_OK || handle == nullptr) {
    throw PluginError(
        std::string(to_string(lib->kind())) + " plugin '" + std::string(lib->name()) + "' (" +
        lib->path().string() + ") could not start: " +
        (st == CS_OK ? std::string("create returned no instance") : describe_failure(st, err)));
  }
  return std::unique_ptr<Instance>(new Instance(std::move(lib), handle));
}

Instance::~Instance() {
  lib_->descriptor().destroy(handle_);
}

}  // namespace cardsync::plugin
