#include <stdio.h>

int main(void) {
    printf("Hello from a wasm32-wasip2 component!\n");
    return 0;
}
