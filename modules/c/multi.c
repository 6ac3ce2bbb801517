/*
 * multi: several WAGI entrypoints in one command module.
 *   _routes  -> "/hello hello\n/goodbye goodbye\n"
 *   hello    -> "Content-Type: text/plain\n\nhello entrypoint\n"
 *   goodbye  -> "Status: 404 Not Found\nContent-Type: text/plain\n\ngoodbye entrypoint\n"
 *   _start (main) -> "Content-Type: text/plain\n\nmain entrypoint\n"
 * wasm-ld wraps each extra export of a command module so that it runs libc constructors and
 * destructors (which flush stdio); the explicit fflush makes the output independent of that.
 */
#include <stdio.h>

__attribute__((export_name("_routes"))) void routes(void) {
    fputs("/hello hello\n/goodbye goodbye\n", stdout);
    fflush(stdout);
}

__attribute__((export_name("hello"))) void hello(void) {
    fputs("Content-Type: text/plain\n\nhello entrypoint\n", stdout);
    fflush(stdout);
}

__attribute__((export_name("goodbye"))) void goodbye(void) {
    fputs("Status: 404 Not Found\nContent-Type: text/plain\n\ngoodbye entrypoint\n", stdout);
    fflush(stdout);
}

int main(void) {
    fputs("Content-Type: text/plain\n\nmain entrypoint\n", stdout);
    fflush(stdout);
    return 0;
}
