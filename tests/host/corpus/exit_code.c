/* The exit status given as the first argument: exit(N), or `abort`/`trap`/`oob`/`return`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *how = argc > 1 ? argv[1] : "0";
    printf("exiting with %s\n", how);
    fflush(stdout);
    if (strcmp(how, "abort") == 0) {
        abort();
    }
    if (strcmp(how, "trap") == 0) {
        __builtin_trap();
    }
    if (strcmp(how, "oob") == 0) {
        volatile int *p = (int *)0x7ffffff0;
        return p[1024 * 1024 * 64];
    }
    if (strcmp(how, "return") == 0) {
        return 7;
    }
    exit(atoi(how));
}
