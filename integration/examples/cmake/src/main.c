#include <stdio.h>
#include <stdlib.h>

#include "wordstat.h"

static char *slurp(FILE *in) {
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, in)) > 0) {
        len += n;
        if (cap - len < 2) buf = realloc(buf, cap *= 2);
    }
    if (buf) buf[len] = '\0';
    return buf;
}

int main(int argc, char **argv) {
    FILE *in = stdin;
    if (argc > 1 && !(in = fopen(argv[1], "r"))) {
        perror(argv[1]);
        return 1;
    }
    char *text = slurp(in);
    wordstat_result r;
    if (!text || wordstat_count(text, &r) != 0) {
        fputs("wordcount: out of memory\n", stderr);
        return 1;
    }
    printf("words=%zu distinct=%zu top=%s:%zu\n", r.words, r.distinct, r.top, r.top_count);
    free(text);
    return 0;
}
