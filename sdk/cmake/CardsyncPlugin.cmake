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

# cardsync_plugin_embed(<target> <symbol> <file>): compiles <file>'s bytes (a JSON Schema, say)
# into <target> as `extern const std::string_view cardsync::embedded::<symbol>;`, followed by a
# NUL so .data() is a C string, so a plugin reads no file at run time. Regenerated when <file>
# changes (CMake re-runs).
function(cardsync_plugin_embed target symbol file)
  get_filename_component(abs ${file} ABSOLUTE)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${abs})
  file(READ ${abs} hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR size "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embed/${symbol}.cpp)
  set(content
    "// Generated from ${abs}; do not edit.\n#include <string_view>\n"
    "namespace cardsync::embedded { namespace {\nconstexpr char data[] = {${bytes} 0};\n}\n"
    "extern const std::string_view ${symbol};\nconst std::string_view ${symbol}{data, ${size}};\n}\n")
  file(CONFIGURE OUTPUT ${out} CONTENT "${content}" @ONLY)
  target_sources(${target} PRIVATE ${out})
endfunction()
