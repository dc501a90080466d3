#include "caesar.h"

#include <ctype.h>

void caesar_shift(char *buf, size_t len, int shift) {
    int k = ((shift % 26) + 26) % 26;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (isupper(c)) buf[i] = (char)('A' + (c - 'A' + k) % 26);
        else if (islower(c)) buf[i] = (char)('a' + (c - 'a' + k) % 26);
    }
}
