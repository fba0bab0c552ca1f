/*
 * job.c — one document through the pipeline (see job.h for the steps).
 *
 * Stages run in order: decode → OCR → layout → extract → validate. Pixels
 * live only inside df_job_page, but for an OCRed last page, whose grand
 * total extraction may ask to read again; the job keeps words and page geometry
 * until df_job_finish condenses what the caller may keep into a df_result.
 * This is also the only place that puts the file name in front of a
 * stage's error message, and where the name becomes the result's: with
 * bytes that are not UTF-8 (a Linux file name may hold any) replaced by
 * U+FFFD, while the file itself is opened by its real bytes (read_file).
 */
#include "core/job.h"
#include "core/text.h"
#include "core/utf8.h"
#include "layout/layout.h"
#include "ocr/preprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static df_result *result_new(const char *name)
{
    df_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->name = df_utf8_sanitize(name ? name : "");
    r->message = strdup("");
    r->format = "";
    if (!r->name || !r->message) {
        df_result_free(r);
        return NULL;
    }
    return r;
}

static void result_fail(df_result *r, const df_err *err)
{
    size_t n = strlen(r->name) + strlen(err->msg) + 3;
    char *m = malloc(n);
    if (m) {
        snprintf(m, n, "%s: %s", r->name, err->msg);
        free(r->message);
        r->message = m;
    }
    r->code = err->code;
    free(r->pages);
    r->pages = NULL;
    r->npages = 0;
    r->tokens_used = 0;
    free(r->text);
    r->text = NULL;
    df_extraction_clear(&r->extraction);
    r->has_extraction = 0;
}

static df_decode_opts decode_opts(const df_job *j)
{
    const df_engine *e = j->e;
    return (df_decode_opts){
        .max_file_bytes = e->opts.limits[DF_LIMIT_FILE_BYTES],
        .max_pages = e->opts.limits[DF_LIMIT_PAGES],
        .max_pixels = e->opts.limits[DF_LIMIT_PAGE_PIXELS],
        .gray = 1, /* pages are only OCRed or measured, never shown */
        .diag = e->opts.diag,
        .stop = &j->stop,
    };
}

/* Read a whole file, refusing before allocation when it exceeds the limit. */
static uint8_t *read_file(const char *path, uint64_t limit, size_t *len, df_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        df_err_set(err, errno == ENOENT ? DF_E_FILE_NOT_FOUND : DF_E_IO,
                   "cannot open the file: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    uint8_t *buf = NULL;
    if (fstat(fd, &st) != 0) {
        df_err_set(err, DF_E_IO, "cannot stat the file: %s", strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        df_err_set(err, DF_E_IO, "not a regular file");
    } else if (st.st_size == 0) {
        df_err_set(err, DF_E_EMPTY_FILE, "the file is empty (0 bytes)");
    } else if ((uint64_t)st.st_size > limit) {
        df_err_set(err, DF_E_FILE_TOO_LARGE,
                   "the file has %lld bytes, more than the limit of %llu bytes",
                   (long long)st.st_size, (unsigned long long)limit);
    } else if (!(buf = malloc((size_t)st.st_size))) {
        df_err_set(err, DF_E_NO_MEMORY, "out of memory reading %lld bytes", (long long)st.st_size);
    } else {
        size_t got = 0, want = (size_t)st.st_size;
        while (got < want) {
            ssize_t n = read(fd, buf + got, want - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                df_err_set(err, DF_E_IO, "read failed after %zu bytes: %s", got,
                           n < 0 ? strerror(errno) : "file shrank while reading");
                free(buf);
                buf = NULL;
                break;
            }
            got += (size_t)n;
        }
        *len = got;
    }
    close(fd);
    return buf;
}

static df_code start(df_job *j, df_engine *e, const char *name)
{
    j->e = e;
    j->err_page = DF_JOB_DOC_LEVEL;
    /* the budget counts from here: reading the file is part of the work */
    j->stop = df_stop_start(e ? e->opts.limits[DF_LIMIT_DOCUMENT_SECONDS] : 0);
    j->r = result_new(name);
    return j->r ? DF_OK : DF_E_NO_MEMORY;
}

df_code df_job_start_file(df_job *j, df_engine *e, const char *path)
{
    if (start(j, e, path ? path : "(null)") != DF_OK)
        return DF_E_NO_MEMORY;
    if (!e || !path) {
        df_err_set(&j->err, DF_E_INVALID_ARGUMENT, "invalid argument (engine or path is NULL)");
        return DF_OK;
    }
    j->owned = read_file(path, e->opts.limits[DF_LIMIT_FILE_BYTES], &j->len, &j->err);
    j->data = j->owned;
    return DF_OK;
}

df_code df_job_start_memory(df_job *j, df_engine *e, const void *data, size_t len,
                            const char *name)
{
    if (start(j, e, name ? name : "(memory)") != DF_OK)
        return DF_E_NO_MEMORY;
    if (!e || (!data && len > 0))
        df_err_set(&j->err, DF_E_INVALID_ARGUMENT, "invalid argument (engine or data is NULL)");
    j->data = data;
    j->len = len;
    return DF_OK;
}

df_code df_job_open(df_job *j, const volatile int *cancel, df_reader **reader)
{
    *reader = NULL;
    j->stop.cancel = cancel;
    if (j->err.code != DF_OK)
        return j->err.code;
    j->doc.format = df_detect_format(j->data, j->len);
    j->r->format = df_format_name(j->doc.format);
    df_decode_opts o = decode_opts(j);
    if (df_reader_open(j->data, j->len, &o, reader, &j->err) != DF_OK)
        return j->err.code;
    /* an image is decoded whole here; a PDF's repair may scan all its bytes */
    if (df_stop_check(&j->stop, "while opening the document", &j->err) != DF_OK) {
        df_reader_free(*reader);
        *reader = NULL;
        return j->err.code;
    }
    size_t n = df_reader_page_count(*reader);
    j->doc.pages = calloc(n ? n : 1, sizeof *j->doc.pages);
    if (!j->doc.pages) {
        df_reader_free(*reader);
        *reader = NULL;
        return df_err_set(&j->err, DF_E_NO_MEMORY, "out of memory for %zu pages", n);
    }
    j->doc.npages = j->doc.cap = n;
    return DF_OK;
}

df_code df_job_reader(const df_job *j, df_reader **reader, df_err *err)
{
    df_decode_opts o = decode_opts(j);
    return df_reader_open(j->data, j->len, &o, reader, err);
}

/* Whether page i may start: not when cancelled or out of time. */
static df_code page_may_start(const df_job *j, size_t i, df_err *err)
{
    char where[48];
    if (df_stop_cancelled(&j->stop))
        return df_err_set(err, DF_E_CANCELLED, "page %zu was not processed: cancelled", i + 1);
    snprintf(where, sizeof where, "before page %zu", i + 1);
    return df_stop_check(&j->stop, where, err);
}

df_code df_job_page(df_job *j, df_reader *reader, df_ocr_lease *lease, size_t i,
                    df_err *err)
{
    df_page *p = &j->doc.pages[i];
    df_code rc = page_may_start(j, i, err);
    if (rc == DF_OK)
        rc = df_reader_page(reader, i, p, err);
    if (rc == DF_OK && p->pix && !p->has_text_layer && pixGetDepth(p->pix) != 8) {
        /* OCR reads gray (df_prep_gray, the same conversion): dropping the
         * 32-bit page now holds a quarter of the memory for the whole OCR
         * of the page, which is what bounds a batch's peak (two 12 MP
         * photos at once). */
        PIX *g = df_prep_gray(p->pix);
        if (g) {
            pixDestroy(&p->pix);
            p->pix = g;
        }
    }
    if (rc == DF_OK) {
        df_ocr_opts o = {.page_seconds = j->e->opts.limits[DF_LIMIT_PAGE_SECONDS],
                         .stop = &j->stop};
        rc = df_ocr_lease_page(lease, p, &o, (int)i + 1, err);
    }
    if (rc == DF_OK && df_stop_expired(&j->stop)) {
        /* the second readings of unsure words end quietly at the deadline */
        char where[48];
        snprintf(where, sizeof where, "while reading page %zu", i + 1);
        rc = df_stop_timeout(&j->stop, where, err);
    }
    /* The last page's pixels stay for a second reading of its grand total
     * (reread_band); df_job_finish frees them with the document. */
    if (p->pix && !(rc == DF_OK && !p->has_text_layer && i + 1 == j->doc.npages)) {
        pixDestroy(&p->pix);
        p->turn_quads = 0; /* nothing left to turn */
        p->turn_skew = 0;
    }
    return rc;
}

void df_job_fail(df_job *j, size_t page, const df_err *err)
{
    if (j->err.code != DF_OK && j->err_page <= page)
        return;
    j->err = *err;
    j->err_page = page;
}

int df_job_skip_page(const df_job *j, size_t i)
{
    return j->err.code != DF_OK && j->err_page < i;
}

void df_job_release_data(df_job *j)
{
    free(j->owned);
    j->owned = NULL;
    j->data = NULL;
    j->len = 0;
}

static df_code summarise_pages(df_result *r, const df_doc *doc, df_err *err)
{
    r->pages = calloc(doc->npages ? doc->npages : 1, sizeof *r->pages);
    if (!r->pages)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory");
    r->npages = doc->npages;
    for (size_t i = 0; i < doc->npages; i++) {
        const df_page *p = &doc->pages[i];
        r->pages[i] = (df_page_info){p->width, p->height, p->dpi, p->has_text_layer,
                                     p->width_pt, p->height_pt};
        r->tokens_used += p->nwords;
    }
    return DF_OK;
}

/* Words are valid UTF-8 where they are made (lib/decode/pdf.c, lib/ocr);
 * the text is checked again because callers print it as it is (--text),
 * with no serialiser in between to catch a stage that cut a character. */
static df_code keep_text(df_result *r, const df_doc *doc, df_err *err)
{
    r->text = df_doc_text(doc);
    if (r->text && !df_utf8_valid(r->text, strlen(r->text))) {
        char *fixed = df_utf8_sanitize(r->text);
        free(r->text);
        r->text = fixed;
    }
    return r->text ? DF_OK : df_err_set(err, DF_E_NO_MEMORY, "out of memory for the text");
}

/* Resampling of each second reading (df_reread's attempts): the same band
 * enlarged differently comes back with different OCR noise. */
static const double reread_scale[] = {2.0, 3.0};

/* df_reread over the pixels df_job_page kept: the words under box, joined. */
static char *reread_band(void *ctx, size_t page, const float box[4], int attempt)
{
    df_job *j = ctx;
    if (!j->e->ocr || page >= j->doc.npages || !j->doc.pages[page].pix || attempt < 0 ||
        attempt >= (int)(sizeof reread_scale / sizeof *reread_scale))
        return NULL;
    /* the deadline, not the cancel flag: a document whose pages were all
     * read before a cancel still gets its result */
    df_stop by_time = {NULL, j->stop.deadline_ns, j->stop.budget_s};
    df_ocr_opts o = {.page_seconds = j->e->opts.limits[DF_LIMIT_PAGE_SECONDS],
                     .stop = &by_time};
    df_word *w = NULL;
    size_t n = 0, len = 1;
    df_err err = {0};
    /* the kept pixels are turned as the words only now, when read again */
    if (df_ocr_page_settle(&j->doc.pages[page], &err) != DF_OK)
        return NULL;
    if (df_ocr_region(j->e->ocr, &j->doc.pages[page], box, reread_scale[attempt], 0, &o, &w, &n,
                      &err) != DF_OK)
        return NULL;
    for (size_t i = 0; i < n; i++)
        len += strlen(w[i].text) + 1;
    char *s = n ? malloc(len) : NULL;
    if (s) {
        size_t at = 0;
        for (size_t i = 0; i < n; i++)
            at += (size_t)sprintf(s + at, "%s%s", i ? " " : "", w[i].text);
    }
    df_ocr_words_free(w, n);
    return s;
}

/* Stages 3-5: lay out every page, extract the fields, validate them. */
static df_code extract_fields(df_job *j, df_result *r, df_err *err)
{
    df_engine *e = j->e;
    const df_doc *doc = &j->doc;
    df_reread rr = {reread_band, j};
    if (!e->model)
        return DF_OK;
    df_layout **lays = calloc(doc->npages ? doc->npages : 1, sizeof *lays);
    if (!lays)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory for the layout");
    df_code c = DF_OK;
    for (size_t i = 0; i < doc->npages && c == DF_OK; i++) {
        const df_page *p = &doc->pages[i];
        double w = p->width_pt > 0 ? p->width_pt : p->width * 72.0 / 300.0;
        double h = p->height_pt > 0 ? p->height_pt : p->height * 72.0 / 300.0;
        c = df_layout_build(p->words, p->nwords, w, h, &lays[i], err);
    }
    if (c == DF_OK)
        c = df_extract_fields(e->model, (const df_layout *const *)lays, doc->npages, &rr,
                              &r->extraction, err);
    for (size_t i = 0; i < doc->npages; i++)
        df_layout_free(lays[i]);
    free(lays);
    if (c != DF_OK)
        return c;
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    df_validate(e->model->base, &r->extraction, r->text, tmv.tm_year + 1900, tmv.tm_mon + 1,
                tmv.tm_mday, &r->validation);
    r->confidence = df_confidence_score(&r->extraction, &r->validation);
    r->has_extraction = 1;
    return DF_OK;
}

df_result *df_job_finish(df_job *j)
{
    df_result *r = j->r;
    df_err err = {0};
    if (j->err.code == DF_OK && summarise_pages(r, &j->doc, &err) == DF_OK &&
        keep_text(r, &j->doc, &err) == DF_OK)
        extract_fields(j, r, &err);
    /* a second reading cut short by the deadline (reread_band) would make
     * the result depend on timing: out of time is out of time */
    if (j->err.code == DF_OK && err.code == DF_OK && df_stop_expired(&j->stop))
        df_stop_timeout(&j->stop, "while extracting the fields", &err);
    if (err.code != DF_OK)
        df_job_fail(j, DF_JOB_DOC_LEVEL, &err);
    if (j->err.code != DF_OK)
        result_fail(r, &j->err);
    df_doc_clear(&j->doc);
    j->r = NULL;
    return r;
}

df_result *df_job_error_result(const char *name, const df_err *err)
{
    df_result *r = result_new(name);
    if (r)
        result_fail(r, err);
    return r;
}
