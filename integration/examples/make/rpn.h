#ifndef RPN_H
#define RPN_H

typedef struct { long values[64]; int depth; } rpn_stack;

int rpn_push(rpn_stack *s, long v);
int rpn_pop(rpn_stack *s, long *v);
/* Applies one token (a number or + - * /); returns 0, or -1 on a malformed expression. */
int rpn_token(rpn_stack *s, const char *token);

#endif
