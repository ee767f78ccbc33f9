#pragma once
// The PSA provider: turns psa.cert jobs into PSA requests and PSA answers into canonical
// graded_cert and cert_image records. No I/O, no sleeping, no retrying: the host does all of
// that; this class only builds requests, maps items and judges answers.
//
//   psa.cert <cert number>  GET cert/GetByCertNumber/{cert}
//                           then GET cert/GetImagesByCertNumber/{cert}
//                           -> one graded_cert, 0..2 cert_image; final cursor "found"
//                           or, when PSA has no such cert, no record and cursor "not_found"
//                           or, when PSA calls the number invalid, no record and cursor
//                           "invalid"
//
// See README.md for cursors, classification and the contract with the host's cert cache.

#include <cardsync/sdk.hpp>

#include <string>
#include <string_view>

#include "psa_config.hpp"
#include "psa_schemas.hpp"

namespace cardsync::psa {

class PsaProvider : public sdk::Provider {
 public:
  static constexpr const char* kName = "psa";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "PSA graded-card certificates: grade, population and photos by cert number";
  static inline const char* const kConfigSchema = embedded::psa_config_schema.data();
  static constexpr const char* kService = "psa";
  static constexpr const char* kJobTypes[] = {"psa.cert", nullptr};
  static inline const char* const kItemSchemas = embedded::psa_item_schemas.data();

  static constexpr std::string_view kCertJob = "psa.cert";
  // One lookup: a cert by its number, with its front and back images.
  static constexpr cs_lookup_kind kLookups[] = {sdk::lookup_kind({
      .record_kind = CS_RECORD_GRADED_CERT,
      .name = "cert",
      .job_type = "psa.cert",
      .description = "a PSA cert by its number: grade, population and photos",
      .key_example = "0123-4567",
      .child_kind = CS_RECORD_CERT_IMAGE,
      .child_field = "images",
      .ttl_seconds = int64_t{7} * 24 * 3600,
      .not_found_ttl_seconds = int64_t{24} * 3600,
  })};

  // Throws sdk::Fatal for a config that cannot work (no token, a bad base_url).
  explicit PsaProvider(const rapidjson::Value& config);
  explicit PsaProvider(Config config);

  const Config& config() const { return config_; }

  // `spec`: {"certs": ["12345678", "0123 4567", ...]}: one psa.cert job per valid number.
  void plan(std::string_view spec, Emitter& out) override;
  void start(const Job& job, Emitter& out) override;
  // A cert number as people type it ("0123 4567", "#1234-5678") in canonical form: digits
  // only, leading zeros kept (PSA keeps them). Throws sdk::Permanent saying why otherwise.
  std::string normalise_key(std::string_view kind, std::string_view input) const;
  void handle(const Job& job, const Request& request, const Response& response,
              Emitter& out) override;

 private:
  Request get(std::string_view path, std::string_view cert) const;
  void handle_cert(const Job& job, const std::string& cert, const Request& request,
                   const Response& response, Emitter& out) const;
  void handle_images(const Job& job, const std::string& cert, const Request& request,
                     const Response& response, Emitter& out) const;

  Config config_;
  ItemSchemas schemas_;
};

}  // namespace cardsync::psa
