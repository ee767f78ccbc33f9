#pragma once
// A provider instance's job types as the queue knows them and as its plugin knows them. A
// plugin names its job types "<service>.<stream>"; an instance configured under another name
// (two instances of one plugin, or a manifest-driven source) owns "<instance>.<stream>", so
// each instance's jobs, breaker and metrics stay apart while the plugin sees only its own
// names.

#include <string>
#include <string_view>

namespace cardsync::plugin {

class JobTypeNames {
 public:
  // Identity when `instance` equals `service`.
  JobTypeNames(std::string instance, std::string service);

  bool renames() const { return instance_ != service_; }
  // True when `plugin_type` follows "<service>.<stream>" (or nothing is renamed).
  bool convertible(std::string_view plugin_type) const;
  // "<service>.x" -> "<instance>.x"; anything else unchanged.
  std::string to_host(std::string_view plugin_type) const;
  // "<instance>.x" -> "<service>.x"; anything else unchanged.
  std::string to_plugin(std::string_view host_type) const;

 private:
  static std::string replace_prefix(std::string_view type, const std::string& from,
                                    const std::string& to);
  std::string instance_;
  std::string service_;
};

}  // namespace cardsync::plugin
