// The fuzz targets' invariant check: a broken promise of the code under test is a crash libFuzzer keeps.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace dd::fuzz {

inline void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz check failed: %s\n", what);
        std::abort();
    }
}

} // namespace dd::fuzz

/// check() with the condition's own text as the message.
#define DD_FUZZ_CHECK(condition) ::dd::fuzz::check((condition), #condition)
