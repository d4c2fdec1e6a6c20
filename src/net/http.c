/* http: libcurl's multi socket interface driven by libuv, after curl's docs/examples/multi-uv.c.
 *
 * curl tells us which sockets to watch (socket callback) and when to wake it (timer callback);
 * libuv tells curl when a socket is ready. Every finished transfer is handed to its owner's
 * callback exactly once. Easy handles are reused; connections live in the multi handle's
 * cache, so a keep-alive connection to the Bot API serves many requests. */
#include "karirbot/http.h"

#include <curl/curl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/buf.h"
#include "karirbot/clock.h"
#include "karirbot/log.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

#define EASY_POOL_MAX 16
#define MAX_CONNECTS  32

struct sock_ctx {
    uv_poll_t poll;
    curl_socket_t fd;
    struct kb_http *h;
    struct sock_ctx *next, *prev;
};

struct kb_http_req {
    struct kb_http *h;
    CURL *easy;
    struct kb_buf body;
    kb_http_cb cb;
    void *data;
    uint64_t started_ms;
    char *post;
    int too_big;
    struct kb_http_req *next, *prev;
};

struct kb_http {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t timer;
    struct curl_slist *headers;
    struct kb_http_req *reqs;
    struct sock_ctx *socks;
    CURL *pool[EASY_POOL_MAX];
    int npool;
    int inflight;
    int open_handles; /* libuv handles not yet closed; the struct is freed at zero */
    int closing;
};

static void maybe_free(struct kb_http *h)
{
    if (!h->closing || h->open_handles > 0)
        return;
    curl_slist_free_all(h->headers);
    free(h);
}

static void handle_closed(uv_handle_t *handle)
{
    struct kb_http *h = handle->data;
    if (handle->type == UV_POLL)
        free(container_of((uv_poll_t *)handle, struct sock_ctx, poll));
    h->open_handles--;
    maybe_free(h);
}

static void finish(struct kb_http_req *r, CURLcode code)
{
    struct kb_http *h = r->h;
    struct kb_http_result res = {0};
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    res.status = status;
    res.elapsed_s = (double)(kb_mono_ms() - r->started_ms) / 1000.0;
    if (code == CURLE_OK) {
        res.err = KB_HTTP_OK;
    } else if (r->too_big) {
        res.err = KB_HTTP_TOO_BIG;
        res.error = "response too large";
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        res.err = KB_HTTP_TIMEOUT;
        res.error = "timed out";
    } else if (code == CURLE_ABORTED_BY_CALLBACK) {
        res.err = KB_HTTP_CANCELLED;
        res.error = "cancelled";
    } else {
        res.err = KB_HTTP_NETWORK;
        res.error = curl_easy_strerror(code); /* a fixed text: never holds the URL */
    }
    if (res.err != KB_HTTP_OK && res.err != KB_HTTP_TOO_BIG)
        res.status = 0; /* a body cut off for its size came with a status line */
    res.body = r->body.data ? r->body.data : "";
    res.body_len = r->body.len;

    curl_multi_remove_handle(h->multi, r->easy);
    if (r->prev)
        r->prev->next = r->next;
    else
        h->reqs = r->next;
    if (r->next)
        r->next->prev = r->prev;
    h->inflight--;

    r->cb(r, &res, r->data);

    kb_buf_free(&r->body);
    free(r->post);
    if (h->npool < EASY_POOL_MAX && !h->closing) {
        h->pool[h->npool++] = r->easy; /* keeps its fixed options: see easy_new() */
    } else {
        curl_easy_cleanup(r->easy);
    }
    free(r);
}

static void check_done(struct kb_http *h)
{
    CURLMsg *msg;
    int left;
    while (!h->closing && (msg = curl_multi_info_read(h->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct kb_http_req *r = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        finish(r, msg->data.result);
    }
}

static void on_poll(uv_poll_t *poll, int status, int events)
{
    struct sock_ctx *c = container_of(poll, struct sock_ctx, poll);
    int flags = 0;
    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE)
        flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
        flags |= CURL_CSELECT_OUT;
    int running;
    struct kb_http *h = c->h;
    if (h->closing)
        return;
    curl_multi_socket_action(h->multi, c->fd, flags, &running);
    check_done(h);
}

static void on_timer(uv_timer_t *t)
{
    struct kb_http *h = t->data;
    int running;
    if (h->closing)
        return;
    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(h);
}

static int curl_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    struct kb_http *h = userp;
    if (timeout_ms < 0)
        uv_timer_stop(&h->timer);
    else
        uv_timer_start(&h->timer, on_timer, (uint64_t)timeout_ms, 0);
    return 0;
}

static void sock_forget(struct kb_http *h, struct sock_ctx *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        h->socks = c->next;
    if (c->next)
        c->next->prev = c->prev;
    uv_poll_stop(&c->poll);
    uv_close((uv_handle_t *)&c->poll, handle_closed);
}

static int curl_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
    (void)easy;
    struct kb_http *h = userp;
    struct sock_ctx *c = sockp;
    if (what == CURL_POLL_REMOVE) {
        if (c) {
            sock_forget(h, c);
            curl_multi_assign(h->multi, fd, NULL);
        }
        return 0;
    }
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c || uv_poll_init_socket(h->loop, &c->poll, fd) != 0) {
            free(c);
            KB_ERROR("http.poll_init", "fd=%d", (int)fd);
            return -1;
        }
        c->fd = fd;
        c->h = h;
        c->poll.data = h;
        c->next = h->socks;
        if (h->socks)
            h->socks->prev = c;
        h->socks = c;
        h->open_handles++;
        curl_multi_assign(h->multi, fd, c);
    }
    int events = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
        events |= UV_READABLE;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        events |= UV_WRITABLE;
    uv_poll_start(&c->poll, events, on_poll);
    return 0;
}

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *userp)
{
    struct kb_http_req *r = userp;
    size_t n = size * nmemb;
    if (kb_buf_add(&r->body, ptr, n) == 0)
        return n;
    r->too_big = 1;
    return 0;
}

int kb_http_async_dns(void)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    return (v->features & CURL_VERSION_ASYNCHDNS) != 0;
}

struct kb_http *kb_http_new(uv_loop_t *loop)
{
    static int global_done;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            KB_ERROR("http.init", "reason=\"curl_global_init failed\"");
            return NULL;
        }
        global_done = 1;
    }
    if (!kb_http_async_dns())
        KB_WARN("http.blocking_dns", "reason=\"libcurl resolves names synchronously; a slow "
                                     "DNS server would stall the event loop\"");
    struct kb_http *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->loop = loop;
    h->multi = curl_multi_init();
    h->headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (h->headers)
        h->headers = curl_slist_append(h->headers, "Expect:");
    if (!h->multi || !h->headers || uv_timer_init(loop, &h->timer) != 0) {
        if (h->multi)
            curl_multi_cleanup(h->multi);
        curl_slist_free_all(h->headers);
        free(h);
        return NULL;
    }
    h->timer.data = h;
    h->open_handles = 1;
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, curl_socket_cb);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, curl_timer_cb);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)MAX_CONNECTS);
    return h;
}

/* A new easy handle with the options every request shares; per-request options are set in
 * kb_http_post_json(), and a pooled handle keeps these (no curl_easy_reset per request). */
static CURL *easy_new(struct kb_http *h)
{
    CURL *e = curl_easy_init();
    if (!e)
        return NULL;
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->headers);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "karirbot/" KB_VERSION);
    return e;
}

struct kb_http_req *kb_http_post_json(struct kb_http *h, const char *url, const char *json,
                                      long timeout_ms, size_t max_body, kb_http_cb cb, void *data)
{
    if (h->closing)
        return NULL;
    struct kb_http_req *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->easy = h->npool ? h->pool[--h->npool] : easy_new(h);
    r->post = strdup(json);
    if (!r->easy || !r->post) {
        if (r->easy)
            curl_easy_cleanup(r->easy);
        free(r->post);
        free(r);
        return NULL;
    }
    r->h = h;
    r->cb = cb;
    r->data = data;
    r->started_ms = kb_mono_ms();
    kb_buf_init(&r->body, max_body);
    CURL *e = r->easy;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->post);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(r->post));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 10000 ? timeout_ms : 10000L);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
        kb_buf_free(&r->body);
        curl_easy_cleanup(e);
        free(r->post);
        free(r);
        return NULL;
    }
    r->next = h->reqs;
    if (h->reqs)
        h->reqs->prev = r;
    h->reqs = r;
    h->inflight++;
    return r;
}

void kb_http_cancel(struct kb_http_req *r)
{
    finish(r, CURLE_ABORTED_BY_CALLBACK);
}

int kb_http_inflight(const struct kb_http *h)
{
    return h->inflight;
}

void kb_http_close(struct kb_http *h)
{
    if (!h || h->closing)
        return;
    while (h->reqs)
        kb_http_cancel(h->reqs);
    h->closing = 1;
    while (h->npool)
        curl_easy_cleanup(h->pool[--h->npool]);
    curl_multi_cleanup(h->multi);
    h->multi = NULL;
    while (h->socks)
        sock_forget(h, h->socks);
    uv_timer_stop(&h->timer);
    uv_close((uv_handle_t *)&h->timer, handle_closed);
}
