#include <stdio.h>
#include <string.h>

int main(void) {
    char buffer[256 * 1024];
    memset(buffer, 'x', sizeof buffer - 1);
    buffer[sizeof buffer - 1] = '\0';
    printf("%zu bytes on the stack\n", strlen(buffer) + 1);
    return 0;
}
