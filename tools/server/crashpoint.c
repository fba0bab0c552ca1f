/*
 * crashpoint.c — DOCFLOW_TEST_CRASH: the server kills itself at a named
 * place. See crashpoint.h.
 *
 * The setting is read once, before the server starts its threads; arrivals
 * are counted atomically, so exactly one thread dies at the Nth arrival
 * (and with it the process: SIGKILL cannot be caught, as in a real crash).
 */
#include "crashpoint.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char point_[32], detail_[256];
static long nth_ = 1;
static int armed_;
static atomic_long arrivals_;

void crash_init(void)
{
    const char *v = getenv("DOCFLOW_TEST_CRASH");
    armed_ = 0;
    atomic_store(&arrivals_, 0);
    if (!v || !*v)
        return;
    char buf[300];
    snprintf(buf, sizeof buf, "%s", v);
    char *hash = strrchr(buf, '#');
    nth_ = 1;
    if (hash) {
        *hash = '\0';
        nth_ = strtol(hash + 1, NULL, 10);
        if (nth_ < 1)
            nth_ = 1;
    }
    char *slash = strchr(buf, '/');
    detail_[0] = '\0';
    if (slash) {
        *slash = '\0';
        snprintf(detail_, sizeof detail_, "%.255s", slash + 1);
    }
    snprintf(point_, sizeof point_, "%.31s", buf);
    armed_ = 1;
    fprintf(stderr, "docflow: test crash point armed: %s%s%s, arrival %ld\n", point_,
            detail_[0] ? "/" : "", detail_, nth_);
}

int crash_armed(const char *point)
{
    return armed_ && !strcmp(point, point_);
}

void crash_point(const char *point, const char *detail)
{
    if (!crash_armed(point) || (detail_[0] && (!detail || strcmp(detail, detail_) != 0)))
        return;
    if (atomic_fetch_add(&arrivals_, 1) + 1 == nth_)
        kill(getpid(), SIGKILL);
}
