# Sanitizer builds: -DDD_SANITIZE=address,undefined or =thread instruments everything this tree builds.
# Empty (the default) changes nothing. scripts/test.sh --sanitize configures build-asan-ubsan / build-tsan with it.
set(DD_SANITIZE "" CACHE STRING "Sanitizers for every target: empty, address,undefined (also address or undefined alone), or thread")

if(DD_SANITIZE)
  string(REPLACE "," ";" _dd_sanitizers "${DD_SANITIZE}")
  foreach(_dd_s IN LISTS _dd_sanitizers)
    if(NOT _dd_s MATCHES "^(address|undefined|thread)$")
      message(FATAL_ERROR "DD_SANITIZE: unknown sanitizer '${_dd_s}' (address, undefined, thread)")
    endif()
  endforeach()
  # The runtimes cannot share one process: TSan and ASan both own the shadow memory and malloc.
  if("thread" IN_LIST _dd_sanitizers AND "address" IN_LIST _dd_sanitizers)
    message(FATAL_ERROR "DD_SANITIZE: thread cannot be combined with address")
  endif()

  set(_dd_sanitize_flags -fsanitize=${DD_SANITIZE} -fno-omit-frame-pointer)
  if("undefined" IN_LIST _dd_sanitizers)
    # UBSan only prints and goes on by default; abort instead so the test that hit it fails.
    list(APPEND _dd_sanitize_flags -fno-sanitize-recover=undefined)
  endif()
  # -O1 and line tables only: GCC at -O2 -g takes about 4x longer on instrumented code
  # (tst_rpc.cpp: 86 s against 21 s), and stack traces keep their file:line. The same
  # semantics as the plain tree (NDEBUG); only the optimiser works less.
  set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O1 -g1 -DNDEBUG")
  add_compile_options(${_dd_sanitize_flags})
  add_link_options(${_dd_sanitize_flags})

  # The sanitizer runtime must own malloc/free: a normal variable that is set makes the
  # find_library(DD_TCMALLOC ...) of app/backend skip its search, so no target links tcmalloc.
  set(DD_TCMALLOC OFF)
  message(STATUS "Sanitizers: ${DD_SANITIZE} (server allocator: the sanitizer's)")
endif()
