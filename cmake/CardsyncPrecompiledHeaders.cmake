# CARDSYNC_PRECOMPILE_HEADERS (on in the `demo` preset only): every C++ target of ours with
# three or more sources parses the standard and RapidJSON headers once, into a precompiled
# header, instead of once per source file. Most of a unit's compile time is those headers, so
# a cold build (a newcomer's first `scripts/demo.sh`) takes markedly less CPU. Off elsewhere:
# clang-tidy reads the release build's compile commands and cannot load GCC's .gch files, and
# ccache caches units built with a precompiled header only under extra sloppiness settings.
option(CARDSYNC_PRECOMPILE_HEADERS "Precompile the common standard and RapidJSON headers per target" OFF)

set(cardsync_pch_std_headers
  algorithm array chrono cstdint functional map memory mutex optional stdexcept string
  string_view utility vector)
# RapidJSON only where RAPIDJSON_HAS_STDSTRING reaches the target (cardsync::rapidjson), so the
# precompiled copy is the one the sources would have included.
set(cardsync_pch_rapidjson_headers rapidjson/document.h rapidjson/stringbuffer.h rapidjson/writer.h)

# Whether TARGET links LIBRARY, directly or through the libraries it links (RESULT: TRUE/FALSE).
function(cardsync_links_transitively target library result)
  set(seen "")
  set(pending ${target})
  while(pending)
    list(POP_FRONT pending current)
    if(current IN_LIST seen OR NOT TARGET ${current})
      continue()
    endif()
    list(APPEND seen ${current})
    get_target_property(aliased ${current} ALIASED_TARGET)
    if(aliased)
      list(APPEND pending ${aliased})
      continue()
    endif()
    if(current STREQUAL library)
      set(${result} TRUE PARENT_SCOPE)
      return()
    endif()
    get_target_property(type ${current} TYPE)
    set(links "")
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(links ${current} LINK_LIBRARIES)
    endif()
    get_target_property(interface_links ${current} INTERFACE_LINK_LIBRARIES)
    foreach(link IN LISTS links interface_links)
      if(link AND NOT link MATCHES "-NOTFOUND$" AND NOT link MATCHES "^\\$<")
        list(APPEND pending ${link})
      endif()
    endforeach()
  endwhile()
  set(${result} FALSE PARENT_SCOPE)
endfunction()

function(cardsync_precompile_target target)
  get_target_property(type ${target} TYPE)
  if(NOT type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|EXECUTABLE)$")
    return()
  endif()
  get_target_property(sources ${target} SOURCES)
  list(FILTER sources INCLUDE REGEX "\\.cpp$")
  list(LENGTH sources count)
  if(count LESS 3)
    return()
  endif()
  set(names ${cardsync_pch_std_headers})
  cardsync_links_transitively(${target} cardsync::rapidjson has_rapidjson)
  if(has_rapidjson)
    list(APPEND names ${cardsync_pch_rapidjson_headers})
  endif()
  # C++ units only (a target may hold C sources); $<ANGLE-R>: a literal '>' would end the
  # generator expression.
  set(headers "")
  foreach(h IN LISTS names)
    list(APPEND headers "$<$<COMPILE_LANGUAGE:CXX>:<${h}$<ANGLE-R>>")
  endforeach()
  target_precompile_headers(${target} PRIVATE ${headers})
  # Code inlined from a precompiled standard header loses its system-header status in GCC 12's
  # flow-based warnings, so their known false positives (std::string's SSO copies) would
  # surface; the release build, where the headers are not precompiled, still reports ours.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wno-array-bounds
                           -Wno-stringop-overflow -Wno-stringop-overread -Wno-restrict>)
  endif()
endfunction()

# Called once at the end of the top-level CMakeLists.txt, when every target exists.
function(cardsync_precompile_headers_under dir)
  if(NOT CARDSYNC_PRECOMPILE_HEADERS)
    return()
  endif()
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    cardsync_precompile_target(${target})
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    cardsync_precompile_headers_under(${sub})
  endforeach()
endfunction()
