/*
 * pdf.c — PDF decoder: MuPDF turns each page into words or pixels.
 *
 * Born-digital invoices carry a text layer that is exact, so such pages are
 * not rendered: their words (with boxes in points, origin top-left as
 * displayed) go straight to layout and OCR is skipped. Pages without usable
 * text (scans, image-only exports) are rendered to 8-bit gray for OCR,
 * pixel-identical to `mutool draw -r 300 -c gray` from the same MuPDF.
 *
 * Each call owns a private fz_context, so concurrent calls on different
 * threads share no MuPDF state (bar one seeding step, serialised below),
 * and MuPDF's messages go to o->diag instead of stderr.
 *
 * MuPDF reports failures with setjmp/longjmp: every MuPDF call sits in a
 * small helper with its own fz_try (locals it changes marked fz_var), and
 * everything else is plain C.
 *
 * A page's interpretation (text layer, then drawing) can run for minutes:
 * a 1 MB file whose content stream inflates to 1 GB of "q Q" operators
 * took 71 s. MuPDF stops between operators when the page's fz_cookie says
 * abort, which a watchdog thread (core/stop.h) raises once the document's
 * budget is spent or the batch is cancelled; the page then fails with
 * `timeout` (or `cancelled`), never with what MuPDF made of half a page.
 *
 * Text-layer characters are encoded by lib/core/utf8.h, not fz_runetochar:
 * MuPDF hands a ToUnicode mapping of more than one UTF-16 unit over unit by
 * unit, so an emoji with its variation selector arrives as two surrogate
 * halves that fz_runetochar would write as two invalid 3-byte sequences
 * (issue 17). A high and a low half in a row are joined here; a lone half
 * becomes U+FFFD.
 */
#include "core/utf8.h"
#include "decode/decode.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

/* Cached fonts/images per call; one invoice needs far less than MuPDF's
 * 256 MB default, and many threads may each hold a context. */
#define PDF_STORE_BYTES (64u << 20)
/* Below this a rendered page is too coarse for OCR to be worth running. */
#define PDF_MIN_RENDER_DPI 36
/* MuPDF messages relayed per call before the rest are dropped. */
#define PDF_MAX_MESSAGES 50
/* How far from the end "%%EOF" may sit (trailing junk/whitespace). */
#define PDF_EOF_WINDOW 1024

/* fz_new_context seeds a PRNG that is global to MuPDF (helgrind flags
 * concurrent seeding); MuPDF only draws from it when writing files, so
 * serialising context creation is all the sharing there is. */
static pthread_mutex_t new_context_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct pdf_job {
    fz_context *ctx;
    fz_document *doc;
    const df_decode_opts *o;
    df_err *err;
    int cut_short; /* likely lost its tail in transit */
    unsigned nmsgs;  /* MuPDF messages seen */
    int pageno;      /* 1-based page being decoded, for messages */
    fz_cookie *cookie; /* the page's, while one is decoded; else NULL */
} pdf_job;

/* ---- MuPDF plumbing ------------------------------------------------------ */

/* MuPDF coalesces only consecutive repeats; a damaged file can alternate
 * two messages thousands of times, so the count per call is capped. */
static void relay(pdf_job *j, const char *prefix, const char *msg)
{
    unsigned seen = ++j->nmsgs;
    if (seen > PDF_MAX_MESSAGES + 1)
        return;
    if (seen == PDF_MAX_MESSAGES + 1)
        df_diag_emit(&j->o->diag, DF_DIAG_WARNING, "mupdf: further messages dropped");
    else if (j->pageno > 0)
        df_diag_emit(&j->o->diag, DF_DIAG_WARNING, "mupdf%s (page %d): %s", prefix, j->pageno,
                     msg);
    else
        df_diag_emit(&j->o->diag, DF_DIAG_WARNING, "mupdf%s: %s", prefix, msg);
}

static void on_mupdf_warning(void *user, const char *msg)
{
    relay(user, "", msg);
}

/* MuPDF reports every throw here, including the ones it recovers from
 * (repairs), so these are not necessarily fatal; the fatal one also reaches
 * err through fail(). */
static void on_mupdf_error(void *user, const char *msg)
{
    relay(user, " error", msg);
}

/* Record the exception being caught. Call only inside fz_catch. */
static df_code fail(pdf_job *j, df_code code, const char *what)
{
    if (fz_caught(j->ctx) == FZ_ERROR_MEMORY)
        return df_err_set(j->err, DF_E_NO_MEMORY, "out of memory: %s", what);
    return df_err_set(j->err, code, "%s: %s", what, fz_caught_message(j->ctx));
}

/* A file that lost its tail fails differently from one that is malformed;
 * the caller can tell the user to fetch it again. */
static df_code broken_code(const pdf_job *j)
{
    return j->cut_short ? DF_E_TRUNCATED_FILE : DF_E_CORRUPT_FILE;
}

/* After a MuPDF call given the page's cookie: the timeout or cancel that
 * made the watchdog abort it, DF_OK when it ran its course. `doing` names
 * the call for the message ("drawing": "while drawing page 3"). */
static df_code interrupted(pdf_job *j, const char *doing)
{
    char what[96];
    if (!j->cookie || !__atomic_load_n(&j->cookie->abort, __ATOMIC_RELAXED))
        return DF_OK;
    snprintf(what, sizeof what, "while %s page %d", doing, j->pageno);
    df_code rc = df_stop_check(j->o->stop, what, j->err);
    return rc != DF_OK ? rc : df_err_set(j->err, DF_E_INTERNAL, "page %d was aborted", j->pageno);
}

/* Truncated: objects but no "%%EOF" near the end. Garbage that merely
 * starts with "%PDF-" has no objects and is corrupt, not truncated. */
static int looks_cut_short(const uint8_t *data, size_t len)
{
    for (size_t i = len > PDF_EOF_WINDOW ? len - PDF_EOF_WINDOW : 0; i + 5 <= len; i++)
        if (memcmp(data + i, "%%EOF", 5) == 0)
            return 0;
    return memmem(data, len, " obj", 4) != NULL;
}

static df_code open_doc(pdf_job *j, const uint8_t *data, size_t len)
{
    fz_context *ctx = j->ctx;
    fz_stream *stm = NULL;
    pdf_document *pdoc = NULL;
    df_code rc = DF_OK;

    fz_var(stm);
    fz_var(pdoc);
    /* pdf_open_document_with_stream, not fz_open_document: no handler table
     * to register, and nothing but the PDF parser can ever see the bytes. */
    fz_try(ctx) {
        stm = fz_open_memory(ctx, data, len);
        pdoc = pdf_open_document_with_stream(ctx, stm);
    }
    fz_always(ctx)
        fz_drop_stream(ctx, stm);
    fz_catch(ctx)
        rc = fail(j, broken_code(j), "the PDF cannot be opened");
    if (rc == DF_OK)
        j->doc = &pdoc->super;
    return rc;
}

/* Owner-password-only files (print/copy restrictions) open with the empty
 * user password; MuPDF usually tries it itself, trying again is harmless. */
static df_code unlock_doc(pdf_job *j)
{
    fz_context *ctx = j->ctx;
    int locked = 0;

    fz_var(locked);
    fz_try(ctx) {
        if (fz_needs_password(ctx, j->doc))
            locked = !fz_authenticate_password(ctx, j->doc, "");
    }
    fz_catch(ctx)
        return fail(j, DF_E_CORRUPT_FILE, "the PDF encryption cannot be read");
    if (locked)
        return df_err_set(j->err, DF_E_PASSWORD_PROTECTED,
                          "the PDF is protected by a password");
    return DF_OK;
}

static df_code count_pages(pdf_job *j, int *n)
{
    fz_context *ctx = j->ctx;
    df_code rc = DF_OK;

    fz_var(rc);
    *n = 0;
    fz_try(ctx)
        *n = fz_count_pages(ctx, j->doc);
    fz_catch(ctx)
        rc = fail(j, broken_code(j), "the PDF page tree cannot be read");
    if (rc != DF_OK)
        return rc;
    if (*n <= 0)
        return df_err_set(j->err, broken_code(j), j->cut_short
                          ? "the PDF ends early and has no readable pages"
                          : "the PDF has no pages");
    /* Checked before any page is loaded: a /Count of a million costs
     * nothing to reject here and a lot to discover page by page. */
    if ((uint64_t)*n > j->o->max_pages)
        return df_err_set(j->err, DF_E_TOO_MANY_PAGES,
                          "the PDF has %d pages, more than the limit of %llu pages",
                          *n, (unsigned long long)j->o->max_pages);
    return DF_OK;
}

static df_code load_page(pdf_job *j, int i, fz_page **page, fz_rect *bounds)
{
    fz_context *ctx = j->ctx;
    fz_page *p = NULL;
    df_code rc = DF_OK;
    char what[64];

    fz_var(p);
    fz_var(rc);
    fz_try(ctx) {
        p = fz_load_page(ctx, j->doc, i);
        /* Already rotated by /Rotate and clipped to the CropBox: the page
         * as displayed, in points, y growing downwards. */
        *bounds = fz_bound_page(ctx, p);
    }
    fz_catch(ctx) {
        fz_drop_page(ctx, p);
        p = NULL;
        snprintf(what, sizeof what, "page %d cannot be read", i + 1);
        rc = fail(j, broken_code(j), what);
    }
    *page = p;
    if (rc == DF_OK && fz_is_empty_rect(*bounds)) {
        fz_drop_page(ctx, p);
        *page = NULL;
        rc = df_err_set(j->err, DF_E_CORRUPT_FILE, "page %d has an empty page box", i + 1);
    }
    return rc;
}

/* ---- text layer ------------------------------------------------------------ */

typedef struct word_buf {
    df_word *words;
    size_t n, cap;
    char *text; /* the word being built */
    size_t len, tcap;
    fz_rect box;
    size_t unmapped; /* U+FFFD characters seen on the page */
    int readable;    /* some word has a letter or digit that is not U+FFFD */
    int word_readable;
} word_buf;

static int is_space_rune(int c)
{
    return c <= 0x20 || c == 0x7F || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* Letters and digits without a Unicode database: ASCII exactly, and above
 * ASCII anything outside the blocks that hold only punctuation, symbols,
 * private-use glyphs (what unmapped fonts often yield) or specials. Beyond
 * the BMP that leaves the historic scripts, mathematical letters and the
 * CJK ideographs of planes 2 and 3, but not the emoji and symbol blocks
 * (U+1F000-U+1FBFF), tags and the private-use planes. */
static int is_alnum_rune(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (c < 0xC0)
        return c == 0xAA || c == 0xB2 || c == 0xB3 || c == 0xB5 || c == 0xB9 || c == 0xBA;
    if (c == 0xD7 || c == 0xF7)
        return 0;
    if (c >= 0x2000 && c <= 0x2BFF) /* punctuation, currency, arrows, math, boxes */
        return 0;
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xE000 && c <= 0xF8FF) ||
        (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFFF0 && c <= 0xFFFF))
        return 0;
    if ((c >= 0x1F000 && c <= 0x1FBFF) || c >= 0xE0000)
        return 0;
    return 1;
}

static int word_push_rune(word_buf *b, uint32_t c)
{
    if (b->len + 4 + 1 > b->tcap) {
        size_t cap = b->tcap ? b->tcap * 2 : 32;
        char *t = realloc(b->text, cap);
        if (!t)
            return -1;
        b->text = t;
        b->tcap = cap;
    }
    b->len += df_utf8_put(b->text + b->len, c);
    b->text[b->len] = '\0';
    return 0;
}

/* Move the word being built (if any) into the page's list. */
static int word_finish(word_buf *b, fz_rect origin)
{
    if (b->len == 0)
        return 0;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        df_word *grown = realloc(b->words, cap * sizeof *grown);
        if (!grown)
            return -1;
        b->words = grown;
        b->cap = cap;
    }
    char *text = malloc(b->len + 1);
    if (!text)
        return -1;
    memcpy(text, b->text, b->len + 1);
    df_word *w = &b->words[b->n++];
    w->text = text;
    w->box[0] = b->box.x0 - origin.x0;
    w->box[1] = b->box.y0 - origin.y0;
    w->box[2] = b->box.x1 - origin.x0;
    w->box[3] = b->box.y1 - origin.y0;
    w->conf = 100.0f; /* the producer wrote this text; nothing was guessed */
    b->readable |= b->word_readable;
    b->len = 0;
    b->word_readable = 0;
    return 0;
}

/* Add one character (a code point MuPDF gave, possibly a lone surrogate or
 * out of range: those count as unmapped, like U+FFFD itself). */
static int word_add_char(word_buf *b, int32_t rune, fz_rect r)
{
    uint32_t c = rune >= 0 && df_unicode_scalar((uint32_t)rune) ? (uint32_t)rune
                                                                 : DF_UTF8_REPLACEMENT;
    int first = b->len == 0;
    if (word_push_rune(b, c) != 0)
        return -1;
    b->box = first ? r : fz_union_rect(b->box, r);
    if (c == DF_UTF8_REPLACEMENT)
        b->unmapped++;
    else if (is_alnum_rune(c))
        b->word_readable = 1;
    return 0;
}

/* The character starting at *ch: a high surrogate followed by a low one is
 * joined into one code point over both boxes and *ch moves to the low half.
 * MuPDF shows a one-to-many mapping's extra units at the same place, so the
 * halves of one character are always neighbours in the line. */
static int32_t take_char(const fz_stext_char **ch, fz_rect *r)
{
    const fz_stext_char *c = *ch;
    *r = fz_rect_from_quad(c->quad);
    uint32_t joined = c->next && c->c >= 0 && c->next->c >= 0
                          ? df_utf16_join((uint32_t)c->c, (uint32_t)c->next->c) : 0;
    if (!joined)
        return c->c;
    *ch = c->next;
    *r = fz_union_rect(*r, fz_rect_from_quad(c->next->quad));
    return (int32_t)joined;
}

/* A page counts as scanned when images cover at least this share of it... */
#define PDF_SCAN_IMAGE_SHARE 0.5
/* ...and its text-layer words cover less than this share of the image area:
 * a stamped line or a page number on a scan, not a searchable-PDF layer. */
#define PDF_SCAN_TEXT_SHARE 0.05

static double rect_area(fz_rect r)
{
    return r.x1 > r.x0 && r.y1 > r.y0 ? (double)(r.x1 - r.x0) * (r.y1 - r.y0) : 0;
}

/* Share of the page covered by images (overlaps counted once per image: an
 * upper bound, capped at 1), and of the image area covered by words. */
static void coverage(fz_stext_page *tp, fz_rect bounds, const word_buf *b, double *image_share,
                     double *text_share)
{
    double page = rect_area(bounds), images = 0, words = 0;
    for (fz_stext_block *blk = tp->first_block; blk; blk = blk->next)
        if (blk->type == FZ_STEXT_BLOCK_IMAGE)
            images += rect_area(fz_intersect_rect(blk->bbox, bounds));
    for (size_t i = 0; i < b->n; i++) {
        const float *x = b->words[i].box;
        words += rect_area(fz_make_rect(x[0], x[1], x[2], x[3]));
    }
    if (images > page)
        images = page;
    *image_share = page > 0 ? images / page : 0;
    *text_share = images > 0 ? words / images : 1;
}

/* Words are split at whitespace inside each stext line; MuPDF has already
 * inserted spaces where glyph gaps are wide, and a line never spans two
 * baselines, so a word never straddles lines. */
static int collect_words(fz_stext_page *tp, fz_rect origin, word_buf *b)
{
    for (fz_stext_block *blk = tp->first_block; blk; blk = blk->next) {
        if (blk->type != FZ_STEXT_BLOCK_TEXT)
            continue;
        for (fz_stext_line *ln = blk->u.t.first_line; ln; ln = ln->next) {
            for (const fz_stext_char *ch = ln->first_char; ch; ch = ch->next) {
                fz_rect r;
                int32_t c = take_char(&ch, &r);
                int rc = is_space_rune(c) ? word_finish(b, origin) : word_add_char(b, c, r);
                if (rc != 0)
                    return -1;
            }
            if (word_finish(b, origin) != 0)
                return -1;
        }
    }
    return 0;
}

/* fz_new_stext_page_from_page, which takes no cookie. */
static fz_stext_page *new_stext_page(fz_context *ctx, fz_page *page, const fz_stext_options *o,
                                     fz_cookie *cookie)
{
    fz_stext_page *tp = fz_new_stext_page(ctx, fz_bound_page(ctx, page));
    fz_device *dev = NULL;

    fz_var(dev);
    fz_try(ctx) {
        dev = fz_new_stext_device(ctx, tp, o);
        fz_run_page_contents(ctx, page, dev, fz_identity, cookie);
        fz_close_device(ctx, dev);
    }
    fz_always(ctx)
        fz_drop_device(ctx, dev);
    fz_catch(ctx) {
        fz_drop_stext_page(ctx, tp);
        fz_rethrow(ctx);
    }
    return tp;
}

static df_code read_text_layer(pdf_job *j, fz_page *page, fz_rect bounds, df_page *out)
{
    int pageno = j->pageno;
    fz_context *ctx = j->ctx;
    fz_stext_page *tp = NULL;
    /* Ligatures expanded (so "fi" matches), whitespace normalised to spaces,
     * and text placed outside the page ignored: nobody sees it, so it must
     * not feed extraction either. */
    fz_stext_options opts = {FZ_STEXT_MEDIABOX_CLIP | FZ_STEXT_PRESERVE_IMAGES, 1.0f};
    word_buf b;
    char what[64];
    df_code rc = DF_OK;

    fz_var(tp);
    fz_var(rc);
    fz_try(ctx)
        tp = new_stext_page(ctx, page, &opts, j->cookie);
    fz_catch(ctx) {
        if (interrupted(j, "reading the text of") != DF_OK)
            return j->err->code;
        snprintf(what, sizeof what, "the text of page %d cannot be read", pageno);
        return fail(j, broken_code(j), what);
    }
    if (interrupted(j, "reading the text of") != DF_OK) {
        fz_drop_stext_page(ctx, tp);
        return j->err->code;
    }
    memset(&b, 0, sizeof b);
    if (collect_words(tp, bounds, &b) != 0)
        rc = df_err_set(j->err, DF_E_NO_MEMORY, "out of memory reading the text of page %d",
                        pageno);
    double image_share = 0, text_share = 1;
    coverage(tp, bounds, &b, &image_share, &text_share);
    fz_drop_stext_page(ctx, tp);
    free(b.text);
    /* Hand the words over even on failure: df_doc_clear frees them. */
    out->words = b.words;
    out->nwords = b.n;
    out->has_text_layer = rc == DF_OK && b.readable;
    if (out->has_text_layer && image_share >= PDF_SCAN_IMAGE_SHARE &&
        text_share < PDF_SCAN_TEXT_SHARE) {
        /* OCR will read the whole page, the stamped text included */
        out->has_text_layer = 0;
        df_diag_emit(&j->o->diag, DF_DIAG_INFO,
                     "page %d: a scan with a text layer covering only %.1f %% of it; OCR instead",
                     pageno, 100.0 * text_share);
    }
    if (b.unmapped)
        df_diag_emit(&j->o->diag, DF_DIAG_WARNING,
                     "page %d: %zu characters of the text layer have no Unicode mapping",
                     pageno, b.unmapped);
    return rc;
}

/* ---- rendering ------------------------------------------------------------- */

/* The pixel box a render at `dpi` covers, exactly as fz_new_pixmap_from_page
 * and mutool draw compute it. */
static fz_irect render_box(fz_rect bounds, int dpi)
{
    float zoom = (float)dpi / 72.0f;
    return fz_round_rect(fz_transform_rect(bounds, fz_scale(zoom, zoom)));
}

static int fits_at(fz_rect bounds, int dpi, const df_decode_opts *o, int64_t *w, int64_t *h)
{
    fz_irect r = render_box(bounds, dpi);
    *w = (int64_t)r.x1 - r.x0;
    *h = (int64_t)r.y1 - r.y0;
    return *w > 0 && *h > 0 && *w <= (1 << 20) && *h <= (1 << 20) &&
           (uint64_t)*w * (uint64_t)*h <= o->max_pixels;
}

/* Highest whole dpi <= DF_PDF_RENDER_DPI whose render fits the limits.
 * Render size grows with dpi, so a bisection finds it exactly; estimating
 * from the area ratio misses by one because rendered boxes round outwards. */
static df_code pick_dpi(pdf_job *j, fz_rect bounds, int *dpi, int *w, int *h)
{
    int64_t pw, ph;
    int lo = PDF_MIN_RENDER_DPI, hi = DF_PDF_RENDER_DPI;

    if (!fits_at(bounds, hi, j->o, &pw, &ph)) {
        if (pw <= 0 || ph <= 0)
            return df_decode_check_dims(pw, ph, j->o, j->err);
        if (!fits_at(bounds, lo, j->o, &pw, &ph))
            return df_err_set(j->err, DF_E_IMAGE_TOO_LARGE,
                              "page %d (%.0fx%.0f pt) needs %lldx%lld pixels even at %d dpi, "
                              "more than the limit of %llu pixels",
                              j->pageno, bounds.x1 - bounds.x0, bounds.y1 - bounds.y0,
                              (long long)pw, (long long)ph, lo,
                              (unsigned long long)j->o->max_pixels);
        while (hi - lo > 1) { /* lo fits, hi does not */
            int mid = lo + (hi - lo) / 2;
            if (fits_at(bounds, mid, j->o, &pw, &ph))
                lo = mid;
            else
                hi = mid;
        }
        hi = lo;
        fits_at(bounds, hi, j->o, &pw, &ph);
    }
    *dpi = hi;
    *w = (int)pw;
    *h = (int)ph;
    return df_decode_check_dims(pw, ph, j->o, j->err);
}

/* MuPDF draws straight into the PIX's buffer (what fz_new_pixmap_from_page
 * does, minus its private allocation): a 100-megapixel page then costs
 * 100 MB, not 200 MB. Leptonica keeps 8 bpp pixels big-endian within 32-bit
 * words, so one byte swap afterwards turns MuPDF's byte rows into a PIX. */
static df_code draw_into(pdf_job *j, fz_page *page, fz_rect bounds, int dpi, PIX *pix)
{
    fz_context *ctx = j->ctx;
    float zoom = (float)dpi / 72.0f;
    fz_matrix ctm = fz_scale(zoom, zoom);
    fz_irect box = render_box(bounds, dpi);
    fz_pixmap *pm = NULL;
    fz_device *dev = NULL;
    df_code rc = DF_OK;
    char what[64];

    fz_var(pm);
    fz_var(dev);
    fz_try(ctx) {
        pm = fz_new_pixmap_with_data(ctx, fz_device_gray(ctx), box.x1 - box.x0,
                                     box.y1 - box.y0, NULL, 0, pixGetWpl(pix) * 4,
                                     (unsigned char *)pixGetData(pix));
        pm->x = box.x0;
        pm->y = box.y0;
        fz_clear_pixmap_with_value(ctx, pm, 0xFF);
        dev = fz_new_draw_device(ctx, ctm, pm);
        fz_run_page(ctx, page, dev, fz_identity, j->cookie);
        fz_close_device(ctx, dev);
    }
    fz_always(ctx) {
        fz_drop_device(ctx, dev);
        fz_drop_pixmap(ctx, pm);
    }
    fz_catch(ctx) {
        snprintf(what, sizeof what, "page %d cannot be drawn", j->pageno);
        if (interrupted(j, "drawing") == DF_OK)
            rc = fail(j, broken_code(j), what);
        else
            rc = j->err->code;
    }
    if (rc == DF_OK)
        rc = interrupted(j, "drawing");
    return rc;
}

static df_code render_page(pdf_job *j, fz_page *page, fz_rect bounds, int dpi, int w, int h,
                           df_page *out)
{
    PIX *pix = pixCreate(w, h, 8);
    if (!pix)
        return df_err_set(j->err, DF_E_NO_MEMORY, "out of memory for page %d (%dx%d pixels)",
                          j->pageno, w, h);
    df_code rc = draw_into(j, page, bounds, dpi, pix);
    if (rc != DF_OK) {
        pixDestroy(&pix);
        return rc;
    }
    pixEndianByteSwap(pix);
    out->pix = pix;
    return DF_OK;
}

/* ---- pages ----------------------------------------------------------------- */

static df_code decode_page_steps(pdf_job *j, int i, df_page *out)
{
    fz_page *page = NULL;
    fz_rect bounds;
    int dpi = 0, w = 0, h = 0;

    df_code rc = load_page(j, i, &page, &bounds);
    if (rc == DF_OK)
        rc = read_text_layer(j, page, bounds, out);
    /* Text pages get the same virtual size a render would have, so layout
     * can treat pixels and points alike whatever the page came from. */
    if (rc == DF_OK)
        rc = pick_dpi(j, bounds, &dpi, &w, &h);
    if (rc == DF_OK && !out->has_text_layer)
        rc = render_page(j, page, bounds, dpi, w, h, out);
    if (rc == DF_OK) {
        df_page_set_geometry(out, w, h, dpi);
        /* the page box is exact; pixels*72/dpi would be off by rounding */
        out->width_pt = bounds.x1 - bounds.x0;
        out->height_pt = bounds.y1 - bounds.y0;
    }
    if (page)
        fz_drop_page(j->ctx, page);
    return rc;
}

/* One page under a watchdog on its cookie (see the top of this file). */
static df_code decode_page(pdf_job *j, int i, df_page *out)
{
    fz_cookie cookie;
    df_watchdog dog;

    memset(&cookie, 0, sizeof cookie);
    j->pageno = i + 1;
    j->cookie = &cookie;
    df_watchdog_start(&dog, j->o->stop, &cookie.abort);
    df_code rc = decode_page_steps(j, i, out);
    df_watchdog_end(&dog);
    j->cookie = NULL;
    return rc;
}

/* One open PDF: a private fz_context and fz_document, so one reader per
 * thread may decode pages of the same bytes concurrently. */
struct df_pdf_reader {
    pdf_job j;
    df_decode_opts o;
    df_err scratch; /* where late MuPDF messages land after a call returns */
    int npages;
};

static df_code open_reader(df_pdf_reader *r, const uint8_t *data, size_t len)
{
    pdf_job *j = &r->j;
    df_code rc = open_doc(j, data, len);
    if (rc == DF_OK)
        rc = unlock_doc(j);
    if (rc == DF_OK)
        rc = count_pages(j, &r->npages);
    /* Cut short AND rebuilt by MuPDF's repair: what survives is a guess
     * (lost pages come back blank at a default size), so say truncated
     * rather than return a plausible-looking wrong document. */
    if (rc == DF_OK && j->cut_short && pdf_was_repaired(j->ctx, (pdf_document *)j->doc))
        rc = df_err_set(j->err, DF_E_TRUNCATED_FILE,
                        "the PDF ends without its cross-reference table and %%%%EOF marker "
                        "(truncated after %zu bytes)", len);
    if (rc == DF_OK && j->cut_short)
        df_diag_emit(&j->o->diag, DF_DIAG_WARNING,
                     "the PDF has no %%%%EOF marker; it may be truncated");
    return rc;
}

df_code df_pdf_open(const uint8_t *data, size_t len, const df_decode_opts *o,
                    df_pdf_reader **out, df_err *err)
{
    df_err local = {DF_OK, ""};
    err = err ? err : &local;
    *out = NULL;
    df_pdf_reader *r = calloc(1, sizeof *r);
    if (!r)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory starting the PDF reader");
    r->o = *o;
    r->j.o = &r->o;
    r->j.err = err;
    r->j.cut_short = looks_cut_short(data, len);
    pthread_mutex_lock(&new_context_lock);
    r->j.ctx = fz_new_context(NULL, NULL, PDF_STORE_BYTES);
    pthread_mutex_unlock(&new_context_lock);
    if (!r->j.ctx) {
        free(r);
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory starting the PDF reader");
    }
    /* r outlives the context: fz_drop_context flushes through these. */
    fz_set_warning_callback(r->j.ctx, on_mupdf_warning, &r->j);
    fz_set_error_callback(r->j.ctx, on_mupdf_error, &r->j);
    df_code rc = open_reader(r, data, len);
    if (rc != DF_OK && err->code == DF_OK)
        rc = df_err_set(err, DF_E_INTERNAL, "the PDF reader failed without a cause");
    if (rc != DF_OK) {
        df_pdf_close(r);
        return rc;
    }
    r->j.err = &r->scratch;
    *out = r;
    return DF_OK;
}

size_t df_pdf_page_count(const df_pdf_reader *r)
{
    return (size_t)r->npages;
}

df_code df_pdf_page(df_pdf_reader *r, size_t i, df_page *out, df_err *err)
{
    df_err local = {DF_OK, ""};
    r->j.err = err ? err : &local;
    df_code rc = (int)i < r->npages ? decode_page(&r->j, (int)i, out)
                 : df_err_set(r->j.err, DF_E_INVALID_ARGUMENT, "no page %zu", i + 1);
    if (rc != DF_OK && r->j.err->code == DF_OK)
        rc = df_err_set(r->j.err, DF_E_INTERNAL, "the PDF reader failed without a cause");
    r->j.err = &r->scratch;
    return rc;
}

void df_pdf_close(df_pdf_reader *r)
{
    if (!r)
        return;
    r->j.err = &r->scratch;
    fz_drop_document(r->j.ctx, r->j.doc);
    /* Flushes coalesced warnings through the callbacks, then frees all. */
    fz_drop_context(r->j.ctx);
    free(r);
}

df_code df_decode_pdf(const uint8_t *data, size_t len, const df_decode_opts *o, df_doc *doc,
                      df_err *err)
{
    df_err local = {DF_OK, ""};
    err = err ? err : &local;
    df_pdf_reader *r = NULL;
    df_code rc = df_pdf_open(data, len, o, &r, err);
    for (size_t i = 0; rc == DF_OK && i < df_pdf_page_count(r); i++) {
        df_page *p = df_doc_add_page(doc, o, err);
        rc = p ? df_pdf_page(r, i, p, err) : err->code;
    }
    df_pdf_close(r);
    return rc;
}
