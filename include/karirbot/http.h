/* http: asynchronous HTTP requests on a libuv loop through libcurl's multi socket API
 * (one uv_poll_t per socket, one uv_timer_t), with connection reuse, a per-request
 * timeout, a cap on the response size and TLS verification on. Nothing here blocks. */
#ifndef KARIRBOT_HTTP_H
#define KARIRBOT_HTTP_H

#include <stddef.h>
#include <uv.h>

struct kb_http;
struct kb_http_req;

enum kb_http_err {
    KB_HTTP_OK = 0,       /* a response arrived (any status) */
    KB_HTTP_NETWORK = 1,  /* connect, reset, DNS, TLS: nothing usable arrived */
    KB_HTTP_TIMEOUT = 2,  /* the per-request timeout passed */
    KB_HTTP_TOO_BIG = 3,  /* the body exceeded the cap */
    KB_HTTP_CANCELLED = 4 /* kb_http_cancel() or kb_http_close() */
};

struct kb_http_result {
    enum kb_http_err err;
    long status;      /* HTTP status, 0 without a response (KB_HTTP_TOO_BIG keeps it) */
    const char *body; /* NUL-terminated, valid only during the callback */
    size_t body_len;
    const char *error; /* short reason when err != KB_HTTP_OK (never contains the URL) */
    double elapsed_s;
};

typedef void (*kb_http_cb)(struct kb_http_req *req, const struct kb_http_result *res, void *data);

/* Creates the client on loop. Returns NULL after logging. */
struct kb_http *kb_http_new(uv_loop_t *loop);
/* Cancels every request (callbacks run with KB_HTTP_CANCELLED) and closes the handles;
 * the memory is released once the loop has run the close callbacks. */
void kb_http_close(struct kb_http *h);

/* Starts a POST of a JSON body (copied) to url. timeout_ms bounds the whole request;
 * max_body bounds the response. The callback runs exactly once unless this returns NULL. */
struct kb_http_req *kb_http_post_json(struct kb_http *h, const char *url, const char *json,
                                      long timeout_ms, size_t max_body, kb_http_cb cb, void *data);
/* Cancels a request in flight; its callback runs before this returns, with
 * KB_HTTP_CANCELLED. */
void kb_http_cancel(struct kb_http_req *req);

/* Number of requests in flight. */
int kb_http_inflight(const struct kb_http *h);

/* True when libcurl resolves names without blocking (threaded resolver or c-ares). */
int kb_http_async_dns(void);

#endif
