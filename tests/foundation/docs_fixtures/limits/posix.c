#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t raised;

static void on_signal(int signo) { raised = signo; }

int main(void) {
    signal(SIGUSR1, on_signal);
    raise(SIGUSR1);
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("signal %d, clock %s, pid %s, mmap %s\n", raised == SIGUSR1, clock() >= 0 ? "ok" : "no",
           getpid() > 0 ? "ok" : "no", page != MAP_FAILED ? "ok" : "no");
    return 0;
}
