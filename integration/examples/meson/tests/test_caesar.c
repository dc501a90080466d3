#include <stdio.h>
#include <string.h>

#include "caesar.h"

static int check(const char *in, int shift, const char *want) {
    char buf[128];
    strcpy(buf, in);
    caesar_shift(buf, strlen(buf), shift);
    if (strcmp(buf, want) != 0) {
        printf("FAIL shift %d of \"%s\": \"%s\" (want \"%s\")\n", shift, in, buf, want);
        return 1;
    }
    return 0;
}

int main(void) {
    int failed = check("Hello, World", 13, "Uryyb, Jbeyq") + check("abc xyz", 3, "def abc") +
                 check("def abc", -3, "abc xyz") + check("Zz 09", 52, "Zz 09");
    printf("%s\n", failed ? "unit tests FAILED" : "unit tests passed");
    return failed != 0;
}
