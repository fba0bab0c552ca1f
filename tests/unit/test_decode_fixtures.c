/*
 * test_decode_fixtures.c — every file in fixtures/expected.tsv through
 * df_decode, against independent decoders run at test time.
 *
 * expected.tsv (written by fixtures/make-fixtures.sh), one fixture a line:
 *   path <TAB> good|bad <TAB> expectation
 * good: pages=N;format=F;dpi=D;text_layer=0|1;ref=R
 * bad:  the stable df_code name (df_code_name)
 *
 * Good files must decode with the default limits to N pages of format F, each
 * page with that dpi and text-layer flag, a pix (if any) of 8 bpp gray or
 * 32 bpp RGB with no colormap, and pixels equal to the reference R:
 *   magick-lossless  ImageMagick `convert FMT:file[i] -auto-orient -background
 *                    white -alpha remove -alpha off -depth 8 ppm:-`; identical
 *                    (a difference of 1 is allowed where the source has an
 *                    alpha channel: flattening rounds differently)
 *   magick-lossy     same command, PSNR >= 40 dB
 *   heif             heif-convert (applies irot/imir) then the command above,
 *                    PSNR >= 40 dB
 *   mutool           `mutool draw -r <page dpi> -c gray|rgb`, same size and
 *                    PSNR >= 40 dB; a page with pix NULL must carry a text
 *                    layer: words inside the page, "INV-2024-001" among them,
 *                    and ink under its box in a 72-dpi mutool render
 * A page decoded to gray from a colour source is compared with the BT.601 luma
 * of the reference (PSNR >= 35: the contract does not fix the weights).
 * The EXIF orientation fixtures must also match the upright one
 * (invoice-orient-1.jpg) in size and picture (PSNR >= 30: separate encodes).
 * Bad files must fail with exactly the named code and a message.
 * DF_TEST_VERBOSE=1 prints every comparison (size, mode, max diff, PSNR).
 */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decode/decode.h"

#define MAX_FIXTURES 512
#define NEEDLE "INV-2024-001"

typedef struct fixture {
    char path[512]; /* relative to the fixtures dir */
    int good;
    int pages, dpi, text;
    char format[16], ref[32], code[64];
} fixture;

static fixture g_fx[MAX_FIXTURES];
static int g_nfx;
static char g_load_error[8192];
static char g_tmp[256];

static const char *fixdir(void)
{
    const char *e = getenv("DF_FIXTURES");
    return e && *e ? e : DF_FIXTURES_DIR;
}

static df_decode_opts default_opts(void)
{
    df_decode_opts o;
    memset(&o, 0, sizeof o);
    o.max_file_bytes = 10u * 1024 * 1024;
    o.max_pages = 50;
    o.max_pixels = 100000000u;
    o.diag.fn = NULL;
    o.diag.userdata = NULL;
    return o;
}

/* ---- failure log: collect, clean up, then fail once ---------------------- */

typedef struct report {
    char msg[8192];
    size_t len;
    int failed;
} report;

static void __attribute__((format(printf, 2, 3))) rfail(report *r, const char *fmt, ...)
{
    va_list ap;
    r->failed = 1;
    if (r->len + 2 >= sizeof r->msg)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(r->msg + r->len, sizeof r->msg - r->len - 1, fmt, ap);
    va_end(ap);
    if (n > 0)
        r->len += (size_t)n < sizeof r->msg - r->len - 1 ? (size_t)n : sizeof r->msg - r->len - 2;
    r->msg[r->len++] = '\n';
    r->msg[r->len] = '\0';
}

/* ---- files and processes ------------------------------------------------- */

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *b = malloc(cap);
    size_t got;
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(b, cap *= 2);
            if (!nb)
                free(b);
            b = nb;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

/* Single-quote for sh. */
static void shq(char *out, size_t cap, const char *s)
{
    size_t o = 0;
    out[o++] = '\'';
    for (; *s && o + 5 < cap; s++) {
        if (*s == '\'') {
            memcpy(out + o, "'\\''", 4);
            o += 4;
        } else {
            out[o++] = *s;
        }
    }
    out[o++] = '\'';
    out[o] = '\0';
}

/* Run cmd with sh, capture stdout; returns exit status (or -1). */
static int run_capture(const char *cmd, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t cap = 1 << 20, n = 0, got;
    uint8_t *b = malloc(cap);
    while (b && (got = fread(b + n, 1, cap - n, p)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(b, cap *= 2);
            if (!nb)
                free(b);
            b = nb;
        }
    }
    int st = pclose(p);
    *out = b;
    *len = n;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int have_tool(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

/* ---- images ---------------------------------------------------------------- */

typedef struct img {
    int w, h, ch; /* ch 1 (gray) or 3 (RGB) */
    uint8_t *px;
} img;

static void img_free(img *m)
{
    free(m->px);
    memset(m, 0, sizeof *m);
}

static int pnm_int(const uint8_t *b, size_t len, size_t *p)
{
    for (;;) {
        while (*p < len && (b[*p] == ' ' || b[*p] == '\t' || b[*p] == '\n' || b[*p] == '\r'))
            (*p)++;
        if (*p < len && b[*p] == '#') {
            while (*p < len && b[*p] != '\n')
                (*p)++;
            continue;
        }
        break;
    }
    int v = 0, any = 0;
    while (*p < len && b[*p] >= '0' && b[*p] <= '9') {
        v = v * 10 + (b[*p] - '0');
        (*p)++;
        any = 1;
    }
    return any ? v : -1;
}

/* Parse a binary PGM/PPM with maxval 255 (the first image only). */
static int pnm_parse(const uint8_t *b, size_t len, img *m, char *why, size_t whylen)
{
    memset(m, 0, sizeof *m);
    if (len < 3 || b[0] != 'P' || (b[1] != '5' && b[1] != '6')) {
        snprintf(why, whylen, "reference output is not a binary PGM/PPM (%zu bytes)", len);
        return -1;
    }
    size_t p = 2;
    int w = pnm_int(b, len, &p), h = pnm_int(b, len, &p), mx = pnm_int(b, len, &p);
    if (w <= 0 || h <= 0 || mx != 255 || p >= len) {
        snprintf(why, whylen, "bad PNM header (w %d h %d maxval %d)", w, h, mx);
        return -1;
    }
    p++; /* the single whitespace after maxval */
    int ch = b[1] == '5' ? 1 : 3;
    size_t need = (size_t)w * h * ch;
    if (len - p < need) {
        snprintf(why, whylen, "PNM data short: %zu of %zu bytes", len - p, need);
        return -1;
    }
    m->px = malloc(need);
    if (!m->px) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    memcpy(m->px, b + p, need);
    m->w = w;
    m->h = h;
    m->ch = ch;
    return 0;
}

static int pnm_file(const char *path, img *m, char *why, size_t whylen)
{
    size_t len;
    uint8_t *b = read_all(path, &len);
    if (!b) {
        snprintf(why, whylen, "cannot read %s", path);
        return -1;
    }
    int rc = pnm_parse(b, len, m, why, whylen);
    free(b);
    return rc;
}

static int pnm_cmd(const char *cmd, img *m, char *why, size_t whylen)
{
    uint8_t *b;
    size_t len;
    int st = run_capture(cmd, &b, &len);
    if (st != 0) {
        snprintf(why, whylen, "reference command failed (status %d): %s", st, cmd);
        free(b);
        return -1;
    }
    int rc = pnm_parse(b, len, m, why, whylen);
    free(b);
    return rc;
}

static const char *magick_coder(const char *format)
{
    if (!strcmp(format, "jpeg")) return "jpeg";
    if (!strcmp(format, "png")) return "png";
    if (!strcmp(format, "tiff")) return "tiff";
    if (!strcmp(format, "bmp")) return "bmp";
    if (!strcmp(format, "webp")) return "webp";
    return NULL;
}

/* ImageMagick's view of page `index` of `file` read as `coder`, 8-bit RGB. */
static int ref_magick(const char *coder, const char *file, int index, img *m, char *why, size_t wl)
{
    char spec[1200], q[2600], cmd[3000];
    snprintf(spec, sizeof spec, "%s:%s[%d]", coder, file, index);
    shq(q, sizeof q, spec);
    snprintf(cmd, sizeof cmd,
             "convert %s -auto-orient -background white -alpha remove -alpha off -depth 8 ppm:- 2>/dev/null",
             q);
    return pnm_cmd(cmd, m, why, wl);
}

static int magick_has_alpha(const char *coder, const char *file, int index)
{
    char spec[1200], q[2600], cmd[3000];
    snprintf(spec, sizeof spec, "%s:%s[%d]", coder, file, index);
    shq(q, sizeof q, spec);
    snprintf(cmd, sizeof cmd, "identify -format '%%A' %s 2>/dev/null", q);
    uint8_t *b;
    size_t len;
    int st = run_capture(cmd, &b, &len);
    int alpha = st == 0 && b && len > 0 && (b[0] == 'T' || b[0] == 'B'); /* True / Blend */
    free(b);
    return alpha;
}

static int ref_heif(const char *file, int fi, img *m, char *why, size_t wl)
{
    char png[512], qf[1100], qp[1100], cmd[3000];
    snprintf(png, sizeof png, "%s/heif-%d.png", g_tmp, fi);
    shq(qf, sizeof qf, file);
    shq(qp, sizeof qp, png);
    snprintf(cmd, sizeof cmd, "heif-convert %s %s >/dev/null 2>&1", qf, qp);
    if (system(cmd) != 0) {
        snprintf(why, wl, "reference failed: %s", cmd);
        return -1;
    }
    int rc = ref_magick("png", png, 0, m, why, wl);
    unlink(png);
    return rc;
}

/* mutool's render of page (0-based) at dpi; gray (ch 1) or rgb (ch 3). */
static int ref_mutool(const char *file, int page, int dpi, int ch, int fi, img *m, char *why,
                      size_t wl)
{
    char out[512], qf[1100], qo[1100], cmd[3000];
    snprintf(out, sizeof out, "%s/mu-%d-%d-%d.%s", g_tmp, fi, page, dpi, ch == 1 ? "pgm" : "ppm");
    shq(qf, sizeof qf, file);
    shq(qo, sizeof qo, out);
    snprintf(cmd, sizeof cmd, "mutool draw -q -r %d -c %s -o %s %s %d >/dev/null 2>&1", dpi,
             ch == 1 ? "gray" : "rgb", qo, qf, page + 1);
    if (system(cmd) != 0) {
        snprintf(why, wl, "reference failed: %s", cmd);
        return -1;
    }
    int rc = pnm_file(out, m, why, wl);
    unlink(out);
    return rc;
}

/* The page's pixels as an img (8 bpp -> 1 channel, 32 bpp -> 3). */
static int pix_img(PIX *pix, img *m)
{
    int d = pixGetDepth(pix);
    int w = pixGetWidth(pix), h = pixGetHeight(pix), wpl = pixGetWpl(pix);
    l_uint32 *data = pixGetData(pix);
    m->w = w;
    m->h = h;
    m->ch = d == 8 ? 1 : 3;
    m->px = malloc((size_t)w * h * m->ch);
    if (!m->px)
        return -1;
    for (int y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        uint8_t *o = m->px + (size_t)y * w * m->ch;
        for (int x = 0; x < w; x++) {
            if (d == 8) {
                o[x] = (uint8_t)GET_DATA_BYTE(line, x);
            } else {
                l_int32 r, g, b;
                extractRGBValues(line[x], &r, &g, &b);
                o[3 * x] = (uint8_t)r;
                o[3 * x + 1] = (uint8_t)g;
                o[3 * x + 2] = (uint8_t)b;
            }
        }
    }
    return 0;
}

static int img_neutral(const img *m)
{
    if (m->ch == 1)
        return 1;
    size_t n = (size_t)m->w * m->h;
    for (size_t i = 0; i < n; i++)
        if (m->px[3 * i] != m->px[3 * i + 1] || m->px[3 * i] != m->px[3 * i + 2])
            return 0;
    return 1;
}

/* Reduce an RGB reference to one channel: R when neutral, else BT.601 luma. */
static void img_to_gray(img *m, int luma)
{
    if (m->ch == 1)
        return;
    size_t n = (size_t)m->w * m->h;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = m->px + 3 * i;
        m->px[i] = luma ? (uint8_t)lround(0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) : p[0];
    }
    m->ch = 1;
}

typedef struct cmpstat {
    int maxdiff, mx, my;
    size_t ndiff; /* pixels with any channel differing */
    double psnr;  /* INFINITY when identical */
} cmpstat;

static void img_compare(const img *a, const img *b, cmpstat *s)
{
    memset(s, 0, sizeof *s);
    double se = 0;
    size_t n = (size_t)a->w * a->h;
    for (size_t i = 0; i < n; i++) {
        int any = 0;
        for (int c = 0; c < a->ch; c++) {
            int d = abs((int)a->px[i * a->ch + c] - (int)b->px[i * b->ch + c]);
            se += (double)d * d;
            if (d) {
                any = 1;
                if (d > s->maxdiff) {
                    s->maxdiff = d;
                    s->mx = (int)(i % a->w);
                    s->my = (int)(i / a->w);
                }
            }
        }
        s->ndiff += (size_t)any;
    }
    double mse = se / ((double)n * a->ch);
    s->psnr = mse == 0 ? INFINITY : 10.0 * log10(255.0 * 255.0 / mse);
}

enum { CMP_EXACT, CMP_TOL1, CMP_PSNR };

/* Compare a decoded page with a reference (consumed: converted in place). */
static void check_pixels(report *r, const char *what, PIX *pix, img *ref, int mode,
                         double min_psnr)
{
    img got = {0};
    if (pix_img(pix, &got) != 0) {
        rfail(r, "%s: out of memory", what);
        return;
    }
    if (got.w != ref->w || got.h != ref->h) {
        rfail(r, "%s: decoded %dx%d, reference %dx%d", what, got.w, got.h, ref->w, ref->h);
        img_free(&got);
        return;
    }
    const char *note = "";
    if (got.ch == 1 && ref->ch == 3) {
        if (img_neutral(ref)) {
            img_to_gray(ref, 0);
        } else { /* the decoder reduced a colour source to gray */
            img_to_gray(ref, 1);
            mode = CMP_PSNR;
            min_psnr = 35;
            note = " (colour source decoded to gray, compared with BT.601 luma)";
        }
    }
    cmpstat s;
    img_compare(&got, ref, &s);
    if (getenv("DF_TEST_VERBOSE"))
        printf("%s: %dx%dx%d, %s, max |diff| %d, PSNR %.2f%s\n", what, got.w, got.h, got.ch,
               mode == CMP_EXACT ? "exact" : mode == CMP_TOL1 ? "within 1" : "psnr", s.maxdiff,
               s.psnr, note);
    int ok = mode == CMP_EXACT ? s.maxdiff == 0
           : mode == CMP_TOL1  ? s.maxdiff <= 1
                               : s.psnr >= min_psnr;
    if (!ok)
        rfail(r,
              "%s: pixels differ from the reference%s: %zu of %d pixels, max |diff| %d at "
             "(%d,%d), PSNR %.2f dB (%s)",
              what, note, s.ndiff, got.w * got.h, s.maxdiff, s.mx, s.my, s.psnr,
              mode == CMP_EXACT  ? "must be identical"
              : mode == CMP_TOL1 ? "must be within 1"
                                 : "PSNR too low");
    img_free(&got);
}

/* ---- expected.tsv ----------------------------------------------------------- */

static int kv_int(const char *s, const char *key, int *out)
{
    char k[40];
    snprintf(k, sizeof k, "%s=", key);
    const char *p = strstr(s, k);
    if (!p)
        return -1;
    *out = atoi(p + strlen(k));
    return 0;
}

static int kv_str(const char *s, const char *key, char *out, size_t cap)
{
    char k[40];
    snprintf(k, sizeof k, "%s=", key);
    const char *p = strstr(s, k);
    if (!p)
        return -1;
    p += strlen(k);
    size_t n = strcspn(p, ";\r\n");
    if (n >= cap)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

static void load_expected(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/expected.tsv", fixdir());
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(g_load_error, sizeof g_load_error,
                 "cannot open %s (run: bash fixtures/make-fixtures.sh)", path);
        return;
    }
    char line[2048];
    int ln = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2 || g_nfx >= MAX_FIXTURES) {
            snprintf(g_load_error, sizeof g_load_error, "%s:%d: malformed line", path, ln);
            break;
        }
        *t1 = *t2 = '\0';
        fixture *x = &g_fx[g_nfx];
        memset(x, 0, sizeof *x);
        snprintf(x->path, sizeof x->path, "%.*s", (int)sizeof x->path - 1, line);
        const char *kind = t1 + 1, *exp = t2 + 1;
        if (!strcmp(kind, "good")) {
            x->good = 1;
            if (kv_int(exp, "pages", &x->pages) || kv_int(exp, "dpi", &x->dpi) ||
                kv_int(exp, "text_layer", &x->text) ||
                kv_str(exp, "format", x->format, sizeof x->format) ||
                kv_str(exp, "ref", x->ref, sizeof x->ref)) {
                snprintf(g_load_error, sizeof g_load_error, "%s:%d: bad expectation '%s'", path,
                         ln, exp);
                break;
            }
        } else if (!strcmp(kind, "bad")) {
            snprintf(x->code, sizeof x->code, "%s", exp);
        } else {
            snprintf(g_load_error, sizeof g_load_error, "%s:%d: kind '%s'", path, ln, kind);
            break;
        }
        g_nfx++;
    }
    fclose(f);
    if (!g_nfx && !g_load_error[0])
        snprintf(g_load_error, sizeof g_load_error, "%s lists no fixtures", path);
}

/* ---- text layer ---------------------------------------------------------- */

static void check_words(report *r, const char *what, const char *file, int pageno,
                        const df_page *pg, int fi)
{
    if (!pg->nwords || !pg->words) {
        rfail(r, "%s: text-layer page without words", what);
        return;
    }
    const double slack = 2.0;
    const df_word *needle = NULL;
    for (size_t i = 0; i < pg->nwords; i++) {
        const df_word *wd = &pg->words[i];
        if (!wd->text || !wd->text[0]) {
            rfail(r, "%s: word %zu has no text", what, i);
            return;
        }
        const float *b = wd->box;
        if (!(b[0] <= b[2] && b[1] <= b[3] && b[0] >= -slack && b[1] >= -slack &&
              b[2] <= pg->width_pt + slack && b[3] <= pg->height_pt + slack)) {
            rfail(r, "%s: word '%s' box [%.1f %.1f %.1f %.1f] is outside the %.1fx%.1f pt page",
                 what, wd->text, b[0], b[1], b[2], b[3], pg->width_pt, pg->height_pt);
            return;
        }
        if (!needle && strstr(wd->text, NEEDLE))
            needle = wd;
    }
    if (!needle) {
        rfail(r, "%s: '" NEEDLE "' is not among the %zu words", what, pg->nwords);
        return;
    }
    /* Ink under the box, in mutool's 72-dpi render (1 px = 1 pt, as displayed). */
    img ref;
    char why[512];
    if (ref_mutool(file, pageno, 72, 1, fi, &ref, why, sizeof why) != 0) {
        rfail(r, "%s: %s", what, why);
        return;
    }
    if (fabs(ref.w - pg->width_pt) > 1.5 || fabs(ref.h - pg->height_pt) > 1.5)
        rfail(r, "%s: page is %.1fx%.1f pt, mutool says %dx%d", what, pg->width_pt,
             pg->height_pt, ref.w, ref.h);
    int x0 = (int)floor(needle->box[0]), y0 = (int)floor(needle->box[1]);
    int x1 = (int)ceil(needle->box[2]), y1 = (int)ceil(needle->box[3]);
    long ink = 0, area = 0;
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < ref.h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < ref.w; x++) {
            area++;
            ink += ref.px[(size_t)y * ref.w + x] < 160;
        }
    if (area < 20 || ink * 100 < area * 8)
        rfail(r, "%s: no text under the box of '%s' [%.1f %.1f %.1f %.1f]: %ld of %ld pixels dark",
             what, needle->text, needle->box[0], needle->box[1], needle->box[2], needle->box[3],
             ink, area);
    img_free(&ref);
}

/* ---- the per-fixture test --------------------------------------------------- */

static const char *decode_file(const fixture *x, const df_decode_opts *o, df_doc *doc,
                               df_err *err, df_code *rc, char *full, size_t fullcap)
{
    snprintf(full, fullcap, "%s/%s", fixdir(), x->path);
    size_t len;
    uint8_t *data = read_all(full, &len);
    if (!data)
        return "cannot read the fixture (run: bash fixtures/make-fixtures.sh)";
    *rc = df_decode(data, len, o, doc, err);
    free(data);
    return NULL;
}

static void check_good(report *r, const fixture *x, int fi)
{
    df_decode_opts o = default_opts();
    df_doc doc;
    df_err err;
    memset(&doc, 0, sizeof doc);
    memset(&err, 0, sizeof err);
    char full[1200];
    df_code rc = DF_OK;
    const char *io = decode_file(x, &o, &doc, &err, &rc, full, sizeof full);
    if (io) {
        rfail(r, "%s: %s", x->path, io);
        return;
    }
    if (rc != DF_OK) {
        rfail(r, "%s: df_decode failed: %s: %s", x->path, df_code_name(rc), err.msg);
        df_doc_clear(&doc);
        return;
    }
    if (strcmp(df_format_name(doc.format), x->format))
        rfail(r, "%s: format '%s', expected '%s'", x->path, df_format_name(doc.format), x->format);
    if ((int)doc.npages != x->pages)
        rfail(r, "%s: %zu pages, expected %d", x->path, doc.npages, x->pages);

    const char *coder = magick_coder(x->format);
    int is_orient = strstr(x->path, "invoice-orient-") != NULL;
    for (size_t i = 0; i < doc.npages && (int)i < x->pages; i++) {
        const df_page *pg = &doc.pages[i];
        char what[700];
        snprintf(what, sizeof what, "%s page %zu", x->path, i + 1);
        if (pg->dpi != x->dpi)
            rfail(r, "%s: dpi %d, expected %d", what, pg->dpi, x->dpi);
        if (pg->has_text_layer != x->text)
            rfail(r, "%s: has_text_layer %d, expected %d", what, pg->has_text_layer, x->text);
        if (pg->width <= 0 || pg->height <= 0)
            rfail(r, "%s: page size %dx%d", what, pg->width, pg->height);
        if (pg->dpi) {
            double ew = pg->width * 72.0 / pg->dpi, eh = pg->height * 72.0 / pg->dpi;
            if (fabs(pg->width_pt - ew) > 1.0 || fabs(pg->height_pt - eh) > 1.0)
                rfail(r, "%s: %.2fx%.2f pt, but %dx%d px at %d dpi is %.2fx%.2f pt", what,
                     pg->width_pt, pg->height_pt, pg->width, pg->height, pg->dpi, ew, eh);
        } else if (pg->width_pt != 0 || pg->height_pt != 0) {
            rfail(r, "%s: dpi unknown but page size %.2fx%.2f pt (must be 0)", what,
                 pg->width_pt, pg->height_pt);
        }

        PIX *pix = pg->pix;
        if (!pix) {
            if (strcmp(x->ref, "mutool") || !pg->has_text_layer) {
                rfail(r, "%s: no pixels (pix NULL) on a page without a text layer", what);
                continue;
            }
        } else {
            int d = pixGetDepth(pix);
            if (d != 8 && d != 32) {
                rfail(r, "%s: pix depth %d (must be 8 or 32)", what, d);
                continue;
            }
            if (pixGetColormap(pix)) {
                rfail(r, "%s: pix has a colormap", what);
                continue;
            }
            if (d == 32 && pixGetSpp(pix) != 3)
                rfail(r, "%s: 32 bpp pix with spp %d (must be 3)", what, pixGetSpp(pix));
            if (pixGetWidth(pix) != pg->width || pixGetHeight(pix) != pg->height)
                rfail(r, "%s: pix %dx%d but page says %dx%d", what, pixGetWidth(pix),
                     pixGetHeight(pix), pg->width, pg->height);
        }
        if (pg->has_text_layer)
            check_words(r, what, full, (int)i, pg, fi);

        if (!pix)
            continue;
        img ref;
        char why[3200];
        int got_ref;
        int mode = CMP_PSNR;
        double min_psnr = 40;
        if (!strcmp(x->ref, "magick-lossless") || !strcmp(x->ref, "magick-lossy")) {
            if (!coder) {
                rfail(r, "%s: no ImageMagick coder for format %s", what, x->format);
                continue;
            }
            got_ref = ref_magick(coder, full, (int)i, &ref, why, sizeof why);
            if (!strcmp(x->ref, "magick-lossless"))
                mode = magick_has_alpha(coder, full, (int)i) ? CMP_TOL1 : CMP_EXACT;
        } else if (!strcmp(x->ref, "heif")) {
            got_ref = ref_heif(full, fi, &ref, why, sizeof why);
        } else if (!strcmp(x->ref, "mutool")) {
            got_ref = ref_mutool(full, (int)i, pg->dpi > 0 ? pg->dpi : DF_PDF_RENDER_DPI,
                                 pixGetDepth(pix) == 8 ? 1 : 3, fi, &ref, why, sizeof why);
        } else if (!strcmp(x->ref, "none")) {
            continue;
        } else {
            rfail(r, "%s: unknown ref '%s'", what, x->ref);
            continue;
        }
        if (got_ref != 0) {
            rfail(r, "%s: %s", what, why);
            continue;
        }
        check_pixels(r, what, pix, &ref, mode, min_psnr);
        img_free(&ref);

        if (is_orient) { /* the upright page: same size, same picture */
            char up[1200];
            snprintf(up, sizeof up, "%s/invoice-orient-1.jpg", fixdir());
            if (ref_magick("jpeg", up, 0, &ref, why, sizeof why) != 0) {
                rfail(r, "%s: upright reference: %s", what, why);
                continue;
            }
            char w2[800];
            snprintf(w2, sizeof w2, "%s vs upright invoice-orient-1.jpg", what);
            check_pixels(r, w2, pix, &ref, CMP_PSNR, 30);
            img_free(&ref);
        }
    }
    df_doc_clear(&doc);
}

static void check_bad(report *r, const fixture *x)
{
    df_decode_opts o = default_opts();
    df_doc doc;
    df_err err;
    memset(&doc, 0, sizeof doc);
    memset(&err, 0, sizeof err);
    char full[1200];
    df_code rc = DF_OK;
    const char *io = decode_file(x, &o, &doc, &err, &rc, full, sizeof full);
    if (io) {
        rfail(r, "%s: %s", x->path, io);
        return;
    }
    if (strcmp(df_code_name(rc), x->code))
        rfail(r, "%s: got %s (%s), expected %s", x->path, df_code_name(rc),
             rc == DF_OK ? "decoded" : err.msg, x->code);
    else if (err.code != rc || !err.msg[0])
        rfail(r, "%s: returned %s but err holds code %s, message '%s'", x->path,
             df_code_name(rc), df_code_name(err.code), err.msg);
    df_doc_clear(&doc);
}

START_TEST(test_fixture)
{
    ck_assert_msg(!g_load_error[0], "%s", g_load_error);
    ck_assert_int_lt(_i, g_nfx);
    const fixture *x = &g_fx[_i];
    static report r;
    memset(&r, 0, sizeof r);
    if (x->good)
        check_good(&r, x, _i);
    else
        check_bad(&r, x);
    ck_assert_msg(!r.failed, "%s", r.msg);
}
END_TEST

START_TEST(test_tools_present)
{
    /* the references; without them the fixture tests above cannot pass */
    ck_assert_msg(have_tool("convert") && have_tool("identify"),
                  "ImageMagick (convert, identify) is needed by the fixture tests");
    ck_assert_msg(have_tool("mutool"), "mutool (mupdf-tools) is needed by the fixture tests");
    ck_assert_msg(have_tool("heif-convert"),
                  "heif-convert (libheif-examples) is needed by the fixture tests");
}
END_TEST

/* ---- limits ------------------------------------------------------------------- */

static df_code decode_path(const char *rel, const df_decode_opts *o, df_doc *doc, df_err *err)
{
    char full[1200];
    snprintf(full, sizeof full, "%s/%s", fixdir(), rel);
    size_t len;
    uint8_t *data = read_all(full, &len);
    ck_assert_msg(data != NULL, "cannot read %s", full);
    memset(doc, 0, sizeof *doc);
    memset(err, 0, sizeof *err);
    df_code rc = df_decode(data, len, o, doc, err);
    free(data);
    return rc;
}

START_TEST(test_file_too_large)
{
    df_decode_opts o = default_opts();
    size_t n = (size_t)o.max_file_bytes + 1;
    uint8_t *buf = calloc(1, n);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, "\x89PNG\r\n\x1a\n", 8); /* a format it would otherwise try */
    df_doc doc;
    df_err err;
    memset(&doc, 0, sizeof doc);
    memset(&err, 0, sizeof err);
    df_code rc = df_decode(buf, n, &o, &doc, &err);
    df_doc_clear(&doc);
    ck_assert_str_eq(df_code_name(rc), "file_too_large");
    ck_assert_int_eq(err.code, rc);

    /* exactly at the limit is not too large (it is just not a valid PNG) */
    memset(&doc, 0, sizeof doc);
    memset(&err, 0, sizeof err);
    rc = df_decode(buf, n - 1, &o, &doc, &err);
    df_doc_clear(&doc);
    free(buf);
    ck_assert_str_ne(df_code_name(rc), "file_too_large");
    ck_assert_int_ne(rc, DF_OK);
}
END_TEST

START_TEST(test_too_many_pages)
{
    df_decode_opts o = default_opts();
    df_doc doc;
    df_err err;
    df_code rc;

    rc = decode_path("bad/too-many-pages.tif", &o, &doc, &err);
    df_doc_clear(&doc);
    ck_assert_str_eq(df_code_name(rc), "too_many_pages");
    rc = decode_path("bad/too-many-pages.pdf", &o, &doc, &err);
    df_doc_clear(&doc);
    ck_assert_str_eq(df_code_name(rc), "too_many_pages");

    /* the limit is inclusive: 3 pages pass max_pages 3, fail max_pages 2 */
    o.max_pages = 3;
    rc = decode_path("invoice-multipage.tif", &o, &doc, &err);
    ck_assert_msg(rc == DF_OK, "3-page TIFF with max_pages 3: %s: %s", df_code_name(rc), err.msg);
    ck_assert_uint_eq(doc.npages, 3);
    df_doc_clear(&doc);
    o.max_pages = 2;
    rc = decode_path("invoice-multipage.tif", &o, &doc, &err);
    df_doc_clear(&doc);
    ck_assert_str_eq(df_code_name(rc), "too_many_pages");
    ck_assert_int_eq(err.code, rc);
    o.max_pages = 1;
    rc = decode_path("invoice-2page.pdf", &o, &doc, &err);
    df_doc_clear(&doc);
    ck_assert_str_eq(df_code_name(rc), "too_many_pages");
}
END_TEST

START_TEST(test_image_too_large)
{
    /* invoice.png is 1240x1755 */
    df_decode_opts o = default_opts();
    df_doc doc;
    df_err err;
    o.max_pixels = 1240u * 1755u;
    df_code rc = decode_path("invoice.png", &o, &doc, &err);
    ck_assert_msg(rc == DF_OK, "at the pixel limit: %s: %s", df_code_name(rc), err.msg);
    df_doc_clear(&doc);
    o.max_pixels = 1240u * 1755u - 1;
    rc = decode_path("invoice.png", &o, &doc, &err);
    df_doc_clear(&doc);
    ck_assert_str_eq(df_code_name(rc), "image_too_large");
    rc = decode_path("bmp-24bit.bmp", &o, &doc, &err); /* small: still fine */
    ck_assert_msg(rc == DF_OK, "%s: %s", df_code_name(rc), err.msg);
    df_doc_clear(&doc);
}
END_TEST

START_TEST(test_pdf_render_fits_pixel_limit)
{
    /* a PDF page is rendered at a lower resolution rather than refused */
    df_decode_opts o = default_opts();
    o.max_pixels = 2000000;
    df_doc doc;
    df_err err;
    df_code rc = decode_path("invoice-scanned.pdf", &o, &doc, &err);
    ck_assert_msg(rc == DF_OK, "%s: %s", df_code_name(rc), err.msg);
    ck_assert_uint_eq(doc.npages, 1);
    const df_page *pg = &doc.pages[0];
    ck_assert_int_gt(pg->dpi, 0);
    ck_assert_int_lt(pg->dpi, DF_PDF_RENDER_DPI);
    ck_assert_msg((uint64_t)pg->width * (uint64_t)pg->height <= o.max_pixels,
                  "%dx%d exceeds %llu pixels", pg->width, pg->height,
                  (unsigned long long)o.max_pixels);
    ck_assert_msg(fabs(pg->width_pt - 595) < 2 && fabs(pg->height_pt - 842) < 2,
                  "A4 page reported as %.1fx%.1f pt", pg->width_pt, pg->height_pt);
    df_doc_clear(&doc);
}
END_TEST

/* ---- main ---------------------------------------------------------------------- */

static void rm_tmp(void)
{
    DIR *d = opendir(g_tmp);
    if (!d)
        return;
    struct dirent *e;
    char p[600];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", g_tmp, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(g_tmp);
}

int main(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(g_tmp, sizeof g_tmp, "%s/df-fixtures-test.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(g_tmp)) {
        perror("mkdtemp");
        return 1;
    }
    load_expected();

    Suite *s = suite_create("decode_fixtures");
    TCase *tc = tcase_create("fixtures");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_tools_present);
    tcase_add_loop_test(tc, test_fixture, 0, g_nfx > 0 ? g_nfx : 1);
    suite_add_tcase(s, tc);
    TCase *tl = tcase_create("limits");
    tcase_set_timeout(tl, 120);
    tcase_add_test(tl, test_file_too_large);
    tcase_add_test(tl, test_too_many_pages);
    tcase_add_test(tl, test_image_too_large);
    tcase_add_test(tl, test_pdf_render_fits_pixel_limit);
    suite_add_tcase(s, tl);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    rm_tmp();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
