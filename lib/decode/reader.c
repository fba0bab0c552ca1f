/*
 * reader.c — a document as a sequence of pages to decode one at a time.
 *
 * The pipeline decodes, OCRs and releases one page before the next, so a
 * 50-page scan never holds 50 rendered pages. PDF pages are rendered on
 * demand (and any reader on the same bytes can render any page: the batch
 * driver spreads a long PDF over threads that way). Images and TIFFs are
 * decoded whole when opened — one image is one page, and a multi-page TIFF
 * is rare on invoices and bounded by the page and pixel limits.
 */
#include "decode/decode.h"

#include <stdlib.h>
#include <string.h>

struct df_reader {
    df_format format;
    df_pdf_reader *pdf; /* PDF */
    df_doc whole;       /* every other format: all pages, handed out once each */
};

static df_code open_whole(df_reader *r, const uint8_t *data, size_t len,
                          const df_decode_opts *o, df_err *err)
{
    df_code rc = df_decode(data, len, o, &r->whole, err);
    if (rc == DF_OK && r->whole.npages == 0)
        rc = df_err_set(err, DF_E_CORRUPT_FILE, "the file has no pages");
    return rc;
}

df_code df_reader_open(const uint8_t *data, size_t len, const df_decode_opts *o,
                       df_reader **out, df_err *err)
{
    *out = NULL;
    df_code rc = df_decode_precheck(data, len, o, err);
    if (rc != DF_OK)
        return rc;
    df_reader *r = calloc(1, sizeof *r);
    if (!r)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory opening the document");
    r->format = df_detect_format(data, len);
    rc = r->format == DF_FMT_PDF ? df_pdf_open(data, len, o, &r->pdf, err)
                                 : open_whole(r, data, len, o, err);
    if (rc != DF_OK) {
        df_reader_free(r);
        return rc;
    }
    *out = r;
    return DF_OK;
}

df_format df_reader_format(const df_reader *r)
{
    return r->format;
}

size_t df_reader_page_count(const df_reader *r)
{
    return r->pdf ? df_pdf_page_count(r->pdf) : r->whole.npages;
}

int df_reader_shareable(const df_reader *r)
{
    return r->pdf != NULL;
}

df_code df_reader_page(df_reader *r, size_t i, df_page *out, df_err *err)
{
    if (r->pdf)
        return df_pdf_page(r->pdf, i, out, err);
    if (i >= r->whole.npages)
        return df_err_set(err, DF_E_INVALID_ARGUMENT, "no page %zu", i + 1);
    *out = r->whole.pages[i];
    memset(&r->whole.pages[i], 0, sizeof r->whole.pages[i]);
    return DF_OK;
}

void df_reader_free(df_reader *r)
{
    if (!r)
        return;
    df_pdf_close(r->pdf);
    df_doc_clear(&r->whole);
    free(r);
}
