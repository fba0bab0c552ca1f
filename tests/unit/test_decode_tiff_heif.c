/*
 * test_decode_tiff_heif.c — TIFF and HEIF/AVIF decoding against the tools
 * people would otherwise use.
 *
 * Inputs are made at test time (fixtures/ is someone else's and may not
 * exist yet): ImageMagick writes the TIFFs (every compression scanners
 * use, several pages, all eight orientations), heif-enc and libheif's own
 * encoder write HEIC/AVIF. The expected pixels are what `convert` (TIFF) or
 * `heif-convert` (HEIF) decode from the same file: identical for lossless
 * TIFF, PSNR >= 40 dB where a lossy codec may round differently.
 * Error cases use small TIFFs built byte by byte.
 */
#include <check.h>
#include <fcntl.h>
#include <libheif/heif.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/decode.h"

/* x265 (the HEVC encoder this test uses to write an irot file) leaks a small
 * block per encoder in 3.5; decoding never touches it. Read by LeakSanitizer
 * in -DDF_SANITIZE=ON builds, unused otherwise. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libx265\n"; }

static char dir[64];
static df_doc doc;
static df_err err;
static int have_im, have_heif;

typedef struct buf {
    uint8_t *d;
    size_t len, cap;
} buf;

static void setup(void)
{
    strcpy(dir, "/tmp/df_tiffheif_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    memset(&doc, 0, sizeof doc);
}

static void teardown(void)
{
    char cmd[128];
    df_doc_clear(&doc);
    if (chdir("/") != 0)
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    (void)system(cmd);
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (chdir(dir) != 0 || system(cmd) != 0)
        ck_abort_msg("command failed: %s", cmd);
}

static buf slurp(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    buf b = {0};
    fseek(f, 0, SEEK_END);
    b.len = b.cap = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    b.d = malloc(b.len + 1);
    ck_assert_uint_eq(fread(b.d, 1, b.len, f), b.len);
    fclose(f);
    return b;
}

static df_decode_opts opts(void)
{
    df_decode_opts o = {100u << 20, 50, 100000000, {NULL, NULL}, 0, NULL};
    return o;
}

static df_code decode_buf(const buf *b, const df_decode_opts *o)
{
    df_doc_clear(&doc);
    memset(&err, 0, sizeof err);
    return df_decode(b->d, b->len, o, &doc, &err);
}

static df_code decode_file(const char *name)
{
    buf b = slurp(name);
    df_decode_opts o = opts();
    df_code rc = decode_buf(&b, &o);
    free(b.d);
    return rc;
}

/* The page as bytes: gray (1 per pixel) or RGB (3). */
static uint8_t *page_bytes(const df_page *p, int channels)
{
    PIX *pix = p->pix;
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    ck_assert_int_eq(pixGetDepth(pix), channels == 1 ? 8 : 32);
    ck_assert_ptr_null(pixGetColormap(pix));
    if (channels == 3)
        ck_assert_int_eq(pixGetSpp(pix), 3);
    uint8_t *out = malloc((size_t)w * h * channels), *q = out;
    for (int y = 0; y < h; y++) {
        l_uint32 *line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);
        for (int x = 0; x < w; x++) {
            if (channels == 1) {
                *q++ = GET_DATA_BYTE(line, x);
            } else {
                *q++ = line[x] >> L_RED_SHIFT & 255;
                *q++ = line[x] >> L_GREEN_SHIFT & 255;
                *q++ = line[x] >> L_BLUE_SHIFT & 255;
            }
        }
    }
    return out;
}

/* `convert <input> <args> -depth 8 gray:-|rgb:-`, exactly n bytes. */
static uint8_t *reference(const char *input, const char *args, int channels, size_t n)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cd '%s' && convert '%s' %s -depth 8 %s:- 2>/dev/null", dir, input,
             args, channels == 1 ? "gray" : "rgb");
    FILE *pp = popen(cmd, "r");
    ck_assert_ptr_nonnull(pp);
    uint8_t *ref = malloc(n + 1);
    size_t got = fread(ref, 1, n + 1, pp);
    pclose(pp);
    ck_assert_msg(got == n, "%s: ImageMagick gave %zu bytes, docflow %zu", input, got, n);
    return ref;
}

static const char *label = ""; /* what is being compared, for messages */

static double psnr(const uint8_t *a, const uint8_t *b, size_t n)
{
    double se = 0;
    for (size_t i = 0; i < n; i++)
        se += (double)(a[i] - b[i]) * (a[i] - b[i]);
    return se == 0 ? 99.0 : 10 * log10(255.0 * 255.0 * (double)n / se);
}

static int max_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
    int m = 0;
    for (size_t i = 0; i < n; i++)
        m = abs(a[i] - b[i]) > m ? abs(a[i] - b[i]) : m;
    return m;
}

/* Compare page `pg` with the reference decode. tol < 0: PSNR >= 40 dB;
 * otherwise the largest per-sample difference allowed. */
static void compare(int pg, const char *input, const char *args, int channels, int tol)
{
    ck_assert_uint_gt(doc.npages, (size_t)pg);
    const df_page *p = &doc.pages[pg];
    size_t n = (size_t)p->width * p->height * channels;
    uint8_t *ours = page_bytes(p, channels), *ref = reference(input, args, channels, n);
    if (tol < 0) {
        double db = psnr(ours, ref, n);
        ck_assert_msg(db >= 40.0, "%s%s page %d: PSNR %.1f dB < 40", label, input, pg, db);
    } else {
        int d = max_diff(ours, ref, n);
        ck_assert_msg(d <= tol, "%s%s page %d: differs by %d (allowed %d)", label, input, pg, d, tol);
    }
    free(ours);
    free(ref);
}

#define NEED_IM() do { if (!have_im) { fputs("skipped: no ImageMagick\n", stderr); return; } } while (0)
#define NEED_HEIF() do { if (!have_heif) { fputs("skipped: no heif-enc/heif-convert\n", stderr); return; } } while (0)

/* ---- TIFF via ImageMagick ------------------------------------------------ */

static const char *SRC = "convert -seed 7 -size 61x47 plasma:fractal -depth 8";

START_TEST(tiff_compressions)
{
    NEED_IM();
    static const struct { const char *make; int ch, tol; } cases[] = {
        {"%s -compress LZW t.tif", 3, 0},
        {"%s -compress Zip -colorspace Gray t.tif", 1, 0},
        {"%s -compress RLE t.tif", 3, 0}, /* PackBits */
        /* libtiff drops the low byte of 16-bit colormaps, ImageMagick rounds */
        {"%s -compress None -type palette -colors 9 t.tif", 3, 1},
        {"%s -compress LZW -define tiff:tile-geometry=16x16 t.tif", 3, 0},
        {"%s -depth 16 -compress Zip t.tif", 3, 1},
        {"%s -threshold 50%% -type bilevel -compress Group4 t.tif", 1, 0},
        {"%s -threshold 50%% -type bilevel -compress Fax t.tif", 1, 0},
        {"%s -threshold 50%% -type bilevel -depth 1 -compress LZW t.tif", 1, 0}, /* 1-bit min-is-black */
        {"%s -colorspace Gray -define quantum:polarity=min-is-white t.tif", 1, 0},
        {"%s -compress LZW TIFF64:t.tif", 3, 0}, /* BigTIFF */
        {"%s -compress JPEG -quality 95 t.tif", 3, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sh(cases[i].make, SRC);
        label = cases[i].make;
        ck_assert_msg(decode_file("t.tif") == DF_OK, "case %zu: %s", i, err.msg);
        ck_assert_int_eq(doc.format, DF_FMT_TIFF);
        ck_assert_uint_eq(doc.npages, 1);
        ck_assert_int_eq(doc.pages[0].width, 61);
        compare(0, "t.tif", "", cases[i].ch, cases[i].tol);
        if (strstr(cases[i].make, "bilevel")) { /* 1-bit becomes 0/255 */
            uint8_t *g = page_bytes(&doc.pages[0], 1);
            for (int k = 0; k < 61 * 47; k++)
                ck_assert(g[k] == 0 || g[k] == 255);
            free(g);
        }
    }
    label = "";
}
END_TEST

START_TEST(tiff_multipage_and_limit)
{
    NEED_IM();
    sh("%s a.png && convert -size 30x20 gradient:red-blue -depth 8 b.png && "
       "convert -size 17x33 gradient: -depth 8 c.png && convert a.png b.png c.png -compress LZW m.tif", SRC);
    ck_assert_int_eq(decode_file("m.tif"), DF_OK);
    ck_assert_uint_eq(doc.npages, 3);
    ck_assert_int_eq(doc.pages[1].width, 30);
    ck_assert_int_eq(doc.pages[2].height, 33);
    compare(0, "m.tif[0]", "", 3, 0);
    compare(1, "m.tif[1]", "", 3, 0);
    compare(2, "m.tif[2]", "", 1, 0); /* gradient: is written gray */

    buf b = slurp("m.tif");
    df_decode_opts o = opts();
    o.max_pages = 2;
    ck_assert_int_eq(decode_buf(&b, &o), DF_E_TOO_MANY_PAGES);
    ck_assert_uint_eq(doc.npages, 0); /* refused before decoding any page */
    o.max_pages = 3;
    ck_assert_int_eq(decode_buf(&b, &o), DF_OK);
    o = opts();
    o.max_pixels = 61 * 47 - 1; /* the first page is too big */
    ck_assert_int_eq(decode_buf(&b, &o), DF_E_IMAGE_TOO_LARGE);
    free(b.d);
}
END_TEST

START_TEST(tiff_orientations)
{
    NEED_IM();
    static const char *names[] = {"TopLeft", "TopRight", "BottomRight", "BottomLeft",
                                  "LeftTop", "RightTop", "RightBottom", "LeftBottom"};
    sh("%s src.png", SRC);
    for (int i = 0; i < 8; i++) {
        sh("convert src.png -orient %s -compress LZW o.tif", names[i]);
        ck_assert_int_eq(decode_file("o.tif"), DF_OK);
        int sideways = i >= 4;
        ck_assert_int_eq(doc.pages[0].width, sideways ? 47 : 61);
        ck_assert_int_eq(doc.pages[0].height, sideways ? 61 : 47);
        compare(0, "o.tif", "-auto-orient", 3, 0);
    }
}
END_TEST

START_TEST(tiff_alpha_and_dpi)
{
    NEED_IM();
    sh("%s -alpha set -channel A -fx 'i/w' +channel -compress LZW a.tif", SRC);
    ck_assert_int_eq(decode_file("a.tif"), DF_OK);
    compare(0, "a.tif", "-background white -alpha remove", 3, 2);
    sh("%s -colorspace Gray -alpha set -channel A -fx 'j/h' +channel -compress Zip ga.tif", SRC);
    ck_assert_int_eq(decode_file("ga.tif"), DF_OK);
    compare(0, "ga.tif", "-background white -alpha remove", 1, 2);

    sh("%s -units PixelsPerInch -density 300 d.tif", SRC);
    ck_assert_int_eq(decode_file("d.tif"), DF_OK);
    ck_assert_int_eq(doc.pages[0].dpi, 300);
    ck_assert(fabs(doc.pages[0].width_pt - 61 * 72.0 / 300) < 1e-9);
    sh("%s -units PixelsPerCentimeter -density 118.11 d.tif", SRC);
    ck_assert_int_eq(decode_file("d.tif"), DF_OK);
    ck_assert_int_eq(doc.pages[0].dpi, 300);
    sh("%s -units PixelsPerInch -density 7 d.tif", SRC); /* absurd: unknown */
    ck_assert_int_eq(decode_file("d.tif"), DF_OK);
    ck_assert_int_eq(doc.pages[0].dpi, 0);
}
END_TEST

START_TEST(tiff_truncated_and_corrupt_from_im)
{
    NEED_IM();
    sh("%s -compress LZW t.tif", SRC);
    buf b = slurp("t.tif");
    df_decode_opts o = opts();
    size_t full = b.len;
    b.len = full / 2; /* ImageMagick puts the directory after the strips */
    ck_assert_int_eq(decode_buf(&b, &o), DF_E_TRUNCATED_FILE);
    b.len = full;
    /* garbage inside the LZW strip: libtiff cannot decode it */
    for (size_t i = 200; i < 1200 && i < full / 2; i++)
        b.d[i] = (uint8_t)(i * 131 + 17);
    df_code rc = decode_buf(&b, &o);
    ck_assert_msg(rc == DF_E_CORRUPT_FILE, "got %d: %s", rc, err.msg);
    free(b.d);
}
END_TEST

/* ---- TIFF built byte by byte ---------------------------------------------- */

static void put(buf *b, uint64_t v, int n)
{
    if (b->len + (size_t)n > b->cap) {
        b->cap = (b->len + (size_t)n) * 2 + 64;
        b->d = realloc(b->d, b->cap);
    }
    for (int i = 0; i < n; i++)
        b->d[b->len++] = (uint8_t)(v >> (8 * i));
}

typedef struct tag { uint16_t tag, type; uint32_t count, value; } tag;

/* Little-endian 8-bit gray, one uncompressed strip after the directory.
 * next_ifd: 0, or an offset to put in the next-IFD field. */
static buf tiny_tiff(uint32_t w, uint32_t h, uint32_t next_ifd, int unknown_tag)
{
    buf b = {0};
    put(&b, 'I' | 'I' << 8, 2); put(&b, 42, 2); put(&b, 8, 4);
    tag t[] = {{256, 4, 1, w}, {257, 4, 1, h}, {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 1},
               {273, 4, 1, 0}, {277, 3, 1, 1}, {278, 4, 1, h}, {279, 4, 1, w * h},
               {65000, 3, 1, 7}};
    int n = unknown_tag ? 10 : 9;
    uint32_t data_at = 8 + 2 + (uint32_t)n * 12 + 4;
    t[5].value = data_at;
    put(&b, (uint64_t)n, 2);
    for (int i = 0; i < n; i++) {
        put(&b, t[i].tag, 2); put(&b, t[i].type, 2); put(&b, t[i].count, 4);
        put(&b, t[i].value, 4); /* SHORT values sit in the low bytes (little-endian) */
    }
    put(&b, next_ifd, 4);
    for (uint64_t i = 0; i < (uint64_t)w * h && i < 4096; i++)
        put(&b, (i * 7) & 255, 1);
    return b;
}

static char diag_seen[4096];
static void on_diag(void *ud, df_diag_level level, const char *msg)
{
    (void)ud; (void)level;
    strncat(diag_seen, msg, sizeof diag_seen - strlen(diag_seen) - 2);
    strcat(diag_seen, "\n");
}

START_TEST(tiff_handmade_errors)
{
    df_decode_opts o = opts();
    buf b = tiny_tiff(16, 8, 0, 0);
    ck_assert_int_eq(decode_buf(&b, &o), DF_OK);
    ck_assert_int_eq(pixGetDepth(doc.pages[0].pix), 8);
    ck_assert_uint_eq(GET_DATA_BYTE(pixGetData(doc.pages[0].pix) + pixGetWpl(doc.pages[0].pix), 3),
                      (19 * 7) & 255);
    b.len -= 40; /* strip cut short */
    ck_assert_int_eq(decode_buf(&b, &o), DF_E_TRUNCATED_FILE);
    ck_assert_ptr_nonnull(strstr(err.msg, "truncated"));
    free(b.d);

    b = tiny_tiff(16, 8, 8, 0); /* next IFD = itself */
    ck_assert_int_eq(decode_buf(&b, &o), DF_E_CORRUPT_FILE);
    ck_assert_ptr_nonnull(strstr(err.msg, "loop"));
    free(b.d);
    b = tiny_tiff(16, 8, 1u << 30, 0); /* second IFD beyond the data */
    ck_assert_int_eq(decode_buf(&b, &o), DF_E_TRUNCATED_FILE);
    free(b.d);
    b = tiny_tiff(60000, 60000, 0, 0); /* header claims 3.6 GP */
    ck_assert_int_eq(decode_buf(&b, &o), DF_E_IMAGE_TOO_LARGE);
    free(b.d);
    b = tiny_tiff(16, 8, 0, 0);
    b.d[10] = 0x0F; /* first tag becomes 0x010F (Make): no ImageWidth */
    ck_assert_int_eq(decode_buf(&b, &o), DF_E_CORRUPT_FILE);
    b.len = 6; /* header cut */
    ck_assert_int_eq(decode_buf(&b, &o), DF_E_TRUNCATED_FILE);
    free(b.d);

    /* libtiff's warnings reach the diag callback, not stderr */
    b = tiny_tiff(16, 8, 0, 1);
    diag_seen[0] = '\0';
    o.diag.fn = on_diag;
    fflush(stderr);
    int saved = dup(2);
    char errpath[128];
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", dir);
    int fd = open(errpath, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    dup2(fd, 2);
    df_code rc = decode_buf(&b, &o);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    ck_assert_int_eq(rc, DF_OK);
    ck_assert_msg(strstr(diag_seen, "65000") != NULL, "diag got: %s", diag_seen);
    buf e = slurp("stderr.txt");
    ck_assert_uint_eq(e.len, 0);
    free(e.d);
    free(b.d);
}
END_TEST

/* Random damage: any code is fine, a crash, hang or leak is not (the
 * sanitizer build makes those failures). Directory walk, strip bounds and
 * message routing are ours; libtiff does the rest. */
START_TEST(tiff_mutations)
{
    NEED_IM();
    sh("%s -resize 24x18 a.png && convert a.png a.png -compress LZW m.tif && "
       "convert a.png -threshold 50%% -type bilevel -compress Group4 TIFF64:g.tif", SRC);
    buf seeds[3] = {slurp("m.tif"), slurp("g.tif"), tiny_tiff(16, 8, 0, 1)};
    df_decode_opts o = opts();
    o.diag.fn = on_diag;
    srand(99);
    for (int i = 0; i < 3000; i++) {
        buf *sd = &seeds[i % 3];
        buf m = {malloc(sd->len), sd->len, sd->len};
        memcpy(m.d, sd->d, sd->len);
        for (int k = 0, n = 1 + rand() % 6; k < n; k++) {
            size_t at = 4 + (size_t)rand() % (m.len - 4); /* keep the magic */
            m.d[at] = rand() % 3 ? (uint8_t)rand() : 0xFF;
        }
        if (rand() % 5 == 0)
            m.len = 8 + (size_t)rand() % (m.len - 8);
        diag_seen[0] = '\0';
        df_code rc = decode_buf(&m, &o);
        ck_assert(rc == DF_OK ? doc.npages > 0 : err.msg[0] != '\0');
        free(m.d);
    }
    for (int i = 0; i < 3; i++)
        free(seeds[i].d);
}
END_TEST

/* ---- HEIF / AVIF ----------------------------------------------------------- */

/* Our page against `heif-convert f ref.png` (transforms applied), alpha on white. */
static void heif_check(const char *file, int w, int h)
{
    ck_assert_msg(decode_file(file) == DF_OK, "%s: %s", file, err.msg);
    ck_assert_int_eq(doc.format, DF_FMT_HEIF);
    ck_assert_uint_eq(doc.npages, 1);
    ck_assert_int_eq(doc.pages[0].width, w);
    ck_assert_int_eq(doc.pages[0].height, h);
    ck_assert_int_eq(doc.pages[0].dpi, 0);
    sh("heif-convert %s ref.png >/dev/null 2>&1", file);
    compare(0, "ref.png", "-background white -alpha remove", 3, -1);
}

START_TEST(heic_lossless_lossy_alpha)
{
    NEED_IM();
    NEED_HEIF();
    sh("%s src.png && heif-enc -L -p chroma=444 --matrix_coefficients=0 src.png -o l.heic "
       ">/dev/null 2>&1", SRC);
    heif_check("l.heic", 61, 47);
    /* "lossless" heif-enc 1.15 output is within 1 of the source (its RGB
     * path is not bit-exact; heif-convert shows the same) */
    compare(0, "src.png", "", 3, 1);
    sh("heif-enc -q 85 src.png -o q.heic >/dev/null 2>&1");
    heif_check("q.heic", 61, 47);
    sh("convert src.png -alpha set -channel A -fx 'i/w' +channel sa.png && "
       "heif-enc -q 90 sa.png -o a.heic >/dev/null 2>&1");
    heif_check("a.heic", 61, 47);
    /* the size is checked from the handle, before decoding */
    buf b = slurp("q.heic");
    df_decode_opts o = opts();
    o.max_pixels = 1000;
    ck_assert_int_eq(decode_buf(&b, &o), DF_E_IMAGE_TOO_LARGE);
    free(b.d);
}
END_TEST

START_TEST(avif)
{
    NEED_IM();
    NEED_HEIF();
    heif_init(NULL); /* plugins are registered by init */
    int can_decode = heif_have_decoder_for_format(heif_compression_AV1);
    heif_deinit();
    sh("%s src.png && heif-enc -A -q 90 src.png -o x.avif >/dev/null 2>&1", SRC);
    if (can_decode) {
        heif_check("x.avif", 61, 47);
    } else { /* a libheif built without dav1d/aom: say so, do not crash */
        fputs("note: libheif has no AV1 decoder\n", stderr);
        ck_assert_int_eq(decode_file("x.avif"), DF_E_UNSUPPORTED_FORMAT);
    }
}
END_TEST

/* heif-enc 1.15 cannot write irot, so libheif's encoder API makes one: a
 * 64x40 image, left half red and right half blue, stored with "rotate 90
 * clockwise". Displayed, it is 40x64 with red on top. */
START_TEST(heic_rotated_irot)
{
    NEED_IM();
    NEED_HEIF();
    heif_init(NULL);
    struct heif_context *ctx = heif_context_alloc();
    struct heif_image *img = NULL;
    struct heif_encoder *enc = NULL;
    ck_assert_int_eq(heif_image_create(64, 40, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &img).code, 0);
    ck_assert_int_eq(heif_image_add_plane(img, heif_channel_interleaved, 64, 40, 8).code, 0);
    int stride;
    uint8_t *p = heif_image_get_plane(img, heif_channel_interleaved, &stride);
    for (int y = 0; y < 40; y++)
        for (int x = 0; x < 64; x++) {
            uint8_t *q = p + y * stride + 3 * x;
            q[0] = x < 32 ? 220 : 20; q[1] = 30; q[2] = x < 32 ? 20 : 220;
        }
    ck_assert_int_eq(heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &enc).code, 0);
    heif_encoder_set_lossy_quality(enc, 90);
    struct heif_encoding_options *eo = heif_encoding_options_alloc();
    eo->image_orientation = heif_orientation_rotate_90_cw;
    ck_assert_int_eq(heif_context_encode_image(ctx, img, enc, eo, NULL).code, 0);
    char path[128];
    snprintf(path, sizeof path, "%s/r.heic", dir);
    ck_assert_int_eq(heif_context_write_to_file(ctx, path).code, 0);
    heif_encoding_options_free(eo);
    heif_encoder_release(enc);
    heif_image_release(img);
    heif_context_free(ctx);
    heif_deinit();

    heif_check("r.heic", 40, 64);
    uint8_t *ours = page_bytes(&doc.pages[0], 3);
    /* top rows red, bottom rows blue (a wrong turn would give left/right) */
    ck_assert_int_gt(ours[3 * (5 * 40 + 20)], 150);
    ck_assert_int_lt(ours[3 * (5 * 40 + 20) + 2], 100);
    ck_assert_int_gt(ours[3 * (58 * 40 + 20) + 2], 150);
    ck_assert_int_lt(ours[3 * (58 * 40 + 20)], 100);
    free(ours);
}
END_TEST

START_TEST(heic_errors)
{
    NEED_IM();
    NEED_HEIF();
    sh("%s src.png && heif-enc -q 80 src.png -o q.heic >/dev/null 2>&1", SRC);
    buf b = slurp("q.heic");
    df_decode_opts o = opts();
    size_t full = b.len;
    /* heif-enc puts meta first and the coded image last: cut in the image */
    b.len = full - full / 3;
    df_code rc = decode_buf(&b, &o);
    ck_assert_msg(rc == DF_E_TRUNCATED_FILE, "cut: %d %s", rc, err.msg);
    ck_assert_uint_eq(doc.npages, 0);
    b.len = 40; /* inside the meta box: libheif says "no meta box" */
    rc = decode_buf(&b, &o);
    ck_assert_msg(rc == DF_E_TRUNCATED_FILE, "short: %d %s", rc, err.msg);
    b.len = full;
    for (size_t i = 24; i < 200 && i < full; i++) /* scramble the meta box */
        b.d[i] ^= 0x5A;
    rc = decode_buf(&b, &o);
    ck_assert_msg(rc == DF_E_CORRUPT_FILE || rc == DF_E_UNSUPPORTED_FORMAT, "scrambled: %d %s", rc,
                  err.msg);
    ck_assert(err.msg[0] != '\0');
    free(b.d);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("decode_tiff_heif");
    TCase *t = tcase_create("tiff");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, tiff_compressions);
    tcase_add_test(t, tiff_multipage_and_limit);
    tcase_add_test(t, tiff_orientations);
    tcase_add_test(t, tiff_alpha_and_dpi);
    tcase_add_test(t, tiff_truncated_and_corrupt_from_im);
    tcase_add_test(t, tiff_handmade_errors);
    tcase_add_test(t, tiff_mutations);
    suite_add_tcase(s, t);
    TCase *h = tcase_create("heif");
    tcase_add_checked_fixture(h, setup, teardown);
    tcase_set_timeout(h, 300);
    tcase_add_test(h, heic_lossless_lossy_alpha);
    tcase_add_test(h, avif);
    tcase_add_test(h, heic_rotated_irot);
    tcase_add_test(h, heic_errors);
    suite_add_tcase(s, h);
    return s;
}

int main(void)
{
    have_im = system("convert -version >/dev/null 2>&1") == 0;
    have_heif = system("command -v heif-enc >/dev/null && command -v heif-convert >/dev/null") == 0;
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
