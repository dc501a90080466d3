/* Files and directories under a preopen (argv[1]): create, write, append, seek, read, stat, truncate,
 * set times, rename, hard and symbolic links, readlink, directories and their listing, unlink, rmdir. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "root_path.h"

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *name) {
    DIR *d = opendir(at(name));
    if (d == NULL) {
        printf("opendir %s: %s\n", name, strerror(errno));
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    printf("%s:", name);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(void) {
    FILE *f = fopen(at("a.txt"), "w");
    fputs("hello\n", f);
    fclose(f);
    f = fopen(at("a.txt"), "a");
    fputs("appended\n", f);
    fclose(f);
    f = fopen(at("a.txt"), "r+");
    fseek(f, 2, SEEK_SET);
    fputc('L', f);
    fseek(f, 0, SEEK_SET);
    char buf[64] = {0};
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    printf("read %zu: %s", got, buf);

    struct stat st;
    stat(at("a.txt"), &st);
    printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    int fd = open(at("a.txt"), O_RDWR);
    printf("ftruncate %d\n", ftruncate(fd, 3));
    printf("pwrite %zd\n", pwrite(fd, "XY", 2, 10));
    fstat(fd, &st);
    printf("size after %lld\n", (long long)st.st_size);
    close(fd);
    struct timeval times[2] = {{1000000000, 0}, {1234567890, 500000}};
    printf("utimes %d\n", utimes(at("a.txt"), times));
    stat(at("a.txt"), &st);
    printf("mtime %lld\n", (long long)st.st_mtime);

    printf("mkdir %d\n", mkdir(at("sub"), 0755));
    printf("mkdir again %d %s\n", mkdir(at("sub"), 0755), strerror(errno));
    printf("rename %d\n", rename(at("a.txt"), at("sub/b.txt")));
    printf("link %d\n", link(at("sub/b.txt"), at("hard.txt")));
    stat(at("hard.txt"), &st);
    printf("nlink %lld\n", (long long)st.st_nlink);
    printf("symlink %d\n", symlink("sub/b.txt", at("soft")));
    char target[64] = {0};
    printf("readlink %zd %s\n", readlink(at("soft"), target, sizeof target - 1), target);
    lstat(at("soft"), &st);
    printf("lstat is link %d\n", S_ISLNK(st.st_mode));
    f = fopen(at("soft"), "r");
    printf("through link: %s\n", f ? (fgets(buf, sizeof buf, f), buf) : strerror(errno));
    if (f) fclose(f);
    list(".");
    list("sub");
    printf("rmdir non-empty %d %s\n", rmdir(at("sub")), strerror(errno));
    printf("unlink dir %d %s\n", unlink(at("sub")), strerror(errno));
    printf("open missing %d %s\n", open(at("nope/x"), O_RDONLY), strerror(errno));
    printf("excl %d %s\n", open(at("hard.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644), strerror(errno));
    printf("unlink %d %d\n", unlink(at("sub/b.txt")), unlink(at("soft")));
    printf("rmdir %d\n", rmdir(at("sub")));
    list(".");
    return 0;
}
