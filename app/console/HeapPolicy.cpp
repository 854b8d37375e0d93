// How the console's heap is kept compact: few malloc arenas, big blocks returned, free pages trimmed.
#include "HeapPolicy.h"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace dd::console {

void applyCompactHeapPolicy()
{
#if defined(__GLIBC__)
    constexpr int kArenas = 2;
    constexpr int kBigBlock = 128 * 1024;
    if (!std::getenv("MALLOC_ARENA_MAX"))
        mallopt(M_ARENA_MAX, kArenas);
    // Setting these fixes the thresholds (glibc otherwise raises the mmap threshold to
    // the largest block freed so far, up to 32 MiB, and such blocks then stay resident).
    if (!std::getenv("MALLOC_MMAP_THRESHOLD_"))
        mallopt(M_MMAP_THRESHOLD, kBigBlock);
    if (!std::getenv("MALLOC_TRIM_THRESHOLD_"))
        mallopt(M_TRIM_THRESHOLD, kBigBlock);
#endif
}

void trimHeap()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace dd::console
