# CMake platform module for CMAKE_SYSTEM_NAME=WASI (loaded through wasip2.cmake's CMAKE_MODULE_PATH).
# wasm32-wasip2 has no dynamic linking: every library is static, every executable is a .wasm file (or has
# no suffix, like a native one, when wasm programs run directly: WASIP2LD_EXECUTABLE_SUFFIX, see wasip2.cmake).
set(WASI 1)
set(UNIX 1)

if(DEFINED WASIP2LD_EXECUTABLE_SUFFIX)
  set(CMAKE_EXECUTABLE_SUFFIX "${WASIP2LD_EXECUTABLE_SUFFIX}")
else()
  set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
endif()
set(CMAKE_STATIC_LIBRARY_PREFIX "lib")
set(CMAKE_STATIC_LIBRARY_SUFFIX ".a")
set(CMAKE_FIND_LIBRARY_PREFIXES "lib")
set(CMAKE_FIND_LIBRARY_SUFFIXES ".a")
set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)

# Paths below CMAKE_FIND_ROOT_PATH (the sysroot and any prefix the user adds).
set(CMAKE_SYSTEM_INCLUDE_PATH /include)
set(CMAKE_SYSTEM_LIBRARY_PATH /lib/wasm32-wasip2 /lib)
set(CMAKE_SYSTEM_PROGRAM_PATH /bin)
set(CMAKE_SYSTEM_PREFIX_PATH / /usr)
