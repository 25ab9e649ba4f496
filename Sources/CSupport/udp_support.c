#define _GNU_SOURCE
#include "CSupport.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int csupport_timerfd_open(void) {
    return timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
}

int csupport_timerfd_start_aligned(int fd, uint64_t period_ns) {
    if (period_ns == 0) { errno = EINVAL; return -1; }
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) return -1;
    uint64_t ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    uint64_t next = (ns / period_ns + 1) * period_ns;
    struct itimerspec spec = {
        .it_interval = { .tv_sec = (time_t)(period_ns / 1000000000u), .tv_nsec = (long)(period_ns % 1000000000u) },
        .it_value = { .tv_sec = (time_t)(next / 1000000000u), .tv_nsec = (long)(next % 1000000000u) },
    };
    return timerfd_settime(fd, TFD_TIMER_ABSTIME, &spec, NULL);
}

int csupport_timerfd_stop(int fd) {
    struct itimerspec disarmed = { 0 };
    return timerfd_settime(fd, 0, &disarmed, NULL);
}

int64_t csupport_timerfd_expirations(int fd) {
    uint64_t count = 0;
    ssize_t n = read(fd, &count, sizeof count);
    if (n == (ssize_t)sizeof count) return (int64_t)count;
    if (n < 0 && errno == EAGAIN) return 0;
    if (n >= 0) errno = EIO;
    return -1;
}

int csupport_receive_datagrams(int fd, void *buffer, uint32_t slot_size, uint32_t count, uint32_t *lengths) {
    enum { most = 64 };
    if (count > most) count = most;
    struct mmsghdr messages[most];
    struct iovec vectors[most];
    for (uint32_t i = 0; i < count; i++) {
        vectors[i].iov_base = (char *)buffer + (size_t)i * slot_size;
        vectors[i].iov_len = slot_size;
        messages[i].msg_hdr = (struct msghdr){ .msg_iov = &vectors[i], .msg_iovlen = 1 };
        messages[i].msg_len = 0;
    }
    int received = recvmmsg(fd, messages, count, MSG_DONTWAIT, NULL);
    if (received < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
    for (int i = 0; i < received; i++) lengths[i] = messages[i].msg_len;
    return received;
}
