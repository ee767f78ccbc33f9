#pragma once
// Builds a stream's request for one page: base_url + the rendered path (placeholder values
// percent-encoded) + the query parameters that render non-empty, or, for next_url paging,
// base_url + the URL the upstream gave; then the manifest's and the stream's headers and the
// credential. A header or parameter rendering empty is not sent (an optional key).

#include <cardsync/sdk.hpp>

#include <string>

#include "manifest_model.hpp"

namespace cardsync::rest {

// `scope` carries the page values of `state` (Paging::expose).
sdk::Request build_request(const Manifest& manifest, const Stream& stream, const PageState& state,
                           const Scope& scope, const std::string& base_url);

}  // namespace cardsync::rest
