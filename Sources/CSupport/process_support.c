#include "CSupport.h"

#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>

int csupport_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0, 0, 0);
}

int csupport_reset_signals(void) {
    sigset_t all;
    sigemptyset(&all);
    if (sigprocmask(SIG_SETMASK, &all, NULL) != 0) return -1;
    const int restored[] = { SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGCHLD };
    for (unsigned i = 0; i < sizeof restored / sizeof restored[0]; i++) {
        if (signal(restored[i], SIG_DFL) == SIG_ERR) return -1;
    }
    // Writes to a closed socket must be errors (EPIPE), not process deaths.
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) return -1;
    return 0;
}
