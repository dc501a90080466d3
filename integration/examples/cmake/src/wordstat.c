#include "wordstat.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DISTINCT 1024

typedef struct { char word[32]; size_t count; } entry;

static size_t next_word(const char **cursor, char *word, size_t cap) {
    const char *p = *cursor;
    while (*p && !isalpha((unsigned char)*p)) p++;
    size_t n = 0;
    while (*p && isalpha((unsigned char)*p)) {
        if (n + 1 < cap) word[n++] = (char)tolower((unsigned char)*p);
        p++;
    }
    word[n] = '\0';
    *cursor = p;
    return n;
}

int wordstat_count(const char *text, wordstat_result *out) {
    entry *table = calloc(MAX_DISTINCT, sizeof *table);
    if (!table) return -1;
    memset(out, 0, sizeof *out);
    char word[32];
    const char *cursor = text;
    while (next_word(&cursor, word, sizeof word) > 0) {
        out->words++;
        size_t i = 0;
        while (i < out->distinct && strcasecmp(table[i].word, word) != 0) i++;
        if (i == out->distinct) {
            if (out->distinct == MAX_DISTINCT) { free(table); return -1; }
            strcpy(table[out->distinct++].word, word);
        }
        if (++table[i].count > out->top_count) {
            out->top_count = table[i].count;
            strcpy(out->top, table[i].word);
        }
    }
    free(table);
    return 0;
}
