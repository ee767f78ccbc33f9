#include "plugin/job_type_names.hpp"

#include <utility>

namespace cardsync::plugin {

JobTypeNames::JobTypeNames(std::string instance, std::string service)
    : instance_(std::move(instance)), service_(std::move(service)) {}

bool JobTypeNames::convertible(std::string_view plugin_type) const {
  return !renames() || (plugin_type.size() > service_.size() + 1 &&
                        plugin_type.substr(0, service_.size()) == service_ &&
                        plugin_type[service_.size()] == '.');
}

std::string JobTypeNames::replace_prefix(std::string_view type, const std::string& from,
                                         const std::string& to) {
  if (type.size() > from.size() + 1 && type.substr(0, from.size()) == from &&
      type[from.size()] == '.') {
    return to + std::string(type.substr(from.size()));
  }
  return std::string(type);
}

std::string JobTypeNames::to_host(std::string_view plugin_type) const {
  return renames() ? replace_prefix(plugin_type, service_, instance_) : std::string(plugin_type);
}

std::string JobTypeNames::to_plugin(std::string_view host_type) const {
  return renames() ? replace_prefix(host_type, instance_, service_) : std::string(host_type);
}

}  // namespace cardsync::plugin
