#include "rpn.h"

int rpn_push(rpn_stack *s, long v) {
    if (s->depth == (int)(sizeof s->values / sizeof s->values[0])) return -1;
    s->values[s->depth++] = v;
    return 0;
}

int rpn_pop(rpn_stack *s, long *v) {
    if (s->depth == 0) return -1;
    *v = s->values[--s->depth];
    return 0;
}
