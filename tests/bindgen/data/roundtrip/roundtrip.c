/* The roundtrip world implemented against `wasip2ld bindgen c` output: every export transforms its
 * arguments (and frees them: exports own their arguments); `via-host` calls every import with C assertions
 * on the results (and frees them: callers own import results). */
#include <stdlib.h>
#include <string.h>

#include "roundtrip.h"

/* assert() would print through stdio; a trap fails the call just as visibly. */
#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int64_t counting_live_bytes(void);

/* No stdio: a module build target must not pull in wasi-libc's WASI p1 code. */
static size_t put_uint(char *buf, const char *prefix, uint32_t n) {
  size_t len = strlen(prefix);
  memcpy(buf, prefix, len);
  char digits[10];
  size_t k = 0;
  do digits[k++] = (char) ('0' + n % 10); while ((n /= 10) != 0);
  while (k) buf[len++] = digits[--k];
  buf[len] = 0;
  return len;
}

static bool parse_int(const char **p, int *out) {
  int sign = 1, value = 0;
  if (**p == '-') { sign = -1; (*p)++; }
  if (**p < '0' || **p > '9') return false;
  while (**p >= '0' && **p <= '9') value = value * 10 + (*(*p)++ - '0');
  *out = sign * value;
  return true;
}

static bool str_eq(const roundtrip_string_t *s, const char *want) {
  return s->len == strlen(want) && memcmp(s->ptr, want, s->len) == 0;
}

static void str_concat(roundtrip_string_t *ret, const roundtrip_string_t *a, const char *b) {
  size_t n = strlen(b);
  ret->len = a->len + n;
  ret->ptr = ret->len ? malloc(ret->len) : NULL; /* empty: no buffer, as the bindings' _free expects */
  if (a->len) memcpy(ret->ptr, a->ptr, a->len);
  if (n) memcpy(ret->ptr + a->len, b, n);
}

void exports_roundtrip_scalars(bool a, uint8_t b, int8_t c, uint16_t d, int16_t e, uint32_t f, int32_t g,
                               uint64_t h, int64_t i, float j, double k, uint32_t l,
                               roundtrip_tuple12_bool_u8_s8_u16_s16_u32_s32_u64_s64_f32_f64_char32_t *ret) {
  ret->f0 = !a;
  ret->f1 = b + 1;
  ret->f2 = c - 1;
  ret->f3 = d + 1;
  ret->f4 = e - 1;
  ret->f5 = f + 1;
  ret->f6 = g - 1;
  ret->f7 = h + 1;
  ret->f8 = i - 1;
  ret->f9 = j * 2;
  ret->f10 = k * 2;
  ret->f11 = l + 1;
}

void exports_roundtrip_many(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e, uint32_t f, uint32_t g,
                            uint32_t h, uint32_t i, uint32_t j, uint32_t k, uint32_t l, uint32_t m, uint32_t n,
                            uint32_t o, uint32_t p, roundtrip_string_t *q, roundtrip_string_t *ret) {
  char buf[64];
  uint32_t sum = a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p;
  put_uint(buf, "sum=", sum);
  strcat(buf, ":");
  roundtrip_string_t head;
  roundtrip_string_set(&head, buf);
  char tail[64] = {0};
  memcpy(tail, q->ptr, q->len < 63 ? q->len : 63);
  str_concat(ret, &head, tail);
  roundtrip_string_free(q);
}

void exports_roundtrip_strings(roundtrip_string_t *s, roundtrip_names_t *xs, roundtrip_names_t *ret) {
  ret->len = xs->len + 1;
  ret->ptr = malloc(sizeof(roundtrip_name_t) * ret->len);
  ret->ptr[0] = *s; /* ownership of `s` moves into the result */
  for (size_t i = 0; i < xs->len; i++) {
    roundtrip_string_dup_n(&ret->ptr[i + 1], (const char *) xs->ptr[xs->len - 1 - i].ptr, xs->ptr[xs->len - 1 - i].len);
  }
  roundtrip_names_free(xs);
}

void exports_roundtrip_bag_roundtrip(roundtrip_bag_t *b, roundtrip_bag_t *ret) {
  *ret = *b; /* take everything over, then change it */
  ret->flag = !b->flag;
  ret->small += 1;
  ret->tiny -= 1;
  ret->mid += 1;
  ret->smid -= 1;
  ret->word += 1;
  ret->sword -= 1;
  ret->big += 1;
  ret->sbig -= 1;
  ret->ratio *= 2;
  ret->precise *= 2;
  ret->letter += 1;
  for (size_t i = 0; i < ret->text.len / 2; i++) {
    uint8_t t = ret->text.ptr[i];
    ret->text.ptr[i] = ret->text.ptr[ret->text.len - 1 - i];
    ret->text.ptr[ret->text.len - 1 - i] = t;
  }
  for (size_t i = 0; i < ret->nums.len; i++) ret->nums.ptr[i] *= 3;
  ret->where.x += 1;
  ret->where.y -= 1;
  ret->pair.f0 += 1;
}

static void shape_next(const roundtrip_shape_t *in, roundtrip_shape_t *out) {
  out->tag = in->tag;
  switch (in->tag) {
    case TEST_BINDGEN_TYPES_SHAPE_CIRCLE: out->val.circle = in->val.circle * 2; break;
    case TEST_BINDGEN_TYPES_SHAPE_RECT:
      out->val.rect.f0 = in->val.rect.f1;
      out->val.rect.f1 = in->val.rect.f0;
      break;
    case TEST_BINDGEN_TYPES_SHAPE_LABEL: str_concat(&out->val.label, &in->val.label, "?"); break;
    case TEST_BINDGEN_TYPES_SHAPE_BIG: out->val.big = in->val.big + 1; break;
    default: break;
  }
}

void exports_roundtrip_shapes(roundtrip_list_shape_t *xs, roundtrip_list_shape_t *ret) {
  ret->len = xs->len;
  ret->ptr = xs->len ? malloc(sizeof(roundtrip_shape_t) * xs->len) : NULL;
  for (size_t i = 0; i < xs->len; i++) shape_next(&xs->ptr[i], &ret->ptr[i]);
  roundtrip_list_shape_free(xs);
}

double exports_roundtrip_area(roundtrip_shape_t *s) {
  double r = -1;
  switch (s->tag) {
    case TEST_BINDGEN_TYPES_SHAPE_CIRCLE: r = 3.0 * s->val.circle * s->val.circle; break;
    case TEST_BINDGEN_TYPES_SHAPE_RECT:
      r = (double) (s->val.rect.f1.x - s->val.rect.f0.x) * (double) (s->val.rect.f1.y - s->val.rect.f0.y);
      break;
    case TEST_BINDGEN_TYPES_SHAPE_LABEL: r = (double) s->val.label.len; break;
    case TEST_BINDGEN_TYPES_SHAPE_BIG: r = (double) s->val.big; break;
  }
  roundtrip_shape_free(s);
  return r;
}

void exports_roundtrip_paint(roundtrip_color_t c, roundtrip_perms_t p, roundtrip_tuple2_color_perms_t *ret) {
  ret->f0 = (c + 1) % 3;
  ret->f1 = p ^ (TEST_BINDGEN_TYPES_PERMS_READ | TEST_BINDGEN_TYPES_PERMS_WRITE | TEST_BINDGEN_TYPES_PERMS_EXEC);
}

bool exports_roundtrip_maybe(uint32_t *maybe_n, roundtrip_string_t *maybe_s, roundtrip_string_t *ret) {
  bool some = maybe_n != NULL;
  if (some && maybe_s) {
    ret->len = maybe_s->len * *maybe_n;
    ret->ptr = ret->len ? malloc(ret->len) : NULL;
    for (uint32_t i = 0; i < *maybe_n; i++) memcpy(ret->ptr + i * maybe_s->len, maybe_s->ptr, maybe_s->len);
  } else if (some) {
    char buf[32];
    put_uint(buf, "n=", *maybe_n);
    roundtrip_string_dup(ret, buf);
  }
  if (maybe_s) roundtrip_string_free(maybe_s);
  return some;
}

bool exports_roundtrip_parse(roundtrip_string_t *s, roundtrip_point_t *ret, roundtrip_string_t *err) {
  char buf[64] = {0};
  memcpy(buf, s->ptr, s->len < 63 ? s->len : 63);
  int x, y;
  const char *p = buf;
  bool ok = parse_int(&p, &x) && *p++ == ',' && parse_int(&p, &y) && p == buf + s->len;
  if (ok) {
    ret->x = x;
    ret->y = y;
    roundtrip_string_free(s);
  } else {
    roundtrip_string_t prefix;
    roundtrip_string_set(&prefix, "bad: ");
    str_concat(err, &prefix, buf);
    roundtrip_string_free(s);
  }
  return ok;
}

bool exports_roundtrip_check(bool ok) { return ok; }

bool exports_roundtrip_fail_only(bool ok, roundtrip_string_t *err) {
  if (!ok) roundtrip_string_dup(err, "failed");
  return ok;
}

static void call_host(uint32_t n) {
  roundtrip_string_t s;
  roundtrip_string_set(&s, "hello");
  roundtrip_name_t items[2];
  roundtrip_string_set(&items[0], "a");
  roundtrip_string_set(&items[1], "bc");
  roundtrip_names_t xs = {items, 2};
  roundtrip_tuple2_name_names_t echoed;
  roundtrip_host_echo(&s, &xs, &echoed);
  CHECK(str_eq(&echoed.f0, "HELLO"));
  CHECK(echoed.f1.len == 2 && str_eq(&echoed.f1.ptr[0], "bc") && str_eq(&echoed.f1.ptr[1], "a"));
  roundtrip_tuple2_name_names_free(&echoed);

  uint16_t nums[3] = {1, 2, (uint16_t) n};
  roundtrip_bag_t bag = {
      .flag = true, .small = 200, .tiny = -100, .mid = 60000, .smid = -30000, .word = n, .sword = -5,
      .big = 1ull << 40, .sbig = -(1ll << 40), .ratio = 1.5f, .precise = 2.25, .letter = 0x1F600,
      .nums = {nums, 3}, .where = {-7, 8}, .pair = {9, {(uint8_t *) "pair", 4}},
  };
  roundtrip_string_set(&bag.text, "bag");
  roundtrip_bag_t got;
  roundtrip_host_bag(&bag, &got);
  CHECK(got.flag == false && got.small == 201 && got.tiny == -99 && got.word == n + 1);
  CHECK(got.big == (1ull << 40) + 1 && got.sbig == -(1ll << 40) - 1 && got.letter == 0x1F601);
  CHECK(got.ratio == 3.0f && got.precise == 4.5);
  CHECK(str_eq(&got.text, "bag!") && got.nums.len == 3 && got.nums.ptr[2] == (uint16_t) (n * 2));
  CHECK(got.where.x == -8 && got.where.y == 9 && got.pair.f0 == 10 && str_eq(&got.pair.f1, "pair!"));
  roundtrip_bag_free(&got);

  roundtrip_shape_t shapes[5];
  shapes[0].tag = TEST_BINDGEN_TYPES_SHAPE_CIRCLE;
  shapes[0].val.circle = 2.5f;
  shapes[1].tag = TEST_BINDGEN_TYPES_SHAPE_RECT;
  shapes[1].val.rect.f0 = (roundtrip_point_t){1, 2};
  shapes[1].val.rect.f1 = (roundtrip_point_t){3, 4};
  shapes[2].tag = TEST_BINDGEN_TYPES_SHAPE_LABEL;
  roundtrip_string_set(&shapes[2].val.label, "lbl");
  shapes[3].tag = TEST_BINDGEN_TYPES_SHAPE_BIG;
  shapes[3].val.big = 0xFFFFFFFFFull;
  shapes[4].tag = TEST_BINDGEN_TYPES_SHAPE_NOTHING;
  for (int i = 0; i < 5; i++) {
    roundtrip_shape_t out;
    roundtrip_host_shape(&shapes[i], &out);
    CHECK(out.tag == shapes[i].tag);
    if (i == 0) CHECK(out.val.circle == 3.5f);
    if (i == 1) CHECK(out.val.rect.f0.x == 3 && out.val.rect.f1.y == 2);
    if (i == 2) CHECK(str_eq(&out.val.label, "lbllbl"));
    if (i == 3) CHECK(out.val.big == 0xFFFFFFFFFull * 2);
    roundtrip_shape_free(&out);
  }

  roundtrip_string_t text;
  CHECK(roundtrip_host_maybe(&n, &text) && text.len > 0);
  roundtrip_string_free(&text);
  CHECK(!roundtrip_host_maybe(NULL, &text));

  roundtrip_point_t point;
  roundtrip_string_t err;
  CHECK(roundtrip_host_check(true, &point, &err) && point.x == 1 && point.y == 2);
  CHECK(!roundtrip_host_check(false, &point, &err) && str_eq(&err, "nope"));
  roundtrip_string_free(&err);

  roundtrip_string_t q;
  roundtrip_string_set(&q, "xyz");
  CHECK(roundtrip_host_many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, n, &q) == 120 + n + 3);
}

void exports_roundtrip_via_host(uint32_t n, roundtrip_string_t *ret) {
  call_host(n);
  char buf[32];
  put_uint(buf, "via-host ok ", n);
  roundtrip_string_dup(ret, buf);
}

uint64_t exports_roundtrip_live_bytes(void) { return (uint64_t) counting_live_bytes(); }
