#include <stdio.h>

int main(void) {
    printf("Hello from the docs!\n");
    return 0;
}
