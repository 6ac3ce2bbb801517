/*
 * http-client: a WAGI module that makes outbound HTTP requests through the host's
 * wasi_experimental_http functions, declared by hand below with exactly the ABI of the
 * deislabs/wasi-experimental-http guest crate 0.7-0.10 (every parameter and result an i32; the
 * function result is the error code, 0 = success; out-parameters little-endian; status a u16).
 *
 * Driven by its query string (QUERY_STRING, '&'-separated key=value, values %XX-decoded; a key may
 * repeat where noted), so one module covers every case of the tests:
 *
 *   url=URL          the URL to request (without url, handle=N must be given)
 *   method=M         the method (default GET)
 *   hdr=NAME:VALUE   a request header line (repeatable; joined with \n)
 *   body=TEXT        the request body; stdinbody=1 sends stdin (the CGI request body) instead
 *   n=N              make N requests to url, each kept open until the end (default 1)
 *   closeeach=1      close each response right after using it (handles are then reused)
 *   keep=1           never close the responses (the host must free them when the run ends)
 *   handle=N         make no request; use handle N for the calls below (invalid-handle tests)
 *   getheader=NAME   header_get NAME (repeatable), into a buffer of hbuf=N bytes (default 256)
 *   allheaders=1     headers_get_all, into a buffer of abuf=N bytes (default 4096)
 *   read=0           do not read the body (default: read it to the end)
 *   chunk=N          body_read buffer size (default 4096); maxreads=N stops after N reads
 *   dump=1           print the body of the last response read after the report (see below)
 *   bad=WHICH        pass the pointer 0xFFFFFFF0 for one parameter: url, method, headers, body,
 *                    status, handle (req); hname, hvalue, hwritten (header_get); abuf, awritten
 *                    (headers_get_all); rbuf, rread (body_read)
 *   badutf8=WHICH    append the byte 0xFF to url, method, headers or hname
 *   trap=1           trap (unreachable) at the end, after the report, instead of returning
 *
 * Output: "Content-Type: text/plain\n\n", then one line per call:
 *   req I code=C[ status=S handle=H]
 *   header NAME code=C[ len=L value=V]
 *   allheaders code=C[ len=L]      followed, on success, by the L bytes and a line "end-allheaders"
 *   read code=C reads=R total=T sizes=1000*3,576 eof=0|1 fnv=XXXXXXXX
 *   close H code=C
 * and with dump=1, the line "body:" followed by the raw body bytes up to the end of the output.
 * Without url and handle it only prints "error: no url". Returns 0 (unless trap=1).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HTTP_IMPORT(name) __attribute__((import_module("wasi_experimental_http"), import_name(name)))

HTTP_IMPORT("req")
uint32_t wxh_req(const char *url_ptr, size_t url_len, const char *method_ptr, size_t method_len,
                 const char *headers_ptr, size_t headers_len, const uint8_t *body_ptr, size_t body_len,
                 uint16_t *status_code_ptr, uint32_t *res_handle_ptr);
HTTP_IMPORT("close")
uint32_t wxh_close(uint32_t handle);
HTTP_IMPORT("header_get")
uint32_t wxh_header_get(uint32_t handle, const char *name_ptr, size_t name_len, char *value_ptr,
                        size_t value_len, size_t *value_written_ptr);
HTTP_IMPORT("headers_get_all")
uint32_t wxh_headers_get_all(uint32_t handle, char *buf_ptr, size_t buf_len, size_t *written_ptr);
HTTP_IMPORT("body_read")
uint32_t wxh_body_read(uint32_t handle, uint8_t *buf_ptr, size_t buf_len, size_t *read_ptr);

#define BAD ((void *)(uintptr_t)0xFFFFFFF0u)
#define MAX_PARAMS 64
#define MAX_HANDLES 64

struct param { char *key; char *val; size_t len; };
static struct param params[MAX_PARAMS];
static int nparams;

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* %XX-decodes s[0..n) in place; returns the new length. */
static size_t decode(char *s, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            s[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = '\0';
    return o;
}

static void parse_query(void) {
    const char *q = getenv("QUERY_STRING");
    if (q == NULL) return;
    char *copy = strdup(q);
    char *p = copy;
    while (*p && nparams < MAX_PARAMS) {
        char *amp = strchr(p, '&');
        if (amp) *amp = '\0';
        char *eq = strchr(p, '=');
        struct param *pr = &params[nparams++];
        if (eq) {
            *eq = '\0';
            pr->val = eq + 1;
        } else {
            pr->val = p + strlen(p);
        }
        pr->key = p;
        decode(pr->key, strlen(pr->key));
        pr->len = decode(pr->val, strlen(pr->val));
        if (!amp) break;
        p = amp + 1;
    }
}

static const struct param *get(const char *key) {
    for (int i = 0; i < nparams; i++)
        if (strcmp(params[i].key, key) == 0) return &params[i];
    return NULL;
}

static long getnum(const char *key, long dflt) {
    const struct param *p = get(key);
    return p ? strtol(p->val, NULL, 10) : dflt;
}

static const char *bad;     /* which pointer is bad */
static const char *badutf8; /* which string gets a 0xFF byte */

static int is_bad(const char *which) { return bad != NULL && strcmp(bad, which) == 0; }
static int is_badutf8(const char *which) { return badutf8 != NULL && strcmp(badutf8, which) == 0; }

/* A copy of s[0..n) with 0xFF appended if badutf8 names it. */
static char *text(const char *which, const char *s, size_t n, size_t *out_len) {
    char *t = malloc(n + 2);
    memcpy(t, s, n);
    if (is_badutf8(which)) t[n++] = (char)0xFF;
    t[n] = '\0';
    *out_len = n;
    return t;
}

/* The last body read, kept for dump=1. */
static uint8_t *dump_buf;
static size_t dump_len, dump_cap;

static void dump_append(const uint8_t *p, size_t n) {
    if (dump_len + n > dump_cap) {
        dump_cap = (dump_len + n) * 2;
        dump_buf = realloc(dump_buf, dump_cap);
    }
    memcpy(dump_buf + dump_len, p, n);
    dump_len += n;
}

static void use(uint32_t h) {
    long hbuf = getnum("hbuf", 256);
    for (int i = 0; i < nparams; i++) {
        if (strcmp(params[i].key, "getheader") != 0) continue;
        size_t name_len;
        char *name = text("hname", params[i].val, params[i].len, &name_len);
        char *value = malloc((size_t)hbuf + 1);
        size_t written = 0;
        uint32_t code = wxh_header_get(h, is_bad("hname") ? BAD : name, name_len,
                                       is_bad("hvalue") ? BAD : value, (size_t)hbuf,
                                       is_bad("hwritten") ? BAD : &written);
        printf("header %s code=%u", params[i].val, code);
        if (code == 0) {
            printf(" len=%zu value=", written);
            fwrite(value, 1, written, stdout);
        }
        printf("\n");
        free(name);
        free(value);
    }
    if (getnum("allheaders", 0)) {
        long abuf = getnum("abuf", 4096);
        char *buf = malloc((size_t)abuf + 1);
        size_t written = 0;
        uint32_t code = wxh_headers_get_all(h, is_bad("abuf") ? BAD : buf, (size_t)abuf,
                                            is_bad("awritten") ? BAD : &written);
        printf("allheaders code=%u", code);
        if (code == 0) {
            printf(" len=%zu\n", written);
            fwrite(buf, 1, written, stdout);
            printf("end-allheaders");
        }
        printf("\n");
        free(buf);
    }
    if (getnum("read", 1)) {
        long chunk = getnum("chunk", 4096);
        long maxreads = getnum("maxreads", -1);
        uint8_t *buf = malloc((size_t)chunk + 1);
        uint32_t code = 0;
        unsigned long reads = 0, total = 0, run_size = 0, run_count = 0;
        uint32_t fnv = 2166136261u;
        int eof = 0, first_run = 1;
        char sizes[4096];
        size_t sl = 0;
        sizes[0] = '\0';
        if (getnum("dump", 0)) dump_len = 0;
        while (maxreads < 0 || (long)reads < maxreads) {
            size_t got = 0;
            code = wxh_body_read(h, is_bad("rbuf") ? BAD : buf, (size_t)chunk, is_bad("rread") ? BAD : &got);
            if (code != 0) break;
            reads++;
            if (got == 0) {
                eof = 1;
                break;
            }
            total += got;
            for (size_t k = 0; k < got; k++) fnv = (fnv ^ buf[k]) * 16777619u;
            if (getnum("dump", 0)) dump_append(buf, got);
            if (run_count > 0 && got == run_size) {
                run_count++;
            } else {
                if (run_count > 0 && sl < sizeof sizes - 64)
                    sl += (size_t)snprintf(sizes + sl, sizeof sizes - sl, "%s%lu*%lu", first_run ? "" : ",", run_size, run_count), first_run = 0;
                run_size = got;
                run_count = 1;
            }
        }
        if (run_count > 0 && sl < sizeof sizes - 64)
            sl += (size_t)snprintf(sizes + sl, sizeof sizes - sl, "%s%lu*%lu", first_run ? "" : ",", run_size, run_count);
        printf("read code=%u reads=%lu total=%lu sizes=%s eof=%d fnv=%08x\n", code, reads, total, sizes, eof, fnv);
        free(buf);
    }
}

int main(void) {
    parse_query();
    printf("Content-Type: text/plain\n\n");
    const struct param *url = get("url");
    const struct param *handle = get("handle");
    bad = get("bad") ? get("bad")->val : NULL;
    badutf8 = get("badutf8") ? get("badutf8")->val : NULL;
    int keep = (int)getnum("keep", 0);
    int closeeach = (int)getnum("closeeach", 0);

    uint32_t handles[MAX_HANDLES];
    int nh = 0;

    if (handle != NULL) {
        uint32_t h = (uint32_t)strtoul(handle->val, NULL, 10);
        use(h);
        printf("close %u code=%u\n", h, wxh_close(h));
    } else if (url != NULL) {
        const struct param *m = get("method");
        size_t url_len, method_len, headers_len;
        char *u = text("url", url->val, url->len, &url_len);
        char *method = text("method", m ? m->val : "GET", m ? m->len : 3, &method_len);

        /* header lines joined with \n */
        size_t hl = 0;
        char *hdrs = malloc(1);
        for (int i = 0; i < nparams; i++) {
            if (strcmp(params[i].key, "hdr") != 0) continue;
            hdrs = realloc(hdrs, hl + params[i].len + 2);
            if (hl > 0) hdrs[hl++] = '\n';
            memcpy(hdrs + hl, params[i].val, params[i].len);
            hl += params[i].len;
        }
        char *headers = text("headers", hdrs, hl, &headers_len);

        uint8_t *body = NULL;
        size_t body_len = 0;
        if (getnum("stdinbody", 0)) {
            size_t cap = 0;
            for (;;) {
                if (body_len == cap) body = realloc(body, cap = cap ? cap * 2 : 65536);
                ssize_t n = read(0, body + body_len, cap - body_len);
                if (n <= 0) break;
                body_len += (size_t)n;
            }
        } else if (get("body")) {
            body = (uint8_t *)get("body")->val;
            body_len = get("body")->len;
        }

        long n = getnum("n", 1);
        for (long i = 0; i < n && nh < MAX_HANDLES; i++) {
            uint16_t status = 0;
            uint32_t h = 0;
            uint32_t code = wxh_req(is_bad("url") ? BAD : u, url_len, is_bad("method") ? BAD : method, method_len,
                                    is_bad("headers") ? BAD : headers, headers_len,
                                    is_bad("body") ? BAD : body, body_len,
                                    is_bad("status") ? BAD : &status, is_bad("handle") ? BAD : &h);
            printf("req %ld code=%u", i, code);
            if (code != 0) {
                printf("\n");
                continue;
            }
            printf(" status=%u handle=%u\n", status, h);
            use(h);
            if (closeeach) {
                printf("close %u code=%u\n", h, wxh_close(h));
            } else {
                handles[nh++] = h;
            }
        }
        if (!keep) {
            for (int i = 0; i < nh; i++) printf("close %u code=%u\n", handles[i], wxh_close(handles[i]));
        }
    } else {
        printf("error: no url\n");
    }
    if (getnum("dump", 0)) {
        printf("body:\n");
        fwrite(dump_buf, 1, dump_len, stdout);
    }
    fflush(stdout);
    if (getnum("trap", 0)) __builtin_trap();
    return 0;
}
