// A minimal provider used by loader and trampoline tests: it echoes the job key as a game
// record and throws when asked to, so tests can check that nothing unwinds into the host.
#include <cardsync/sdk.hpp>

#include <stdexcept>
#include <string>

namespace {

class EchoProvider : public cardsync::sdk::Provider {
 public:
  static constexpr const char* kName = "echo";
  static constexpr const char* kVersion = "1.2.3";
  static constexpr const char* kDescription = "Echoes job keys back as records (tests only)";
  static constexpr const char* kConfigSchema = R"({
    "type": "object",
    "properties": {
      "channel": {"type": "string", "description": "Where to echo"},
      "prefix": {"type": "string", "default": "", "description": "Prepended to keys"},
      "api_key": {"type": "string", "description": "Secret, never printed"},
      "url": {"type": "string", "description": "May hold a password"},
      "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    },
    "required": ["channel"],
    "additionalProperties": false
  })";
  static constexpr const char* kService = "echo";
  static constexpr const char* kJobTypes[] = {"echo.say", nullptr};
  static constexpr const char* kItemSchemas = "{}";

  explicit EchoProvider(const rapidjson::Value& config) {
    if (config.HasMember("prefix")) prefix_ = config["prefix"].GetString();
    if (prefix_ == "refuse") throw cardsync::sdk::Fatal("prefix 'refuse' is not allowed");
  }

  void start(const Job& job, Emitter& out) override {
    if (job.key == "boom") throw std::runtime_error("kaboom in start");
    if (job.key == "odd") throw 42;  // NOLINT(hicpp-exception-baseclass): on purpose
    if (job.key == "retry") throw cardsync::sdk::Retry("upstream busy");
    cardsync::sdk::Log::info(job.request_id, "echo start", {{"key", job.key}});
    out.request({"GET", "http://example.invalid/" + std::string(job.key), {}, {}});
  }

  void handle(const Job& job, const Request& req, const Response& res, Emitter& out) override {
    std::string key = prefix_ + std::string(job.key);
    out.record(CS_RECORD_GAME, key, "", R"({"name":")" + key + R"("})", res.body);
    out.cursor(req.url);
  }

 private:
  std::string prefix_;
};

}  // namespace

CARDSYNC_EXPORT_PLUGIN(EchoProvider)
