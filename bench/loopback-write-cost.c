// What a fan-out write costs the kernel on loopback, without a server (docs/benchmarks.md, RTMP session 3): N
// connections; every T ms, BYTES are written to each (so every connection gets BYTES / T); the readers, in a child
// process, wake for 32 KB at a time (SO_RCVLOWAT, as the benchmark's RTMP players do). Prints the writer's CPU per
// connection per second and per write. TCP_NODELAY is set unless NAGLE is in the environment.
//   cc -O2 -o /tmp/loopback-write-cost bench/loopback-write-cost.c
//   /tmp/loopback-write-cost N T_MS BYTES MODE SECONDS     MODE: write, write5 (five writes of BYTES / 5), send, sendfile
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void) {
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_utime.tv_sec + r.ru_utime.tv_usec / 1e6 + r.ru_stime.tv_sec + r.ru_stime.tv_usec / 1e6;
}

// Reads everything that arrives, woken for 32 KB at a time.
static void drain(int *sockets, int n) {
    int ep = epoll_create1(0), lowWater = 32768;
    for (int i = 0; i < n; i++) {
        setsockopt(sockets[i], SOL_SOCKET, SO_RCVLOWAT, &lowWater, sizeof lowWater);
        struct epoll_event e = {.events = EPOLLIN, .data.fd = sockets[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, sockets[i], &e);
    }
    static char buffer[65536];
    struct epoll_event events[256];
    for (;;) {
        int ready = epoll_wait(ep, events, 256, -1);
        for (int j = 0; j < ready; j++) (void)!read(events[j].data.fd, buffer, sizeof buffer);
    }
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s N T_MS BYTES write|write5|send|sendfile SECONDS\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[1]), interval = atoi(argv[2]), size = atoi(argv[3]), seconds = atoi(argv[5]);
    const char *mode = argv[4];
    signal(SIGPIPE, SIG_IGN);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    bind(listener, (void *)&address, sizeof address);
    listen(listener, 4096);
    getsockname(listener, (void *)&address, &length);
    int *readers = malloc(n * sizeof(int)), *writers = malloc(n * sizeof(int));
    for (int i = 0; i < n; i++) {
        readers[i] = socket(AF_INET, SOCK_STREAM, 0);
        connect(readers[i], (void *)&address, sizeof address);
        writers[i] = accept(listener, 0, 0);
    }
    pid_t child = fork();
    if (child == 0) drain(readers, n);
    for (int i = 0; i < n; i++) {
        close(readers[i]);
        int noDelay = getenv("NAGLE") ? 0 : 1;
        setsockopt(writers[i], IPPROTO_TCP, TCP_NODELAY, &noDelay, sizeof noDelay);
        fcntl(writers[i], F_SETFL, O_NONBLOCK);
    }
    char *data = malloc(size);
    memset(data, 7, size);
    int file = memfd_create("loopback-write-cost", 0);
    if (write(file, data, size) != size) return 1;
    double start = now(), startCPU = cpu(), next = start;
    long writes = 0, bytes = 0, short_writes = 0;
    while (now() - start < seconds) {
        for (int i = 0; i < n; i++) {
            ssize_t written = 0;
            if (!strcmp(mode, "write5")) {
                for (int k = 0; k < 5; k++) written += write(writers[i], data, size / 5);
            } else if (!strcmp(mode, "send")) {
                written = send(writers[i], data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
            } else if (!strcmp(mode, "sendfile")) {
                off_t offset = 0;
                written = sendfile(writers[i], file, &offset, size);
            } else {
                written = write(writers[i], data, size);
            }
            writes++;
            if (written > 0) bytes += written;
            if (written != size) short_writes++;
        }
        next += interval / 1000.0;
        double wait = next - now();
        if (wait > 0) {
            struct timespec pause = {(time_t)wait, (long)((wait - (time_t)wait) * 1e9)};
            nanosleep(&pause, 0);
        }
    }
    double elapsed = now() - start, used = cpu() - startCPU;
    printf("%s%s n=%d every %d ms %d bytes: %.1f us per connection per second, %.2f us per write, "
           "%.0f KB/s per connection, %ld short writes\n", mode, getenv("NAGLE") ? " (Nagle)" : "", n, interval, size,
           used * 1e6 / elapsed / n, used * 1e6 / writes, bytes / elapsed / n / 1000, short_writes);
    kill(child, SIGKILL);
    waitpid(child, 0, 0);
    return 0;
}
