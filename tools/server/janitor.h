/*
 * janitor.h — housekeeping: lease renewal and retention (janitor.c).
 */
#ifndef DF_SERVER_JANITOR_H
#define DF_SERVER_JANITOR_H

#include <stdint.h>

struct server;
struct janitor;

/* Start the thread (one round at once, then every few seconds). NULL with
 * err (512 bytes). */
struct janitor *janitor_start(struct server *srv, char *err);
void janitor_stop(struct janitor *j);

/* One round at time `now`: renew this server's leases, delete the batches
 * whose retention ran out, forget old tombstones. The batches deleted. */
int janitor_run_once(struct server *srv, int64_t now);

#endif
