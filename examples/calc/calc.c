/* The `demo:calc/calc` world (calc.wit) in plain C against the Canonical ABI, for the Python API example
 * in docs/python-api.md. Prototypes: `wasip2ld sig --wit calc.wit --format c` (calc-abi.h, made by the
 * Makefile). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calc-abi.h"

#define PTR(offset) ((void *)(uintptr_t)(offset))
#define OFFSET(pointer) ((int32_t)(uintptr_t)(pointer))

static int32_t return_area[3]; /* results wider than one core value come back through memory */

int32_t exports_cabi_realloc(int32_t old_ptr, int32_t old_size, int32_t align, int32_t new_size) {
    (void)old_size;
    if (new_size == 0) {
        return align;
    }
    void *p = realloc(PTR(old_ptr), (size_t)new_size);
    if (p == NULL) {
        abort();
    }
    return OFFSET(p);
}

static void log_text(const char *text) {
    demo_calc_log_1_0_0_log(OFFSET(text), (int32_t)strlen(text));
}

int32_t exports_add(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* greet: func(name: string) -> string */
int32_t exports_greet(int32_t name_ptr, int32_t name_len) {
    static const char prefix[] = "Hello, ";
    size_t total = sizeof prefix - 1 + (size_t)name_len;
    char *text = malloc(total);
    memcpy(text, prefix, sizeof prefix - 1);
    memcpy(text + sizeof prefix - 1, PTR(name_ptr), (size_t)name_len);
    free(PTR(name_ptr)); /* arguments passed in memory belong to the callee */
    log_text("greet called");
    return_area[0] = OFFSET(text);
    return_area[1] = (int32_t)total;
    return OFFSET(return_area);
}

void exports_cabi_post_greet(int32_t ret) {
    free(PTR(((int32_t *)PTR(ret))[0]));
}

/* parse: func(text: string) -> result<u32, string>: { u8 tag; union { u32 ok; string err; } at 4 } */
int32_t exports_parse(int32_t text_ptr, int32_t text_len) {
    const char *text = PTR(text_ptr);
    uint64_t value = 0;
    int ok = text_len > 0 && text_len <= 10;
    for (int32_t i = 0; ok && i < text_len; i++) {
        ok = text[i] >= '0' && text[i] <= '9';
        value = value * 10 + (uint64_t)(text[i] - '0');
    }
    ok = ok && value <= UINT32_MAX;
    free(PTR(text_ptr));
    *(uint8_t *)return_area = ok ? 0 : 1;
    if (ok) {
        return_area[1] = (int32_t)value;
    } else {
        static const char bad[] = "bad";
        return_area[1] = OFFSET(bad);
        return_area[2] = (int32_t)(sizeof bad - 1);
    }
    return OFFSET(return_area);
}
