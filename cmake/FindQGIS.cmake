# Finds the QGIS libraries (Debian: libqgis-dev) and defines imported targets
# QGIS::Core, QGIS::Gui and QGIS::Analysis. QGIS headers include GDAL's and need
# Qt Widgets and Xml, so those come along as interface dependencies.
find_path(QGIS_INCLUDE_DIR qgsapplication.h PATH_SUFFIXES qgis HINTS /usr/include /usr/local/include ENV QGIS_PREFIX_PATH)
find_library(QGIS_CORE_LIBRARY NAMES qgis_core HINTS /usr/lib /usr/local/lib ENV QGIS_PREFIX_PATH)
find_library(QGIS_GUI_LIBRARY NAMES qgis_gui HINTS /usr/lib /usr/local/lib ENV QGIS_PREFIX_PATH)
find_library(QGIS_ANALYSIS_LIBRARY NAMES qgis_analysis HINTS /usr/lib /usr/local/lib ENV QGIS_PREFIX_PATH)

if(QGIS_INCLUDE_DIR AND EXISTS "${QGIS_INCLUDE_DIR}/qgsconfig.h")
  file(STRINGS "${QGIS_INCLUDE_DIR}/qgsconfig.h" _qgis_version_line REGEX "^#define VERSION_INT ")
  string(REGEX REPLACE "^#define VERSION_INT ([0-9]+).*" "\\1" QGIS_VERSION_INT "${_qgis_version_line}")
  math(EXPR QGIS_VERSION_MAJOR "${QGIS_VERSION_INT} / 10000")
  math(EXPR QGIS_VERSION_MINOR "(${QGIS_VERSION_INT} % 10000) / 100")
  math(EXPR QGIS_VERSION_PATCH "${QGIS_VERSION_INT} % 100")
  set(QGIS_VERSION "${QGIS_VERSION_MAJOR}.${QGIS_VERSION_MINOR}.${QGIS_VERSION_PATCH}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(QGIS
  REQUIRED_VARS QGIS_CORE_LIBRARY QGIS_GUI_LIBRARY QGIS_ANALYSIS_LIBRARY QGIS_INCLUDE_DIR
  VERSION_VAR QGIS_VERSION)

if(QGIS_FOUND AND NOT TARGET QGIS::Core)
  find_package(GDAL REQUIRED)
  add_library(QGIS::Core UNKNOWN IMPORTED)
  set_target_properties(QGIS::Core PROPERTIES
    IMPORTED_LOCATION "${QGIS_CORE_LIBRARY}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${QGIS_INCLUDE_DIR}"
    INTERFACE_INCLUDE_DIRECTORIES "${QGIS_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "Qt::Core;Qt::Gui;Qt::Widgets;Qt::Xml;Qt::Sql;Qt::Svg;Qt::Concurrent;GDAL::GDAL")
  add_library(QGIS::Gui UNKNOWN IMPORTED)
  set_target_properties(QGIS::Gui PROPERTIES
    IMPORTED_LOCATION "${QGIS_GUI_LIBRARY}"
    INTERFACE_LINK_LIBRARIES "QGIS::Core")
  add_library(QGIS::Analysis UNKNOWN IMPORTED)
  set_target_properties(QGIS::Analysis PROPERTIES
    IMPORTED_LOCATION "${QGIS_ANALYSIS_LIBRARY}"
    INTERFACE_LINK_LIBRARIES "QGIS::Core")
endif()
mark_as_advanced(QGIS_INCLUDE_DIR QGIS_CORE_LIBRARY QGIS_GUI_LIBRARY QGIS_ANALYSIS_LIBRARY)
