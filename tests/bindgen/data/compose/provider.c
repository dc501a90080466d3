/* test:compose/api implemented in C against `wasip2ld bindgen c` bindings (world `provider`). */
#include <stdlib.h>
#include <string.h>

#include "provider.h"

typedef exports_test_compose_api_entry_t entry_t;
typedef exports_test_compose_api_event_t event_t;

struct exports_test_compose_api_store_t {
  provider_string_t name;
  entry_t *entries;
  size_t len;
  event_t *events;
  size_t nevents;
};

static uint32_t live_stores;
int64_t counting_live_bytes(void);

static void copy_string(provider_string_t *to, const provider_string_t *from) {
  provider_string_dup_n(to, (const char *) from->ptr, from->len);
}

static void copy_entry(entry_t *to, const entry_t *from) {
  copy_string(&to->key, &from->key);
  to->value.len = from->value.len;
  to->value.ptr = from->value.len ? malloc(from->value.len) : NULL; /* empty lists own no buffer */
  if (from->value.len) memcpy(to->value.ptr, from->value.ptr, from->value.len);
}

static bool same(const provider_string_t *a, const provider_string_t *b) {
  return a->len == b->len && memcmp(a->ptr, b->ptr, a->len) == 0;
}

static void push_event(exports_test_compose_api_store_t *s, event_t e) {
  s->events = realloc(s->events, sizeof(event_t) * (s->nevents + 1));
  s->events[s->nevents++] = e;
}

static exports_test_compose_api_store_t *new_store(provider_string_t name) {
  exports_test_compose_api_store_t *s = calloc(1, sizeof *s);
  s->name = name;
  live_stores++;
  return s;
}

exports_test_compose_api_own_store_t exports_test_compose_api_constructor_store(provider_string_t *name) {
  return exports_test_compose_api_store_new(new_store(*name)); /* the name moves into the store */
}

bool exports_test_compose_api_method_store_put(exports_test_compose_api_borrow_store_t self, entry_t *e,
                                               uint32_t *ret, provider_string_t *err) {
  for (size_t i = 0; i < self->len; i++) {
    if (same(&self->entries[i].key, &e->key)) {
      provider_string_t prefix;
      provider_string_set(&prefix, "duplicate ");
      err->len = prefix.len + e->key.len;
      err->ptr = malloc(err->len);
      memcpy(err->ptr, prefix.ptr, prefix.len);
      memcpy(err->ptr + prefix.len, e->key.ptr, e->key.len);
      exports_test_compose_api_entry_free(e);
      return false;
    }
  }
  event_t added = {.tag = EXPORTS_TEST_COMPOSE_API_EVENT_ADDED};
  copy_entry(&added.val.added, e);
  push_event(self, added);
  self->entries = realloc(self->entries, sizeof(entry_t) * (self->len + 1));
  self->entries[self->len++] = *e; /* ownership of the argument moves into the store */
  *ret = (uint32_t) self->len;
  return true;
}

bool exports_test_compose_api_method_store_get(exports_test_compose_api_borrow_store_t self, provider_string_t *key,
                                               entry_t *ret) {
  bool found = false;
  for (size_t i = 0; i < self->len && !found; i++) {
    if (same(&self->entries[i].key, key)) {
      copy_entry(ret, &self->entries[i]);
      found = true;
    }
  }
  provider_string_free(key);
  return found;
}

bool exports_test_compose_api_method_store_remove(exports_test_compose_api_borrow_store_t self, provider_string_t *key) {
  for (size_t i = 0; i < self->len; i++) {
    if (same(&self->entries[i].key, key)) {
      exports_test_compose_api_entry_free(&self->entries[i]);
      self->entries[i] = self->entries[--self->len];
      event_t removed = {.tag = EXPORTS_TEST_COMPOSE_API_EVENT_REMOVED};
      removed.val.removed = *key;
      push_event(self, removed);
      return true;
    }
  }
  provider_string_free(key);
  return false;
}

void exports_test_compose_api_method_store_events(exports_test_compose_api_borrow_store_t self,
                                                  exports_test_compose_api_list_event_t *ret) {
  ret->len = self->nevents;
  ret->ptr = self->nevents ? malloc(sizeof(event_t) * self->nevents) : NULL;
  for (size_t i = 0; i < self->nevents; i++) {
    ret->ptr[i].tag = self->events[i].tag;
    if (self->events[i].tag == EXPORTS_TEST_COMPOSE_API_EVENT_ADDED)
      copy_entry(&ret->ptr[i].val.added, &self->events[i].val.added);
    else if (self->events[i].tag == EXPORTS_TEST_COMPOSE_API_EVENT_REMOVED)
      copy_string(&ret->ptr[i].val.removed, &self->events[i].val.removed);
  }
}

void exports_test_compose_api_method_store_name(exports_test_compose_api_borrow_store_t self, provider_string_t *ret) {
  copy_string(ret, &self->name);
}

exports_test_compose_api_own_store_t exports_test_compose_api_static_store_merge(
    exports_test_compose_api_borrow_store_t a, exports_test_compose_api_own_store_t b) {
  exports_test_compose_api_store_t *other = exports_test_compose_api_store_rep(b);
  provider_string_t name;
  name.len = a->name.len + 1 + other->name.len;
  name.ptr = malloc(name.len);
  memcpy(name.ptr, a->name.ptr, a->name.len);
  name.ptr[a->name.len] = '+';
  memcpy(name.ptr + a->name.len + 1, other->name.ptr, other->name.len);
  exports_test_compose_api_store_t *s = new_store(name);
  s->len = a->len + other->len;
  s->entries = malloc(sizeof(entry_t) * (s->len ? s->len : 1));
  for (size_t i = 0; i < a->len; i++) copy_entry(&s->entries[i], &a->entries[i]);
  for (size_t i = 0; i < other->len; i++) copy_entry(&s->entries[a->len + i], &other->entries[i]);
  exports_test_compose_api_store_drop_own(b); /* runs the destructor of `other` */
  return exports_test_compose_api_store_new(s);
}

exports_test_compose_api_level_t exports_test_compose_api_method_store_level(
    exports_test_compose_api_borrow_store_t self, exports_test_compose_api_mode_t m) {
  (void) self;
  return (m & EXPORTS_TEST_COMPOSE_API_MODE_LOUD) ? EXPORTS_TEST_COMPOSE_API_LEVEL_HIGH
                                                  : EXPORTS_TEST_COMPOSE_API_LEVEL_LOW;
}

void exports_test_compose_api_store_destructor(exports_test_compose_api_store_t *s) {
  provider_string_free(&s->name);
  for (size_t i = 0; i < s->len; i++) exports_test_compose_api_entry_free(&s->entries[i]);
  for (size_t i = 0; i < s->nevents; i++) exports_test_compose_api_event_free(&s->events[i]);
  free(s->entries);
  free(s->events);
  free(s);
  live_stores--;
}

uint32_t exports_test_compose_api_count_live(void) { return live_stores; }

void exports_test_compose_api_echo(provider_tuple4_u64_f32_char32_s8_t *x, provider_list_string_t *names,
                                   provider_tuple2_tuple4_u64_f32_char32_s8_list_string_t *ret) {
  ret->f0 = *x;
  ret->f1 = *names; /* moved */
}

uint64_t exports_test_compose_api_live_bytes(void) { return (uint64_t) counting_live_bytes(); }
