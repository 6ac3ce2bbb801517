/*
 * echo: the native CGI twin of modules/wasm/echo.wasm, run by Tomcat's CGIServlet in the
 * benchmark. Writes "Content-Type: <CONTENT_TYPE or application/octet-stream>\n\n", then copies
 * stdin to stdout in 64 KiB chunks, binary-exact. Exits 0.
 * Built by bench/run.sh with: gcc -O2 -o echo echo.c
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

static char buf[CHUNK];

static int write_all(const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(1, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(void) {
    const char *ct = getenv("CONTENT_TYPE");
    if (ct == NULL || ct[0] == '\0') ct = "application/octet-stream";
    if (write_all("Content-Type: ", 14) || write_all(ct, strlen(ct)) || write_all("\n\n", 2))
        return 0;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (write_all(buf, (size_t)n)) break;
    }
    return 0;
}
