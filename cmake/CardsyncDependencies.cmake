# Every dependency comes from Debian 12's packages (see scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem program_options)
find_package(CURL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)

# RapidJSON ships only an include directory.
find_path(RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
add_library(cardsync::rapidjson INTERFACE IMPORTED)
target_include_directories(cardsync::rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIR})
# std::string support lets schema errors and documents interoperate without copies.
target_compile_definitions(cardsync::rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)

# Boost.DLL is header-only but needs Boost.Filesystem and libdl.
add_library(cardsync::boost_dll INTERFACE IMPORTED)
target_link_libraries(cardsync::boost_dll INTERFACE Boost::boost Boost::filesystem ${CMAKE_DL_LIBS})

# SOCI 4.0.3 ships no CMake config: wrap the libraries in imported targets.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
foreach(part core sqlite3 postgresql)
  find_library(SOCI_${part}_LIBRARY soci_${part} REQUIRED)
  add_library(cardsync::soci_${part} UNKNOWN IMPORTED)
  set_target_properties(cardsync::soci_${part} PROPERTIES
    IMPORTED_LOCATION ${SOCI_${part}_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${SOCI_INCLUDE_DIR})
endforeach()
target_link_libraries(cardsync::soci_sqlite3 INTERFACE cardsync::soci_core SQLite::SQLite3)
target_link_libraries(cardsync::soci_postgresql INTERFACE cardsync::soci_core PostgreSQL::PostgreSQL)

# libjwt ships a pkg-config file only.
find_package(PkgConfig REQUIRED)
pkg_check_modules(JWT REQUIRED IMPORTED_TARGET libjwt)
add_library(cardsync::jwt ALIAS PkgConfig::JWT)

# libsystemd (sd_notify) ships a pkg-config file only.
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
add_library(cardsync::systemd ALIAS PkgConfig::SYSTEMD)
