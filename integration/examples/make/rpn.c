#include <stdlib.h>
#include <string.h>

#include "rpn.h"

int rpn_token(rpn_stack *s, const char *token) {
    if (strlen(token) == 1 && strchr("+-*/", token[0])) {
        long b, a;
        if (rpn_pop(s, &b) || rpn_pop(s, &a)) return -1;
        switch (token[0]) {
        case '+': return rpn_push(s, a + b);
        case '-': return rpn_push(s, a - b);
        case '*': return rpn_push(s, a * b);
        default: return b == 0 ? -1 : rpn_push(s, a / b);
        }
    }
    char *end;
    long v = strtol(token, &end, 10);
    return (*token && !*end) ? rpn_push(s, v) : -1;
}
