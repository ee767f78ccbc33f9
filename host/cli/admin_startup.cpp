#include "cli/admin_startup.hpp"

#include <stdexcept>

namespace cardsync::cli {

std::optional<AdminStartup> start_up_with_admin(const GlobalOptions& opts,
                                                const config::EnvLookup& env, std::ostream& err) {
  AdminStartup out;
  try {
    out.startup = start_up(opts, env);
    const auto& doc = out.startup.effective.doc;
    const auto admin = doc.FindMember("admin");
    out.options =
        admin::read_admin_options(admin == doc.MemberEnd() ? nullptr : &admin->value, env);
  } catch (const StartupFailed& failed) {
    for (const auto& line : failed.lines()) err << line << "\n";
    return std::nullopt;
  } catch (const std::invalid_argument& e) {
    err << out.startup.config_label << ": " << e.what() << "\n";
    return std::nullopt;
  }
  return out;
}

}  // namespace cardsync::cli
