#pragma once
// Counts global operator new calls while enabled. Linking allocation_counter.cpp replaces the
// global operator new/delete of the whole binary; it lives in its own translation unit so
// the compiler never inlines the replacement into callers (GCC then misreports
// malloc/free pairs as mismatched new/delete).

namespace cardsync::testing {

void count_allocations(bool on) noexcept;
long allocations() noexcept;

}  // namespace cardsync::testing
