# cardsync_add_plugin(<name> KIND provider|storage SOURCES ... [OUTPUT_DIRECTORY dir])
# Builds cardsync-<kind>-<name>.so: hidden visibility so only the query function is
# exported, no `lib` prefix, linked against cardsync::sdk. The target is named
# cardsync-<kind>-<name>.
function(cardsync_add_plugin name)
  cmake_parse_arguments(P "" "KIND;OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT P_KIND MATCHES "^(provider|storage)$")
    message(FATAL_ERROR "cardsync_add_plugin(${name}): KIND must be provider or storage")
  endif()
  set(target cardsync-${P_KIND}-${name})
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE cardsync::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME ${target}
    CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(P_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIRECTORY})
  endif()
  # Refuse undefined symbols at link time rather than at load time.
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()
