/*
 * upload.c — multipart/form-data streamed to temporary files through
 * MHD_PostProcessor, limits enforced as the bytes arrive. See upload.h.
 *
 * MHD_PostProcessor calls on_part for every chunk of every part with the
 * chunk's offset in that part; a part starts at offset 0 (an empty part is
 * one call with size 0). Returning MHD_NO from on_part stops the parser.
 *
 * One exception, which upload_feed keeps from happening: when the bytes
 * given to MHD_post_process end 4 bytes or less after a part's headers,
 * MHD calls on_part with no bytes at offset 0 (it cannot yet tell the
 * part's data from the boundary after it), then with the part's first
 * bytes at offset 0 again, which read as an empty part and a second one:
 * a valid batch refused with "files[0] "a.pdf" is empty (0 bytes)"
 * (libmicrohttpd 0.9.75, process_value_to_boundary's must_ikvi; more
 * likely the more parts a body has). So what arrived after a blank line
 * closer than UPLOAD_HOLD bytes to its end waits for more, or for the
 * body's end, and each MHD_post_process call ends far from any blank
 * line.
 */
#include "upload.h"

#include "crashpoint.h"
#include "datadir.h"
#include "server_limits.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct upfile {
    char temp[DATADIR_PATH_MAX];
    int fd;                 /* open while the part streams, then -1 */
    st_file info;
    unsigned char head[DF_SNIFF_BYTES];
    size_t head_len;
    int sniffed;            /* the format was decided */
    EVP_MD_CTX *md;         /* SHA-256 of the content while it streams */
    unsigned char sha[32];  /* ... and when the part ended */
};

struct field {
    const char *name;
    size_t max;             /* bytes */
    char *value;            /* NULL until the field is sent */
    size_t len;
};

/* More than a boundary (at most 70 bytes, RFC 2046) and the "\r\n--"
 * before it, with room for a client's longer one. */
#define UPLOAD_HOLD 256

struct upload {
    struct request *rq;
    struct upload_spec spec;
    struct MHD_PostProcessor *pp;
    struct upfile files[SRV_MAX_FILES];
    char *temps[SRV_MAX_FILES]; /* files[i].temp, for datadir_adopt */
    size_t nfiles;
    struct field fields[2];  /* webhook_url, callback_id */
    struct field *cur_field; /* the part streaming, when it is a field */
    int in_file;             /* the part streaming is files[nfiles - 1] */
    unsigned long long body_bytes;
    struct api_error err;    /* the first refusal */
    int adopted;
    char *feed;              /* held bytes, then what arrived after them */
    size_t feed_len, feed_cap;
};

static int failed(struct upload *u)
{
    return u->err.code != NULL;
}

/* Bytes of the valid UTF-8 sequence at s (n bytes left), 0 when invalid
 * (overlong, surrogate, beyond U+10FFFF, cut short). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || len > n || s[0] > 0xF4)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

static int valid_utf8(const char *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k)
        if ((k = utf8_len((const unsigned char *)s + i, n - i)) == 0)
            return 0;
    return 1;
}

/* A client's name as it may appear in a message (JSON): each ill-formed
 * part of it U+FFFD, as the library and the CLI print names
 * (df_utf8_sanitize), control characters '?', cut at SRV_MAX_FILENAME bytes
 * between characters. */
static void clean_name(const char *in, char *out, size_t cap)
{
    char *valid = in ? df_utf8_sanitize(in) : NULL;
    const char *s = valid ? valid : "";
    size_t n = 0, i = 0, len = strlen(s);
    while (i < len) {
        const unsigned char *c = (const unsigned char *)s + i;
        size_t k = utf8_len(c, len - i);
        int bad = k == 0 || c[0] < 0x20 || c[0] == 0x7f;
        size_t w = bad ? 1 : k;
        if (n + w + 1 > cap || n + w > SRV_MAX_FILENAME)
            break;
        if (bad)
            out[n] = '?';
        else
            memcpy(out + n, c, k);
        n += w;
        i += bad ? 1 : k;
    }
    out[n] = '\0';
    df_free(valid);
}

/* "files[3] \"receipt.png\"": how messages name a file. */
static void file_label(const struct upload *u, size_t i, char *out, size_t cap)
{
    const char *name = u->files[i].info.filename;
    if (name[0])
        snprintf(out, cap, "%s[%zu] \"%s\"", u->spec.file_field, i, name);
    else
        snprintf(out, cap, "%s[%zu]", u->spec.file_field, i);
}

static void storage_error(struct upload *u, size_t i, int err)
{
    char label[SRV_MAX_FILENAME + 32];
    file_label(u, i, label, sizeof label);
    if (err == ENOSPC || err == EDQUOT)
        api_error_set(&u->err, 507, "insufficient_storage",
                      "%s could not be stored: the server's disk is full", label);
    else
        api_error_set(&u->err, 500, "storage_error", "%s could not be stored: %s", label,
                      strerror(err));
}

/* The format, once the first DF_SNIFF_BYTES (or the whole file) are in. */
static void sniff(struct upload *u, struct upfile *f)
{
    char label[SRV_MAX_FILENAME + 32];
    const char *fmt = df_sniff_format(f->head, f->head_len);
    f->sniffed = 1;
    snprintf(f->info.format, sizeof f->info.format, "%s", fmt);
    if (fmt[0])
        return;
    file_label(u, (size_t)(f - u->files), label, sizeof label);
    api_error_set(&u->err, 415, "unsupported_format", "%s %s; supported formats: %s", label,
                  f->head_len ? "is not a supported format" : "is empty (0 bytes)",
                  df_supported_formats());
}

static int field_data(struct upload *u, const char *data, size_t size)
{
    struct field *fl = u->cur_field;
    if (fl->len + size > fl->max) {
        api_error_set(&u->err, 400, "field_too_long", "form field \"%s\" is longer than %zu bytes",
                      fl->name, fl->max);
        return -1;
    }
    if (memchr(data, '\0', size)) {
        api_error_set(&u->err, 400, "invalid_field", "form field \"%s\" contains a NUL byte",
                      fl->name);
        return -1;
    }
    memcpy(fl->value + fl->len, data, size);
    fl->len += size;
    return 0;
}

/* A field's whole value must be UTF-8: it is echoed in JSON. */
static void end_field(struct upload *u)
{
    struct field *fl = u->cur_field;
    u->cur_field = NULL;
    if (fl && !failed(u) && !valid_utf8(fl->value, fl->len))
        api_error_set(&u->err, 400, "invalid_field", "form field \"%s\" is not valid UTF-8",
                      fl->name);
}

/* The part that was streaming ended. */
static void end_part(struct upload *u)
{
    end_field(u);
    if (!u->in_file)
        return;
    u->in_file = 0;
    struct upfile *f = &u->files[u->nfiles - 1];
    if (!failed(u) && !f->sniffed)
        sniff(u, f);
    if (!failed(u) && fsync(f->fd) != 0)
        storage_error(u, u->nfiles - 1, errno);
    close(f->fd);
    f->fd = -1;
    if (!failed(u) && EVP_DigestFinal_ex(f->md, f->sha, NULL) != 1)
        api_error_set(&u->err, 500, "internal_error", "SHA-256 failed");
    EVP_MD_CTX_free(f->md);
    f->md = NULL;
}

static int start_file(struct upload *u, const char *filename)
{
    char label[SRV_MAX_FILENAME + 32];
    if (u->nfiles == u->spec.max_files) {
        char name[SRV_MAX_FILENAME + 1];
        clean_name(filename, name, sizeof name);
        snprintf(label, sizeof label, "%s[%zu]%s%s%s", u->spec.file_field, u->nfiles,
                 name[0] ? " \"" : "", name, name[0] ? "\"" : "");
        if (u->spec.max_files == 1)
            api_error_set(&u->err, 400, "too_many_files",
                          "more than one file in form field \"%s\" (%s): send exactly one",
                          u->spec.file_field, label);
        else
            api_error_set(&u->err, 400, "too_many_files",
                          "more than %zu files in form field \"%s\" (%s is one too many): "
                          "send at most %zu per batch", u->spec.max_files, u->spec.file_field,
                          label, u->spec.max_files);
        return -1;
    }
    struct upfile *f = &u->files[u->nfiles];
    memset(&f->info, 0, sizeof f->info);
    clean_name(filename, f->info.filename, sizeof f->info.filename);
    f->head_len = 0;
    f->sniffed = 0;
    f->md = EVP_MD_CTX_new();
    if (!f->md || EVP_DigestInit_ex(f->md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(f->md);
        f->md = NULL;
        api_error_set(&u->err, 500, "internal_error", "out of memory for a file's SHA-256");
        return -1;
    }
    f->fd = datadir_temp(u->rq->srv->cfg.data_dir, f->temp);
    if (f->fd < 0) {
        f->temp[0] = '\0';
        u->nfiles++;
        storage_error(u, u->nfiles - 1, errno);
        return -1;
    }
    u->temps[u->nfiles++] = f->temp;
    u->in_file = 1;
    return 0;
}

static int start_field(struct upload *u, const char *field)
{
    char name[SRV_MAX_QUOTED_NAME + 1];
    for (size_t i = 0; u->spec.batch_fields && i < 2; i++) {
        struct field *fl = &u->fields[i];
        if (strcmp(field, fl->name) != 0)
            continue;
        if (fl->value) {
            api_error_set(&u->err, 400, "duplicate_field", "form field \"%s\" was sent twice",
                          field);
            return -1;
        }
        if (!(fl->value = calloc(1, fl->max + 2))) {
            api_error_set(&u->err, 500, "internal_error", "out of memory reading \"%s\"", field);
            return -1;
        }
        u->cur_field = fl;
        return 0;
    }
    clean_name(field, name, sizeof name);
    api_error_set(&u->err, 400, "unknown_field", "unknown form field \"%s\": %s takes %s", name,
                  u->spec.batch_fields ? "POST /v1/batch" : "POST /v1/extract",
                  u->spec.batch_fields ? "files, webhook_url and callback_id" : "only file");
    return -1;
}

static int start_part(struct upload *u, const char *field, const char *filename)
{
    end_part(u);
    if (failed(u))
        return -1;
    if (field && !strcmp(field, u->spec.file_field))
        return start_file(u, filename);
    return start_field(u, field ? field : "");
}

static int file_data(struct upload *u, const char *data, size_t size)
{
    struct upfile *f = &u->files[u->nfiles - 1];
    char label[SRV_MAX_FILENAME + 32];
    if (f->info.bytes + size > SRV_MAX_FILE_BYTES) {
        file_label(u, u->nfiles - 1, label, sizeof label);
        api_error_set(&u->err, 413, "file_too_large",
                      "%s is larger than the limit of 10 MB (%u bytes) per file", label,
                      SRV_MAX_FILE_BYTES);
        return -1;
    }
    if (!f->sniffed) {
        size_t take = size < DF_SNIFF_BYTES - f->head_len ? size : DF_SNIFF_BYTES - f->head_len;
        memcpy(f->head + f->head_len, data, take);
        f->head_len += take;
        if (f->head_len == DF_SNIFF_BYTES && (sniff(u, f), failed(u)))
            return -1;
    }
    for (size_t done = 0; done < size;) {
        ssize_t w = write(f->fd, data + done, size - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            storage_error(u, u->nfiles - 1, w < 0 ? errno : EIO);
            return -1;
        }
        done += (size_t)w;
    }
    EVP_DigestUpdate(f->md, data, size);
    f->info.bytes += size;
    crash_point("upload", f->info.filename); /* part of a file on disk, nothing committed */
    return 0;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    struct upload *u = cls;
    (void)kind, (void)content_type, (void)transfer_encoding;
    if (failed(u))
        return MHD_NO;
    if (off == 0 && start_part(u, key, filename) != 0)
        return MHD_NO;
    if (size == 0)
        return MHD_YES;
    int rc = u->in_file ? file_data(u, data, size) : u->cur_field ? field_data(u, data, size) : 0;
    return rc == 0 ? MHD_YES : MHD_NO;
}

/* ------------------------------------------------------------------ */

static int is_multipart(const char *ct)
{
    return ct && !strncasecmp(ct, "multipart/form-data", 19) && (ct[19] == ';' || !ct[19]);
}

/* Content-Length above the hard limit: refused before reading. */
static int too_long(const char *cl)
{
    char *end;
    errno = 0;
    unsigned long long v = cl ? strtoull(cl, &end, 10) : 0;
    return cl && !errno && end != cl && v > SRV_MAX_BODY_BYTES;
}

struct upload *upload_new(struct request *rq, const struct upload_spec *spec,
                          struct api_error *err)
{
    const char *ct = http_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!is_multipart(ct)) {
        char got[SRV_MAX_QUOTED_NAME + 1];
        clean_name(ct ? ct : "none", got, sizeof got);
        api_error_set(err, 400, "not_multipart", "%s %s needs a multipart/form-data body "
                      "(Content-Type was %s)", rq->route->method, rq->route->path, got);
        return NULL;
    }
    if (too_long(http_header(rq, MHD_HTTP_HEADER_CONTENT_LENGTH))) {
        api_error_set(err, 413, "request_too_large", "the request body is larger than %llu bytes "
                      "(%d files of 10 MB and the form around them)", SRV_MAX_BODY_BYTES,
                      SRV_MAX_FILES);
        return NULL;
    }
    struct upload *u = calloc(1, sizeof *u);
    if (u) {
        u->rq = rq;
        u->spec = *spec;
        u->fields[0] = (struct field){"webhook_url", SRV_MAX_WEBHOOK_URL, NULL, 0};
        u->fields[1] = (struct field){"callback_id", SRV_MAX_CALLBACK_ID, NULL, 0};
        u->pp = MHD_create_post_processor(rq->conn, SRV_POST_BUFFER, on_part, u);
    }
    if (!u || !u->pp) {
        free(u);
        api_error_set(err, 400, "malformed_multipart", "the multipart/form-data body cannot be "
                      "read: its Content-Type has no boundary");
        return NULL;
    }
    return u;
}

static void post_process(struct upload *u, const char *data, size_t len)
{
    if (len && !failed(u) && MHD_post_process(u->pp, data, len) != MHD_YES && !failed(u))
        api_error_set(&u->err, 400, "malformed_multipart",
                      "the multipart/form-data body is malformed");
}

/* Where s[0..n) may end an MHD_post_process call: before the second of
 * two line ends in a row (a blank line: maybe a part's headers' end)
 * among its last UPLOAD_HOLD - 1 bytes, else at its end. */
static size_t safe_cut(const char *s, size_t n)
{
    for (size_t i = n > UPLOAD_HOLD - 1 ? n - (UPLOAD_HOLD - 1) : 1; i < n; i++)
        if ((s[i - 1] == '\r' || s[i - 1] == '\n') && (s[i] == '\r' || s[i] == '\n'))
            return i;
    return n;
}

int upload_feed(struct upload *u, const char *data, size_t len)
{
    u->body_bytes += len;
    if (u->body_bytes > SRV_MAX_BODY_BYTES)
        return -1;
    if (failed(u))
        return 0;
    int held = u->feed_len > 0;
    if (!held) {
        /* nothing held: the chunk goes to MHD as it came, up to a cut;
         * only the bytes after it are copied, to wait for the next */
        size_t cut = safe_cut(data, len);
        post_process(u, data, cut);
        data += cut;
        len -= cut;
        if (len == 0 || failed(u))
            return 0;
    }
    if (u->feed_len + len > u->feed_cap) {
        size_t cap = u->feed_len + len + UPLOAD_HOLD;
        char *f = realloc(u->feed, cap);
        if (!f) {
            api_error_set(&u->err, 500, "internal_error", "out of memory reading the upload");
            return 0;
        }
        u->feed = f;
        u->feed_cap = cap;
    }
    memcpy(u->feed + u->feed_len, data, len);
    u->feed_len += len;
    if (!held)
        return 0;
    size_t cut = safe_cut(u->feed, u->feed_len);
    post_process(u, u->feed, cut);
    memmove(u->feed, u->feed + cut, u->feed_len - cut);
    u->feed_len -= cut;
    return 0;
}

int upload_finish(struct upload *u, struct api_error *err)
{
    post_process(u, u->feed, u->feed_len); /* the body's end: nothing more to wait for */
    u->feed_len = 0;
    int complete = MHD_destroy_post_processor(u->pp) == MHD_YES; /* may still hand over data */
    u->pp = NULL;
    end_part(u);
    if (!failed(u) && !complete)
        api_error_set(&u->err, 400, "malformed_multipart", "the multipart/form-data body is "
                      "malformed or cut short (no closing boundary)");
    if (!failed(u) && u->nfiles == 0)
        api_error_set(&u->err, 400, u->spec.max_files == 1 ? "no_file" : "no_files",
                      "no file: send %s in form field \"%s\"",
                      u->spec.max_files == 1 ? "one file" : "1 to 100 files", u->spec.file_field);
    if (failed(u)) {
        *err = u->err;
        return -1;
    }
    return 0;
}

size_t upload_count(const struct upload *u)
{
    return u->nfiles;
}

const char *upload_temp(const struct upload *u, size_t i)
{
    return u->files[i].temp;
}

const st_file *upload_info(const struct upload *u, size_t i)
{
    return &u->files[i].info;
}

char *const *upload_temps(const struct upload *u)
{
    return u->temps;
}

const char *upload_field(const struct upload *u, const char *name)
{
    for (size_t i = 0; i < 2; i++)
        if (!strcmp(u->fields[i].name, name))
            return u->fields[i].value;
    return NULL;
}

int upload_digest(const struct upload *u, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[32];
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    /* names and values hold no NUL (checked as they arrived): NUL frames them */
    for (size_t i = 0; ok && i < u->nfiles; i++) {
        const struct upfile *f = &u->files[i];
        ok = EVP_DigestUpdate(md, u->spec.file_field, strlen(u->spec.file_field) + 1) == 1 &&
             EVP_DigestUpdate(md, f->info.filename, strlen(f->info.filename) + 1) == 1 &&
             EVP_DigestUpdate(md, f->sha, sizeof f->sha) == 1;
    }
    for (size_t i = 0; ok && i < 2; i++) {
        const struct field *fl = &u->fields[i];
        ok = EVP_DigestUpdate(md, fl->name, strlen(fl->name) + 1) == 1 &&
             EVP_DigestUpdate(md, fl->value ? "=" : "-", 1) == 1 &&
             EVP_DigestUpdate(md, fl->value ? fl->value : "", fl->len + 1) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(md, d, NULL) == 1;
    EVP_MD_CTX_free(md);
    for (size_t i = 0; ok && i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[ok ? 64 : 0] = '\0';
    return ok ? 0 : -1;
}

void upload_adopted(struct upload *u)
{
    u->adopted = 1;
}

void upload_free(struct upload *u)
{
    if (!u)
        return;
    if (u->pp)
        MHD_destroy_post_processor(u->pp);
    for (size_t i = 0; i < u->nfiles; i++) { /* a started file's fd is open or -1 */
        EVP_MD_CTX_free(u->files[i].md);
        if (u->files[i].fd >= 0)
            close(u->files[i].fd);
        if (!u->adopted && u->files[i].temp[0])
            unlink(u->files[i].temp);
    }
    for (size_t i = 0; i < 2; i++)
        free(u->fields[i].value);
    free(u->feed);
    free(u);
}
