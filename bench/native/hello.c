/*
 * hello: the native CGI twin of modules/wasm/hello.wasm, run by Tomcat's CGIServlet in the
 * benchmark. Writes exactly "Content-Type: text/plain\n\nHello, world!\n" and exits 0.
 * Built by bench/run.sh with: gcc -O2 -o hello hello.c
 */
#include <unistd.h>

static const char RESPONSE[] = "Content-Type: text/plain\n\nHello, world!\n";

int main(void) {
    const char *p = RESPONSE;
    size_t left = sizeof RESPONSE - 1;
    while (left > 0) {
        ssize_t w = write(1, p, left);
        if (w <= 0) return 1;
        p += w;
        left -= (size_t)w;
    }
    return 0;
}
