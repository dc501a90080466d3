#ifndef WORDSTAT_H
#define WORDSTAT_H
#include <stddef.h>

typedef struct {
    size_t words;
    size_t distinct;
    char top[32];
    size_t top_count;
} wordstat_result;

/* Counts the words of `text` (letters only, case-folded) and the most frequent one. */
int wordstat_count(const char *text, wordstat_result *out);

#endif
