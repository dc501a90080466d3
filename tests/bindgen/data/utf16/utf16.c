/* --string-encoding utf16: utf16_string_t holds UTF-16 code units (char16_t literals). */
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include "utf16.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

void exports_utf16_echo(utf16_string_t *s, utf16_list_string_t *xs, utf16_string_t *ret) {
  utf16_string_t hi;
  utf16_string_set(&hi, u"h\u00e9llo \U0001F600");
  utf16_string_t loud;
  utf16_shout(&hi, &loud);
  CHECK(loud.len == utf16_string_len(u"H\u00c9LLO \U0001F600") && memcmp(loud.ptr, u"H\u00c9LLO \U0001F600", loud.len * 2) == 0);
  utf16_string_free(&loud);
  size_t total = s->len;
  for (size_t i = 0; i < xs->len; i++) total += xs->ptr[i].len;
  ret->len = total;
  ret->ptr = total ? malloc(total * 2) : NULL;
  if (s->len) memcpy(ret->ptr, s->ptr, s->len * 2);
  for (size_t i = 0, at = s->len; i < xs->len; at += xs->ptr[i].len, i++) {
    if (xs->ptr[i].len) memcpy(ret->ptr + at, xs->ptr[i].ptr, xs->ptr[i].len * 2);
  }
  utf16_string_free(s);
  utf16_list_string_free(xs);
}
