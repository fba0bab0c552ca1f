/*
 * lines.c — words to lines and rows.
 *
 * Exists because grouping words by y is the one step everything else rests
 * on, and the two sources disagree exactly here: OCR words of a scan drift
 * by a few points across a skewed page, and a bold value can be taller than
 * its label. So the page skew is estimated first (median slope between
 * horizontal neighbours) and removed by a shear; words are then grouped into
 * rows by vertical overlap relative to the smaller height, and rows are cut
 * into line segments at gaps wide enough to separate columns.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout_int.h"

/* Rows a word may still join: rows are opened in order of word centre, so
 * only the last few can overlap a new word. */
#define OPEN_ROWS 4
/* Words taller than this many median heights (a logo letter, a vertical rule
 * read as "|") do not move a row's band, so they cannot chain two rows. */
#define TALL_WORD 2.0
/* Neighbour pairs needed before a skew estimate is trusted, and the slope
 * below which it is ignored (text-layer pages are exactly level). */
#define SKEW_MIN_PAIRS 5
#define SKEW_MIN_DEG 0.1
#define DEG 0.017453292519943295 /* radians per degree; M_PI is not C11 */

static int key_cmp(const void *a, const void *b)
{
    const lay_key *x = a, *y = b;
    if (x->k1 != y->k1)
        return x->k1 < y->k1 ? -1 : 1;
    if (x->k2 != y->k2)
        return x->k2 < y->k2 ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void df_lay_sort(lay_key *k, size_t n)
{
    if (n > 1)
        qsort(k, n, sizeof *k, key_cmp);
}

static int float_cmp(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

float df_lay_median(float *v, size_t n)
{
    if (n == 0)
        return 0.0f;
    qsort(v, n, sizeof *v, float_cmp);
    return n % 2 ? v[n / 2] : 0.5f * (v[n / 2 - 1] + v[n / 2]);
}

static float wh(const df_word *w) { return w->box[3] - w->box[1]; }
static float wxc(const df_word *w) { return 0.5f * (w->box[0] + w->box[2]); }
static float wyc(const df_word *w) { return 0.5f * (w->box[1] + w->box[3]); }

static float overlap(float a0, float a1, float b0, float b1)
{
    float lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi - lo;
}

/* ---- skew ------------------------------------------------------------------ */

/* First index in k[lo..hi) whose (k1, k2) is not below (b, x). */
static size_t lower_bound(const lay_key *k, size_t n, double b, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k[mid].k1 < b || (k[mid].k1 == b && k[mid].k2 < x))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Slope of the text: for each word, its nearest right-hand neighbour of a
 * similar height in the same or an adjacent band of height med_h, found by
 * binary search in words sorted by (band, x0); the median slope of those
 * pairs. A 3° line drifts only ~1.6 pt between neighbours, so neighbours stay
 * within one band even when the whole line drifts by several line heights. */
static df_code estimate_skew(lay_ctx *c, df_err *err)
{
    size_t n = c->n;
    c->slope = 0.0;
    if (n < 2)
        return DF_OK;
    lay_key *k = malloc(n * sizeof *k);
    float *slopes = malloc(n * sizeof *slopes);
    if (!k || !slopes) {
        free(k);
        free(slopes);
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory laying out %zu words", n);
    }
    double bh = c->med_h;
    for (size_t i = 0; i < n; i++) {
        k[i].k1 = floor(wyc(&c->w[i]) / bh);
        k[i].k2 = c->w[i].box[0];
        k[i].i = i;
    }
    df_lay_sort(k, n);
    double max_slope = tan(DF_LAYOUT_MAX_SKEW_DEG * DEG);
    size_t ns = 0;
    for (size_t a = 0; a < n; a++) {
        const df_word *wi = &c->w[k[a].i];
        float hi = wh(wi), best_gap = 2.0f * c->med_h + hi;
        const df_word *best = NULL;
        for (int db = -1; db <= 1; db++) {
            size_t p = lower_bound(k, n, k[a].k1 + db, wxc(wi));
            for (int seen = 0; p < n && k[p].k1 == k[a].k1 + db && seen < DF_LAYOUT_MAX_CANDIDATES;
                 p++, seen++) {
                const df_word *wj = &c->w[k[p].i];
                float gap = wj->box[0] - wi->box[2];
                if (gap > best_gap)
                    break; /* sorted by x0: the rest are farther */
                float hj = wh(wj), hmin = hi < hj ? hi : hj, hmax = hi < hj ? hj : hi;
                if (k[p].i == k[a].i || gap < -0.25f * c->med_h || hmax > 1.5f * hmin ||
                    overlap(wi->box[1], wi->box[3], wj->box[1], wj->box[3]) < 0.3f * hmin)
                    continue;
                best_gap = gap;
                best = wj;
            }
        }
        if (best) {
            double dx = wxc(best) - wxc(wi);
            double s = dx > 0 ? (wyc(best) - wyc(wi)) / dx : 0.0;
            if (dx > 0 && fabs(s) <= max_slope)
                slopes[ns++] = (float)s;
        }
    }
    if (ns >= SKEW_MIN_PAIRS) {
        double s = df_lay_median(slopes, ns);
        if (fabs(s) >= tan(SKEW_MIN_DEG * DEG))
            c->slope = s;
    }
    free(k);
    free(slopes);
    return DF_OK;
}

/* ---- rows -------------------------------------------------------------------- */

typedef struct row_acc {
    double top, bot;      /* sums over words of normal height */
    double atop, abot;    /* sums over all words */
    size_t cnt, acnt;
} row_acc;

static void row_band(const row_acc *r, float *top, float *bot)
{
    if (r->cnt) {
        *top = (float)(r->top / (double)r->cnt);
        *bot = (float)(r->bot / (double)r->cnt);
    } else {
        *top = (float)(r->atop / (double)r->acnt);
        *bot = (float)(r->abot / (double)r->acnt);
    }
}

/* Group words into rows: in order of deskewed centre, each word joins the
 * open row whose band it overlaps most (relative to the smaller height), if
 * that reaches DF_LAYOUT_LINE_OVERLAP. A row's band is the mean of its
 * normal-height words, not their union, so a row never grows into the next. */
static df_code group_rows(lay_ctx *c, size_t *row_of, row_acc **accp, size_t *nrows,
                          df_err *err)
{
    size_t n = c->n, nr = 0, cap = 64;
    lay_key *k = malloc(n * sizeof *k);
    row_acc *acc = malloc(cap * sizeof *acc);
    if (!k || !acc)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        k[i].k1 = 0.5 * ((double)c->top[i] + c->bot[i]);
        k[i].k2 = c->w[i].box[0];
        k[i].i = i;
    }
    df_lay_sort(k, n);
    for (size_t a = 0; a < n; a++) {
        size_t i = k[a].i;
        float t = c->top[i], b = c->bot[i], h = b - t;
        size_t best = (size_t)-1;
        double best_ratio = DF_LAYOUT_LINE_OVERLAP;
        for (size_t r = nr > OPEN_ROWS ? nr - OPEN_ROWS : 0; r < nr; r++) {
            float rt, rb;
            row_band(&acc[r], &rt, &rb);
            float rh = rb - rt, hmin = h < rh ? h : rh;
            double ratio = overlap(t, b, rt, rb) / (double)hmin;
            if (ratio >= best_ratio) { /* ties: the later (lower) row */
                best_ratio = ratio;
                best = r;
            }
        }
        if (best == (size_t)-1) {
            if (nr == cap) {
                row_acc *g = realloc(acc, 2 * cap * sizeof *g);
                if (!g)
                    goto oom;
                acc = g;
                cap *= 2;
            }
            best = nr++;
            memset(&acc[best], 0, sizeof acc[best]);
        }
        row_acc *r = &acc[best];
        if (h <= TALL_WORD * c->med_h) {
            r->top += t;
            r->bot += b;
            r->cnt++;
        }
        r->atop += t;
        r->abot += b;
        r->acnt++;
        row_of[i] = best;
    }
    free(k);
    *accp = acc;
    *nrows = nr;
    return DF_OK;
oom:
    free(k);
    free(acc);
    return df_err_set(err, DF_E_NO_MEMORY, "out of memory laying out %zu words", n);
}

/* ---- line segments ------------------------------------------------------------ */

static df_code add_line(lay_ctx *c, size_t *cap, size_t row, size_t first, size_t cnt,
                        float *scratch, df_err *err)
{
    if (c->nlines == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        lay_line *g = realloc(c->lines, nc * sizeof *g);
        if (!g)
            return df_err_set(err, DF_E_NO_MEMORY, "out of memory laying out %zu words", c->n);
        c->lines = g;
        *cap = nc;
    }
    lay_line *L = &c->lines[c->nlines++];
    L->first = first;
    L->n = cnt;
    L->row = row;
    for (size_t j = 0; j < cnt; j++) {
        size_t i = c->order[first + j];
        const float *bx = c->w[i].box;
        if (j == 0) {
            memcpy(L->box, bx, sizeof L->box);
            L->top = c->top[i];
            L->bot = c->bot[i];
        } else {
            L->box[0] = fminf(L->box[0], bx[0]);
            L->box[1] = fminf(L->box[1], bx[1]);
            L->box[2] = fmaxf(L->box[2], bx[2]);
            L->box[3] = fmaxf(L->box[3], bx[3]);
            L->top = fminf(L->top, c->top[i]);
            L->bot = fmaxf(L->bot, c->bot[i]);
        }
    }
    L->x0 = L->box[0];
    L->x1 = L->box[2];
    for (size_t j = 0; j < cnt; j++)
        scratch[j] = c->w[c->order[first + j]].box[3];
    L->baseline = df_lay_median(scratch, cnt);
    for (size_t j = 0; j < cnt; j++)
        scratch[j] = wh(&c->w[c->order[first + j]]);
    L->height = df_lay_median(scratch, cnt);
    return DF_OK;
}

df_code df_lay_lines(lay_ctx *c, df_err *err)
{
    size_t n = c->n;
    df_code rc = estimate_skew(c, err);
    if (rc != DF_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        float shift = (float)(c->slope * wxc(&c->w[i]));
        c->top[i] = c->w[i].box[1] - shift;
        c->bot[i] = c->w[i].box[3] - shift;
    }

    size_t *row_of = malloc(n * sizeof *row_of);
    row_acc *acc = NULL;
    size_t nr = 0;
    lay_key *k = NULL, *rk = NULL;
    size_t *rank = NULL;
    float *scratch = malloc(n * sizeof *scratch);
    c->order = malloc(n * sizeof *c->order);
    if (!row_of || !scratch || !c->order)
        goto oom;
    if ((rc = group_rows(c, row_of, &acc, &nr, err)) != DF_OK)
        goto out;

    /* Rows top to bottom by their final band, then words by row and x. */
    rk = malloc(nr * sizeof *rk);
    rank = malloc(nr * sizeof *rank);
    k = malloc(n * sizeof *k);
    c->rows = calloc(nr, sizeof *c->rows);
    if (!rk || !rank || !k || !c->rows)
        goto oom;
    for (size_t r = 0; r < nr; r++) {
        float t, b;
        row_band(&acc[r], &t, &b);
        rk[r].k1 = 0.5 * ((double)t + b);
        rk[r].k2 = 0;
        rk[r].i = r;
    }
    df_lay_sort(rk, nr);
    for (size_t r = 0; r < nr; r++)
        rank[rk[r].i] = r;
    for (size_t i = 0; i < n; i++) {
        k[i].k1 = (double)rank[row_of[i]];
        k[i].k2 = c->w[i].box[0];
        k[i].i = i;
    }
    df_lay_sort(k, n);
    for (size_t i = 0; i < n; i++)
        c->order[i] = k[i].i;
    c->nrows = nr;

    /* Cut each row at gaps wider than DF_LAYOUT_SPLIT_GAP row heights. The
     * gap is measured from the rightmost end so far, so overlapping boxes
     * (bold overprint, OCR duplicates) never open a negative "gap". */
    size_t cap = 0, a = 0;
    for (size_t r = 0; r < nr; r++) {
        size_t src = rk[r].i, end = a;
        while (end < n && row_of[c->order[end]] == src)
            end++;
        float t, b;
        row_band(&acc[src], &t, &b);
        float limit = (float)DF_LAYOUT_SPLIT_GAP * (b - t);
        lay_row *R = &c->rows[r];
        R->first = c->nlines;
        R->top = t;
        R->bot = b;
        size_t start = a;
        float right = c->w[c->order[a]].box[2];
        for (size_t j = a + 1; j <= end; j++) {
            const df_word *w = j < end ? &c->w[c->order[j]] : NULL;
            if (!w || w->box[0] - right > limit) {
                if ((rc = add_line(c, &cap, r, start, j - start, scratch, err)) != DF_OK)
                    goto out;
                start = j;
                if (w)
                    right = w->box[2];
            } else if (w->box[2] > right) {
                right = w->box[2];
            }
        }
        R->n = c->nlines - R->first;
        a = end;
    }
    goto out;
oom:
    rc = df_err_set(err, DF_E_NO_MEMORY, "out of memory laying out %zu words", n);
out:
    free(row_of);
    free(acc);
    free(k);
    free(rk);
    free(rank);
    free(scratch);
    return rc;
}
