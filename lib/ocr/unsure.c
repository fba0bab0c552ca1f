/*
 * unsure.c — the words a page's first reading was unsure of, read again.
 *
 * On a page read as one block (psm 6) Tesseract puts small text beside a
 * large heading on the heading's line and scales both to the heading's
 * height: a grid invoice's "Invoice No." next to a 14 pt vendor name comes
 * back as "sits" at 33 % confidence. Read alone, as one line of its own
 * height, it is recognised. So the least sure words of a page are read
 * again, each in its own rectangle of Tesseract's copy of the page (no
 * pixels of ours are kept), and the new reading replaces the old one when
 * Tesseract is clearly surer of it. Words of a single character and very
 * unsure pages (noise, logos) cost at most DF_OCR_REREAD_MAX readings.
 */
#include "ocr/ocr_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DF_OCR_REREAD_MAX 12
#define DF_OCR_REREAD_BELOW 50.0f  /* confidence under which a word is read again */
#define DF_OCR_REREAD_MIN 10.0f    /* ... and over which it may be text at all */
#define DF_OCR_REREAD_GAIN 20.0f   /* how much surer the new reading must be */

static int by_conf_desc(const void *a, const void *b, void *ctx)
{
    const df_word *w = ctx;
    float ca = w[*(const size_t *)a].conf, cb = w[*(const size_t *)b].conf;
    return (ca < cb) - (ca > cb);
}

int df_ocr_alnum_count(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += (*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z');
    return n;
}

/* Word w read again in its own padded rectangle: the new words that lie
 * (mostly) inside the old box go to *out; 1 when they are surer of it by
 * DF_OCR_REREAD_GAIN, length-weighted. */
static int reread_word(const ocr_page_ctx *c, TessBaseAPI *api, const df_word *w, word_buf *out)
{
    double px_to_pt = c->px_to_pt;
    int img_w = c->img_w, img_h = c->img_h;
    double x0 = w->box[0] / px_to_pt, y0 = w->box[1] / px_to_pt;
    double x1 = w->box[2] / px_to_pt, y1 = w->box[3] / px_to_pt, hh = y1 - y0;
    /* a margin above and below for the glyphs' extent; little to the sides,
     * where a neighbour's strokes would be read as more characters */
    int l = (int)fmax(0, x0 - 0.2 * hh), t = (int)fmax(0, y0 - 0.3 * hh);
    int r = (int)fmin(img_w, x1 + 0.2 * hh), btm = (int)fmin(img_h, y1 + 0.3 * hh);
    if (r - l < 4 || btm - t < 4)
        return 0;
    TessBaseAPISetRectangle(api, l, t, r - l, btm - t);
    df_err e = {0};
    if (df_ocr_recognize(c->pool, api, c->o, c->page_no, &e) != DF_OK ||
        df_ocr_collect_words(api, px_to_pt, out, &e) != DF_OK)
        return 0;
    double sum = 0, n = 0;
    size_t k = 0;
    for (size_t j = 0; j < out->n; j++) {
        df_word *nw = &out->w[j];
        float cy = (nw->box[1] + nw->box[3]) / 2, nwid = nw->box[2] - nw->box[0];
        float in = fminf(nw->box[2], w->box[2]) - fmaxf(nw->box[0], w->box[0]);
        if (in < 0.8f * nwid || cy < w->box[1] || cy > w->box[3]) {
            free(nw->text);
            continue;
        }
        double len = (double)strlen(nw->text);
        sum += nw->conf * len;
        n += len;
        out->w[k++] = *nw;
    }
    out->n = k;
    return k > 0 && sum / n >= w->conf + DF_OCR_REREAD_GAIN;
}

/* Whether word j follows word i on its text line: they overlap by half a
 * height and at most a line height of space lies between them. */
static int next_on_line(const df_word *w, const float *line_h, size_t i, size_t j)
{
    const df_word *p = &w[i], *q = &w[j];
    float h = fminf(p->box[3] - p->box[1], q->box[3] - q->box[1]);
    float over = fminf(p->box[3], q->box[3]) - fmaxf(p->box[1], q->box[1]);
    float gap = q->box[0] - p->box[2], lh = line_h && line_h[i] > 0 ? line_h[i] : h;
    return h > 0 && over > 0.5f * h && gap > -0.2f * h && gap < lh;
}

static int unsure_joiner(const df_word *w, size_t j, const unsigned char *done)
{
    return !done[j] && w[j].conf < DF_OCR_REREAD_BELOW && df_ocr_alnum_count(w[j].text) > 0;
}

/* (ocr.h) */
df_word df_ocr_unsure_group(const df_word *w, const float *line_h, size_t n, size_t i,
                            const unsigned char *done, size_t *first, size_t *last)
{
    size_t f = i, l = i;
    while (l - f + 1 < DF_OCR_REREAD_GROUP && f > 0 && unsure_joiner(w, f - 1, done) &&
           next_on_line(w, line_h, f - 1, f))
        f--;
    while (l - f + 1 < DF_OCR_REREAD_GROUP && l + 1 < n && unsure_joiner(w, l + 1, done) &&
           next_on_line(w, line_h, l, l + 1))
        l++;
    df_word g = {NULL, {w[f].box[0], w[f].box[1], w[f].box[2], w[f].box[3]}, 0};
    double sum = 0, len = 0;
    for (size_t j = f; j <= l; j++) {
        g.box[0] = fminf(g.box[0], w[j].box[0]);
        g.box[1] = fminf(g.box[1], w[j].box[1]);
        g.box[2] = fmaxf(g.box[2], w[j].box[2]);
        g.box[3] = fmaxf(g.box[3], w[j].box[3]);
        double chars = (double)strlen(w[j].text);
        sum += w[j].conf * chars;
        len += chars;
    }
    g.conf = len > 0 ? (float)(sum / len) : w[i].conf;
    *first = f;
    *last = l;
    return g;
}

/* The new reading nb takes the place of words [first, last] of b: its first
 * word the first one's, the rest go last; the group's other words are left
 * with no text, for the caller to drop. nb's words then belong to b (nb.w
 * is freed). -1 when out of memory (b unchanged). */
static int replace_group(word_buf *b, size_t first, size_t last, word_buf *nb)
{
    size_t need = b->n + nb->n - 1;
    if (need > b->cap) {
        df_word *g = realloc(b->w, need * sizeof *g);
        if (!g)
            return -1;
        b->w = g;
        if (b->line_h) {
            float *lh = realloc(b->line_h, need * sizeof *lh);
            if (!lh)
                return -1;
            b->line_h = lh;
        }
        b->cap = need;
    }
    for (size_t j = first; j <= last; j++) {
        free(b->w[j].text);
        b->w[j].text = NULL;
    }
    b->w[first] = nb->w[0];
    for (size_t j = 1; j < nb->n; j++) {
        if (b->line_h) /* a word that came with the new reading: its group's line */
            b->line_h[b->n] = b->line_h[first];
        b->w[b->n++] = nb->w[j];
    }
    free(nb->w);
    nb->w = NULL;
    nb->n = 0;
    return 0;
}

/* (ocr_int.h) Out of memory leaves b as it was. */
void df_ocr_reread_unsure(const ocr_page_ctx *c, TessBaseAPI *api, word_buf *b)
{
    const df_ocr_opts *o = c->o;
    /* first the words much smaller than the line Tesseract put them on (the
     * case above), then the others, surest first: a word read at 0 % is
     * usually a smudge or a rule's remnant, not text */
    size_t idx[DF_OCR_REREAD_MAX], n = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t first = n;
        for (size_t i = 0; i < b->n && n < DF_OCR_REREAD_MAX * 4; i++) {
            const df_word *w = &b->w[i];
            if (!(w->conf >= DF_OCR_REREAD_MIN && w->conf < DF_OCR_REREAD_BELOW) ||
                df_ocr_alnum_count(w->text) < 2)
                continue;
            int small = b->line_h && (w->box[3] - w->box[1]) < 0.6f * b->line_h[i];
            if (small != (pass == 0))
                continue;
            if (n < DF_OCR_REREAD_MAX)
                idx[n++] = i;
        }
        if (n > first)
            qsort_r(idx + first, n - first, sizeof *idx, by_conf_desc, b->w);
    }
    if (n == 0)
        return;
    if (n > DF_OCR_REREAD_MAX)
        n = DF_OCR_REREAD_MAX;
    unsigned char *done = calloc(b->n, 1); /* read again already, alone or in a group */
    if (!done)
        return;
    size_t n0 = b->n; /* words after n0 are new readings */
    TessBaseAPISetPageSegMode(api, (TessPageSegMode)DF_OCR_PSM_SINGLE_LINE);
    /* An unsure word is by definition a reading Tesseract scores low, so
     * its inverted second pass (lines under invert_threshold) would run on
     * nearly every one and double its cost; docflow inverts dark bands
     * itself before reading (df_prep_invert_bands). The handle's own value
     * is back for the next page below. */
    BOOL invert = 1;
    TessBaseAPIGetBoolVariable(api, "tessedit_do_invert", &invert);
    TessBaseAPISetVariable(api, "tessedit_do_invert", "0");
    for (size_t k = 0; k < n; k++) {
        if (df_stop_cancelled(o->stop) || df_stop_expired(o->stop))
            break;
        if (done[idx[k]])
            continue;
        size_t first, last;
        df_word group = df_ocr_unsure_group(b->w, b->line_h, n0, idx[k], done, &first, &last);
        for (size_t j = first; j <= last; j++)
            done[j] = 1;
        word_buf nb = {0};
        int ok = reread_word(c, api, &group, &nb);
        /* a group's reading replaces several words: none of its words may
         * be unsure ("(KI SDN" 40 %, 10 % came back "(Kj SON" 0 %, 85 %) */
        for (size_t j = 0; ok && last > first && j < nb.n; j++)
            ok = nb.w[j].conf >= DF_OCR_REREAD_BELOW;
        if (!ok && last > first) {
            /* then the word alone, as before groups; its neighbours may
             * still be read alone in their turn */
            df_ocr_words_free(nb.w, nb.n);
            nb = (word_buf){0};
            for (size_t j = first; j <= last; j++)
                done[j] = j == idx[k];
            first = last = idx[k];
            ok = reread_word(c, api, &b->w[first], &nb);
        }
        if (!ok || replace_group(b, first, last, &nb) != 0)
            df_ocr_words_free(nb.w, nb.n);
    }
    TessBaseAPISetVariable(api, "tessedit_do_invert", invert ? "1" : "0");
    free(done);
}
