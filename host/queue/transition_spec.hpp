#pragma once
// An owned job transition (sdk::Transition holds views), so one can wait in the batch sink
// and be committed with the records it belongs to.

#include <cardsync/sdk.hpp>

#include <string>

namespace cardsync::queue {

struct TransitionSpec {
  sdk::Action action = sdk::Action::complete;
  int64_t job_id = 0;
  std::string lease_token;
  std::string cursor;
  int64_t run_at_ms = 0;
  std::string error_message;
  int http_status = 0;
  std::string request_id;
  int64_t now_ms = 0;

  // Views into this object; valid while it lives unchanged.
  sdk::Transition view() const {
    return sdk::Transition{action,        job_id,      lease_token, cursor, run_at_ms,
                           error_message, http_status, request_id,  now_ms};
  }
};

}  // namespace cardsync::queue
