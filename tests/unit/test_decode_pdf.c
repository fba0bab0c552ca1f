/*
 * test_decode_pdf.c — the PDF decoder against PDFs written byte by byte.
 *
 * Inputs are built here at run time (not taken from fixtures/) so each test
 * states exactly what the file contains: where the text sits, which page is
 * rotated, where a file is cut. Encrypted variants and reference renders come
 * from mutool, the tool built from the same MuPDF the library links, so
 * "pixel-identical to mutool draw" is checked against the real thing.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/utf8.h"
#include "decode/decode.h"

static char g_tmp[64];

/* ---- a tiny PDF writer ---------------------------------------------------- */

typedef struct pdfb {
    char *buf;
    size_t len, cap;
    size_t off[1024];
    int maxobj;
} pdfb;

static void pb_put(pdfb *b, const void *d, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->buf = realloc(b->buf, b->cap);
        ck_assert_ptr_nonnull(b->buf);
    }
    memcpy(b->buf + b->len, d, n);
    b->len += n;
}

static void pb_vprintf(pdfb *b, const char *fmt, va_list ap)
{
    char tmp[8192];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    ck_assert_int_lt(n, (int)sizeof tmp);
    pb_put(b, tmp, (size_t)n);
}

static void pb_printf(pdfb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pb_vprintf(b, fmt, ap);
    va_end(ap);
}

static void pb_begin(pdfb *b)
{
    memset(b, 0, sizeof *b);
    pb_printf(b, "%%PDF-1.4\n%%\xE2\xE3\xCF\xD3\n");
}

static void pb_mark(pdfb *b, int num)
{
    ck_assert_int_lt(num, 1024);
    b->off[num] = b->len;
    if (num > b->maxobj)
        b->maxobj = num;
}

static void pb_obj(pdfb *b, int num, const char *fmt, ...)
{
    va_list ap;
    pb_mark(b, num);
    pb_printf(b, "%d 0 obj\n", num);
    va_start(ap, fmt);
    pb_vprintf(b, fmt, ap);
    va_end(ap);
    pb_printf(b, "\nendobj\n");
}

static void pb_stream(pdfb *b, int num, const char *dict, const void *data, size_t n)
{
    pb_mark(b, num);
    pb_printf(b, "%d 0 obj\n<< %s /Length %zu >>\nstream\n", num, dict, n);
    pb_put(b, data, n);
    pb_printf(b, "\nendstream\nendobj\n");
}

static void pb_text_stream(pdfb *b, int num, const char *content)
{
    pb_stream(b, num, "", content, strlen(content));
}

/* Classic xref table; objects 1..maxobj must all exist. */
static void pb_end(pdfb *b, int root)
{
    size_t xref = b->len;
    pb_printf(b, "xref\n0 %d\n0000000000 65535 f \n", b->maxobj + 1);
    for (int i = 1; i <= b->maxobj; i++)
        pb_printf(b, "%010zu 00000 n \n", b->off[i]);
    pb_printf(b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
              b->maxobj + 1, root, xref);
}

static void pb_free(pdfb *b)
{
    free(b->buf);
    b->buf = NULL;
}

/* ---- test documents ---------------------------------------------------------- */

#define TEXT_CONTENT                                          \
    "BT /F1 24 Tf 72 700 Td (INVOICE) Tj ET\n"                \
    "BT /F1 12 Tf 72 650 Td (INV-001) Tj ET\n"                \
    "BT /F1 12 Tf 300 650 Td (Total   59000.00) Tj ET\n"      \
    "BT /F2 12 Tf 72 600 Td (\\200nal) Tj ET\n"

/* Letter page with Helvetica text; F2 maps code 128 to the "fi" ligature.
 * With tree_last the page tree is written after the content, so cutting the
 * file in half loses it. */
static void make_text_pdf(pdfb *b, const char *page_keys, int tree_last)
{
    pb_begin(b);
    pb_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(b, 4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                 "/Encoding /WinAnsiEncoding >>");
    pb_obj(b, 5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                 "/Encoding << /Type /Encoding /Differences [128 /fi] >> >>");
    if (tree_last) /* pad so the tree lands in the second half */
        for (int i = 0; i < 40; i++)
            pb_printf(b, "%% padding line %02d ......................................\n", i);
    pb_text_stream(b, 6, TEXT_CONTENT);
    pb_obj(b, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pb_obj(b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] %s "
                 "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
           page_keys);
    pb_end(b, 1);
}

#define IMG_W 64
#define IMG_H 48
#define SHAPES_CONTENT                                                     \
    "q 120 0 0 90 20 40 cm /Im0 Do Q\n"                                    \
    "0.5 g 150 20 40 30 re f\n"                                            \
    "0 G 1.7 w 10 10 m 190 140 l S\n"                                      \
    "0.2 g 160 110 m 180 110 190 120 190 130 c 170 135 l h f\n"

static void put_image(pdfb *b, int num)
{
    unsigned char px[IMG_W * IMG_H];
    for (int y = 0; y < IMG_H; y++)
        for (int x = 0; x < IMG_W; x++)
            px[y * IMG_W + x] = (unsigned char)((x * 4) ^ (y * 5));
    pb_stream(b, num, "/Type /XObject /Subtype /Image /Width 64 /Height 48 "
                      "/ColorSpace /DeviceGray /BitsPerComponent 8", px, sizeof px);
}

/* Two 200x150 pt pages with an image and vector shapes, no text; page 2 has
 * /Rotate 90. */
static void make_image_pdf(pdfb *b)
{
    pb_begin(b);
    pb_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(b, 2, "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>");
    const char *res = "/Resources << /XObject << /Im0 5 0 R >> >> /Contents 6 0 R";
    pb_obj(b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 150] %s >>", res);
    pb_obj(b, 4, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 150] /Rotate 90 %s >>", res);
    put_image(b, 5);
    pb_text_stream(b, 6, SHAPES_CONTENT);
    pb_end(b, 1);
}

/* n pages sharing one content stream and one MediaBox. */
static void make_pages_pdf(pdfb *b, int n, const char *mediabox, const char *content)
{
    pb_begin(b);
    pb_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    char *kids = calloc((size_t)n, 16);
    ck_assert_ptr_nonnull(kids);
    for (int i = 0; i < n; i++)
        sprintf(kids + strlen(kids), "%d 0 R ", 5 + i);
    pb_obj(b, 2, "<< /Type /Pages /Kids [%s] /Count %d >>", kids, n);
    free(kids);
    pb_obj(b, 3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    pb_text_stream(b, 4, content);
    for (int i = 0; i < n; i++)
        pb_obj(b, 5 + i, "<< /Type /Page /Parent 2 0 R /MediaBox [%s] "
                         "/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>",
               mediabox);
    pb_end(b, 1);
}

/* ---- helpers ------------------------------------------------------------------- */

static pthread_mutex_t g_diag_lock = PTHREAD_MUTEX_INITIALIZER;
static char g_diag[16384];
static int g_ndiag;

static void capture_diag(void *user, df_diag_level level, const char *msg)
{
    (void)user;
    (void)level;
    pthread_mutex_lock(&g_diag_lock);
    size_t n = strlen(g_diag);
    snprintf(g_diag + n, sizeof g_diag - n, "%s\n", msg);
    g_ndiag++;
    pthread_mutex_unlock(&g_diag_lock);
}

static df_decode_opts opts(void)
{
    df_decode_opts o = {10u << 20, 50, 100000000u, {capture_diag, NULL}, 0, NULL};
    g_diag[0] = '\0';
    g_ndiag = 0;
    return o;
}

static df_code decode_with(const void *data, size_t len, const df_decode_opts *o, df_doc *doc,
                           df_err *err)
{
    memset(doc, 0, sizeof *doc);
    memset(err, 0, sizeof *err);
    return df_decode_pdf(data, len, o, doc, err);
}

static df_code decode(const pdfb *b, df_doc *doc, df_err *err)
{
    df_decode_opts o = opts();
    return decode_with(b->buf, b->len, &o, doc, err);
}

static const df_word *find_word(const df_page *p, const char *text)
{
    for (size_t i = 0; i < p->nwords; i++)
        if (strcmp(p->words[i].text, text) == 0)
            return &p->words[i];
    return NULL;
}

static void tmp_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", g_tmp, name);
}

static void write_file(const char *path, const void *d, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(d, 1, n, f), n);
    fclose(f);
}

static unsigned char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc((size_t)sz + 1);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(fread(d, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    *n = (size_t)sz;
    return d;
}

/* mutool is a test dependency (scripts/debian-packages.txt): its absence is a
 * failure, never a skipped check. */
static int have_mutool(void)
{
    int ok = system("command -v mutool >/dev/null 2>&1") == 0;
    ck_assert_msg(ok, "mutool not found: run scripts/install-deps --test");
    return ok;
}

static void run(const char *cmd)
{
    int rc = system(cmd);
    ck_assert_msg(rc == 0, "command failed (%d): %s", rc, cmd);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- text layer --------------------------------------------------------------- */

START_TEST(text_layer_words_and_boxes)
{
    pdfb b;
    df_doc doc;
    df_err err;
    make_text_pdf(&b, "", 0);
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    ck_assert_uint_eq(doc.npages, 1);
    df_page *p = &doc.pages[0];
    ck_assert_int_eq(p->has_text_layer, 1);
    ck_assert_ptr_null(p->pix);
    ck_assert_uint_eq(p->nwords, 5);
    /* Letter at 300 dpi, not rendered but sized as if. */
    ck_assert_int_eq(p->dpi, 300);
    ck_assert_int_eq(p->width, 2550);
    ck_assert_int_eq(p->height, 3300);
    ck_assert_double_eq_tol(p->width_pt, 612, 0.01);
    ck_assert_double_eq_tol(p->height_pt, 792, 0.01);

    /* Baseline y=700 pt from the bottom is 92 pt from the top; Helvetica
     * "INVOICE" at 24 pt is 98.7 pt wide. */
    const df_word *w = find_word(p, "INVOICE");
    ck_assert_ptr_nonnull(w);
    ck_assert_float_eq_tol(w->box[0], 72, 1);
    ck_assert_float_eq_tol(w->box[2], 72 + 98.7, 1.5);
    ck_assert_float_gt(w->box[1], 92 - 30);
    ck_assert_float_lt(w->box[1], 92 - 15);
    ck_assert_float_gt(w->box[3], 92);
    ck_assert_float_lt(w->box[3], 92 + 9);

    ck_assert_ptr_nonnull(w = find_word(p, "INV-001"));
    ck_assert_float_eq_tol(w->box[0], 72, 1);
    ck_assert_float_lt(w->box[1], 142);
    ck_assert_float_gt(w->box[3], 142);

    const df_word *total = find_word(p, "Total"), *amount = find_word(p, "59000.00");
    ck_assert_ptr_nonnull(total);
    ck_assert_ptr_nonnull(amount);
    ck_assert_float_eq_tol(total->box[0], 300, 1);
    ck_assert_float_gt(amount->box[0], total->box[2] + 5); /* three spaces between */
    ck_assert_float_eq_tol(amount->box[1], total->box[1], 0.5);
    /* The fi ligature glyph comes out as two letters. */
    ck_assert_ptr_nonnull(w = find_word(p, "final"));
    ck_assert_float_lt(w->box[1], 192);
    ck_assert_float_gt(w->box[3], 192);
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* /Rotate 90 turns the page clockwise: user-space (x, y) lands at (y, x)
 * on the displayed 792x612 pt page, and the text runs downwards. */
START_TEST(rotated_page)
{
    pdfb b;
    df_doc doc;
    df_err err;
    make_text_pdf(&b, "/Rotate 90", 0);
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    df_page *p = &doc.pages[0];
    ck_assert_int_eq(p->width, 3300);
    ck_assert_int_eq(p->height, 2550);
    ck_assert_double_eq_tol(p->width_pt, 792, 0.01);
    ck_assert_double_eq_tol(p->height_pt, 612, 0.01);
    const df_word *w = find_word(p, "INVOICE");
    ck_assert_ptr_nonnull(w);
    ck_assert_float_lt(w->box[0], 700);
    ck_assert_float_gt(w->box[2], 700);
    ck_assert_float_lt(w->box[2], 732);
    ck_assert_float_eq_tol(w->box[1], 72, 1);
    ck_assert_float_eq_tol(w->box[3], 72 + 98.7, 1.5);
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

START_TEST(text_page_size_follows_pixel_limit)
{
    pdfb b;
    df_doc doc;
    df_err err;
    make_text_pdf(&b, "", 0);
    df_decode_opts o = opts();
    o.max_pixels = 1000000;
    ck_assert_int_eq(decode_with(b.buf, b.len, &o, &doc, &err), DF_OK);
    /* 103 dpi: 876x1133 = 992,508 px; 104 dpi would be 1,011,296. */
    ck_assert_int_eq(doc.pages[0].dpi, 103);
    ck_assert_int_eq(doc.pages[0].width, 876);
    ck_assert_int_eq(doc.pages[0].height, 1133);
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* An Identity-H font with no ToUnicode and no embedded cmap: MuPDF cannot
 * tell what the glyphs mean and yields U+FFFD. Such a "text layer" is
 * useless, so the page must be rendered for OCR. */
START_TEST(unmapped_glyphs_are_not_a_text_layer)
{
    pdfb b;
    df_doc doc;
    df_err err;
    pb_begin(&b);
    pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&b, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pb_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] "
                  "/Resources << /Font << /C1 4 0 R >> >> /Contents 6 0 R >>");
    pb_obj(&b, 4, "<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H "
                  "/DescendantFonts [5 0 R] >>");
    pb_obj(&b, 5, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Foo /CIDSystemInfo "
                  "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                  "/FontDescriptor 7 0 R /DW 600 >>");
    pb_text_stream(&b, 6, "BT /C1 12 Tf 20 40 Td <002400250026> Tj ET");
    pb_obj(&b, 7, "<< /Type /FontDescriptor /FontName /Foo /Flags 4 "
                  "/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 "
                  "/CapHeight 700 /StemV 80 >>");
    pb_end(&b, 1);
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    df_page *p = &doc.pages[0];
    ck_assert_uint_ge(p->nwords, 1);
    ck_assert_str_eq(p->words[0].text, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    ck_assert_int_eq(p->has_text_layer, 0);
    ck_assert_ptr_nonnull(p->pix);
    ck_assert_ptr_nonnull(strstr(g_diag, "no Unicode mapping"));
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* ---- characters outside the BMP (issue 17) ------------------------------------ */

/* /F3 draws Helvetica's A, B, ... but its ToUnicode CMap maps them to UTF-16
 * as emoji-capable producers write it. MuPDF 1.21 joins a surrogate pair
 * only when it is a code's whole mapping (<44>); any longer mapping reaches
 * the text layer unit by unit, surrogate halves included. */
#define OUTSIDE_BMP_CMAP                                                       \
    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"           \
    "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"                      \
    "1 begincodespacerange <00> <FF> endcodespacerange\n"                      \
    "10 beginbfchar\n"                                                         \
    "<41> <D83DDCDEFE0F>\n"      /* 📞️ pictograph + variation selector */      \
    "<42> <D83CDDEBD83CDDF7>\n"  /* 🇫🇷 two regional indicators */             \
    "<43> <D842DFB791CE>\n"      /* 𠮷野 U+20BB7 with the next ideograph */    \
    "<44> <D83CDF63>\n"          /* 🍣 a bare pair: MuPDF joins it itself */    \
    "<45> <D83D>\n"              /* a lone high surrogate */                    \
    "<46> <DCDE>\n"              /* a lone low surrogate */                     \
    "<47> <0041D83D>\n"          /* A, then a high surrogate with no partner */ \
    "<48> <6771>\n"              /* 東 */                                       \
    "<49> <D83D>\n"              /* a pair split over two codes (I, J) */       \
    "<4A> <DCDE>\n"                                                            \
    "endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end\n"

static void make_cmap_pdf(pdfb *b, const char *content)
{
    pb_begin(b);
    pb_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(b, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pb_obj(b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] "
                 "/Resources << /Font << /F1 4 0 R /F3 5 0 R >> >> /Contents 6 0 R >>");
    pb_obj(b, 4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                 "/Encoding /WinAnsiEncoding >>");
    pb_obj(b, 5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 7 0 R >>");
    pb_text_stream(b, 6, content);
    pb_text_stream(b, 7, OUTSIDE_BMP_CMAP);
    pb_end(b, 1);
}

#define PHONE "\xF0\x9F\x93\x9E"
#define VS16 "\xEF\xB8\x8F"
#define FFFD "\xEF\xBF\xBD"

START_TEST(text_layer_outside_bmp)
{
    pdfb b;
    df_doc doc;
    df_err err;
    make_cmap_pdf(&b, "BT /F3 12 Tf 20 170 Td (A) Tj /F1 12 Tf ( Call) Tj ET\n"
                      "BT /F3 12 Tf 20 140 Td (CH) Tj ET\n"
                      "BT /F3 12 Tf 20 110 Td (D) Tj /F1 12 Tf ( ) Tj /F3 12 Tf (B) Tj ET\n"
                      "BT /F3 12 Tf 20 80 Td (IJ) Tj /F1 12 Tf ( ) Tj /F3 12 Tf (EA) Tj ET\n"
                      "BT /F3 12 Tf 20 50 Td (E) Tj /F1 12 Tf ( ) Tj /F3 12 Tf (F) Tj "
                      "/F1 12 Tf ( ) Tj /F3 12 Tf (G) Tj ET\n");
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    df_page *p = &doc.pages[0];
    static const char *const want[] = {
        PHONE VS16, "Call",
        "\xF0\xA0\xAE\xB7\xE9\x87\x8E\xE6\x9D\xB1",           /* 𠮷野東 */
        "\xF0\x9F\x8D\xA3", "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7", /* 🍣 🇫🇷 */
        PHONE, FFFD PHONE VS16,    /* a split pair joins; a high before a pair does not */
        FFFD, FFFD, "A" FFFD,      /* lone halves */
    };
    ck_assert_uint_eq(p->nwords, sizeof want / sizeof *want);
    for (size_t i = 0; i < p->nwords; i++) {
        ck_assert_msg(find_word(p, want[i]) != NULL, "no word %zu '%s'", i, want[i]);
        ck_assert_msg(df_utf8_valid(p->words[i].text, strlen(p->words[i].text)),
                      "word %zu is not UTF-8", i);
    }
    /* the pair's two halves are one character with one box */
    const df_word *w = find_word(p, PHONE VS16);
    ck_assert_float_eq_tol(w->box[0], 20, 0.5);
    ck_assert_float_gt(w->box[2], w->box[0]);
    ck_assert_int_eq(p->has_text_layer, 1);
    /* the four lone halves are counted with the unmapped glyphs */
    ck_assert_ptr_nonnull(strstr(g_diag, "page 1: 4 characters of the text layer have no "
                                         "Unicode mapping"));
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* Readable means some letter or digit: an ideograph outside the BMP is one,
 * a page of emoji and flags is not (it is OCRed like unmapped glyphs). */
START_TEST(supplementary_letters_are_readable)
{
    pdfb b;
    df_doc doc;
    df_err err;
    make_cmap_pdf(&b, "BT /F3 12 Tf 20 100 Td (AB) Tj /F1 12 Tf ( ) Tj /F3 12 Tf (D) Tj ET\n");
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    ck_assert_int_eq(doc.pages[0].has_text_layer, 0);
    df_doc_clear(&doc);
    pb_free(&b);
    make_cmap_pdf(&b, "BT /F3 12 Tf 20 100 Td (C) Tj ET\n");
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    ck_assert_int_eq(doc.pages[0].has_text_layer, 1);
    ck_assert_str_eq(doc.pages[0].words[0].text, "\xF0\xA0\xAE\xB7\xE9\x87\x8E");
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* ---- rendering ------------------------------------------------------------------- */

static unsigned char *read_pgm(const char *path, int *w, int *h)
{
    size_t n;
    unsigned char *d = read_file(path, &n);
    int maxv, used = 0;
    d[n] = '\0';
    ck_assert_int_eq(sscanf((char *)d, "P5 %d %d %d%n", w, h, &maxv, &used), 3);
    ck_assert_int_eq(maxv, 255);
    used++; /* the single whitespace after maxval */
    ck_assert_uint_eq(n - (size_t)used, (size_t)*w * (size_t)*h);
    memmove(d, d + used, n - (size_t)used);
    return d;
}

static void assert_same_as_mutool(const char *pdf, int pageno, const df_page *p)
{
    char pgm[256], cmd[1024];
    int w, h;
    snprintf(pgm, sizeof pgm, "%s/ref%d.pgm", g_tmp, pageno);
    snprintf(cmd, sizeof cmd, "mutool draw -q -r 300 -c gray -o '%s' '%s' %d 2>/dev/null", pgm,
             pdf, pageno);
    run(cmd);
    unsigned char *ref = read_pgm(pgm, &w, &h);
    ck_assert_int_eq(pixGetWidth(p->pix), w);
    ck_assert_int_eq(pixGetHeight(p->pix), h);
    ck_assert_int_eq(pixGetDepth(p->pix), 8);
    l_uint32 *data = pixGetData(p->pix);
    int wpl = pixGetWpl(p->pix);
    long diff = 0, dark = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int v = GET_DATA_BYTE(data + y * wpl, x);
            diff += v != ref[(size_t)y * w + x];
            dark += v < 128;
        }
    ck_assert_msg(diff == 0, "page %d: %ld of %d pixels differ from mutool", pageno, diff, w * h);
    ck_assert_int_gt(dark, 1000); /* the render is not blank */
    free(ref);
}

/* A 200x150 pt page filled by an image, with text drawn over it. */
static void make_scan_with_text(pdfb *b, const char *text_ops)
{
    char content[4096];
    snprintf(content, sizeof content, "q 200 0 0 150 0 0 cm /Im0 Do Q\n%s", text_ops);
    pb_begin(b);
    pb_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(b, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pb_obj(b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 150] /Resources << "
                 "/XObject << /Im0 5 0 R >> /Font << /F1 4 0 R >> >> /Contents 6 0 R >>");
    pb_obj(b, 4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    put_image(b, 5);
    pb_text_stream(b, 6, content);
    pb_end(b, 1);
}

/* A scan with one stamped line is OCRed (rendered); a scan carrying a
 * searchable text layer over all of it (invisible text, 3 Tr) is not. */
START_TEST(stamped_scan_is_ocred_searchable_scan_is_not)
{
    pdfb b;
    df_doc doc;
    df_err err;
    memset(&b, 0, sizeof b);
    make_scan_with_text(&b, "BT /F1 6 Tf 5 5 Td (Scanned by CamScanner) Tj ET\n");
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    ck_assert_int_eq(doc.pages[0].has_text_layer, 0);
    ck_assert_ptr_nonnull(doc.pages[0].pix);
    df_doc_clear(&doc);
    pb_free(&b);

    char lines[3000] = "BT 3 Tr /F1 11 Tf\n";
    for (int y = 140; y > 10; y -= 12)
        snprintf(lines + strlen(lines), sizeof lines - strlen(lines),
                 "1 0 0 1 4 %d Tm (INVOICE 2024 Total 59000.00 GSTIN line) Tj\n", y);
    strcat(lines, "ET\n");
    memset(&b, 0, sizeof b);
    make_scan_with_text(&b, lines);
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    ck_assert_int_eq(doc.pages[0].has_text_layer, 1);
    ck_assert_ptr_null(doc.pages[0].pix);
    ck_assert_ptr_nonnull(find_word(&doc.pages[0], "59000.00"));
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

START_TEST(image_pages_render_like_mutool)
{
    pdfb b;
    df_doc doc;
    df_err err;
    char path[256];
    make_image_pdf(&b);
    tmp_path(path, sizeof path, "image.pdf");
    write_file(path, b.buf, b.len);
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    ck_assert_uint_eq(doc.npages, 2);
    for (int i = 0; i < 2; i++) {
        df_page *p = &doc.pages[i];
        ck_assert_int_eq(p->has_text_layer, 0);
        ck_assert_uint_eq(p->nwords, 0);
        ck_assert_ptr_nonnull(p->pix);
        ck_assert_int_eq(p->dpi, 300);
        ck_assert_int_eq(pixGetXRes(p->pix), 300);
        /* 200 pt at 300 dpi is 833.3 px, rounded out to 834. */
        ck_assert_int_eq(p->width, i == 0 ? 834 : 625);
        ck_assert_int_eq(p->height, i == 0 ? 625 : 834);
        ck_assert_int_eq(pixGetWidth(p->pix), p->width);
        ck_assert_double_eq_tol(i == 0 ? p->width_pt : p->height_pt, 200, 0.5);
        if (have_mutool())
            assert_same_as_mutool(path, i + 1, p);
    }
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* Page 1 has a text layer, page 2 (A4) only a drawing. */
START_TEST(two_pages_mixed)
{
    pdfb b;
    df_doc doc;
    df_err err;
    pb_begin(&b);
    pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&b, 2, "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>");
    pb_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                  "/Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R >>");
    pb_obj(&b, 4, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 7 0 R >>");
    pb_obj(&b, 5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    pb_text_stream(&b, 6, "BT /F1 12 Tf 72 700 Td (Page one) Tj ET");
    pb_text_stream(&b, 7, "0 g 100 100 200 50 re f");
    pb_end(&b, 1);
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    ck_assert_uint_eq(doc.npages, 2);
    ck_assert_int_eq(doc.pages[0].has_text_layer, 1);
    ck_assert_ptr_null(doc.pages[0].pix);
    ck_assert_uint_eq(doc.pages[0].nwords, 2);
    ck_assert_int_eq(doc.pages[1].has_text_layer, 0);
    ck_assert_ptr_nonnull(doc.pages[1].pix);
    ck_assert_int_eq(doc.pages[1].width, 2480); /* 595 pt: 2479.2 px, rounded out */
    ck_assert_int_eq(doc.pages[1].height, 3509); /* 842 pt: 3508.3 px */
    /* The filled box: 100..300 pt across, 692..742 pt down. */
    PIX *pix = doc.pages[1].pix;
    l_uint32 v;
    pixGetPixel(pix, 200 * 300 / 72, 717 * 300 / 72, &v);
    ck_assert_uint_eq(v, 0);
    pixGetPixel(pix, 50, 50, &v);
    ck_assert_uint_eq(v, 255);
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

START_TEST(large_page_renders_at_lower_dpi)
{
    pdfb b;
    df_doc doc;
    df_err err;
    make_pages_pdf(&b, 1, "0 0 2000 2000", "0 g 0 0 1000 1000 re f");
    df_decode_opts o = opts();
    o.max_pixels = 4000000;
    ck_assert_int_eq(decode_with(b.buf, b.len, &o, &doc, &err), DF_OK);
    df_page *p = &doc.pages[0];
    ck_assert_int_eq(p->dpi, 72);
    ck_assert_int_eq(pixGetWidth(p->pix), 2000);
    ck_assert_int_eq(pixGetHeight(p->pix), 2000);
    ck_assert_double_eq_tol(p->width_pt, 2000, 0.01);
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

START_TEST(huge_page_is_refused_without_allocating)
{
    pdfb b;
    df_doc doc;
    df_err err;
    make_pages_pdf(&b, 1, "0 0 200000 200000", "0 g 0 0 1000 1000 re f");
    double t = now();
    ck_assert_int_eq(decode(&b, &doc, &err), DF_E_IMAGE_TOO_LARGE);
    ck_assert_double_lt(now() - t, 5.0);
    ck_assert_ptr_nonnull(strstr(err.msg, "page 1"));
    ck_assert_ptr_null(doc.npages ? doc.pages[0].pix : NULL);
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* ---- encryption ------------------------------------------------------------------- */

static df_code decode_encrypted(const char *args, df_doc *doc, df_err *err)
{
    pdfb b;
    char in[256], out[256], cmd[1024];
    size_t n;
    make_text_pdf(&b, "", 0);
    tmp_path(in, sizeof in, "plain.pdf");
    tmp_path(out, sizeof out, "encrypted.pdf");
    write_file(in, b.buf, b.len);
    pb_free(&b);
    snprintf(cmd, sizeof cmd, "mutool clean %s '%s' '%s' >/dev/null 2>&1", args, in, out);
    run(cmd);
    unsigned char *d = read_file(out, &n);
    ck_assert_ptr_nonnull(memmem(d, n, "/Encrypt", 8));
    df_decode_opts o = opts();
    df_code rc = decode_with(d, n, &o, doc, err);
    free(d);
    return rc;
}

START_TEST(owner_password_only_opens)
{
    static const char *methods[] = {"rc4-128", "aes-128", "aes-256"};
    if (!have_mutool())
        return;
    for (int i = 0; i < 3; i++) {
        df_doc doc;
        df_err err;
        char args[128];
        snprintf(args, sizeof args, "-E %s -O owner-secret -P -4", methods[i]);
        ck_assert_int_eq(decode_encrypted(args, &doc, &err), DF_OK);
        ck_assert_ptr_nonnull(find_word(&doc.pages[0], "59000.00"));
        df_doc_clear(&doc);
    }
}
END_TEST

START_TEST(user_password_is_refused)
{
    df_doc doc;
    df_err err;
    if (!have_mutool())
        return;
    ck_assert_int_eq(decode_encrypted("-E aes-256 -U user-secret -O owner-secret", &doc, &err),
                     DF_E_PASSWORD_PROTECTED);
    ck_assert_str_eq(err.msg, "the PDF is protected by a password");
    ck_assert_uint_eq(doc.npages, 0);
    df_doc_clear(&doc);
}
END_TEST

/* ---- broken files -------------------------------------------------------------------- */

START_TEST(truncated_without_pages)
{
    pdfb b;
    df_doc doc;
    df_err err;
    make_text_pdf(&b, "", 1);
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK); /* whole, it is fine */
    df_doc_clear(&doc);
    df_decode_opts o = opts();
    ck_assert_int_eq(decode_with(b.buf, b.len / 2, &o, &doc, &err), DF_E_TRUNCATED_FILE);
    ck_assert_uint_eq(doc.npages, 0);
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* Cut after the page tree: MuPDF's repair still finds a page. Whatever it
 * makes of it, the result is a page or "truncated", never a crash. */
START_TEST(truncated_with_page_tree)
{
    pdfb b;
    df_doc doc;
    df_err err;
    make_text_pdf(&b, "", 0);
    for (size_t cut = b.len / 4; cut < b.len; cut += b.len / 16) {
        df_code rc = decode_with(b.buf, cut, &(df_decode_opts){10u << 20, 50, 100000000u,
                                                               {capture_diag, NULL}, 0, NULL},
                                 &doc, &err);
        ck_assert_msg(rc == DF_OK || rc == DF_E_TRUNCATED_FILE, "cut at %zu: %s (%s)", cut,
                      df_code_name(rc), err.msg);
        if (rc == DF_OK)
            ck_assert_uint_eq(doc.npages, 1);
        df_doc_clear(&doc);
    }
    pb_free(&b);
}
END_TEST

static void make_garbage(pdfb *b, int with_eof)
{
    unsigned s = 12345;
    pb_begin(b);
    for (int i = 0; i < 4096; i++) {
        s = s * 1103515245u + 12345u;
        char c = (char)(s >> 16);
        pb_put(b, &c, 1);
    }
    if (with_eof)
        pb_printf(b, "\n%%%%EOF\n");
}

START_TEST(garbage_is_corrupt)
{
    for (int eof = 0; eof < 2; eof++) {
        pdfb b;
        df_doc doc;
        df_err err;
        make_garbage(&b, eof);
        ck_assert_int_eq(decode(&b, &doc, &err), DF_E_CORRUPT_FILE);
        ck_assert_uint_eq(doc.npages, 0);
        ck_assert_str_ne(err.msg, "");
        df_doc_clear(&doc);
        pb_free(&b);
    }
}
END_TEST

START_TEST(no_pages_is_corrupt)
{
    pdfb b;
    df_doc doc;
    df_err err;
    pb_begin(&b);
    pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&b, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
    pb_end(&b, 1);
    ck_assert_int_eq(decode(&b, &doc, &err), DF_E_CORRUPT_FILE);
    ck_assert_str_eq(err.msg, "the PDF has no pages");
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* Wrong startxref and junk before the header: MuPDF repairs both. */
START_TEST(repaired_xref_still_reads)
{
    pdfb b, junk;
    df_doc doc;
    df_err err;
    make_text_pdf(&b, "", 0);
    char *sx = memmem(b.buf, b.len, "startxref\n", 10); /* buf is not NUL-terminated */
    ck_assert_ptr_nonnull(sx);
    memcpy(sx + 10, "12", 2); /* points into the header now */
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    ck_assert_ptr_nonnull(find_word(&doc.pages[0], "INVOICE"));
    ck_assert_int_gt(g_ndiag, 0); /* the repair was reported, not printed */
    df_doc_clear(&doc);

    memset(&junk, 0, sizeof junk);
    pb_printf(&junk, "Content-Type: application/pdf\r\n\r\n");
    pb_put(&junk, b.buf, b.len);
    ck_assert_int_eq(df_detect_format((uint8_t *)junk.buf, junk.len), DF_FMT_PDF);
    ck_assert_int_eq(decode(&junk, &doc, &err), DF_OK);
    ck_assert_ptr_nonnull(find_word(&doc.pages[0], "Total"));
    df_doc_clear(&doc);
    pb_free(&junk);
    pb_free(&b);
}
END_TEST

/* A page tree entry pointing nowhere: MuPDF warns on every lookup, in
 * alternation, so its messages are capped per call. */
START_TEST(dangling_kid_is_blank_and_quiet)
{
    pdfb b;
    df_doc doc;
    df_err err;
    pb_begin(&b);
    pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&b, 2, "<< /Type /Pages /Kids [3 0 R 9 0 R] /Count 2 >>");
    pb_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>");
    pb_text_stream(&b, 4, "0 g 10 10 50 50 re f");
    pb_end(&b, 1);
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    ck_assert_uint_eq(doc.npages, 2);
    ck_assert_ptr_nonnull(doc.pages[1].pix);
    ck_assert_int_le(g_ndiag, 52);
    ck_assert_ptr_nonnull(strstr(g_diag, "further messages dropped"));
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* /Count promises more pages than the tree holds: refused rather than
 * returning a document with a silently missing page. */
START_TEST(count_larger_than_tree_is_corrupt)
{
    pdfb b;
    df_doc doc;
    df_err err;
    pb_begin(&b);
    pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&b, 2, "<< /Type /Pages /Kids [3 0 R] /Count 3 >>");
    pb_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>");
    pb_end(&b, 1);
    ck_assert_int_eq(decode(&b, &doc, &err), DF_E_CORRUPT_FILE);
    ck_assert_ptr_nonnull(strstr(err.msg, "page 2"));
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

START_TEST(too_many_pages_before_loading)
{
    pdfb b;
    df_doc doc;
    df_err err;
    make_pages_pdf(&b, 60, "0 0 612 792", "0 g 10 10 100 100 re f");
    ck_assert_int_eq(decode(&b, &doc, &err), DF_E_TOO_MANY_PAGES);
    ck_assert_uint_eq(doc.npages, 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "60 pages"));
    ck_assert_ptr_nonnull(strstr(err.msg, "50"));
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

/* The library must never write to stderr, even when MuPDF complains. */
START_TEST(nothing_on_stderr)
{
    char path[256];
    pdfb bad, cut, rep;
    df_doc doc;
    df_err err;
    make_garbage(&bad, 1);
    make_text_pdf(&cut, "", 1);
    make_text_pdf(&rep, "", 0);
    memcpy((char *)memmem(rep.buf, rep.len, "startxref\n", 10) + 10, "12", 2);
    tmp_path(path, sizeof path, "stderr.txt");
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    dup2(fd, 2);
    close(fd);
    df_decode_opts silent = {10u << 20, 50, 100000000u, {NULL, NULL}, 0, NULL};
    df_code r1 = decode_with(bad.buf, bad.len, &silent, &doc, &err);
    df_doc_clear(&doc);
    df_code r2 = decode_with(cut.buf, cut.len / 2, &silent, &doc, &err);
    df_doc_clear(&doc);
    df_code r3 = decode_with(rep.buf, rep.len, &silent, &doc, &err);
    df_doc_clear(&doc);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    ck_assert_int_eq(r1, DF_E_CORRUPT_FILE);
    ck_assert_int_eq(r2, DF_E_TRUNCATED_FILE);
    ck_assert_int_eq(r3, DF_OK);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_msg(st.st_size == 0, "the decoder wrote %lld bytes to stderr", (long long)st.st_size);
    pb_free(&bad);
    pb_free(&cut);
    pb_free(&rep);
}
END_TEST

/* Sniffing is decode.c's job; a .jpg name must not matter once bytes are read. */
START_TEST(pdf_named_jpg)
{
    pdfb b;
    df_doc doc;
    df_err err;
    char path[256];
    size_t n;
    make_text_pdf(&b, "", 0);
    tmp_path(path, sizeof path, "invoice.jpg");
    write_file(path, b.buf, b.len);
    unsigned char *d = read_file(path, &n);
    df_decode_opts o = opts();
    memset(&doc, 0, sizeof doc);
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(df_decode(d, n, &o, &doc, &err), DF_OK);
    ck_assert_int_eq(doc.format, DF_FMT_PDF);
    ck_assert_ptr_nonnull(find_word(&doc.pages[0], "INV-001"));
    df_doc_clear(&doc);
    free(d);
    pb_free(&b);
}
END_TEST

/* ---- threads and speed -------------------------------------------------------------- */

typedef struct thread_arg {
    const pdfb *text, *image;
    int failures;
} thread_arg;

static void *decode_loop(void *p)
{
    thread_arg *a = p;
    df_decode_opts o = {10u << 20, 50, 100000000u, {capture_diag, NULL}, 0, NULL};
    for (int i = 0; i < 6; i++) {
        const pdfb *b = i % 2 ? a->image : a->text;
        df_doc doc;
        df_err err;
        df_code rc = decode_with(b->buf, b->len, &o, &doc, &err);
        if (rc != DF_OK || doc.npages == 0 ||
            (i % 2 == 0 && !find_word(&doc.pages[0], "59000.00")))
            a->failures++;
        df_doc_clear(&doc);
    }
    return NULL;
}

START_TEST(concurrent_calls)
{
    pdfb text, image;
    pthread_t th[4];
    thread_arg args[4];
    make_text_pdf(&text, "", 0);
    make_image_pdf(&image);
    for (int i = 0; i < 4; i++) {
        args[i] = (thread_arg){&text, &image, 0};
        ck_assert_int_eq(pthread_create(&th[i], NULL, decode_loop, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(args[i].failures, 0);
    }
    pb_free(&text);
    pb_free(&image);
}
END_TEST

/* Not a pass/fail check: prints what a text-layer page costs. */
START_TEST(text_layer_speed)
{
    char content[8192] = "";
    for (int l = 0; l < 40; l++)
        snprintf(content + strlen(content), sizeof content - strlen(content),
                 "BT /F1 9 Tf 40 %d Td (Item %02d Widget assembly 12.50 x 4 = 50.00 EUR) Tj ET\n",
                 760 - l * 18, l);
    pdfb b;
    df_doc doc;
    df_err err;
    make_pages_pdf(&b, 50, "0 0 612 792", content);
    double t = now();
    ck_assert_int_eq(decode(&b, &doc, &err), DF_OK);
    double dt = now() - t;
    ck_assert_uint_eq(doc.npages, 50);
    ck_assert_uint_eq(doc.pages[49].nwords, 40 * 10);
    printf("text layer: 50 pages x 400 words in %.1f ms (%.2f ms/page)\n", dt * 1e3,
           dt * 1e3 / 50);
    df_doc_clear(&doc);
    pb_free(&b);
}
END_TEST

static Suite *pdf_suite(void)
{
    Suite *s = suite_create("decode_pdf");
    TCase *tc = tcase_create("pdf");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, text_layer_words_and_boxes);
    tcase_add_test(tc, rotated_page);
    tcase_add_test(tc, text_page_size_follows_pixel_limit);
    tcase_add_test(tc, unmapped_glyphs_are_not_a_text_layer);
    tcase_add_test(tc, text_layer_outside_bmp);
    tcase_add_test(tc, supplementary_letters_are_readable);
    tcase_add_test(tc, image_pages_render_like_mutool);
    tcase_add_test(tc, stamped_scan_is_ocred_searchable_scan_is_not);
    tcase_add_test(tc, two_pages_mixed);
    tcase_add_test(tc, large_page_renders_at_lower_dpi);
    tcase_add_test(tc, huge_page_is_refused_without_allocating);
    tcase_add_test(tc, owner_password_only_opens);
    tcase_add_test(tc, user_password_is_refused);
    tcase_add_test(tc, truncated_without_pages);
    tcase_add_test(tc, truncated_with_page_tree);
    tcase_add_test(tc, garbage_is_corrupt);
    tcase_add_test(tc, no_pages_is_corrupt);
    tcase_add_test(tc, repaired_xref_still_reads);
    tcase_add_test(tc, dangling_kid_is_blank_and_quiet);
    tcase_add_test(tc, count_larger_than_tree_is_corrupt);
    tcase_add_test(tc, too_many_pages_before_loading);
    tcase_add_test(tc, nothing_on_stderr);
    tcase_add_test(tc, pdf_named_jpg);
    tcase_add_test(tc, concurrent_calls);
    tcase_add_test(tc, text_layer_speed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    snprintf(g_tmp, sizeof g_tmp, "/tmp/df_pdf_XXXXXX");
    if (!mkdtemp(g_tmp)) {
        perror("mkdtemp");
        return 1;
    }
    SRunner *sr = srunner_create(pdf_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_tmp);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
