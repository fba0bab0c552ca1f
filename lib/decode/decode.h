/*
 * decode.h — stage 1: bytes to pages.
 *
 * df_decode() sniffs the format from magic bytes and hands the buffer to one
 * decoder per format. Every decoder obeys the same contract:
 *   - read dimensions from headers and check them against the limits BEFORE
 *     allocating pixels (df_decode_check_dims);
 *   - add pages with df_doc_add_page (which enforces the page limit);
 *   - leave each page's pix as 8 bpp gray (no colormap) or 32 bpp RGB
 *     (spp 3, alpha already flattened on white), oriented as displayed;
 *   - set dpi only when the file states a plausible one (df_decode_plausible_dpi);
 *   - on failure return a df_code and set err with the cause (no file name);
 *     pages already added are freed by the caller via df_doc_clear;
 *   - route library warnings to o->diag, never to stdout/stderr.
 * Private to lib/.
 */
#ifndef DF_DECODE_H
#define DF_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <leptonica/allheaders.h>

#include "core/error.h"
#include "core/stop.h"

typedef enum df_format {
    DF_FMT_UNKNOWN = 0,
    DF_FMT_PDF,
    DF_FMT_JPEG,
    DF_FMT_PNG,
    DF_FMT_WEBP,
    DF_FMT_TIFF,
    DF_FMT_BMP,
    DF_FMT_HEIF
} df_format;

/* One word, from a PDF text layer or from OCR: the unit every later stage
 * (layout, extraction) works on, whatever produced it. */
typedef struct df_word {
    char *text;      /* UTF-8, owned */
    float box[4];    /* x0, y0, x1, y1 in points, origin top-left as displayed */
    float conf;      /* 0..100; text-layer words are 100 */
} df_word;

typedef struct df_page {
    PIX *pix;            /* owned; NULL for a text-layer PDF page that was not rendered */
    int width, height;   /* pixels of pix, or of the render at `dpi` when pix is NULL */
    int dpi;             /* 0 = unknown (file states none or an absurd value) */
    double width_pt;     /* page size in points; 0 when dpi is unknown */
    double height_pt;
    int has_text_layer;
    df_word *words;      /* text-layer words, owned */
    size_t nwords;
    /* Quarter turns and a skew (degrees) OCR found for the page and has not
     * applied to pix yet: width/height already describe the turned page,
     * df_ocr_page_settle turns pix to match. Most kept pixels are never
     * looked at again, so the turn costs nothing until one is (see ocr.h).
     * 0 and 0: pix is the page as its words' boxes refer to it. */
    int turn_quads;
    double turn_skew;
} df_page;

typedef struct df_doc {
    df_format format;
    df_page *pages;
    size_t npages, cap;
} df_doc;

typedef struct df_decode_opts {
    uint64_t max_file_bytes;
    uint64_t max_pages;
    uint64_t max_pixels;   /* per page */
    df_diag diag;
    int gray;              /* 1: the caller only reads 8-bpp gray, so a decoder may
                            * deliver it directly, the pixels df_prep_gray would make
                            * (JPEG: converted row by row, with no 32-bit page) */
    const df_stop *stop;   /* the document's deadline and cancel flag (NULL: none): PDF
                            * pages, JPEG scans and TIFF pages stop when it says so */
} df_decode_opts;

/* Resolution used to render PDF pages (lowered to fit max_pixels). */
#define DF_PDF_RENDER_DPI 300
/* Range of resolutions believed when a file states one. */
#define DF_DPI_MIN 50
#define DF_DPI_MAX 2400

df_format df_detect_format(const uint8_t *data, size_t len);
const char *df_format_name(df_format f);

/* The checks every document passes before its format is looked at: data,
 * not empty, within max_file_bytes. */
df_code df_decode_precheck(const uint8_t *data, size_t len, const df_decode_opts *o,
                           df_err *err);

/* Decode `len` bytes into doc (zero-initialised by the caller). */
df_code df_decode(const uint8_t *data, size_t len, const df_decode_opts *o,
                  df_doc *doc, df_err *err);
void df_doc_clear(df_doc *doc);

/* Append a zeroed page; NULL with DF_E_TOO_MANY_PAGES / DF_E_NO_MEMORY set in
 * err. */
df_page *df_doc_add_page(df_doc *doc, const df_decode_opts *o, df_err *err);

/* Append a page holding `pix` (ownership passes: on failure it is destroyed)
 * with the given dpi (0 = unknown). Returns DF_OK or the error set in err. */
df_code df_doc_add_pix(df_doc *doc, const df_decode_opts *o, PIX *pix, int dpi, df_err *err);

/* DF_OK when w x h is non-empty and within max_pixels; otherwise sets
 * DF_E_IMAGE_TOO_LARGE or DF_E_CORRUPT_FILE (zero/negative size). */
df_code df_decode_check_dims(int64_t w, int64_t h, const df_decode_opts *o, df_err *err);

/* dpi if within [DF_DPI_MIN, DF_DPI_MAX], else 0. */
int df_decode_plausible_dpi(double dpi);

/* Set page size fields from pix dimensions and dpi (width/height, *_pt). */
void df_page_set_geometry(df_page *p, int w, int h, int dpi);

/* Per-format decoders; same contract as df_decode. */
df_code df_decode_pdf(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc, df_err *err);
df_code df_decode_jpeg(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc, df_err *err);
df_code df_decode_png(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc, df_err *err);
df_code df_decode_webp(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc, df_err *err);
df_code df_decode_tiff(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc, df_err *err);
df_code df_decode_bmp(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc, df_err *err);
df_code df_decode_heif(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc, df_err *err);

/*
 * PDF page by page (pdf.c): df_decode_pdf is open + every page + close.
 * A reader is used by one thread at a time; several readers may be open on
 * the same bytes in different threads (each has its own MuPDF context and
 * document), which is how the batch driver spreads a long PDF over cores.
 * The bytes must outlive the reader.
 */
typedef struct df_pdf_reader df_pdf_reader;
df_code df_pdf_open(const uint8_t *data, size_t len, const df_decode_opts *o,
                    df_pdf_reader **out, df_err *err);
size_t df_pdf_page_count(const df_pdf_reader *r);
/* Decode page i (0-based) into *out (zeroed by the caller; the caller owns
 * what it receives, freed like any df_doc page). */
df_code df_pdf_page(df_pdf_reader *r, size_t i, df_page *out, df_err *err);
void df_pdf_close(df_pdf_reader *r);

/*
 * Any supported document page by page (reader.c): the pipeline's view of
 * stage 1. PDF pages are decoded on demand and a reader's pages may be
 * shared out to other readers on the same bytes (df_reader_shareable); the
 * other formats are decoded whole at open (one image, or a TIFF's pages)
 * and handed out in turn. The same checks as df_decode (empty, too large,
 * unsupported) happen at open. The bytes must outlive the reader. One
 * thread at a time.
 */
typedef struct df_reader df_reader;
df_code df_reader_open(const uint8_t *data, size_t len, const df_decode_opts *o,
                       df_reader **out, df_err *err);
df_format df_reader_format(const df_reader *r);
size_t df_reader_page_count(const df_reader *r);
/* 1 when other readers opened on the same bytes can decode any page (so
 * pages may go to different threads); 0 when only this reader has them. */
int df_reader_shareable(const df_reader *r);
/* Page i into *out (zeroed by the caller, owned by the caller after).
 * For non-shareable formats each page can be taken once. */
df_code df_reader_page(df_reader *r, size_t i, df_page *out, df_err *err);
void df_reader_free(df_reader *r);

/* Free what a page owns (pixels, words) and zero it. */
void df_page_clear(df_page *p);

#endif
