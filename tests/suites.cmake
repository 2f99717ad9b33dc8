# Integration suites and fuzz corpus replay, included from tests/CMakeLists.txt.
#
# - http, browser: node's built-in test runner over tests/<suite>/*.test.mjs against a real
#   `duiding serve` on loopback (harness: tests/lib/server.mjs, tests/lib/browser.mjs).
# - openapi-lint: tests/openapi/lint.mjs (Spectral + the Logius API Design Rules ruleset).
# - fuzz/<name>: every fuzz/fuzz_<name>.c, built with -DFUZZ_REPLAY and fuzz/replay_main.c,
#   replays the committed corpus fuzz/corpus/<name>/ (gcc, ASan+UBSan in dev/ci).
# Each suite is registered only if its files exist.

set(DUIDING_SHARED_DIR ${CMAKE_SOURCE_DIR}/../shared)
set(SUITE_ENV
    "DUIDING_BIN=$<TARGET_FILE:duiding>"
    "DUIDING_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
    "DUIDING_BUILD_DIR=${CMAKE_BINARY_DIR}"
    "SHARED_DIR=${DUIDING_SHARED_DIR}"
    "DUIDING_SCREENSHOT_DIR=${CMAKE_BINARY_DIR}/screenshots"
    "NODE_NO_WARNINGS=1"
    "ASAN_OPTIONS=detect_leaks=1"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")

find_program(NODE_EXECUTABLE NAMES node nodejs)

# duiding_node_suite(<name> <dir> <timeout>): one ctest per suite running all its test files.
function(duiding_node_suite name dir timeout)
    file(GLOB files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/${dir}/*.test.mjs)
    if(NOT files)
        return()
    endif()
    list(SORT files)
    add_test(NAME ${name}
        COMMAND ${NODE_EXECUTABLE} --test --test-reporter=spec ${files}
        WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
    set_tests_properties(${name} PROPERTIES
        ENVIRONMENT "${SUITE_ENV}" TIMEOUT ${timeout} RUN_SERIAL TRUE)
endfunction()

if(NODE_EXECUTABLE)
    duiding_node_suite(http http 600)
    duiding_node_suite(browser browser 900)
    if(EXISTS ${CMAKE_SOURCE_DIR}/tests/openapi/lint.mjs)
        add_test(NAME openapi-lint
            COMMAND ${NODE_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/openapi/lint.mjs
            WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
        set_tests_properties(openapi-lint PROPERTIES
            ENVIRONMENT "${SUITE_ENV}" TIMEOUT 300 RUN_SERIAL TRUE)
    endif()
else()
    message(WARNING "node not found: http, browser and openapi-lint suites not registered")
endif()

# --- Fuzz corpus replay ------------------------------------------------------------------------
file(GLOB FUZZ_HARNESSES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.c)
foreach(src ${FUZZ_HARNESSES})
    get_filename_component(target ${src} NAME_WE) # fuzz_<name>
    string(REGEX REPLACE "^fuzz_" "" name ${target})
    add_executable(${target}_replay ${src} ${CMAKE_SOURCE_DIR}/fuzz/replay_main.c)
    target_compile_definitions(${target}_replay PRIVATE FUZZ_REPLAY)
    target_include_directories(${target}_replay PRIVATE ${CMAKE_SOURCE_DIR}/fuzz)
    target_link_libraries(${target}_replay PRIVATE duiding_lib)
    add_test(NAME fuzz/${name}
        COMMAND ${target}_replay ${CMAKE_SOURCE_DIR}/fuzz/corpus/${name})
    set_tests_properties(fuzz/${name} PROPERTIES
        TIMEOUT 300
        ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endforeach()

# --- diff/csv-python: the CSV reader against Python's csv module ------------------------------
# tests/tools/csv_dump prints the records our reader finds; tests/diff/csv_python.py compares
# them with csv.reader over fuzz/corpus/csv/ and a few hundred generated files.
add_executable(csv_dump ${CMAKE_SOURCE_DIR}/tests/tools/csv_dump.c)
target_link_libraries(csv_dump PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,duiding_lib>")
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND AND EXISTS ${CMAKE_SOURCE_DIR}/tests/diff/csv_python.py)
    add_test(NAME diff/csv-python
        COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/diff/csv_python.py
                $<TARGET_FILE:csv_dump> ${CMAKE_SOURCE_DIR}/fuzz/corpus/csv)
    set_tests_properties(diff/csv-python PROPERTIES
        TIMEOUT 300
        ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endif()
