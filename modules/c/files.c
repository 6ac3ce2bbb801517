// files: file-system operations on pre-opened directories ("volumes"), for the volume tests.
//
// Operations come from argv[1..] (or, with no arguments, from QUERY_STRING split on '&'), as
// key=value words; each "op=" starts a new operation, and the keys after it are its operands.
// Values are percent-decoded ('+' stays '+'). Example:
//
//   op=write path=/data/a.txt text=hello op=read path=/data/a.txt
//
// prints a CGI header block, then one line per operation: "ok" followed by a space and a result
// where there is one, or "err N NAME" with the errno value and its name.
//
//   op=read     path=P              ok <the file's content>     (up to 64 KiB)
//   op=write    path=P text=T       ok                           open(O_WRONLY|O_CREAT|O_TRUNC), write T
//   op=append   path=P text=T       ok                           open(O_WRONLY|O_APPEND), write T
//   op=create   path=P              ok                           open(O_WRONLY|O_CREAT|O_EXCL)
//   op=openrw   path=P              ok                           open(O_RDWR), nothing written
//   op=truncate path=P              ok                           truncate(P, 0)
//   op=rdtrunc  path=P              ok                           open(O_RDONLY), then ftruncate(fd, 0)
//   op=mkdir    path=P              ok
//   op=rmdir    path=P              ok
//   op=unlink   path=P              ok
//   op=list     path=P              ok <names, sorted, space-separated, without . and ..>
//   op=stat     path=P              ok size=N type=file|dir|link|other   (follows symlinks)
//   op=lstat    path=P              ok size=N type=...                   (does not follow)
//   op=readlink path=P              ok <link content>
//   op=symlink  target=T path=P     ok                           symlink(T, P)
//   op=link     from=A to=B         ok                           link(A, B)
//   op=rename   from=A to=B         ok
//   op=utimes   path=P              ok                           utimensat(P, both times = 1 s after the epoch)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORDS 64

static const char *errno_name(int e) {
    switch (e) {
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case EIO: return "EIO";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOENT: return "ENOENT";
    case ENOSYS: return "ENOSYS";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTSUP: return "ENOTSUP";
    case EPERM: return "EPERM";
    case EROFS: return "EROFS";
    case EXDEV: return "EXDEV";
    default: return "E?";
    }
}

static int fail(void) {
    int e = errno;
    printf("err %d %s\n", e, errno_name(e));
    return 1;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decodes s in place.
static void decode(char *s) {
    char *out = s;
    for (char *in = s; *in; in++) {
        int hi, lo;
        if (in[0] == '%' && (hi = hexval(in[1])) >= 0 && (lo = hexval(in[2])) >= 0) {
            *out++ = (char)(hi * 16 + lo);
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
}

static const char *type_name(mode_t mode) {
    if (S_ISREG(mode)) return "file";
    if (S_ISDIR(mode)) return "dir";
    if (S_ISLNK(mode)) return "link";
    return "other";
}

static int write_all(int fd, const char *text) {
    size_t len = strlen(text);
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n < 0) return -1;
        text += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_file(const char *path, const char *text, int flags) {
    int fd = open(path, flags, 0644);
    if (fd < 0) return fail();
    if (text && write_all(fd, text) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return fail();
    }
    close(fd);
    printf("ok\n");
    return 0;
}

static int read_file(const char *path) {
    static char buf[65536];
    int fd = open(path, O_RDONLY);
    if (fd < 0) return fail();
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, buf + used, sizeof buf - 1 - used);
        if (n < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return fail();
        }
        if (n == 0 || used + (size_t)n >= sizeof buf - 1) {
            used += (size_t)n;
            break;
        }
        used += (size_t)n;
    }
    close(fd);
    buf[used] = '\0';
    printf("ok %s\n", buf);
    return 0;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *path) {
    DIR *dir = opendir(path);
    if (!dir) return fail();
    char *names[256];
    size_t count = 0;
    struct dirent *entry;
    errno = 0;
    while (count < 256 && (entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        names[count++] = strdup(entry->d_name);
    }
    if (errno != 0) {
        int e = errno;
        closedir(dir);
        errno = e;
        return fail();
    }
    closedir(dir);
    qsort(names, count, sizeof names[0], compare_names);
    printf("ok");
    for (size_t i = 0; i < count; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
    return 0;
}

static int stat_path(const char *path, int follow) {
    struct stat st;
    if ((follow ? stat(path, &st) : lstat(path, &st)) != 0) return fail();
    printf("ok size=%lld type=%s\n", (long long)st.st_size, type_name(st.st_mode));
    return 0;
}

static int read_link(const char *path) {
    char buf[4096];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) return fail();
    buf[n] = '\0';
    printf("ok %s\n", buf);
    return 0;
}

static int rdtrunc(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return fail();
    if (ftruncate(fd, 0) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return fail();
    }
    close(fd);
    printf("ok\n");
    return 0;
}

static int set_times(const char *path) {
    struct timespec times[2] = {{1, 0}, {1, 0}};
    if (utimensat(AT_FDCWD, path, times, 0) != 0) return fail();
    printf("ok\n");
    return 0;
}

static int ok_or_fail(int result) {
    if (result != 0) return fail();
    printf("ok\n");
    return 0;
}

struct operation {
    const char *op, *path, *text, *target, *from, *to;
};

static void run(const struct operation *o) {
    const char *op = o->op;
    const char *p = o->path ? o->path : "";
    const char *t = o->text ? o->text : "";
    if (strcmp(op, "read") == 0) read_file(p);
    else if (strcmp(op, "write") == 0) write_file(p, t, O_WRONLY | O_CREAT | O_TRUNC);
    else if (strcmp(op, "append") == 0) write_file(p, t, O_WRONLY | O_APPEND);
    else if (strcmp(op, "create") == 0) write_file(p, NULL, O_WRONLY | O_CREAT | O_EXCL);
    else if (strcmp(op, "openrw") == 0) write_file(p, NULL, O_RDWR);
    else if (strcmp(op, "truncate") == 0) ok_or_fail(truncate(p, 0));
    else if (strcmp(op, "rdtrunc") == 0) rdtrunc(p);
    else if (strcmp(op, "mkdir") == 0) ok_or_fail(mkdir(p, 0755));
    else if (strcmp(op, "rmdir") == 0) ok_or_fail(rmdir(p));
    else if (strcmp(op, "unlink") == 0) ok_or_fail(unlink(p));
    else if (strcmp(op, "list") == 0) list_dir(p);
    else if (strcmp(op, "stat") == 0) stat_path(p, 1);
    else if (strcmp(op, "lstat") == 0) stat_path(p, 0);
    else if (strcmp(op, "readlink") == 0) read_link(p);
    else if (strcmp(op, "symlink") == 0) ok_or_fail(symlink(o->target ? o->target : "", p));
    else if (strcmp(op, "link") == 0) ok_or_fail(link(o->from ? o->from : "", o->to ? o->to : ""));
    else if (strcmp(op, "rename") == 0) ok_or_fail(rename(o->from ? o->from : "", o->to ? o->to : ""));
    else if (strcmp(op, "utimes") == 0) set_times(p);
    else printf("usage: unknown op '%s'\n", op);
}

int main(int argc, char **argv) {
    char *words[MAX_WORDS];
    int count = 0;
    if (argc > 1) {
        for (int i = 1; i < argc && count < MAX_WORDS; i++) words[count++] = argv[i];
    } else {
        const char *query = getenv("QUERY_STRING");
        char *copy = strdup(query ? query : "");
        for (char *w = strtok(copy, "&"); w && count < MAX_WORDS; w = strtok(NULL, "&")) words[count++] = w;
    }

    printf("Content-Type: text/plain\n\n");
    struct operation current = {0};
    for (int i = 0; i < count; i++) {
        char *eq = strchr(words[i], '=');
        if (!eq) continue;
        *eq = '\0';
        char *key = words[i], *value = eq + 1;
        decode(value);
        if (strcmp(key, "op") == 0) {
            if (current.op) run(&current);
            memset(&current, 0, sizeof current);
            current.op = value;
        } else if (strcmp(key, "path") == 0) current.path = value;
        else if (strcmp(key, "text") == 0) current.text = value;
        else if (strcmp(key, "target") == 0) current.target = value;
        else if (strcmp(key, "from") == 0) current.from = value;
        else if (strcmp(key, "to") == 0) current.to = value;
    }
    if (current.op) run(&current);
    return 0;
}
