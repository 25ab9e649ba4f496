#ifndef CSUPPORT_H
#define CSUPPORT_H

#include <stdint.h>

// Ring helpers (ring_support.c): atomics and futexes on memory shared between processes.
//
// Swift's standard library has no atomics that can be laid over an arbitrary address (its `Atomic` must own its
// storage, and swift-atomics is not a dependency we take), and Glibc's `syscall()` is variadic, which Swift cannot
// call. These few functions give the Ring module exactly the operations its format (docs/ring-format.md) needs.

/// 64-bit load with acquire ordering. Swift cannot express an ordered load from a shared mapping.
uint64_t csupport_load_acquire_u64(const void *address);
/// 64-bit store with release ordering. Swift cannot express an ordered store into a shared mapping.
void csupport_store_release_u64(void *address, uint64_t value);
/// 32-bit sequentially consistent load (the futex waiter count). Swift cannot express it on a raw address.
uint32_t csupport_load_seq_cst_u32(const void *address);
/// 32-bit sequentially consistent fetch-and-add; returns the previous value. Swift cannot express it on a raw address.
uint32_t csupport_fetch_add_u32(void *address, uint32_t delta);
/// 32-bit sequentially consistent fetch-and-subtract; returns the previous value.
uint32_t csupport_fetch_sub_u32(void *address, uint32_t delta);
/// Release fence: no earlier load or store moves after a later store. Swift has no fence outside `Synchronization`'s
/// own atomics.
void csupport_fence_release(void);
/// Acquire fence: no later load or store moves before an earlier load.
void csupport_fence_acquire(void);

/// Sleeps until `csupport_futex_wake` on the same shared word, `timeout_ms` passes, or a signal arrives, unless the
/// word no longer holds `expected`. Process-shared (no FUTEX_PRIVATE_FLAG), so it works across processes mapping the
/// same file. Returns 0 when woken, else -1 with errno (EAGAIN: the word had changed; ETIMEDOUT; EINTR).
/// Needs `syscall(SYS_futex, ...)`, which is variadic and so not callable from Swift.
int csupport_futex_wait(const void *address, uint32_t expected, int32_t timeout_ms);
/// Wakes up to `count` waiters on the shared word; returns how many were woken, or -1 with errno.
int csupport_futex_wake(void *address, int32_t count);

/// Like `csupport_futex_wait` on a word private to this process (FUTEX_PRIVATE_FLAG, cheaper), and without a
/// timeout when `timeout_ms` is negative.
int csupport_futex_wait_private(const void *address, uint32_t expected, int32_t timeout_ms);
/// Wakes up to `count` waiters on a word private to this process.
int csupport_futex_wake_private(void *address, int32_t count);

/// Sleeps until any of `count` 32-bit words no longer holds its `expected` value (then returns at once) or is woken
/// with a futex wake, with no timeout (FUTEX_WAITV, Linux 5.16). `is_private[i]` marks words private to this process;
/// the others are shared between processes. At most 128 words. Returns the index of a word that was woken, or -1 with
/// errno (EAGAIN: a word had changed; EINTR; ENOSYS: the kernel is older than 5.16).
int csupport_futex_waitv(void *const *addresses, const uint32_t *expected, const uint8_t *is_private, uint32_t count);

// Process helpers (process_support.c).

/// Asks the kernel to send `signal` to this process when its parent dies (prctl PR_SET_PDEATHSIG), so that no worker
/// outlives its supervisor. Returns 0, or -1 with errno. Swift cannot call the variadic prctl().
int csupport_set_parent_death_signal(int signal);

/// Unblocks every signal, restores the default disposition of SIGHUP, SIGINT, SIGTERM, SIGQUIT and SIGCHLD (a parent
/// may have ignored them), and ignores SIGPIPE (a write to a closed socket is then an EPIPE error, not a death).
/// A process inherits its parent's signal mask across exec: a supervisor started by a test runner or a script that
/// blocks signals would otherwise never see SIGTERM. Returns 0, or -1 with errno. Swift cannot call the
/// sigemptyset macro of some libcs, nor pass SIG_DFL/SIG_IGN portably.
int csupport_reset_signals(void);

// Paced UDP reading (udp_support.c): Glibc's Swift module leaves out timerfd and recvmmsg (GNU extensions).

/// A non-blocking, close-on-exec timerfd on CLOCK_MONOTONIC; returns the descriptor, or -1 with errno.
int csupport_timerfd_open(void);
/// Arms `fd` to expire at every multiple of `period_ns` of CLOCK_MONOTONIC, from the next one on. Every process that
/// arms a timer with the same period expires at the same instants, so that the kernel wakes them together.
/// Returns 0, or -1 with errno.
int csupport_timerfd_start_aligned(int fd, uint64_t period_ns);
/// Disarms `fd`. Returns 0, or -1 with errno.
int csupport_timerfd_stop(int fd);
/// Reads how many times `fd` expired since the last read (0 if none), or -1 with errno.
int64_t csupport_timerfd_expirations(int fd);
/// Receives up to `count` (at most 64) datagrams without waiting (recvmmsg, MSG_DONTWAIT), without their senders:
/// datagram i lands at `buffer + i * slot_size`, its length in `lengths[i]` (a longer datagram is cut to
/// `slot_size`). Returns how many were received (0 when the socket is empty), or -1 with errno.
int csupport_receive_datagrams(int fd, void *buffer, uint32_t slot_size, uint32_t count, uint32_t *lengths);

#endif
