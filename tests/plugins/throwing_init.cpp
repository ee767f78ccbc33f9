// A provider whose library-level initialisation throws.
#include <cardsync/sdk.hpp>

#include <stdexcept>

namespace {

class ThrowingInit : public cardsync::sdk::Provider {
 public:
  static constexpr const char* kName = "throwing_init";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription = "Fails in init (tests only)";
  static constexpr const char* kConfigSchema = R"({"type":"object"})";
  static constexpr const char* kService = "throwing";
  static constexpr const char* kJobTypes[] = {nullptr};
  static constexpr const char* kItemSchemas = "{}";

  static void initialize() { throw std::runtime_error("cannot reach the license server"); }
  explicit ThrowingInit(const rapidjson::Value& /*config*/) {}
  void start(const Job& /*job*/, Emitter& /*out*/) override {}
  void handle(const Job& /*job*/, const Request& /*req*/, const Response& /*res*/,
              Emitter& /*out*/) override {}
};

}  // namespace

CARDSYNC_EXPORT_PLUGIN(ThrowingInit)
