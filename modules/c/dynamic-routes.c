/*
 * dynamic-routes: declares sub-routes through _routes, like the reference's dynamic-routes test
 * module, and each handler prints which one it is and the path variables it sees.
 *   _routes  -> "/exact exact\n/wildcard/... wildcard\n"
 *   exact    -> "Content-Type: text/plain\n\nThis is the .../exact handler\n" + variables
 *   wildcard -> "Content-Type: text/plain\n\nThis is the .../wildcard/... handler\n" + variables
 *   _start   -> "Content-Type: text/plain\n\nThis is the main entry point\n" + variables
 * The variables are one NAME=value line each: SCRIPT_NAME, PATH_INFO, X_MATCHED_ROUTE, X_RAW_PATH_INFO.
 */
#include <stdio.h>
#include <stdlib.h>

static void respond(const char *first_line) {
    static const char *names[] = {"SCRIPT_NAME", "PATH_INFO", "X_MATCHED_ROUTE", "X_RAW_PATH_INFO"};
    printf("Content-Type: text/plain\n\n%s\n", first_line);
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *value = getenv(names[i]);
        printf("%s=%s\n", names[i], value ? value : "");
    }
    fflush(stdout);
}

__attribute__((export_name("_routes"))) void routes(void) {
    fputs("/exact exact\n/wildcard/... wildcard\n", stdout);
    fflush(stdout);
}

__attribute__((export_name("exact"))) void exact(void) { respond("This is the .../exact handler"); }

__attribute__((export_name("wildcard"))) void wildcard(void) { respond("This is the .../wildcard/... handler"); }

int main(void) {
    respond("This is the main entry point");
    return 0;
}
