/* The features world: C keywords as WIT names, nested options, wide flags, fixed-size lists, maps, an
 * interface both imported and exported, inline interfaces, a world-level resource and a feature-gated
 * interface; `run` calls every import with assertions in C. */
#include <stdlib.h>
#include <string.h>

#include "features.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int64_t counting_live_bytes(void);

static bool str_eq(const features_string_t *s, const char *want) {
  return s->len == strlen(want) && memcmp(s->ptr, want, s->len) == 0;
}

void exports_test_features_both_swap(exports_test_features_both_pair_t *p, exports_test_features_both_pair_t *ret) {
  ret->a = p->a * 2;
  ret->b = p->b; /* moved */
}

void exports_test_features_shaped_fixed(features_list4_u8_t *a, features_list2_u32_t *ret) {
  ret->val[0] = (uint32_t) a->val[0] + a->val[1];
  ret->val[1] = (uint32_t) a->val[2] * a->val[3];
}

void exports_test_features_shaped_mapped(features_map_string_u32_t *m, features_map_u32_string_t *ret) {
  ret->len = m->len;
  ret->ptr = m->len ? malloc(sizeof *ret->ptr * m->len) : NULL;
  for (size_t i = 0; i < m->len; i++) {
    ret->ptr[i].key = m->ptr[i].value;
    ret->ptr[i].value = m->ptr[i].key; /* moved */
  }
  free(m->ptr); /* the entries' strings moved: free only the array */
}

void inline_out_describe(inline_out_case_t *c, inline_out_for_t f, features_string_t *ret) {
  const char *names[] = {"while", "do", "continue"};
  features_string_dup(ret, c->switch_ ? names[f] : "off");
  inline_out_case_free(c);
}

static void check_imports(void) {
  uint32_t value;
  CHECK(test_features_keywords_ret_val(3, 4, &value) && value == 7);
  CHECK(!test_features_keywords_ret_val(0, 4, &value));

  features_option_u32_t inner = {true, 9};
  features_option_u32_t out;
  CHECK(test_features_keywords_take_nested(&inner, &out) && out.is_some && out.val == 10);
  inner.is_some = false;
  CHECK(test_features_keywords_take_nested(&inner, &out) && !out.is_some);
  CHECK(!test_features_keywords_take_nested(NULL, &out));

  test_features_keywords_case_t c = {.default_ = 1, .err_ = -2, .switch_ = true};
  features_string_set(&c.ret_, "r");
  test_features_keywords_kebab_case_t k = {.tag = TEST_FEATURES_KEYWORDS_KEBAB_CASE_THIRD};
  k.val.third.ptr = &c;
  k.val.third.len = 1;
  test_features_keywords_wide_t w = TEST_FEATURES_KEYWORDS_WIDE_F0 | TEST_FEATURES_KEYWORDS_WIDE_F17;
  test_features_keywords_tuple4_case_for_kebab_case_wide_t all;
  test_features_keywords_all_of(&c, TEST_FEATURES_KEYWORDS_FOR_CONTINUE, &k, w, &all);
  CHECK(all.f0.default_ == 2 && all.f0.err_ == -3 && !all.f0.switch_ && str_eq(&all.f0.ret_, "r!"));
  CHECK(all.f1 == TEST_FEATURES_KEYWORDS_FOR_WHILE && all.f3 == (w ^ TEST_FEATURES_KEYWORDS_WIDE_F9));
  CHECK(all.f2.tag == TEST_FEATURES_KEYWORDS_KEBAB_CASE_THIRD && all.f2.val.third.len == 2);
  CHECK(str_eq(&all.f2.val.third.ptr[1].ret_, "r"));
  test_features_keywords_tuple4_case_for_kebab_case_wide_free(&all);

  test_features_both_pair_t p = {5, {(uint8_t *) "five", 4}};
  test_features_both_pair_t swapped;
  test_features_both_swap(&p, &swapped);
  CHECK(swapped.a == 4 && str_eq(&swapped.b, "evif"));
  test_features_both_pair_free(&swapped);

  inline_in_inner_t got;
  inline_in_get(3, &got);
  CHECK(got.v.len == 3 && got.v.ptr[2] == 2);
  inline_in_inner_free(&got);

  features_own_counter_t counter = features_constructor_counter(40);
  features_borrow_counter_t b = features_borrow_counter(counter);
  CHECK(features_method_counter_next(b) == 41 && features_tick(b) == 42);
  features_counter_drop_own(counter);

  CHECK(test_features_gated_fancy() == 77);
}

void exports_features_run(features_string_t *ret) {
  check_imports();
  features_string_dup(ret, "ok");
}

uint64_t exports_features_live_bytes(void) { return (uint64_t) counting_live_bytes(); }
