#include "CSupport.h"

#include <errno.h>
#include <stddef.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

uint64_t csupport_load_acquire_u64(const void *address) {
    return atomic_load_explicit((const _Atomic uint64_t *)address, memory_order_acquire);
}

void csupport_store_release_u64(void *address, uint64_t value) {
    atomic_store_explicit((_Atomic uint64_t *)address, value, memory_order_release);
}

uint32_t csupport_load_seq_cst_u32(const void *address) {
    return atomic_load_explicit((const _Atomic uint32_t *)address, memory_order_seq_cst);
}

uint32_t csupport_fetch_add_u32(void *address, uint32_t delta) {
    return atomic_fetch_add_explicit((_Atomic uint32_t *)address, delta, memory_order_seq_cst);
}

uint32_t csupport_fetch_sub_u32(void *address, uint32_t delta) {
    return atomic_fetch_sub_explicit((_Atomic uint32_t *)address, delta, memory_order_seq_cst);
}

void csupport_fence_release(void) {
    atomic_thread_fence(memory_order_release);
}

void csupport_fence_acquire(void) {
    atomic_thread_fence(memory_order_acquire);
}

int csupport_futex_wait(const void *address, uint32_t expected, int32_t timeout_ms) {
    struct timespec timeout;
    if (timeout_ms < 0) timeout_ms = 0;
    timeout.tv_sec = timeout_ms / 1000;
    timeout.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
    long result = syscall(SYS_futex, address, FUTEX_WAIT, expected, &timeout, NULL, 0);
    return result == 0 ? 0 : -1;
}

int csupport_futex_wake(void *address, int32_t count) {
    return (int)syscall(SYS_futex, address, FUTEX_WAKE, count, NULL, NULL, 0);
}

int csupport_futex_wait_private(const void *address, uint32_t expected, int32_t timeout_ms) {
    struct timespec timeout;
    timeout.tv_sec = timeout_ms / 1000;
    timeout.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
    long result = syscall(SYS_futex, address, FUTEX_WAIT_PRIVATE, expected, timeout_ms < 0 ? NULL : &timeout, NULL, 0);
    return result == 0 ? 0 : -1;
}

int csupport_futex_wake_private(void *address, int32_t count) {
    return (int)syscall(SYS_futex, address, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
}

int csupport_futex_waitv(void *const *addresses, const uint32_t *expected, const uint8_t *is_private, uint32_t count) {
#ifdef SYS_futex_waitv
    struct futex_waitv waiters[FUTEX_WAITV_MAX];
    if (count == 0 || count > FUTEX_WAITV_MAX) {
        errno = EINVAL;
        return -1;
    }
    for (uint32_t i = 0; i < count; i++) {
        waiters[i].val = expected[i];
        waiters[i].uaddr = (uint64_t)(uintptr_t)addresses[i];
        waiters[i].flags = FUTEX_32 | (is_private[i] ? FUTEX_PRIVATE_FLAG : 0);
        waiters[i].__reserved = 0;
    }
    long result = syscall(SYS_futex_waitv, waiters, count, 0, NULL, 0);
    return result < 0 ? -1 : (int)result;
#else
    (void)addresses; (void)expected; (void)is_private; (void)count;
    errno = ENOSYS;
    return -1;
#endif
}
