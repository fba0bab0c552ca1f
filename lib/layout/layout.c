/*
 * layout.c — df_layout_build: cleans the words, runs the passes (lines.c,
 * blocks.c) and assembles the result.
 *
 * Exists so the passes can assume sane input: every kept word has UTF-8-ish
 * non-blank text, a finite box of at least DF_LAYOUT_MIN_SIZE in each
 * direction inside ±DF_LAYOUT_MAX_COORD, and there are at most
 * DF_LAYOUT_MAX_WORDS of them. Bad words are dropped and counted rather than
 * failing the page: one garbage OCR box must not cost a whole invoice.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout_int.h"

static int blank(const char *s)
{
    for (; *s; s++)
        if (!(*s == ' ' || (*s >= '\t' && *s <= '\r')))
            return 0;
    return 1;
}

/* Characters, counted as UTF-8 lead bytes; at least 1 so it can divide. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n ? n : 1;
}

static int sane_box(const float *b)
{
    for (int j = 0; j < 4; j++)
        if (!isfinite(b[j]) || fabsf(b[j]) > DF_LAYOUT_MAX_COORD)
            return 0;
    return 1;
}

/* Order the corners and widen degenerate boxes around their centre. */
static void normalise_box(float *b)
{
    for (int a = 0; a < 2; a++) {
        if (b[a] > b[a + 2]) {
            float t = b[a];
            b[a] = b[a + 2];
            b[a + 2] = t;
        }
        if (b[a + 2] - b[a] < DF_LAYOUT_MIN_SIZE) {
            float mid = 0.5f * (b[a] + b[a + 2]);
            b[a] = mid - 0.5f * DF_LAYOUT_MIN_SIZE;
            b[a + 2] = mid + 0.5f * DF_LAYOUT_MIN_SIZE;
        }
    }
}

static char *copy_text(const char *s)
{
    size_t len = strlen(s);
    if (len > DF_LAYOUT_MAX_WORD_BYTES) {
        len = DF_LAYOUT_MAX_WORD_BYTES;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--; /* never cut inside a UTF-8 sequence */
    }
    char *t = malloc(len + 1);
    if (t) {
        memcpy(t, s, len);
        t[len] = '\0';
    }
    return t;
}

static void free_words(df_word *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(w[i].text);
    free(w);
}

void df_layout_free(df_layout *lay)
{
    if (!lay)
        return;
    free_words(lay->words, lay->nwords);
    free(lay->lines);
    free(lay->blocks);
    free(lay->rows);
    free(lay->row_lines);
    free(lay);
}

static void ctx_free(lay_ctx *c)
{
    free_words(c->w, c->n);
    free(c->top);
    free(c->bot);
    free(c->order);
    free(c->lines);
    free(c->rows);
    free(c->line_order);
    free(c->block_start);
}

static void box_union(float *dst, const float *src, int first)
{
    if (first) {
        memcpy(dst, src, 4 * sizeof *dst);
        return;
    }
    dst[0] = fminf(dst[0], src[0]);
    dst[1] = fminf(dst[1], src[1]);
    dst[2] = fmaxf(dst[2], src[2]);
    dst[3] = fmaxf(dst[3], src[3]);
}

/* Move the words into reading order (block, line, x) and fill the public
 * arrays from the working state. Takes ownership of c->w's texts. */
static df_code assemble(lay_ctx *c, df_layout *lay, df_err *err)
{
    size_t *new_index = malloc(c->nlines * sizeof *new_index);
    lay->words = malloc(c->n * sizeof *lay->words);
    lay->lines = malloc(c->nlines * sizeof *lay->lines);
    lay->blocks = malloc(c->nblocks * sizeof *lay->blocks);
    lay->rows = malloc(c->nrows * sizeof *lay->rows);
    lay->row_lines = malloc(c->nlines * sizeof *lay->row_lines);
    if (!new_index || !lay->words || !lay->lines || !lay->blocks || !lay->rows ||
        !lay->row_lines) {
        free(new_index);
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory laying out %zu words", c->n);
    }
    size_t nw = 0;
    for (size_t b = 0; b < c->nblocks; b++) {
        df_layout_block *B = &lay->blocks[b];
        B->first = c->block_start[b];
        B->nlines = c->block_start[b + 1] - B->first;
        for (size_t k = B->first; k < B->first + B->nlines; k++) {
            const lay_line *L = &c->lines[c->line_order[k]];
            df_layout_line *D = &lay->lines[k];
            new_index[c->line_order[k]] = k;
            D->first = nw;
            D->nwords = L->n;
            memcpy(D->box, L->box, sizeof D->box);
            D->baseline = L->baseline;
            D->height = L->height;
            D->row = L->row;
            D->block = b;
            for (size_t j = 0; j < L->n; j++)
                lay->words[nw++] = c->w[c->order[L->first + j]];
            box_union(B->box, D->box, k == B->first);
        }
    }
    /* The texts now belong to lay->words. */
    free(c->w);
    c->w = NULL;
    c->n = 0;
    lay->nwords = nw;
    lay->nlines = c->nlines;
    lay->nblocks = c->nblocks;
    lay->nrows = c->nrows;
    for (size_t r = 0; r < c->nrows; r++) {
        const lay_row *R = &c->rows[r];
        df_layout_row *D = &lay->rows[r];
        D->first = R->first; /* rows hold consecutive working lines, in x order */
        D->nlines = R->n;
        for (size_t j = 0; j < R->n; j++) {
            size_t li = new_index[R->first + j];
            lay->row_lines[R->first + j] = li;
            box_union(D->box, lay->lines[li].box, j == 0);
        }
    }
    free(new_index);
    return DF_OK;
}

/* Tesseract sometimes reads the pixels of a tall line twice, once as part
 * of a neighbouring shorter line: "Umiya mi Software war Solutions lution",
 * where "mi" lies inside the box of "Umiya". A word whose box lies mostly
 * (DF_LAYOUT_FRAGMENT_COVER) inside a larger word's box is such a second
 * reading, and so is the second copy of a word drawn twice (fake bold in a
 * text layer). Words are visited in x0 order, so each is compared only with
 * the words starting before its right edge, at most DF_LAYOUT_FRAGMENT_SCAN
 * of them (a pile of words in one spot stays linear). */
static float inter_area(const float *a, const float *b)
{
    float w = fminf(a[2], b[2]) - fmaxf(a[0], b[0]), h = fminf(a[3], b[3]) - fmaxf(a[1], b[1]);
    return w > 0 && h > 0 ? w * h : 0;
}

static float box_area(const float *b) { return (b[2] - b[0]) * (b[3] - b[1]); }

static int x0_cmp(const void *a, const void *b)
{
    const df_word *x = *(df_word *const *)a, *y = *(df_word *const *)b;
    return (x->box[0] > y->box[0]) - (x->box[0] < y->box[0]);
}

/* 1 when `a` is the fragment of the pair: mostly inside `b` and clearly
 * smaller, or the later of two copies of the same text. */
static int is_fragment(const df_word *a, const df_word *b)
{
    float aa = box_area(a->box), ab = box_area(b->box), in = inter_area(a->box, b->box);
    if (strcmp(a->text, b->text) == 0)
        return a > b && in >= DF_LAYOUT_FRAGMENT_COVER * fminf(aa, ab);
    return aa <= DF_LAYOUT_FRAGMENT_SIZE * ab && in >= DF_LAYOUT_FRAGMENT_COVER * aa;
}

/* Letters b repeats of a's end: k (1..DF_LAYOUT_SPLIT_MAX_REPEAT) when b
 * starts on a's last k letters (ASCII, case aside) and overlaps a by about
 * that many characters' width, on the same line; 0 otherwise. */
static size_t repeated_letters(const df_word *a, const df_word *b)
{
    size_t la = strlen(a->text), lb = strlen(b->text);
    float h = fminf(a->box[3], b->box[3]) - fmaxf(a->box[1], b->box[1]);
    float over = a->box[2] - b->box[0];
    float cw = la ? (a->box[2] - a->box[0]) / (float)la : 0;
    if (la < 3 || lb == 0 || b->box[2] <= a->box[2] ||
        h < 0.6f * fminf(a->box[3] - a->box[1], b->box[3] - b->box[1]))
        return 0;
    for (size_t k = DF_LAYOUT_SPLIT_MAX_REPEAT; k >= 1; k--) {
        /* overlapping by about k letters; or, a lone copy of the last
         * letter, touching ("Residency" "y": its descender read again) */
        int lone = k == lb && k == 1 && over > -0.25f * cw;
        if (k > lb || k >= la || (!lone && (over < 0.5f * k * cw || over > (k + 1.0f) * cw)))
            continue;
        size_t q = 0;
        while (q < k && isalpha((unsigned char)b->text[q]) &&
               tolower((unsigned char)b->text[q]) == tolower((unsigned char)a->text[la - k + q]))
            q++;
        if (q == k)
            return k;
    }
    return 0;
}

/* How far right of a a word may start and still be compared with it: a
 * quarter letter past its edge (repeated_letters' lone letter). */
static float reach(const df_word *a)
{
    size_t la = strlen(a->text);
    return a->box[2] + (la ? 0.25f * (a->box[2] - a->box[0]) / (float)la : 0.0f);
}

/* a := a + b without its first k letters, over both boxes. */
static int join_words(df_word *a, const df_word *b, size_t k)
{
    size_t la = strlen(a->text), lb = strlen(b->text);
    char *t = malloc(la + lb - k + 1);
    if (!t)
        return -1;
    memcpy(t, a->text, la);
    memcpy(t + la, b->text + k, lb - k + 1);
    free(a->text);
    a->text = t;
    box_union(a->box, b->box, 0);
    a->conf = fminf(a->conf, b->conf);
    return 0;
}

static df_code drop_fragments(lay_ctx *c)
{
    if (c->n < 2) /* nothing to compare; and malloc(0) may return NULL */
        return DF_OK;
    df_word **by_x = malloc(c->n * sizeof *by_x);
    unsigned char *gone = calloc(c->n, 1);
    if (!by_x || !gone) {
        free(by_x);
        free(gone);
        return DF_E_NO_MEMORY;
    }
    for (size_t i = 0; i < c->n; i++)
        by_x[i] = &c->w[i];
    qsort(by_x, c->n, sizeof *by_x, x0_cmp);
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = i + 1; j < c->n && j <= i + DF_LAYOUT_FRAGMENT_SCAN &&
                               by_x[j]->box[0] < reach(by_x[i]); j++) {
            size_t k;
            if (is_fragment(by_x[i], by_x[j]))
                gone[by_x[i] - c->w] = 1;
            else if (is_fragment(by_x[j], by_x[i]))
                gone[by_x[j] - c->w] = 1;
            else if (!gone[by_x[i] - c->w] && !gone[by_x[j] - c->w] &&
                     (k = repeated_letters(by_x[i], by_x[j])) > 0) {
                if (join_words(by_x[i], by_x[j], k) != 0) {
                    free(by_x);
                    free(gone);
                    return DF_E_NO_MEMORY;
                }
                gone[by_x[j] - c->w] = 1;
            }
        }
    free(by_x);
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (gone[i]) {
            free(c->w[i].text);
            continue;
        }
        c->w[k++] = c->w[i];
    }
    free(gone);
    c->n = k;
    return DF_OK;
}

df_code df_layout_build(const df_word *words, size_t n, double page_w_pt, double page_h_pt,
                        df_layout **out, df_err *err)
{
    if (!out || (!words && n > 0))
        return df_err_set(err, DF_E_INVALID_ARGUMENT, "layout: no output or no words");
    *out = NULL;
    df_layout *lay = calloc(1, sizeof *lay);
    lay_ctx c;
    memset(&c, 0, sizeof c);
    size_t keep = n < DF_LAYOUT_MAX_WORDS ? n : DF_LAYOUT_MAX_WORDS;
    df_code rc = DF_OK;
    if (!lay)
        goto oom;
    lay->page_w = isfinite(page_w_pt) && page_w_pt > 0 ? page_w_pt : 0;
    lay->page_h = isfinite(page_h_pt) && page_h_pt > 0 ? page_h_pt : 0;
    if (keep > 0 && !(c.w = malloc(keep * sizeof *c.w)))
        goto oom;
    for (size_t i = 0; i < n && c.n < keep; i++) {
        const df_word *w = &words[i];
        if (!w->text || blank(w->text) || !sane_box(w->box))
            continue;
        df_word *d = &c.w[c.n];
        memcpy(d->box, w->box, sizeof d->box);
        normalise_box(d->box);
        d->conf = isfinite(w->conf) ? fminf(fmaxf(w->conf, 0.0f), 100.0f) : 0.0f;
        if (!(d->text = copy_text(w->text)))
            goto oom;
        c.n++;
    }
    if (drop_fragments(&c) != DF_OK)
        goto oom;
    lay->dropped = n - c.n;
    if (c.n == 0) {
        free(c.w);
        *out = lay;
        return DF_OK;
    }

    /* Page statistics every pass scales its thresholds by. */
    float *v = malloc(c.n * sizeof *v);
    if (!v)
        goto oom;
    for (size_t i = 0; i < c.n; i++)
        v[i] = c.w[i].box[3] - c.w[i].box[1];
    c.med_h = df_lay_median(v, c.n);
    for (size_t i = 0; i < c.n; i++)
        v[i] = (c.w[i].box[2] - c.w[i].box[0]) / (float)utf8_chars(c.w[i].text);
    lay->char_width = df_lay_median(v, c.n);
    free(v);
    lay->line_height = c.med_h;

    c.top = malloc(c.n * sizeof *c.top);
    c.bot = malloc(c.n * sizeof *c.bot);
    if (!c.top || !c.bot)
        goto oom;
    if ((rc = df_lay_lines(&c, err)) != DF_OK || (rc = df_lay_blocks(&c, err)) != DF_OK ||
        (rc = assemble(&c, lay, err)) != DF_OK)
        goto fail;
    lay->skew_deg = (float)(atan(-c.slope) * 57.29577951308232);
    ctx_free(&c);
    *out = lay;
    return DF_OK;
oom:
    rc = df_err_set(err, DF_E_NO_MEMORY, "out of memory laying out %zu words", n);
fail:
    ctx_free(&c);
    df_layout_free(lay);
    return rc;
}
