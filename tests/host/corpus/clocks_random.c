/* Clocks (monotonic, realtime, sleeping through a pollable) and random bytes: prints only facts that hold
 * in any correct engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec a, b, now;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec nap = {0, 20 * 1000 * 1000};
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long slept = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    printf("monotonic advanced >= 20ms: %d\n", slept >= 20 * 1000 * 1000);
    clock_gettime(CLOCK_REALTIME, &now);
    printf("realtime after 2020: %d\n", now.tv_sec > 1577836800);
    printf("time() agrees: %d\n", labs((long)(time(NULL) - now.tv_sec)) <= 2);
    struct timespec res;
    printf("resolution ok: %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0);
    unsigned char x[32], y[32];
    printf("getentropy: %d %d\n", getentropy(x, sizeof x), getentropy(y, sizeof y));
    printf("random differs: %d\n", memcmp(x, y, sizeof x) != 0);
    return 0;
}
