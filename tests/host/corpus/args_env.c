/* Arguments and environment exactly as granted. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        printf("arg %d: [%s]\n", i, argv[i]);
    }
    for (char **e = environ; *e != NULL; e++) {
        printf("env: %s\n", *e);
    }
    const char *who = getenv("WHO");
    printf("WHO=%s\n", who ? who : "(unset)");
    return argc > 3 ? 1 : 0;
}
