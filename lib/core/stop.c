/* stop.c — the document's deadline, the cancel flag, and the watchdog
 * that brings them to a library that only watches a flag (see stop.h). */
#include "core/stop.h"

#include <time.h>

/* A budget beyond this is no deadline at all: now + budget in nanoseconds
 * must fit in int64_t (292 years), and ten years is as good as none. */
#define STOP_MAX_SECONDS (10ull * 365 * 24 * 3600)
/* How often the watchdog looks at the cancel flag, which nothing signals
 * (df_batch_cancel is a plain atomic store, safe in a signal handler): a
 * cancelled PDF page stops within this much. */
#define WATCH_POLL_NS (50 * 1000 * 1000)

int64_t df_clock_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

df_stop df_stop_start(uint64_t seconds)
{
    df_stop s = {NULL, 0, seconds};
    if (seconds > 0 && seconds <= STOP_MAX_SECONDS)
        s.deadline_ns = df_clock_ns() + (int64_t)seconds * 1000000000;
    return s;
}

int df_stop_cancelled(const df_stop *s)
{
    return s && s->cancel && __atomic_load_n(s->cancel, __ATOMIC_RELAXED);
}

int df_stop_expired(const df_stop *s)
{
    return s && s->deadline_ns > 0 && df_clock_ns() >= s->deadline_ns;
}

int64_t df_stop_left_ms(const df_stop *s)
{
    if (!s || s->deadline_ns <= 0)
        return -1;
    int64_t left = (s->deadline_ns - df_clock_ns()) / 1000000;
    return left < 0 ? 0 : left > INT32_MAX ? INT32_MAX : left;
}

df_code df_stop_timeout(const df_stop *s, const char *where, df_err *err)
{
    return df_err_set(err, DF_E_TIMEOUT, "the document exceeded its time budget of %llu s "
                      "(stopped %s)", (unsigned long long)(s ? s->budget_s : 0), where);
}

df_code df_stop_check(const df_stop *s, const char *where, df_err *err)
{
    if (df_stop_cancelled(s))
        return df_err_set(err, DF_E_CANCELLED, "cancelled %s", where);
    if (df_stop_expired(s))
        return df_stop_timeout(s, where, err);
    return DF_OK;
}

/* ---- watchdog -------------------------------------------------------------- */

/* The next time to look: the deadline, or sooner to see the cancel flag. */
static struct timespec next_look(const df_stop *s)
{
    int64_t at = s->deadline_ns;
    if (s->cancel) {
        int64_t poll = df_clock_ns() + WATCH_POLL_NS;
        if (at <= 0 || poll < at)
            at = poll;
    }
    return (struct timespec){at / 1000000000, at % 1000000000};
}

static void *watch(void *arg)
{
    df_watchdog *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->done) {
        if (df_stop_cancelled(w->stop) || df_stop_expired(w->stop)) {
            /* MuPDF reads its flag unsynchronised, as fz_cookie documents */
            __atomic_store_n(w->flag, 1, __ATOMIC_RELAXED);
            break;
        }
        struct timespec at = next_look(w->stop);
        pthread_cond_timedwait(&w->wake, &w->lock, &at);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

void df_watchdog_start(df_watchdog *w, const df_stop *s, int *flag)
{
    *w = (df_watchdog){.stop = s, .flag = flag};
    if (!s || (!s->cancel && s->deadline_ns <= 0))
        return;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* the clock of the deadline */
    pthread_cond_init(&w->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&w->lock, NULL);
    w->running = pthread_create(&w->thread, NULL, watch, w) == 0;
    if (!w->running) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
    }
}

void df_watchdog_end(df_watchdog *w)
{
    if (!w->running)
        return;
    pthread_mutex_lock(&w->lock);
    w->done = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    w->running = 0;
}
