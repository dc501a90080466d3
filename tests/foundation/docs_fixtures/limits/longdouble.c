#include <stdio.h>
#include <stdlib.h>

int main(void) {
    long double x = strtold("2.5", NULL);
    printf("%.2Lf\n", x);
    return 0;
}
