# CPack: what `cpack` in the build folder produces. Linux: .deb and .tar.gz (tested by
# tests/installer). Windows (NSIS) and macOS (DragNDrop) are configured but untested.
set(CPACK_PACKAGE_NAME sightline)
set(CPACK_PACKAGE_VENDOR "The Sightline developers")
set(CPACK_PACKAGE_CONTACT "The Sightline developers <sightline@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Sightline connects to a distributor's ERP, warehouse management system, supplier portal and \
event feeds, keeps a local store of what happened, and shows the end-to-end trace of every \
order, SLA dashboards and exception queues. Includes sightline-cli and the sightline-sandbox \
simulator.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_INSTALL_DIRECTORY Sightline)
set(CPACK_PACKAGE_EXECUTABLES sightline Sightline)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")

if(WIN32)
    set(CPACK_GENERATOR NSIS)
    set(CPACK_NSIS_DISPLAY_NAME Sightline)
    set(CPACK_NSIS_PACKAGE_NAME Sightline)
    set(CPACK_NSIS_MODIFY_PATH ON)
elseif(APPLE)
    set(CPACK_GENERATOR DragNDrop)
    set(CPACK_DMG_VOLUME_NAME Sightline)
    set_target_properties(sightline PROPERTIES MACOSX_BUNDLE ON MACOSX_BUNDLE_BUNDLE_NAME Sightline
        MACOSX_BUNDLE_GUI_IDENTIFIER ${SIGHTLINE_APP_ID})
else()
    set(CPACK_GENERATOR DEB TGZ)
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SECTION misc)
    set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
    # Depends: the shared libraries the programs link are computed by dpkg-shlibdeps (dpkg-dev);
    # the Qt plugins they load at run time are not linked, so they are named here.
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins, libqt6svg6")
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libqt6sql6-psql")
endif()

include(CPack)
