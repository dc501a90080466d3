/* Calls test:compose/api (imported; built from separately generated bindings, world `consumer`) with C
 * assertions on every result, and releases everything it owns. */
#include <stdlib.h>
#include <string.h>

#include "consumer.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int64_t counting_live_bytes(void);

static bool str_eq(const consumer_string_t *s, const char *want) {
  return s->len == strlen(want) && memcmp(s->ptr, want, s->len) == 0;
}

static test_compose_api_own_store_t make(const char *name) {
  consumer_string_t s;
  consumer_string_set(&s, name); /* import arguments stay the caller's: static data is fine */
  return test_compose_api_constructor_store(&s);
}

static uint32_t put(test_compose_api_borrow_store_t store, const char *key, const char *value, consumer_string_t *err) {
  test_compose_api_entry_t e;
  consumer_string_set(&e.key, key);
  e.value.ptr = (uint8_t *) value;
  e.value.len = strlen(value);
  uint32_t count = 0;
  return test_compose_api_method_store_put(store, &e, &count, err) ? count : 0;
}

static void round_trip(uint32_t round) {
  uint32_t live = test_compose_api_count_live();
  test_compose_api_own_store_t a = make("a");
  test_compose_api_borrow_store_t ab = test_compose_api_borrow_store(a);
  consumer_string_t err;
  CHECK(put(ab, "k1", "v1", &err) == 1);
  CHECK(put(ab, "k2", "value-two", &err) == 2);
  CHECK(put(ab, "k1", "again", &err) == 0 && str_eq(&err, "duplicate k1"));
  consumer_string_free(&err);

  consumer_string_t key;
  consumer_string_set(&key, "k2");
  test_compose_api_entry_t got;
  CHECK(test_compose_api_method_store_get(ab, &key, &got));
  CHECK(str_eq(&got.key, "k2") && got.value.len == 9 && memcmp(got.value.ptr, "value-two", 9) == 0);
  test_compose_api_entry_free(&got);
  consumer_string_set(&key, "missing");
  CHECK(!test_compose_api_method_store_get(ab, &key, &got));
  consumer_string_set(&key, "k1");
  CHECK(test_compose_api_method_store_remove(ab, &key));
  CHECK(!test_compose_api_method_store_remove(ab, &key));

  test_compose_api_list_event_t events;
  test_compose_api_method_store_events(ab, &events);
  CHECK(events.len == 3);
  CHECK(events.ptr[0].tag == TEST_COMPOSE_API_EVENT_ADDED && str_eq(&events.ptr[0].val.added.key, "k1"));
  CHECK(events.ptr[1].tag == TEST_COMPOSE_API_EVENT_ADDED && events.ptr[1].val.added.value.len == 9);
  CHECK(events.ptr[2].tag == TEST_COMPOSE_API_EVENT_REMOVED && str_eq(&events.ptr[2].val.removed, "k1"));
  test_compose_api_list_event_free(&events);

  test_compose_api_own_store_t b = make("b");
  put(test_compose_api_borrow_store(b), "kb", "vb", &err);
  CHECK(test_compose_api_count_live() == live + 2);
  test_compose_api_own_store_t merged = test_compose_api_static_store_merge(ab, b); /* `b` moves */
  CHECK(test_compose_api_count_live() == live + 2);
  test_compose_api_borrow_store_t mb = test_compose_api_borrow_store(merged);
  consumer_string_t name;
  test_compose_api_method_store_name(mb, &name);
  CHECK(str_eq(&name, "a+b"));
  consumer_string_free(&name);
  consumer_string_set(&key, "kb");
  CHECK(test_compose_api_method_store_get(mb, &key, &got) && str_eq(&got.key, "kb"));
  test_compose_api_entry_free(&got);

  CHECK(test_compose_api_method_store_level(mb, TEST_COMPOSE_API_MODE_FAST | TEST_COMPOSE_API_MODE_LOUD) ==
        TEST_COMPOSE_API_LEVEL_HIGH);
  CHECK(test_compose_api_method_store_level(mb, TEST_COMPOSE_API_MODE_SAFE) == TEST_COMPOSE_API_LEVEL_LOW);

  consumer_tuple4_u64_f32_char32_s8_t x = {(uint64_t) round << 40, 0.75f, 0x10FFFF, -128};
  consumer_string_t names[2];
  consumer_string_set(&names[0], "n0");
  consumer_string_set(&names[1], "");
  consumer_list_string_t list = {names, 2};
  consumer_tuple2_tuple4_u64_f32_char32_s8_list_string_t echoed;
  test_compose_api_echo(&x, &list, &echoed);
  CHECK(echoed.f0.f0 == (uint64_t) round << 40 && echoed.f0.f1 == 0.75f && echoed.f0.f2 == 0x10FFFF);
  CHECK(echoed.f0.f3 == -128 && echoed.f1.len == 2 && str_eq(&echoed.f1.ptr[0], "n0") && echoed.f1.ptr[1].len == 0);
  consumer_tuple2_tuple4_u64_f32_char32_s8_list_string_free(&echoed);

  test_compose_api_store_drop_own(a);
  test_compose_api_store_drop_own(merged);
  CHECK(test_compose_api_count_live() == live);
}

void exports_consumer_run(uint32_t rounds, consumer_string_t *ret) {
  uint64_t provider_start = test_compose_api_live_bytes();
  for (uint32_t i = 0; i < rounds; i++) round_trip(i);
  CHECK(test_compose_api_live_bytes() == provider_start);
  consumer_string_dup(ret, "ok");
}

uint64_t exports_consumer_live_bytes(void) { return (uint64_t) counting_live_bytes(); }
