# Warnings apply to our targets only (third-party headers come in as SYSTEM).
function(cardsync_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(CARDSYNC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
