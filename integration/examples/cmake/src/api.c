/* The library as a core module build target: the WIT world in wit/wordstat.wit exports count-words. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wordstat.h"

/* The Canonical ABI allocates the string argument through this before calling count-words. */
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    (void)align;
    return realloc(old, new_size);
}

static uint32_t counts[2];

/* count-words: func(text: string) -> tuple<u32, u32>; the tuple is returned through memory. */
__attribute__((export_name("count-words")))
uint32_t *count_words(char *text, size_t len) {
    char *terminated = realloc(text, len + 1);
    wordstat_result r = {0};
    if (terminated) {
        terminated[len] = '\0';
        wordstat_count(terminated, &r);
    }
    free(terminated ? terminated : text);
    counts[0] = (uint32_t)r.words;
    counts[1] = (uint32_t)r.distinct;
    return counts;
}
