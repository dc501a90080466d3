/* Attempts to leave the preopen ($ROOT): `..`, absolute paths, symlinks pointing out, hard links to
 * files outside, renames out. Every one must fail, identically in both engines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "root_path.h"

static void try_open(const char *label, const char *path) {
    errno = 0;
    int fd = open(path, O_RDONLY);
    printf("%-22s open %s\n", label, fd >= 0 ? "SUCCEEDED" : strerror(errno));
    if (fd >= 0) close(fd);
}

int main(void) {
    try_open("dotdot", at("../secret.txt"));
    try_open("deep dotdot", at("inner/../../secret.txt"));
    try_open("absolute", getenv("SECRET"));
    try_open("abs link", at("abs-link"));
    try_open("rel link", at("rel-link"));
    try_open("dir link", at("dir-link/secret.txt"));
    try_open("inside link", at("inner/back"));
    errno = 0;
    printf("%-22s %s\n", "hard link out", link(at("../secret.txt"), at("stolen")) == 0 ? "SUCCEEDED" : strerror(errno));
    errno = 0;
    printf("%-22s %s\n", "hard link via sym", link(at("abs-link"), at("stolen2")) == 0 ? "SUCCEEDED" : strerror(errno));
    errno = 0;
    printf("%-22s %s\n", "rename out", rename(at("inner/file.txt"), at("../moved.txt")) == 0 ? "SUCCEEDED" : strerror(errno));
    errno = 0;
    printf("%-22s %s\n", "mkdir out", mkdir(at("../newdir"), 0755) == 0 ? "SUCCEEDED" : strerror(errno));
    struct stat st;
    errno = 0;
    printf("%-22s %s\n", "stat through link", stat(at("dir-link"), &st) == 0 ? "SUCCEEDED" : strerror(errno));
    errno = 0;
    printf("%-22s %s\n", "create via link", open(at("dir-link/new.txt"), O_CREAT | O_WRONLY, 0644) >= 0 ? "SUCCEEDED" : strerror(errno));
    return 0;
}
