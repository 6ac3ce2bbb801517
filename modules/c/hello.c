/* hello: writes exactly "Content-Type: text/plain\n\nHello, world!\n" and returns 0. */
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
