#include "log/sink.hpp"

namespace cardsync::log {

// Out of line so the vtable has one home.
Sink::~Sink() = default;

}  // namespace cardsync::log
