// A storage plugin that only counts migrations, for loader tests.
#include <cardsync/sdk.hpp>

namespace {

class MemoStorage : public cardsync::sdk::Storage {
 public:
  static constexpr const char* kName = "memo";
  static constexpr const char* kVersion = "0.0.1";
  static constexpr const char* kDescription = "Remembers nothing (tests only)";
  static constexpr const char* kConfigSchema = R"({"type":"object"})";

  explicit MemoStorage(const rapidjson::Value& /*config*/) {}
  void migrate() override { ++migrations_; }

 private:
  int migrations_ = 0;
};

}  // namespace

CARDSYNC_EXPORT_PLUGIN(MemoStorage)
