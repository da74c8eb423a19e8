# Small helpers shared by every target: compile options, plugins and tests.

# Warnings and definitions every StatDesk target gets.
function(statdesk_target_defaults target)
  target_compile_definitions(${target} PRIVATE
    QT_DISABLE_DEPRECATED_BEFORE=0x050F00
    QT_NO_FOREACH
    STATDESK_VERSION="${PROJECT_VERSION}")
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-deprecated-declarations)
    if(STATDESK_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

# statdesk_add_plugin(NAME SOURCES ...): a city-layout plugin, a module that links core only.
# Plugins land in <build>/lib/statdesk/plugins, where the plugin registry looks for them.
function(statdesk_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  statdesk_target_defaults(${name})
  target_link_libraries(${name} PRIVATE statdesk_core)
  set_target_properties(${name} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib/statdesk/plugins
    PREFIX "")
  install(TARGETS ${name} LIBRARY DESTINATION lib/statdesk/plugins)
endfunction()

# statdesk_add_test(NAME SOURCES ... [LIBS ...] [LABELS ...]): one Qt Test executable, run
# offscreen by CTest with its own throw-away home so QGIS writes no profile into the user's.
function(statdesk_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  statdesk_target_defaults(${name})
  target_link_libraries(${name} PRIVATE Qt::Test statdesk_core ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE
    STATDESK_TEST_DATA_DIR="${CMAKE_SOURCE_DIR}/tests/data"
    STATDESK_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared"
    STATDESK_BIN_DIR="${CMAKE_BINARY_DIR}/bin")
  add_test(NAME ${name} COMMAND ${name} -platform offscreen)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  set_tests_properties(${name} PROPERTIES
    TIMEOUT ${ARG_TIMEOUT}
    LABELS "${ARG_LABELS}"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HOME=${CMAKE_BINARY_DIR}/test-home;XDG_RUNTIME_DIR=${CMAKE_BINARY_DIR}/test-home/run;STATDESK_PLUGIN_PATH=${CMAKE_BINARY_DIR}/lib/statdesk/plugins")
endfunction()
