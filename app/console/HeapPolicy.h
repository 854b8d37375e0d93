// How the console's heap is kept compact: few malloc arenas, big blocks returned, free pages trimmed.
#pragma once

namespace dd::console {

/// Call first in main(), before any thread starts. glibc gives every thread that
/// allocates concurrently its own arena (up to 8 per core), and each keeps its freed
/// startup transients (replay restore, list pages, JSON) resident: with eleven backend
/// threads and the render threads that was ~75 MB of a 10,000-drone console. Two arenas,
/// and blocks over 128 KiB always mmap'd (so they go back to the system on free),
/// measured 397 MB -> 298 MB peak RSS. The variables MALLOC_ARENA_MAX,
/// MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ still win when set.
void applyCompactHeapPolicy();

/// Returns free pages inside the heaps to the system (malloc_trim). Cheap with two
/// arenas; the console calls it after loading and then periodically.
void trimHeap();

} // namespace dd::console
