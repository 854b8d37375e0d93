# DD_FUZZ=ON: the libFuzzer targets of tests/fuzz, in their own build dir (build-fuzz, CC=clang CXX=clang++).
option(DD_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only; see docs/fuzzing.md)" OFF)
if(DD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DD_FUZZ needs clang: configure with CC=clang CXX=clang++ (scripts/fuzz.sh does)")
  endif()
  # Everything compiled in this tree is coverage-instrumented and checked by ASan + UBSan;
  # only the fuzz targets (and what they link) are ever built here, never the console.
  # A UB report aborts, so libFuzzer sees it as a crash and keeps the input.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  add_subdirectory(${PROJECT_SOURCE_DIR}/tests/fuzz ${PROJECT_BINARY_DIR}/tests/fuzz)
endif()
