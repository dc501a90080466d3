#include <stdio.h>
#include <stdlib.h>

#include "caesar.h"

/* caesar SHIFT [FILE]: prints FILE (or standard input) with its letters shifted by SHIFT. */
int main(int argc, char **argv) {
    char *end;
    long shift = argc > 1 ? strtol(argv[1], &end, 10) : 0;
    if (argc < 2 || argc > 3 || *end) {
        fputs("usage: caesar SHIFT [FILE]\n", stderr);
        return 2;
    }
    FILE *in = argc == 3 ? fopen(argv[2], "r") : stdin;
    if (!in) {
        perror(argv[2]);
        return 1;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        caesar_shift(buf, n, (int)shift);
        fwrite(buf, 1, n, stdout);
    }
    return 0;
}
