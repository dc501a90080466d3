/* Live heap bytes, for leak checks: the test links with -Wl,--wrap=malloc,--wrap=free,--wrap=realloc,
 * --wrap=calloc so every allocation (the bindings', the C code's, cabi_realloc's) is counted. */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>

void *__real_malloc(size_t n);
void __real_free(void *p);
void *__real_realloc(void *p, size_t n);
void *__real_calloc(size_t n, size_t m);

static int64_t live_bytes;

int64_t counting_live_bytes(void) { return live_bytes; }

void *__wrap_malloc(size_t n) {
  void *p = __real_malloc(n);
  if (p) live_bytes += malloc_usable_size(p);
  return p;
}

void __wrap_free(void *p) {
  if (p) live_bytes -= malloc_usable_size(p);
  __real_free(p);
}

void *__wrap_realloc(void *p, size_t n) {
  size_t before = p ? malloc_usable_size(p) : 0;
  void *q = __real_realloc(p, n);
  if (q) live_bytes += (int64_t) malloc_usable_size(q) - (int64_t) before;
  return q;
}

void *__wrap_calloc(size_t n, size_t m) {
  void *p = __real_calloc(n, m);
  if (p) live_bytes += malloc_usable_size(p);
  return p;
}
