/*
 * upload.h — a multipart/form-data body streamed to disk, part by part.
 *
 * Why it exists: a batch is up to 100 files of 10 MB; holding a request in
 * memory would make the server's memory follow its clients. libmicrohttpd's
 * MHD_PostProcessor cuts the body into parts as it arrives; each file part
 * goes straight into its own temporary file in the data directory (synced
 * when the part ends), and the limits are enforced while it streams: the
 * format is decided from the first DF_SNIFF_BYTES (the library's own
 * detection, df_sniff_format), the size as the bytes arrive. The first
 * problem found is the request's answer; the rest of the body is then read
 * and dropped (libmicrohttpd cannot answer in the middle of a body), and
 * every temporary file is deleted when the request ends, unless the batch
 * adopted them.
 *
 * Contents: struct upload_spec (which fields a route takes); upload_new,
 * upload_feed, upload_finish; the files and fields received;
 * upload_digest; upload_adopted; upload_free.
 */
#ifndef DF_SERVER_UPLOAD_H
#define DF_SERVER_UPLOAD_H

#include <stddef.h>

#include "http.h"

struct upload_spec {
    const char *file_field; /* "files" (batch) or "file" (extract) */
    size_t max_files;
    int batch_fields;       /* accepts webhook_url and callback_id */
};

struct upload;

/* For a request whose headers were read: checks the Content-Type and the
 * Content-Length, makes the post processor. NULL with *err set (400, 413). */
struct upload *upload_new(struct request *rq, const struct upload_spec *spec,
                          struct api_error *err);

/* A chunk of the body. 0 to go on (also after a refusal: the chunk is
 * dropped), -1 when the body broke the hard size limit: cut the connection. */
int upload_feed(struct upload *u, const char *data, size_t len);

/* The body ended: finish the last part, check the form. 0, or -1 with *err
 * set to the first problem found. */
int upload_finish(struct upload *u, struct api_error *err);

size_t upload_count(const struct upload *u);
/* File i: its temporary path (synced, closed) and what is known of it. */
const char *upload_temp(const struct upload *u, size_t i);
const st_file *upload_info(const struct upload *u, size_t i);
/* The temporary paths of all files, for datadir_adopt. */
char *const *upload_temps(const struct upload *u);
/* A text field's value, or NULL when it was not sent. */
const char *upload_field(const struct upload *u, const char *name);

/* The fingerprint of a finished form, for Idempotency-Key: SHA-256 over
 * each file's field name, file name and content (SHA-256, in order) and
 * each text field's name and value (or its absence), as 64 hex digits into
 * out[65]. Not the raw body: a client's retry draws a new multipart
 * boundary. 0, or -1 (out of memory). */
int upload_digest(const struct upload *u, char *out);

/* The files were renamed into a batch: do not delete them. */
void upload_adopted(struct upload *u);
/* Close and delete whatever is left; NULL is fine. */
void upload_free(struct upload *u);

#endif
