#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "CSupport.h"

enum { csupport_max_datagrams = 64 };

int csupport_receive_datagrams(int fd, void *buffer, uint32_t slot_size, uint32_t count, uint32_t *lengths) {
    struct mmsghdr messages[csupport_max_datagrams];
    struct iovec vectors[csupport_max_datagrams];
    if (count > csupport_max_datagrams) count = csupport_max_datagrams;
    for (uint32_t i = 0; i < count; i++) {
        vectors[i].iov_base = (char *)buffer + (size_t)i * slot_size;
        vectors[i].iov_len = slot_size;
        messages[i].msg_hdr = (struct msghdr){ .msg_iov = &vectors[i], .msg_iovlen = 1 };
        messages[i].msg_len = 0;
    }
    int received;
    do {
        received = recvmmsg(fd, messages, count, MSG_DONTWAIT, NULL);
    } while (received < 0 && errno == EINTR);
    if (received < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
    for (int i = 0; i < received; i++) lengths[i] = messages[i].msg_len;
    return received;
}
