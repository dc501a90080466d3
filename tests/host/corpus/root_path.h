/* at("name"): $ROOT/name, for the corpus programs that work inside a preopen. A few results stay valid at
 * once, so rename(at(a), at(b)) works. */
#include <stdio.h>
#include <stdlib.h>

static char paths[4][512];
static int next_path;

static const char *at(const char *name) {
    char *p = paths[next_path++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", getenv("ROOT"), name);
    return p;
}
