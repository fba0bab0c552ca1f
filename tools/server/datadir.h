/*
 * datadir.h — the data directory on disk: layout, durable renames, sweeping.
 *
 * Why it exists: an accepted file must survive a crash, and a refused or
 * interrupted upload must leave nothing behind. Uploads are written under
 * tmp/, synced, and renamed into the batch's folder only when the whole
 * request was good; the store's transaction that makes the batch visible
 * comes after the renames. A crash between the two leaves a folder no
 * batch row names, and the sweep at start removes it (and everything in
 * tmp/). Paths are made here from ids the server made, never from names a
 * client sent.
 *
 * Layout of DIR (created 0700; files 0600):
 *   docflow.db (+ -wal, -shm)  the store (store_sqlite.c)
 *   secret                     the link-signing secret (signing.c)
 *   lock                       held by the running server (one per directory)
 *   tmp/                       uploads being received
 *   batches/<batch_id>/input/NNNN.<format>   accepted files
 *
 * Contents: datadir_prepare; datadir_lock; datadir_temp; datadir_sync_dir;
 * paths and file keys; datadir_adopt; datadir_remove_batch; datadir_sweep.
 */
#ifndef DF_SERVER_DATADIR_H
#define DF_SERVER_DATADIR_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define DATADIR_PATH_MAX 4096

/* Create DIR, DIR/tmp and DIR/batches (0700) when missing. 0, or -1 with
 * err (256 bytes). */
int datadir_prepare(const char *dir, char *err);

/* Take DIR/lock (flock, exclusive, not waiting): one server per data
 * directory. The descriptor, held until exit, or -1 with err. */
int datadir_lock(const char *dir, char *err);

/* A new empty file under DIR/tmp; its path into path[DATADIR_PATH_MAX].
 * The descriptor, or -1 (errno set). */
int datadir_temp(const char *dir, char *path);

/* fsync a directory, so that renames and unlinks in it are durable. */
int datadir_sync_dir(const char *path);

/* DIR/batches/<id>/input/NNNN.<format> */
int datadir_input_path(const char *dir, const char *batch_id, uint32_t index,
                       const char *format, char *out, size_t cap);

/* "batch/<id>/input/NNNN.<format>": the file_key results carry (the hosted
 * API's storage key; the extension is the detected format's name). */
void datadir_file_key(const char *batch_id, uint32_t index, const char *format, char *out,
                      size_t cap);

/* Move n synced temp files into the new batch's input folder as
 * NNNN.<format>, and sync the folders. On failure nothing of the batch is
 * left (-1, errno set). */
int datadir_adopt(const char *dir, const char *batch_id, char *const *temps,
                  const st_file *files, size_t n);

/* Delete a batch's folder and everything in it (missing is fine). */
int datadir_remove_batch(const char *dir, const char *batch_id);

/* At start: empty tmp/, and remove every batch folder the store has no live
 * batch for. *removed counts the folders removed. 0 or -1 (err). */
int datadir_sweep(const char *dir, store *s, int *removed, char *err);

#endif
