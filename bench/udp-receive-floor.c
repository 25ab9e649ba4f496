// The floor of UDP ingest on this machine: a receiver that does nothing but take a stream's datagrams out of its
// socket and drop them, one process per stream as Sluice's ingest workers are, woken either by epoll on every
// arrival or by a timer at every multiple of a period of CLOCK_MONOTONIC (aligned across processes, as Sluice's
// `AlignedTicker`). bench/ingest-cost.sh runs one per stream beside Sluice and ffmpeg, so the three are measured
// against the same senders in the same run (docs/benchmarks.md, "Session 4").
//   clang -O2 -o /tmp/udp-receive-floor bench/udp-receive-floor.c
//   /tmp/udp-receive-floor epoll PORT | /tmp/udp-receive-floor PERIOD_MS PORT      (runs until killed)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>

enum { batch = 16, slot = 2048 };
static char buffers[batch][slot];

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s epoll|PERIOD_MS PORT\n", argv[0]);
        return 2;
    }
    int on_arrival = strcmp(argv[1], "epoll") == 0;
    long long period = on_arrival ? 0 : atoll(argv[1]) * 1000000LL;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int size = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        perror("bind");
        return 1;
    }
    int poller = epoll_create1(0);
    struct epoll_event event = { .events = EPOLLIN };
    epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event);
    struct mmsghdr messages[batch];
    struct iovec vectors[batch];
    for (int i = 0; i < batch; i++) {
        vectors[i] = (struct iovec){ .iov_base = buffers[i], .iov_len = slot };
        messages[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &vectors[i], .msg_iovlen = 1 } };
    }
    for (;;) {
        if (on_arrival) {
            epoll_wait(poller, &event, 1, -1);
        } else {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long long next = ((now.tv_sec * 1000000000LL + now.tv_nsec) / period + 1) * period;
            struct timespec at = { .tv_sec = next / 1000000000LL, .tv_nsec = next % 1000000000LL };
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
        }
        while (recvmmsg(fd, messages, batch, MSG_DONTWAIT, NULL) == batch) {}
    }
}
