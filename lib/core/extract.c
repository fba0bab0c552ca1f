/*
 * extract.c — the pipeline driver behind df_extract_file/_memory.
 *
 * Runs the stages in order (decode → OCR → layout → extract → validate) for
 * one document and condenses what the caller may keep into a df_result.
 * Pixels never outlive this call. This is also the only place that puts the
 * file name in front of a stage's error message.
 */
#include "core/internal.h"
#include "core/text.h"
#include "decode/decode.h"
#include "layout/layout.h"
#include "ocr/ocr.h"

#include <time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static df_result *result_new(const char *name)
{
    df_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->name = strdup(name ? name : "");
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

static df_decode_opts decode_opts(const df_engine *e)
{
    return (df_decode_opts){
        .max_file_bytes = e->opts.limits[DF_LIMIT_FILE_BYTES],
        .max_pages = e->opts.limits[DF_LIMIT_PAGES],
        .max_pixels = e->opts.limits[DF_LIMIT_PAGE_PIXELS],
        .diag = e->opts.diag,
    };
}

static df_code ocr_pages(df_engine *e, df_doc *doc, df_err *err)
{
    df_ocr_opts o = {.page_seconds = e->opts.limits[DF_LIMIT_PAGE_SECONDS]};
    return df_ocr_doc(e->ocr, doc, &o, err);
}

static df_code keep_text(df_result *r, const df_doc *doc, df_err *err)
{
    r->text = df_doc_text(doc);
    return r->text ? DF_OK : df_err_set(err, DF_E_NO_MEMORY, "out of memory for the text");
}

/* Share of the key fields found, times the mean confidence of the words
 * read, times 1 when the arithmetic holds, 0.8 when it does not. */
static double confidence_score(const df_extraction *x, const df_validation *v)
{
    int want = 5, got = 0;
    got += x->vendor_name.s != NULL;
    got += x->date.s != NULL;
    got += x->currency.s != NULL;
    got += x->totals[DF_TOT_GRAND].has;
    got += strcmp(x->document_type, "other") != 0;
    if (strcmp(x->document_type, "invoice") == 0) {
        want++;
        got += x->invoice_number.s != NULL;
    }
    double c = x->mean_conf * (double)got / (double)want * (v->math_valid ? 1.0 : 0.8);
    return c < 0 ? 0 : c > 1 ? 1 : c;
}

/* Stages 3-5: lay out every page, extract the fields, validate them. */
static df_code extract_fields(df_engine *e, const df_doc *doc, df_result *r, df_err *err)
{
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
        c = df_extract_fields(e->model, (const df_layout *const *)lays, doc->npages,
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
    r->confidence = confidence_score(&r->extraction, &r->validation);
    r->has_extraction = 1;
    return DF_OK;
}

static void run_pipeline(df_engine *e, const uint8_t *data, size_t len, df_result *r, df_err *err)
{
    df_decode_opts o = decode_opts(e);
    df_doc doc = {0};
    if (df_decode(data, len, &o, &doc, err) == DF_OK && ocr_pages(e, &doc, err) == DF_OK &&
        summarise_pages(r, &doc, err) == DF_OK && keep_text(r, &doc, err) == DF_OK)
        extract_fields(e, &doc, r, err);
    r->format = df_format_name(doc.format);
    df_doc_clear(&doc);
}

static df_code finish(df_result *r, df_err *err, df_result **out)
{
    if (err->code != DF_OK)
        result_fail(r, err);
    *out = r;
    return r->code;
}

df_code df_extract_memory(df_engine *e, const void *data, size_t len, const char *name,
                          df_result **out)
{
    if (!out)
        return DF_E_INVALID_ARGUMENT;
    *out = NULL;
    df_result *r = result_new(name ? name : "(memory)");
    if (!r)
        return DF_E_NO_MEMORY;
    df_err err = {0};
    if (!e || (!data && len > 0))
        df_err_set(&err, DF_E_INVALID_ARGUMENT, "invalid argument (engine or data is NULL)");
    else
        run_pipeline(e, data, len, r, &err);
    return finish(r, &err, out);
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

df_code df_extract_file(df_engine *e, const char *path, df_result **out)
{
    if (!out)
        return DF_E_INVALID_ARGUMENT;
    *out = NULL;
    df_result *r = result_new(path ? path : "(null)");
    if (!r)
        return DF_E_NO_MEMORY;
    df_err err = {0};
    if (!e || !path) {
        df_err_set(&err, DF_E_INVALID_ARGUMENT, "invalid argument (engine or path is NULL)");
        return finish(r, &err, out);
    }
    size_t len = 0;
    uint8_t *data = read_file(path, e->opts.limits[DF_LIMIT_FILE_BYTES], &len, &err);
    if (data)
        run_pipeline(e, data, len, r, &err);
    free(data);
    return finish(r, &err, out);
}
