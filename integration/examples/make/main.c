#include <stdio.h>
#include <string.h>

#include "rpn.h"

/* rpn TOKEN… evaluates its arguments; with none, it reads tokens from standard input. */
int main(int argc, char **argv) {
    rpn_stack s = {0};
    char word[64];
    int ok = 1;
    if (argc > 1) {
        for (int i = 1; i < argc && ok; i++) ok = rpn_token(&s, argv[i]) == 0;
    } else {
        while (ok && scanf("%63s", word) == 1) ok = rpn_token(&s, word) == 0;
    }
    long result;
    if (!ok || rpn_pop(&s, &result) || s.depth != 0) {
        fputs("rpn: malformed expression\n", stderr);
        return 1;
    }
    printf("%ld\n", result);
    return 0;
}
