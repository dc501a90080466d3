# CMake toolchain file: build for wasm32-wasip2 with wasip2ld.
#
#   cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=<this file> [-DWASIP2LD_MODE=module] [-DWASIP2LD_WIT=dir]
#   (or simply: wasip2ld cmake -S . -B build)
#
# Executables are WASI 0.2 components (WASIP2LD_MODE=component, the default) or core-module build targets
# carrying their WIT world (WASIP2LD_MODE=module); both end in .wasm (no suffix when `wasip2ld binfmt` is
# installed, so programs run as ./prog). ctest runs tests through
# `wasip2ld run` (CMAKE_CROSSCOMPILING_EMULATOR), which also makes try_run() work.
# See docs/integration-cmake.md.

set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 2)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")

# --- options (cache variables; also forwarded into try_compile projects) ----------------------------------
set(WASIP2LD_MODE "component" CACHE STRING "What executables are: component (WASI 0.2 component) or module (core module build target)")
set_property(CACHE WASIP2LD_MODE PROPERTY STRINGS component module)
set(WASIP2LD_WIT "" CACHE FILEPATH "WIT file or directory of the world executables target (empty: WASI command)")
set(WASIP2LD_WORLD "" CACHE STRING "World in WASIP2LD_WIT to target (empty: the package's only world)")
set(WASIP2LD_RUN_ARGS "" CACHE STRING "Extra `wasip2ld run` options for ctest/try_run, e.g. --dir=/data;--env=LANG")
option(WASIP2LD_DIRECT_COMPILE "Compile with clang itself and the flags wasip2-clang adds (same objects, no Python per compile)" ON)
if(NOT WASIP2LD_MODE MATCHES "^(component|module)$")
  message(FATAL_ERROR "WASIP2LD_MODE must be `component` or `module`, not `${WASIP2LD_MODE}`")
endif()

# --- tools --------------------------------------------------------------------------------------------------
# `wasip2ld cmake` passes absolute paths; otherwise they are looked up on PATH once and cached.
find_program(WASIP2LD_EXECUTABLE wasip2ld DOC "the wasip2ld command")
find_program(WASIP2LD_CC wasip2-clang HINTS "${WASIP2LD_BIN_DIR}" DOC "wasip2ld's C compiler driver")
find_program(WASIP2LD_CXX wasip2-clang++ HINTS "${WASIP2LD_BIN_DIR}" DOC "wasip2ld's C++ compiler driver")
foreach(tool WASIP2LD_EXECUTABLE WASIP2LD_CC WASIP2LD_CXX)
  if(NOT ${tool})
    message(FATAL_ERROR "wasip2.cmake: ${tool} not found on PATH: install wasip2ld (pip install wasip2ld) "
                        "or configure with `wasip2ld cmake`, which passes the paths")
  endif()
endforeach()

function(_wasip2ld_part var part)
  if(NOT ${var})
    execute_process(COMMAND "${WASIP2LD_EXECUTABLE}" toolchain path ${part}
                    OUTPUT_VARIABLE path ERROR_VARIABLE err RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "wasip2.cmake: `wasip2ld toolchain path ${part}` failed: ${err}")
    endif()
    set(${var} "${path}" CACHE FILEPATH "${part} from wasip2ld's toolchain" FORCE)
  endif()
endfunction()
_wasip2ld_part(WASIP2LD_AR llvm-ar)
_wasip2ld_part(WASIP2LD_RANLIB llvm-ranlib)
_wasip2ld_part(WASIP2LD_SYSROOT sysroot-wasip2)

# Executables end in .wasm, unless the kernel runs wasm programs directly (`wasip2ld binfmt install`): then
# they get native names, so tests that run `${DIR}/prog` by path find it. Asked once; cached.
if(NOT DEFINED WASIP2LD_EXECUTABLE_SUFFIX)
  execute_process(COMMAND ${WASIP2LD_EXECUTABLE} binfmt status RESULT_VARIABLE _wasip2ld_binfmt
                  OUTPUT_QUIET ERROR_QUIET)
  if(_wasip2ld_binfmt EQUAL 0)
    set(_wasip2ld_suffix "")
  else()
    set(_wasip2ld_suffix ".wasm")
  endif()
  set(WASIP2LD_EXECUTABLE_SUFFIX "${_wasip2ld_suffix}" CACHE STRING
      "Suffix of executables: empty when wasm programs run directly (wasip2ld binfmt), else .wasm")
endif()

set(CMAKE_C_COMPILER "${WASIP2LD_CC}")
set(CMAKE_CXX_COMPILER "${WASIP2LD_CXX}")
set(CMAKE_AR "${WASIP2LD_AR}" CACHE FILEPATH "Archiver" FORCE)
set(CMAKE_RANLIB "${WASIP2LD_RANLIB}" CACHE FILEPATH "Ranlib" FORCE)
set(CMAKE_C_COMPILER_AR "${WASIP2LD_AR}")
set(CMAKE_CXX_COMPILER_AR "${WASIP2LD_AR}")
set(CMAKE_C_COMPILER_RANLIB "${WASIP2LD_RANLIB}")
set(CMAKE_CXX_COMPILER_RANLIB "${WASIP2LD_RANLIB}")

# --- how sources are compiled -------------------------------------------------------------------------------
# wasip2-clang adds --target, --sysroot and its defaults to every compile and execs clang. With
# WASIP2LD_DIRECT_COMPILE the compile rule runs that clang command itself (`wasip2ld toolchain compile-flags
# --cmake` says what it is, once per configure), so compiles start no Python and make the same objects; links
# still go through wasip2-clang. Flags given when configuring that change what wasip2-clang adds
# (--emulate, -mexec-model=, exception options, …) keep that language on wasip2-clang. The configure re-runs
# when a file the command depends on changes (a new clang or sysroot).
# `wasip2ld cmake` passes the rules for one configure (WASIP2LD_GIVEN_*, removed once read); they hold when no
# compile flags are known yet, else this file asks `wasip2ld toolchain compile-flags` itself.
set(_wasip2ld_rules_given FALSE)
if(DEFINED WASIP2LD_GIVEN_COMPILE_DEPENDS AND "${CMAKE_C_FLAGS}${CMAKE_CXX_FLAGS}$ENV{CFLAGS}$ENV{CXXFLAGS}" STREQUAL "")
  set(_wasip2ld_rules_given TRUE)
  foreach(name C_COMPILE_OBJECT CXX_COMPILE_OBJECT COMPILE_DEPENDS)
    set(WASIP2LD_${name} "${WASIP2LD_GIVEN_${name}}")
  endforeach()
endif()
foreach(name C_COMPILE_OBJECT CXX_COMPILE_OBJECT COMPILE_DEPENDS)
  unset(WASIP2LD_GIVEN_${name} CACHE)
endforeach()
if(WASIP2LD_DIRECT_COMPILE AND NOT _wasip2ld_compile_rules_done)
  get_property(_wasip2ld_in_try_compile GLOBAL PROPERTY IN_TRY_COMPILE)
  if(NOT _wasip2ld_in_try_compile)
    if(NOT _wasip2ld_rules_given)
      execute_process(COMMAND ${WASIP2LD_EXECUTABLE} toolchain compile-flags --cmake
                              "--c-flags=${CMAKE_C_FLAGS} $ENV{CFLAGS}" "--cxx-flags=${CMAKE_CXX_FLAGS} $ENV{CXXFLAGS}"
                      WORKING_DIRECTORY "${CMAKE_BINARY_DIR}"
                      OUTPUT_VARIABLE _wasip2ld_rules ERROR_VARIABLE _wasip2ld_err RESULT_VARIABLE _wasip2ld_rc)
      if(_wasip2ld_rc EQUAL 0)
        cmake_language(EVAL CODE "${_wasip2ld_rules}")
      else()
        message(STATUS "wasip2.cmake: compiling through wasip2-clang (`wasip2ld toolchain compile-flags` failed: ${_wasip2ld_err})")
        set(WASIP2LD_C_COMPILE_OBJECT "")
        set(WASIP2LD_CXX_COMPILE_OBJECT "")
        set(WASIP2LD_COMPILE_DEPENDS "")
      endif()
    endif()
    # Cached for the try_compile projects of this configure (CMAKE_TRY_COMPILE_PLATFORM_VARIABLES).
    set(WASIP2LD_C_COMPILE_OBJECT "${WASIP2LD_C_COMPILE_OBJECT}" CACHE INTERNAL "")
    set(WASIP2LD_CXX_COMPILE_OBJECT "${WASIP2LD_CXX_COMPILE_OBJECT}" CACHE INTERNAL "")
    set(WASIP2LD_COMPILE_DEPENDS "${WASIP2LD_COMPILE_DEPENDS}" CACHE INTERNAL "")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${WASIP2LD_COMPILE_DEPENDS})
  endif()
  set(_wasip2ld_compile_rules_done TRUE)
endif()
foreach(lang C CXX)
  if(WASIP2LD_DIRECT_COMPILE AND WASIP2LD_${lang}_COMPILE_OBJECT)
    set(CMAKE_${lang}_COMPILE_OBJECT "${WASIP2LD_${lang}_COMPILE_OBJECT}")
  endif()
endforeach()

# --- how executables are linked -----------------------------------------------------------------------------
# The mode flags go into the link rule, not CMAKE_EXE_LINKER_FLAGS: try_compile() projects inherit the latter,
# and their probes (the compiler check, check_symbol_exists, check_c_source_runs) link a `main` that uses
# libc's WASI p1 parts, which a module build target may not import. Probes always link components.
get_property(_wasip2ld_in_try_compile GLOBAL PROPERTY IN_TRY_COMPILE)
set(_wasip2ld_link "")
if(NOT _wasip2ld_in_try_compile)
  if(WASIP2LD_MODE STREQUAL "module")
    string(APPEND _wasip2ld_link " --module")
  endif()
  if(WASIP2LD_WIT)
    string(APPEND _wasip2ld_link " --wit=${WASIP2LD_WIT}")
  endif()
  if(WASIP2LD_WORLD)
    string(APPEND _wasip2ld_link " --world=${WASIP2LD_WORLD}")
  endif()
endif()
foreach(lang C CXX)
  set(CMAKE_${lang}_LINK_EXECUTABLE
      "<CMAKE_${lang}_COMPILER> <FLAGS> <CMAKE_${lang}_LINK_FLAGS> <LINK_FLAGS>${_wasip2ld_link} <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
endforeach()

# Build directories must not leak into outputs: the same sources give the same bytes wherever they are built,
# so ccache/sccache and remote caches can share results.
if(CMAKE_SOURCE_DIR AND CMAKE_BINARY_DIR)
  set(CMAKE_C_FLAGS_INIT "-ffile-prefix-map=${CMAKE_SOURCE_DIR}=. -ffile-prefix-map=${CMAKE_BINARY_DIR}=.")
  set(CMAKE_CXX_FLAGS_INIT "${CMAKE_C_FLAGS_INIT}")
endif()

# --- running what was built (ctest, try_run, add_custom_command with an executable target) ------------------
# --host-fs: the test's working directory for relative paths, absolute paths as they are (like a native test).
set(CMAKE_CROSSCOMPILING_EMULATOR "${WASIP2LD_EXECUTABLE};run;--inherit-env;--host-fs")
if(WASIP2LD_RUN_ARGS)
  list(APPEND CMAKE_CROSSCOMPILING_EMULATOR ${WASIP2LD_RUN_ARGS})
endif()
list(APPEND CMAKE_CROSSCOMPILING_EMULATOR "--")

# --- find_* look in the sysroot (and CMAKE_FIND_ROOT_PATH entries the user adds), never in the host's /usr ---
list(APPEND CMAKE_FIND_ROOT_PATH "${WASIP2LD_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# try_compile() projects see the same settings; static libraries make probes link without a main's deps.
set(CMAKE_TRY_COMPILE_PLATFORM_VARIABLES
    WASIP2LD_MODE WASIP2LD_WIT WASIP2LD_WORLD WASIP2LD_RUN_ARGS WASIP2LD_EXECUTABLE WASIP2LD_CC WASIP2LD_CXX
    WASIP2LD_AR WASIP2LD_RANLIB WASIP2LD_SYSROOT WASIP2LD_EXECUTABLE_SUFFIX WASIP2LD_DIRECT_COMPILE
    WASIP2LD_C_COMPILE_OBJECT WASIP2LD_CXX_COMPILE_OBJECT)

# --- C bindings for a WIT world -----------------------------------------------------------------------------
#   wasip2ld_bindgen(<target> WIT <file-or-dir> WORLD <name> [OUT_DIR <dir>] [RENAME <iface=name>…]
#                    [STRING_ENCODING utf8|utf16] [MANGLING legacy|standard32])
# Generates <world>.h/.c with `wasip2ld bindgen c` at build time (again whenever a .wit file changes), adds
# <world>.c to <target>, the directory to its include path, and --wit/--world (and --string-encoding) to its
# link, so the linker embeds the same world. See docs/bindgen.md.
function(wasip2ld_bindgen target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "WIT;WORLD;OUT_DIR;STRING_ENCODING;MANGLING" "RENAME")
  if(NOT arg_WIT OR NOT arg_WORLD)
    message(FATAL_ERROR "wasip2ld_bindgen(${target}): WIT and WORLD are required")
  endif()
  get_filename_component(wit "${arg_WIT}" ABSOLUTE)
  if(NOT arg_OUT_DIR)
    set(arg_OUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${target}-bindgen")
  endif()
  # <world>.h/.c are named after the world: `ns:pkg/my-world@1.0` -> my_world
  string(REGEX REPLACE "^.*/" "" stem "${arg_WORLD}")
  string(REGEX REPLACE "@.*$" "" stem "${stem}")
  string(TOLOWER "${stem}" stem)
  string(REPLACE "-" "_" stem "${stem}")
  set(outputs "${arg_OUT_DIR}/${stem}.h" "${arg_OUT_DIR}/${stem}.c")
  set(args --wit "${wit}" --world "${arg_WORLD}" --out-dir "${arg_OUT_DIR}")
  foreach(rename IN LISTS arg_RENAME)
    list(APPEND args --rename "${rename}")
  endforeach()
  set(link_flags "--wit=${wit}" "--world=${arg_WORLD}")
  if(arg_STRING_ENCODING)
    list(APPEND args --string-encoding "${arg_STRING_ENCODING}")
    list(APPEND link_flags "--string-encoding=${arg_STRING_ENCODING}")
  endif()
  if(arg_MANGLING)
    list(APPEND args --mangling "${arg_MANGLING}")
    list(APPEND link_flags "--mangling=${arg_MANGLING}")
  endif()
  if(IS_DIRECTORY "${wit}")
    file(GLOB_RECURSE wit_files CONFIGURE_DEPENDS "${wit}/*.wit")
  else()
    set(wit_files "${wit}")
  endif()
  add_custom_command(OUTPUT ${outputs}
                     COMMAND "${WASIP2LD_EXECUTABLE}" bindgen c ${args}
                     DEPENDS ${wit_files}
                     COMMENT "Generating C bindings for WIT world ${arg_WORLD}"
                     VERBATIM)
  target_sources(${target} PRIVATE ${outputs})
  target_include_directories(${target} PRIVATE "${arg_OUT_DIR}")
  target_link_options(${target} PRIVATE ${link_flags})
endfunction()
