/* stdout, stderr and stdin: echo stdin upper-cased, line by line, with counts on stderr. */
#include <ctype.h>
#include <stdio.h>

int main(void) {
    char line[256];
    int lines = 0;
    printf("reading stdin\n");
    while (fgets(line, sizeof line, stdin) != NULL) {
        for (char *p = line; *p; p++) {
            *p = (char)toupper((unsigned char)*p);
        }
        fputs(line, stdout);
        lines++;
        fprintf(stderr, "line %d\n", lines);
    }
    fflush(stdout);
    fprintf(stderr, "%d lines\n", lines);
    return 0;
}
