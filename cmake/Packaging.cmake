# The Debian package (CPack DEB) of what `cmake --install` installs: the
# program, its desktop entry, AppStream metainfo and hicolor icons
# (packaging/CMakeLists.txt). scripts/package builds a Release .deb;
# scripts/test packages its Debug CI tree and installs it with apt.
#
#   cpack --config BUILD/CPackConfig.cmake -B BUILD/package

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME resellerdesk)
set(CPACK_PACKAGE_VENDOR "ResellerDesk")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# dpkg and apt show the long description with these line breaks.
set(CPACK_PACKAGE_DESCRIPTION [[ResellerDesk is a desktop application for vendors that sell through
resellers. Administrators manage reseller portals and every customer from
one window; resellers onboard customers through a wizard, convert trials
and manage their users; support staff open a client's own view with an
audited, time-boxed Login As. It runs on one SQLite file, or on a
PostgreSQL server shared by several desktops.]])
set(CPACK_PACKAGE_CONTACT "ResellerDesk developers <packaging@resellerdesk.example>")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# A Debug tree (CI) is packaged too: strip it, the package is for running.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_NAME resellerdesk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
# Libraries the program links come from dpkg-shlibdeps (dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What dpkg-shlibdeps cannot see, because Qt and QtKeychain load it at run
# time: the SQL driver plugins, the SVG icon engine and image plugin (without
# it every SVG icon renders empty) and libsecret, QtKeychain's Secret Service
# backend. The xcb platform plugin is in libqt6gui6, which shlibdeps finds.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libqt6sql6-sqlite, libqt6sql6-psql, libqt6svg6, libsecret-1-0")
# Qt's own translations (dialog buttons), a Secret Service for saved
# passwords, the native Wayland platform plugin (XWayland works without it).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "qt6-translations-l10n, gnome-keyring | libkf5wallet-bin, qt6-wayland")

include(CPack)
