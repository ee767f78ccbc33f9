#pragma once
// The `pipeline` config section: its schema and the typed options read from it.

#include <rapidjson/document.h>

#include <chrono>
#include <string_view>

#include "pipeline/worker_pool.hpp"
#include "queue/batch_sink.hpp"
#include "queue/job_queue.hpp"

namespace cardsync::pipeline {

struct PipelineOptions {
  WorkerOptions workers;
  queue::QueueOptions queue;
  queue::BatchSinkOptions batch;
  std::chrono::milliseconds call_deadline{std::chrono::minutes(2)};
  std::chrono::milliseconds drain_wait{std::chrono::minutes(5)};
  std::chrono::milliseconds progress_every{std::chrono::seconds(5)};
};

// JSON Schema (draft-04) of the section; every property has its default and description.
std::string_view pipeline_section_schema();

// `section` is the validated `pipeline` value, or nullptr when absent (all defaults).
PipelineOptions read_pipeline_options(const rapidjson::Value* section);

}  // namespace cardsync::pipeline
