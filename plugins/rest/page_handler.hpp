#pragma once
// One response of a stream, read the way its manifest says: classify it (error rules), report
// what the upstream says about its limits, select the items, quarantine the ones failing the
// item schema or the mapping (the rest of the page goes on), emit records and child jobs,
// then either the checkpoint and the next page's request or the final cursor. Pure: reads
// only its arguments, so one Manifest serves every thread.

#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include <string>

#include "job_cursor.hpp"
#include "manifest_model.hpp"

namespace cardsync::rest {

// What every call of one job reads.
struct JobContext {
  const Manifest& manifest;
  const Stream& stream;
  const rapidjson::Value& config;
  const std::string& base_url;
  const sdk::Job& job;
};

// The payload of a job as JSON (an object; {} when empty or not JSON).
rapidjson::Document payload_of(const sdk::Job& job);

// The scope of a job's templates, without item or page values.
Scope job_scope(const JobContext& ctx, const rapidjson::Value& payload, const JobCursor& cursor);

void handle_page(const JobContext& ctx, const sdk::Request& request, const sdk::Response& response,
                 sdk::Emitter& out);

}  // namespace cardsync::rest
