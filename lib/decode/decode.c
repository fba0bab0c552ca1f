/*
 * decode.c — format sniffing and the page container shared by all decoders.
 *
 * The format is decided by magic bytes only: a PNG named invoice.pdf is a
 * PNG. Limits that need no parsing (empty, file size) are checked here so
 * that no decoder sees such input.
 */
#include "decode/decode.h"

#include <stdlib.h>
#include <string.h>

static int has_prefix(const uint8_t *d, size_t len, const void *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

/* ISO-BMFF brands libheif reads: HEIC/HEIF and AVIF. */
static int is_heif_brand(const uint8_t *b)
{
    static const char *brands[] = {"heic", "heix", "hevc", "hevx", "heim", "heis",
                                   "hevm", "hevs", "mif1", "msf1", "avif", "avis"};
    for (size_t i = 0; i < sizeof brands / sizeof *brands; i++)
        if (memcmp(b, brands[i], 4) == 0)
            return 1;
    return 0;
}

static int is_heif(const uint8_t *d, size_t len)
{
    if (len < 16 || memcmp(d + 4, "ftyp", 4) != 0)
        return 0;
    uint32_t box = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
    if (box < 16 || box > len)
        box = (uint32_t)(len < 64 ? len : 64);
    if (is_heif_brand(d + 8))
        return 1;
    for (uint32_t off = 16; off + 4 <= box; off += 4) /* compatible brands */
        if (is_heif_brand(d + off))
            return 1;
    return 0;
}

/* PDF: "%PDF-" within the first 1024 bytes (some producers prepend junk). */
static int is_pdf(const uint8_t *d, size_t len)
{
    size_t n = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 5 <= n; i++)
        if (memcmp(d + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

df_format df_detect_format(const uint8_t *d, size_t len)
{
    if (!d)
        return DF_FMT_UNKNOWN;
    if (has_prefix(d, len, "\xFF\xD8\xFF", 3))
        return DF_FMT_JPEG;
    if (has_prefix(d, len, "\x89PNG\r\n\x1a\n", 8))
        return DF_FMT_PNG;
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return DF_FMT_WEBP;
    if (has_prefix(d, len, "II*\0", 4) || has_prefix(d, len, "MM\0*", 4) ||
        has_prefix(d, len, "II+\0", 4) || has_prefix(d, len, "MM\0+", 4))
        return DF_FMT_TIFF;
    if (has_prefix(d, len, "BM", 2) && len >= 14)
        return DF_FMT_BMP;
    if (is_heif(d, len))
        return DF_FMT_HEIF;
    if (is_pdf(d, len))
        return DF_FMT_PDF;
    return DF_FMT_UNKNOWN;
}

const char *df_sniff_format(const void *data, size_t len)
{
    return df_format_name(df_detect_format(data, len));
}

const char *df_format_name(df_format f)
{
    switch (f) {
    case DF_FMT_PDF: return "pdf";
    case DF_FMT_JPEG: return "jpeg";
    case DF_FMT_PNG: return "png";
    case DF_FMT_WEBP: return "webp";
    case DF_FMT_TIFF: return "tiff";
    case DF_FMT_BMP: return "bmp";
    case DF_FMT_HEIF: return "heif";
    default: return "";
    }
}

df_code df_decode_precheck(const uint8_t *data, size_t len, const df_decode_opts *o,
                           df_err *err)
{
    if (!data && len > 0)
        return df_err_set(err, DF_E_INVALID_ARGUMENT, "no data");
    if (len == 0)
        return df_err_set(err, DF_E_EMPTY_FILE, "the file is empty (0 bytes)");
    if ((uint64_t)len > o->max_file_bytes)
        return df_err_set(err, DF_E_FILE_TOO_LARGE,
                          "the file has %zu bytes, more than the limit of %llu bytes",
                          len, (unsigned long long)o->max_file_bytes);
    return DF_OK;
}

df_code df_decode(const uint8_t *data, size_t len, const df_decode_opts *o,
                  df_doc *doc, df_err *err)
{
    df_code rc = df_decode_precheck(data, len, o, err);
    if (rc != DF_OK)
        return rc;
    doc->format = df_detect_format(data, len);
    switch (doc->format) {
    case DF_FMT_PDF: return df_decode_pdf(data, len, o, doc, err);
    case DF_FMT_JPEG: return df_decode_jpeg(data, len, o, doc, err);
    case DF_FMT_PNG: return df_decode_png(data, len, o, doc, err);
    case DF_FMT_WEBP: return df_decode_webp(data, len, o, doc, err);
    case DF_FMT_TIFF: return df_decode_tiff(data, len, o, doc, err);
    case DF_FMT_BMP: return df_decode_bmp(data, len, o, doc, err);
    case DF_FMT_HEIF: return df_decode_heif(data, len, o, doc, err);
    default:
        return df_err_set(err, DF_E_UNSUPPORTED_FORMAT,
                          "unsupported format (supported: %s)", df_supported_formats());
    }
}

void df_page_clear(df_page *p)
{
    if (p->pix)
        pixDestroy(&p->pix);
    for (size_t i = 0; i < p->nwords; i++)
        free(p->words[i].text);
    free(p->words);
    memset(p, 0, sizeof *p);
}

void df_doc_clear(df_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->npages; i++)
        df_page_clear(&doc->pages[i]);
    free(doc->pages);
    memset(doc, 0, sizeof *doc);
}

df_page *df_doc_add_page(df_doc *doc, const df_decode_opts *o, df_err *err)
{
    if ((uint64_t)doc->npages >= o->max_pages) {
        df_err_set(err, DF_E_TOO_MANY_PAGES,
                   "the document has more than the limit of %llu pages",
                   (unsigned long long)o->max_pages);
        return NULL;
    }
    if (doc->npages == doc->cap) {
        size_t cap = doc->cap ? doc->cap * 2 : 4;
        df_page *p = realloc(doc->pages, cap * sizeof *p);
        if (!p) {
            df_err_set(err, DF_E_NO_MEMORY, "out of memory adding a page");
            return NULL;
        }
        doc->pages = p;
        doc->cap = cap;
    }
    df_page *p = &doc->pages[doc->npages++];
    memset(p, 0, sizeof *p);
    return p;
}

df_code df_doc_add_pix(df_doc *doc, const df_decode_opts *o, PIX *pix, int dpi, df_err *err)
{
    df_err local = {0};
    df_page *page = df_doc_add_page(doc, o, err ? err : &local);
    if (!page) {
        pixDestroy(&pix);
        return err ? err->code : local.code;
    }
    page->pix = pix;
    df_page_set_geometry(page, pixGetWidth(pix), pixGetHeight(pix), dpi);
    return DF_OK;
}

df_code df_decode_check_dims(int64_t w, int64_t h, const df_decode_opts *o, df_err *err)
{
    if (w <= 0 || h <= 0)
        return df_err_set(err, DF_E_CORRUPT_FILE, "invalid image size %lldx%lld",
                          (long long)w, (long long)h);
    /* Leptonica stores dimensions as int32 and rows as int32 words. */
    if (w > (1 << 20) || h > (1 << 20) || (uint64_t)w * (uint64_t)h > o->max_pixels)
        return df_err_set(err, DF_E_IMAGE_TOO_LARGE,
                          "a page of %lldx%lld pixels exceeds the limit of %llu pixels",
                          (long long)w, (long long)h, (unsigned long long)o->max_pixels);
    return DF_OK;
}

int df_decode_plausible_dpi(double dpi)
{
    if (!(dpi >= DF_DPI_MIN && dpi <= DF_DPI_MAX))
        return 0;
    return (int)(dpi + 0.5);
}

void df_page_set_geometry(df_page *p, int w, int h, int dpi)
{
    p->width = w;
    p->height = h;
    p->dpi = dpi;
    p->width_pt = dpi ? w * 72.0 / dpi : 0;
    p->height_pt = dpi ? h * 72.0 / dpi : 0;
    if (p->pix && dpi)
        pixSetResolution(p->pix, dpi, dpi);
}
