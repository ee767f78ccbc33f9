#include "psa_provider.hpp"

#include <cardsync/json_body.hpp>
#include <cardsync/json_fields.hpp>
#include <cardsync/lookup_key.hpp>
#include <cardsync/quarantine.hpp>

#include <algorithm>
#include <utility>

#include "cert_number.hpp"
#include "psa_cursor.hpp"
#include "psa_records.hpp"
#include "psa_response.hpp"

namespace cardsync::psa {
namespace {

constexpr std::string_view kCertPath = "/cert/GetByCertNumber/";
constexpr std::string_view kImagesPath = "/cert/GetImagesByCertNumber/";

// The cert of a psa.cert job, whose key must already be a normalised cert number.
std::string cert_of(const sdk::Job& job) {
  if (job.type != PsaProvider::kCertJob) {
    throw sdk::Permanent("the psa provider has no job type \"" + std::string(job.type) + "\"");
  }
  const CertNumber n = normalise_cert_number(job.key);
  return sdk::canonical_job_key(job, n.digits, n.problem, "a cert number",
                                "only digits, e.g. 12345678");
}

// Permanent, but facts worth remembering rather than failures: the job completes with the
// not_found or invalid cursor, which the host keeps (with its time) as the cert's sync
// cursor, so asking again for the same number spends no call until the cache forgets it.
void complete_invalid(const sdk::Job& job, const std::string& cert, const std::string& why,
                      const sdk::Emitter& out) {
  sdk::Log::info(job.request_id, "psa: invalid cert number", {{"cert", cert}, {"reason", why}});
  out.cursor(kInvalidCursor);
}

}  // namespace

PsaProvider::PsaProvider(const rapidjson::Value& config) : PsaProvider(Config::from_json(config)) {}

PsaProvider::PsaProvider(Config config) : config_(std::move(config)) {}

sdk::Request PsaProvider::get(std::string_view path, std::string_view cert) const {
  return {"GET",
          config_.base_url + std::string(path) + std::string(cert),
          {{"Authorization", "bearer " + config_.token}, {"Accept", "application/json"}},
          {}};
}

void PsaProvider::plan(std::string_view spec, Emitter& out) {
  // A section configured for lookups has no sync of its own: a run plans nothing for it
  // rather than failing, and lookups fetch certs on demand.
  if (sdk::blank_json(spec)) return;
  const auto doc = sdk::parse_object(spec);
  const rapidjson::Value* certs = doc ? sdk::member(*doc, "certs") : nullptr;
  if (certs == nullptr || !certs->IsArray()) {
    throw sdk::Permanent("psa sync spec must be {\"certs\": [\"12345678\", ...]}");
  }
  for (const auto& c : certs->GetArray()) {
    if (!c.IsString()) throw sdk::Permanent("psa sync spec: every cert must be a string");
    CertNumber n = normalise_cert_number(sdk::text_of(&c));
    if (!n.digits) {
      throw sdk::Permanent("psa sync spec: \"" + std::string(c.GetString()).substr(0, 40) +
                           "\": " + n.problem);
    }
    out.job(kCertJob, *n.digits);
  }
}

std::string PsaProvider::normalise_key(std::string_view kind, std::string_view input) const {
  if (kind != "cert") throw sdk::Permanent("the psa provider looks up only certs");
  const CertNumber n = normalise_cert_number(input);
  return sdk::key_or_throw(n.digits, n.problem);
}

void PsaProvider::start(const Job& job, Emitter& out) {
  const std::string cert = cert_of(job);
  // Resuming after the cert was fetched: only the images are missing. Any other cursor (the
  // last job's "found" / "not_found" / "invalid") means a fresh fetch.
  if (PendingImages::parse(job.cursor)) {
    out.request(get(kImagesPath, cert));
    return;
  }
  out.request(get(kCertPath, cert));
}

void PsaProvider::handle(const Job& job, const Request& request, const Response& response,
                         Emitter& out) {
  const std::string cert = cert_of(job);
  if (quota_spent(response)) {
    // What PSA's 429 means is this provider's knowledge; what to do about it (send nothing
    // more until 00:00 UTC, snooze the job until then) is the host's, told through the
    // reported quota. The Retry below is for a host that does not act on the report.
    out.rate_limits(-1, 0);
  }
  if (request.url.find(kImagesPath) != std::string::npos) {
    handle_images(job, cert, request, response, out);
  } else {
    handle_cert(job, cert, request, response, out);
  }
}

void PsaProvider::handle_cert(const Job& job, const std::string& cert, const Request& request,
                              const Response& response, Emitter& out) const {
  if (auto invalid = invalid_cert(response, request, config_)) {
    complete_invalid(job, cert, *invalid, out);
    return;
  }
  const sdk::ParsedBody body(response.body);
  check_answer(response, body, request, Endpoint::cert, config_);
  const rapidjson::Value& doc = body.root();
  if (auto invalid = invalid_request(doc, cert)) {
    complete_invalid(job, cert, *invalid, out);
    return;
  }
  const rapidjson::Value* psa_cert = found_cert(doc);
  if (psa_cert == nullptr) {
    sdk::Log::info(job.request_id, "psa: no such cert", {{"cert", cert}});
    out.cursor(kNotFoundCursor);
    return;
  }
  if (auto bad = schemas_.cert.validate(*psa_cert)) {
    throw sdk::Permanent("PSA sent cert " + cert + " in an unexpected shape: " + bad->reason +
                         " at /PSACert" + bad->json_path);
  }
  out.cursor(PendingImages{std::string(response.body)}.to_json());
  out.request(get(kImagesPath, cert));
}

void PsaProvider::handle_images(const Job& job, const std::string& cert, const Request& request,
                                const Response& response, Emitter& out) const {
  auto pending = PendingImages::parse(job.cursor);
  if (!pending) {
    // The host hands back the checkpoint emitted with the cert answer; without it the cert
    // must be fetched again.
    throw sdk::Retry("psa: the checkpoint holding cert " + cert +
                     " is missing; the job fetches the cert again");
  }
  const sdk::ParsedBody body(response.body);
  const rapidjson::Value none;
  const rapidjson::Value& images =
      check_answer(response, body, request, Endpoint::images, config_) ? body.root() : none;

  const sdk::ParsedBody cert_doc(pending->cert_body);
  const rapidjson::Value* psa_cert = found_cert(cert_doc.root());
  if (psa_cert == nullptr) {
    throw sdk::Retry("psa: the checkpoint of cert " + cert + " is unreadable; fetching it again");
  }

  // The side comes from IsFrontImage, never from the position: PSA does not promise an order.
  struct Image {
    std::string side, url, raw;
  };
  std::vector<Image> kept;
  if (images.IsArray()) {
    for (rapidjson::SizeType i = 0; i < images.Size(); ++i) {
      const rapidjson::Value& item = images[i];
      const std::string at = "/" + std::to_string(i);
      if (sdk::quarantine_if_invalid(schemas_.image, item, body, out, at)) continue;
      std::string side = item["IsFrontImage"].GetBool() ? "front" : "back";
      if (std::any_of(kept.begin(), kept.end(), [&](const auto& k) { return k.side == side; })) {
        out.reject("duplicate: a second " + side + " image for the cert", at + "/IsFrontImage",
                   body.raw(item));
        continue;
      }
      kept.push_back({std::move(side),
                      std::string(item["ImageURL"].GetString(), item["ImageURL"].GetStringLength()),
                      body.raw(item)});
    }
  } else if (!images.IsNull() && !images.IsObject()) {
    // An object is PSA's "No data found" shape: no images. Anything else is not PSA's answer.
    throw sdk::Retry("PSA sent a malformed image list for " + request.method + " " + request.url);
  }

  out.record(CS_RECORD_GRADED_CERT, cert, "", cert_core(*psa_cert, static_cast<int>(kept.size())),
             pending->cert_body);
  for (const auto& image : kept) {
    out.record(CS_RECORD_CERT_IMAGE, cert + "/" + image.side, cert,
               image_core(image.side, image.url), image.raw);
  }
  out.cursor(kFoundCursor);
}

}  // namespace cardsync::psa
