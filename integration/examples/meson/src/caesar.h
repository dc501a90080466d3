#ifndef CAESAR_H
#define CAESAR_H
#include <stddef.h>

/* Shifts the letters of buf[0..len) by `shift` places (negative: backwards); other bytes stay. */
void caesar_shift(char *buf, size_t len, int shift);

#endif
