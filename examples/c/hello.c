/*
 * A WAGI handler in C: the request comes in as environment variables, argv and stdin;
 * everything written to stdout is the response (a CGI header block, a blank line, the body).
 *
 * Build: ./build.sh   (clang --target=wasm32-wasi -O2 -Wl,--strip-all -o hello.wasm hello.c)
 */
#include <stdio.h>
#include <stdlib.h>

static const char *env_or_empty(const char *name) {
    const char *value = getenv(name);
    return value ? value : "";
}

int main(int argc, char **argv) {
    /* The request body is stdin. Read it in chunks: it is streamed, so it never has to fit in memory. */
    char buf[4096];
    size_t n, body_len = 0;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        body_len += n;
    }

    /* Headers, then a blank line, then the body. stdout is buffered by wasi-libc and flushed
       when main returns. */
    printf("Content-Type: text/plain\n\n");
    printf("Hello from C!\n");
    printf("REQUEST_METHOD=%s\n", env_or_empty("REQUEST_METHOD"));
    printf("QUERY_STRING=%s\n", env_or_empty("QUERY_STRING"));
    for (int i = 0; i < argc; i++) {
        printf("argv[%d]=%s\n", i, argv[i]);
    }
    printf("body_len=%zu\n", body_len);
    /* Returning 0 from main ends the module without calling proc_exit. */
    return 0;
}
