/*
 * env: writes "Content-Type: text/plain\n\n", then one "argv[I]=VALUE" line per argument, then every
 * environ entry as-is ("NAME=value") in environ order, then reads stdin to EOF (counting, not storing)
 * and writes "body_len=N" as the last line.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

extern char **environ;

static char buf[64 * 1024];

int main(int argc, char **argv) {
    fputs("Content-Type: text/plain\n\n", stdout);
    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    for (char **e = environ; e != NULL && *e != NULL; e++) printf("%s\n", *e);
    fflush(stdout);

    unsigned long long total = 0;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        total += (unsigned long long)n;
    }
    printf("body_len=%llu\n", total);
    fflush(stdout);
    return 0;
}
