// The smallest useful provider: one job type, one request, one record per response.
#include <cardsync/sdk.hpp>

#include <string>

class HelloProvider : public cardsync::sdk::Provider {
 public:
  static constexpr const char* kName = "hello";
  static constexpr const char* kVersion = "0.3.0";
  static constexpr const char* kDescription = "Says hello (out-of-tree SDK test)";
  static constexpr const char* kConfigSchema =
      R"({"type":"object","properties":{"greeting":{"type":"string","default":"hi"}},)"
      R"("additionalProperties":false})";
  static constexpr const char* kService = "hello";
  static constexpr const char* kJobTypes[] = {"hello.greet", nullptr};
  static constexpr const char* kItemSchemas = "{}";

  explicit HelloProvider(const rapidjson::Value& config) {
    if (config.HasMember("greeting")) greeting_ = config["greeting"].GetString();
  }
  void start(const Job& job, Emitter& out) override {
    out.request({"GET", "http://hello.invalid/" + std::string(job.key), {}, {}});
  }
  void handle(const Job& job, const Request& /*req*/, const Response& res, Emitter& out) override {
    out.record(CS_RECORD_GAME, job.key, "", R"({"name":")" + greeting_ + R"("})", res.body);
  }

 private:
  std::string greeting_ = "hi";
};

CARDSYNC_EXPORT_PLUGIN(HelloProvider)
