# `cpack` (run in the build directory) builds three Debian packages from the install
# components. Dependencies of the binaries and plugins come from dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cardsync)
set(CPACK_PACKAGE_VENDOR "the cardsync authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL runtime sdk sandbox)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CARDSYNC_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME cardsync)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION net)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "keeps a card shop's database in step with upstream card APIs
cardsync syncs games, sets, cards, price variants and graded
certificates from upstream APIs (JustTCG, PSA, Scryfall, ...) into
SQLite or PostgreSQL, through a pipeline with pacing, circuit breaking,
retries and a durable job queue. This package holds the cardsync
command, its plugins, the cardsync system user and the systemd units
(cardsync.service, cardsync-sync.timer).")
# The user, /var/lib/cardsync and unit reloads; /etc/cardsync/cardsync.json is a conffile.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_SOURCE_DIR}/debian/conffiles
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postinst ${CMAKE_CURRENT_SOURCE_DIR}/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postrm)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SUGGESTS "cardsync-sandbox, sqlite3")

set(CPACK_DEBIAN_SDK_PACKAGE_NAME cardsync-dev)
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_SDK_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS "rapidjson-dev")
set(CPACK_COMPONENT_SDK_DESCRIPTION "SDK for writing cardsync plugins
The C plugin ABI header, the header-only C++ wrapper and the
cardsync-sdk CMake package (find_package(cardsync-sdk),
cardsync_add_plugin()) for building provider and storage plugins
outside the cardsync source tree.")

set(CPACK_DEBIAN_SANDBOX_PACKAGE_NAME cardsync-sandbox)
set(CPACK_DEBIAN_SANDBOX_PACKAGE_SECTION net)
set(CPACK_COMPONENT_SANDBOX_DESCRIPTION "local emulator of the upstream card APIs for cardsync
cardsync-sandbox serves deterministic JustTCG, PSA, Scryfall, Pokemon
TCG and YGOPRODeck look-alike APIs on one local port, so cardsync can be
tried and tested without an API key.")

include(CPack)
