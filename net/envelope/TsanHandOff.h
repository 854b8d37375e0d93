// Tells ThreadSanitizer about the thread hand-off of a message buffer inside libzmq; no code otherwise.
#pragma once

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace dd::net {

// libzmq is not instrumented: an inproc send moves the buffer's pointer to the receiving thread
// through a lock-free pipe that TSan cannot see, so the receiver's first read of what the sender
// wrote looks like a race. The sender releases on the buffer's address after writing it and the
// receiver acquires on it before reading: the same order libzmq guarantees.
inline void tsanHandOff(const void *buffer)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(const_cast<void *>(buffer));
#else
    (void)buffer;
#endif
}

inline void tsanTakeOver(const void *buffer)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(const_cast<void *>(buffer));
#else
    (void)buffer;
#endif
}

} // namespace dd::net
