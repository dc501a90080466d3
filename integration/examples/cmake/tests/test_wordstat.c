#include <stdio.h>
#include <string.h>

#include "wordstat.h"

static int failures;

static void expect(const char *text, size_t words, size_t distinct, const char *top) {
    wordstat_result r;
    if (wordstat_count(text, &r) != 0 || r.words != words || r.distinct != distinct || strcmp(r.top, top) != 0) {
        printf("FAIL \"%s\": words=%zu distinct=%zu top=%s\n", text, r.words, r.distinct, r.top);
        failures++;
    }
}

int main(void) {
    expect("", 0, 0, "");
    expect("one", 1, 1, "one");
    expect("A a  A, b!", 4, 2, "a");
    expect("x-ray 42 x ray", 4, 2, "x");
    printf("%s\n", failures ? "unit tests FAILED" : "unit tests passed");
    return failures != 0;
}
