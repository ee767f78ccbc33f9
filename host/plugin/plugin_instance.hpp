#pragma once
// A plugin object made by `create` from its config section. It keeps its library loaded and
// releases the object through the plugin's own `destroy`.

#include <memory>
#include <string_view>

#include "plugin/plugin_library.hpp"

namespace cardsync::plugin {

class Instance {
 public:
  // Throws PluginError naming the plugin and its message when create fails.
  static std::unique_ptr<Instance> create(std::shared_ptr<const Library> lib,
                                          std::string_view config_json);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  void* handle() const { return handle_; }
  const Library& library() const { return *lib_; }
  const std::shared_ptr<const Library>& library_ptr() const { return lib_; }

 private:
  Instance(std::shared_ptr<const Library> lib, void* handle)
      : lib_(std::move(lib)), handle_(handle) {}
  std::shared_ptr<const Library> lib_;
  void* handle_;
};

}  // namespace cardsync::plugin
