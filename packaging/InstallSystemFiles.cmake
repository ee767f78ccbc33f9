# Run by `cmake --install` (install(CODE) in packaging/CMakeLists.txt), with the prefix being
# installed to. With prefix /usr (the Debian package), the config goes to /etc/cardsync and the
# units to /lib/systemd/system, as Debian 12 wants them; under any other prefix (a relocatable
# tree), to <prefix>/etc/cardsync and <prefix>/lib/systemd/system, so installing never writes
# outside the prefix. The units name the installed binary and config by absolute path.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(etcdir /etc/cardsync)
  set(unitdir /lib/systemd/system)
else()
  set(etcdir ${CMAKE_INSTALL_PREFIX}/etc/cardsync)
  set(unitdir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(bindir ${CMAKE_INSTALL_PREFIX}/bin)

# One staging directory per destination, so installs to two prefixes at once (a test and
# cpack) do not write each other's units.
string(MD5 destination "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
set(staging ${CARDSYNC_STAGING_DIR}/${destination})
foreach(unit cardsync.service cardsync-sync.service)
  configure_file(${CARDSYNC_PACKAGING_DIR}/systemd/${unit}.in ${staging}/${unit} @ONLY)
endforeach()
file(INSTALL ${staging}/cardsync.service ${staging}/cardsync-sync.service
     ${CARDSYNC_PACKAGING_DIR}/systemd/cardsync-sync.timer
     DESTINATION ${unitdir} FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
file(INSTALL ${CARDSYNC_INSTALLED_CONFIG} DESTINATION ${etcdir}
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
