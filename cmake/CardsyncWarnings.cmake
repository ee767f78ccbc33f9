# Warnings apply to our targets only (third-party headers come in as SYSTEM).
function(cardsync_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # RapidJSON 1.1's member iterators declare operator!= with a non-const parameter, which
    # C++20's rewritten comparisons call ambiguous in every loop over an object's members: a
    # property of the header, not of our code (clang-tidy is run with the same exception).
    target_compile_options(${target} PRIVATE -Wno-ambiguous-reversed-operator)
  endif()
  if(CARDSYNC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
