/* Counts the lines of FILE and checks the count against EXPECTED; uses clock(), which wasi-libc only
 * emulates on request (the extra compile and link arguments the build systems pass). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE EXPECTED\n", argv[0]);
        return 2;
    }
    clock_t start = clock();
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    int lines = 0, c;
    while ((c = fgetc(in)) != EOF)
        lines += c == '\n';
    fclose(in);
    printf("%s: %d lines (%s)\n", argv[1], lines, clock() >= start ? "clock ok" : "clock broken");
    return lines == atoi(argv[2]) ? 0 : 1;
}
