/*
 * fuzz_utf8_json.c — libFuzzer harness for issue 17's promise: whatever
 * bytes come in, every string docflow emits is valid UTF-8 and its JSON
 * parses.
 *
 * The input feeds each way outside bytes become docflow's strings:
 *   - a file name (the result's name, file_key and error message),
 *   - a caller's file_key for df_result_to_json,
 *   - a message formatted by df_err_set and a diagnostic by df_diag_emit,
 *   - a PDF text layer: a font whose ToUnicode CMap maps glyphs to fuzzed
 *     UTF-16 units (surrogate halves, lone or in pairs, split over glyphs),
 *     read by MuPDF into words and text, and on one input in eight (with
 *     at most 12 glyphs) also through layout, extraction and validation
 *     into a result. A hash of all the input's bytes picks that eighth, so
 *     that the mutations of such an input do not all inherit it: the
 *     extractors are slow under the fuzzer's instrumentation (24 ms an
 *     input, against 5 for the rest), would take most of the run, and
 *     have fuzz_extract of their own;
 * and the lib/core/utf8.h functions themselves on the raw bytes. Each JSON
 * must be valid UTF-8 and parse strictly (cJSON_ParseWithLengthOpts, every
 * byte consumed); words, text, messages and diagnostics must be valid.
 *
 * Input: [name length][key length][message length, 2 bytes LE], then the
 * name, key and message bytes, then glyph mappings: a byte (bits 0-1: 1 to
 * 4 UTF-16 units follow, bit 7: a space after the glyph) and the units,
 * big-endian. Build and run: see fuzz/README.md; target fuzz_utf8_json.
 */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/job.h"
#include "core/text.h"
#include "core/utf8.h"

#define FUZZ_MAX_GLYPHS 48
/* Glyphs when the whole pipeline runs: the vendor rules try every company
 * suffix at every position of a line, so a long line costs a lot. */
#define FUZZ_MAX_GLYPHS_WHOLE 12
#define FUZZ_PDF_MAX 16384

static void must(int cond)
{
    if (!cond)
        __builtin_trap();
}

static int valid_str(const char *s)
{
    return s && df_utf8_valid(s, strlen(s));
}

/* Diagnostics (MuPDF's messages quote the fuzzed CMap) must be valid. */
static void check_diag(void *ud, df_diag_level level, const char *msg)
{
    (void)ud;
    (void)level;
    must(valid_str(msg));
}

static df_engine *engine(void)
{
    static df_engine *e;
    static int tried;
    if (!tried) {
        tried = 1;
        df_options *o = df_options_new();
        must(o != NULL);
        df_options_set_diagnostics(o, check_diag, NULL);
        e = df_engine_new(o, NULL, NULL);
        df_options_free(o);
        must(e != NULL);
    }
    return e;
}

/* Every string in a parsed tree is valid (cJSON decodes \u escapes). */
static void check_tree(const cJSON *n)
{
    for (; n; n = n->next) {
        must(!n->string || valid_str(n->string));
        must(!cJSON_IsString(n) || valid_str(n->valuestring));
        check_tree(n->child);
    }
}

static void check_json(const df_result *r, const char *key, unsigned flags)
{
    char *j = df_result_to_json(r, 1, key, flags);
    must(j != NULL);
    size_t len = strlen(j);
    must(df_utf8_valid(j, len));
    const char *end = NULL;
    /* strict: one document, nothing after it but the terminating NUL */
    cJSON *o = cJSON_ParseWithLengthOpts(j, len + 1, &end, 1);
    must(o != NULL && end == j + len);
    check_tree(o);
    /* file_key is the caller's key repaired by the documented rule */
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "file_key");
    must(cJSON_IsString(k));
    if (key) {
        char *want = df_utf8_sanitize(key);
        must(want && strcmp(k->valuestring, want) == 0);
        df_free(want);
    }
    cJSON_Delete(o);
    df_free(j);
}

static void check_result(const df_result *r, const char *key)
{
    must(r != NULL);
    must(valid_str(df_result_error_message(r)));
    must(valid_str(df_result_text(r)));
    check_json(r, key, 0);
    check_json(r, NULL, DF_JSON_PRETTY);
}

/* The module's own laws on raw bytes: sanitising gives valid text, leaves
 * valid text alone, is idempotent; a copy is a character-boundary prefix. */
static void check_module(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char *t = df_utf8_sanitize_n(s, size);
    must(t != NULL);
    size_t tl = strlen(t);
    must(df_utf8_valid(t, tl));
    must(df_utf8_valid(s, size) == (tl == size && memcmp(s, t, size) == 0));
    char *again = df_utf8_sanitize_n(t, tl);
    must(again && strcmp(again, t) == 0);
    char small[37];
    size_t cap = size ? 1 + data[0] % sizeof small : sizeof small;
    size_t n = df_utf8_copy(small, cap, s, size);
    must(n < cap && n == strlen(small) && memcmp(small, t, n) == 0 && df_utf8_valid(small, n));
    if (n < tl) { /* stopped before a whole character that did not fit, never inside one */
        uint32_t cp;
        must(n + df_utf8_next(t + n, tl - n, &cp) > cap - 1);
    }
    free(again);
    free(t);
}

/* A C string of at most n bytes from the input (a name stops at NUL). */
static char *take(const uint8_t **p, size_t *left, size_t n)
{
    n = n < *left ? n : *left;
    char *s = malloc(n + 1);
    must(s != NULL);
    memcpy(s, *p, n);
    s[n] = '\0';
    *p += n;
    *left -= n;
    return s;
}

typedef struct buf {
    char *p;
    size_t len;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, FUZZ_PDF_MAX - b->len, fmt, ap);
    va_end(ap);
    must(n >= 0 && (size_t)n < FUZZ_PDF_MAX - b->len);
    b->len += (size_t)n;
}

/* The glyph mappings as bfchar lines of a ToUnicode CMap, and the text
 * shown with them; returns the number of glyphs. */
static size_t glyphs(const uint8_t *p, size_t left, size_t max, buf *cmap, buf *text)
{
    size_t ng = 0;
    while (left > 0 && ng < max) {
        unsigned units = (p[0] & 3u) + 1, space = p[0] >> 7;
        p++;
        left--;
        if (left < 2 * units)
            break;
        put(cmap, "<%02zX> <", 0x41 + ng);
        for (unsigned u = 0; u < units; u++, p += 2, left -= 2)
            put(cmap, "%02X%02X", p[0], p[1]);
        put(cmap, ">\n");
        put(text, "/F3 9 Tf <%02zX> Tj%s", 0x41 + ng, space ? " /F1 9 Tf ( ) Tj" : "");
        ng++;
    }
    return ng;
}

/* A one-page PDF: a Helvetica line, then the fuzzed glyphs. No xref: MuPDF
 * rebuilds it, so nothing here has to count offsets. */
static size_t make_pdf(const uint8_t *p, size_t left, size_t max_glyphs, char *out)
{
    static char map_s[FUZZ_PDF_MAX], text_s[FUZZ_PDF_MAX], cmap_s[FUZZ_PDF_MAX],
        content_s[FUZZ_PDF_MAX];
    buf map = {map_s, 0}, text = {text_s, 0}, cmap = {cmap_s, 0}, c = {content_s, 0};
    buf pdf = {out, 0};
    size_t ng = glyphs(p, left, max_glyphs, &map, &text);
    put(&cmap, "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
               "/CMapName /Fuzz-UCS def /CMapType 2 def\n"
               "1 begincodespacerange <00> <FF> endcodespacerange\n"
               "%zu beginbfchar\n%.*sendbfchar\nendcmap CMapName currentdict /CMap "
               "defineresource pop end end\n", ng, (int)map.len, map.p);
    /* "Invoice" keeps the page a text layer: nothing is rendered or OCRed */
    put(&c, "BT /F1 9 Tf 10 80 Td (Invoice Total 10.00) Tj ET\nBT 10 50 Td %.*s ET\n",
        (int)text.len, text.p);
    put(&pdf, "%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
              "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
              "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 100] "
              "/Resources << /Font << /F1 4 0 R /F3 5 0 R >> >> /Contents 6 0 R >>\nendobj\n"
              "4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n"
              "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
              "/ToUnicode 7 0 R >>\nendobj\n");
    put(&pdf, "6 0 obj\n<< /Length %zu >>\nstream\n%.*s\nendstream\nendobj\n", c.len,
        (int)c.len, c.p);
    put(&pdf, "7 0 obj\n<< /Length %zu >>\nstream\n%.*s\nendstream\nendobj\n", cmap.len,
        (int)cmap.len, cmap.p);
    put(&pdf, "trailer\n<< /Root 1 0 R >>\n%%%%EOF\n");
    return pdf.len;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    must(d != NULL);
    return memcpy(d, s, n);
}

/* The words and text as a result's values (vendor, address, items), for the
 * serialiser, as the extractors would hand them over. */
static void check_words_json(const df_page *pg, const char *text, const char *key)
{
    df_err ok = {DF_OK, ""};
    df_result *r = df_job_error_result("words.pdf", &ok);
    must(r != NULL);
    df_extraction *x = &r->extraction;
    x->document_type = x->document_category = "other";
    x->vendor_address.s = dup(text);
    if (pg->nwords)
        x->vendor_name.s = dup(pg->words[0].text);
    x->items = calloc(pg->nwords ? pg->nwords : 1, sizeof *x->items);
    must(x->items != NULL);
    for (; x->nitems < pg->nwords; x->nitems++)
        x->items[x->nitems].description = dup(pg->words[x->nitems].text);
    r->has_extraction = 1;
    check_json(r, key, 0);
    df_result_free(r);
}

/* The text layer alone: MuPDF's characters into words and the text. */
static void check_text_layer(const char *pdf, size_t n, const char *key)
{
    df_decode_opts o = {.max_file_bytes = 1u << 20, .max_pages = 1, .max_pixels = 4000000,
                        .diag = {check_diag, NULL}};
    df_doc doc = {0};
    df_err err = {DF_OK, ""};
    df_decode((const uint8_t *)pdf, n, &o, &doc, &err);
    must(valid_str(err.msg));
    for (size_t i = 0; i < doc.npages; i++)
        for (size_t k = 0; k < doc.pages[i].nwords; k++)
            must(valid_str(doc.pages[i].words[k].text));
    char *text = df_doc_text(&doc);
    must(valid_str(text));
    if (doc.npages)
        check_words_json(&doc.pages[0], text, key);
    free(text);
    df_doc_clear(&doc);
}

/* FNV-1a: one input in eight (hash % 8 == 0) runs the whole pipeline. */
static int whole_pipeline(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return h % 8 == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    df_engine *e = engine();
    check_module(data, size);
    if (size < 4)
        return 0;
    int whole = whole_pipeline(data, size);
    size_t a = data[0], b = data[1], c = (size_t)data[2] | (size_t)data[3] << 8;
    const uint8_t *p = data + 4;
    size_t left = size - 4;
    char *name = take(&p, &left, a), *key = take(&p, &left, b), *msg = take(&p, &left, c);

    /* a name and a message through the error path (job.c, error.c) */
    df_err err = {DF_OK, ""};
    df_err_set(&err, DF_E_CORRUPT_FILE, "cannot find resource '%s'", msg);
    must(valid_str(err.msg));
    df_diag d = {check_diag, NULL};
    df_diag_emit(&d, DF_DIAG_WARNING, "mupdf: %s (%s)", msg, name);
    df_result *r = df_job_error_result(name, &err);
    check_result(r, key);
    df_result_free(r);
    r = NULL;
    df_extract_memory(e, "x", 1, name, &r); /* unsupported format, named */
    check_result(r, key);
    df_result_free(r);

    /* a text layer */
    static char pdf[FUZZ_PDF_MAX];
    size_t n = make_pdf(p, left, whole ? FUZZ_MAX_GLYPHS_WHOLE : FUZZ_MAX_GLYPHS, pdf);
    if (whole) {
        r = NULL;
        df_extract_memory(e, pdf, n, name, &r);
        check_result(r, key);
        df_result_free(r);
    } else {
        check_text_layer(pdf, n, key);
    }
    free(name);
    free(key);
    free(msg);
    return 0;
}
