/*
 * tables.c — line-item tables from the rows of a layout.
 *
 * Exists because line items are the one part of an invoice that is laid out
 * as a grid without lines to read it by: the extractors need "the Qty of the
 * second item", and neither lines (which split a row at wide gaps) nor blocks
 * (which stack a column) give that. A table is anchored on its header row —
 * found by the caller's keywords (the extractors own their vocabulary in
 * models/), or by geometry when none are given — and the rows below are
 * assigned word by word to the header's columns until a row stops fitting.
 * The body/continuation/trailer rules are documented at df_table.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout_int.h"

#define NONE ((size_t)-1)
/* Words closer than this many line heights are one cell (a space is ~0.25,
 * but OCR's boxes leave some at 0.7: "(25  kg Bag)" of doc_0075). */
#define JOIN_GAP 0.8
/* Titles this close (a proportional font's word space, ~0.28 line heights)
 * are one title however many listed words they hold: "Descrizione
 * articolo", "Prezzo unit." (a monospace space is ~0.6). */
#define TITLE_GAP 0.45
/* A cell's low-confidence last word this many line heights after the word
 * before it is a speck (stray_end). */
#define STRAY_GAP 3.0
/* Geometry mode: a header row's cells are split at gaps wider than this. */
#define CHUNK_GAP 1.0
/* Lines a header may span, each at most HEADER_LINE_GAP line heights
 * below the one before (a title's second line is set tight; the first
 * item's description on a line of its own, a line apart, is not). */
#define MAX_HEADER_LINES 3
#define HEADER_LINE_GAP 1.0
/* Row words examined by all table attempts together, per word on the page
 * (plus a floor): a real page needs two or three passes; a hostile one
 * (thousands of header-like rows) stops here instead of going quadratic. */
#define WORK_PER_WORD 64
#define WORK_FLOOR 100000

typedef struct span {
    float x0, x1;    /* header and body words so far */
    float hx0, hx1;  /* header words only */
} span;

typedef struct asg {
    size_t trow, col, word, seq;
} asg;

typedef struct tctx {
    const df_layout *lay;
    df_lay_phrase *hdr, *stop;
    size_t nhdr, nstop;
    size_t *rw, *rseg, *rcol; /* words of the current row, their line, their column */
    size_t nrw;
    /* the table being built; trow 0 is the header */
    size_t ncols;
    span col[DF_TABLE_MAX_COLS];
    float h;
    asg *a;
    size_t na, acap;
    df_table_row_kind *kind;
    size_t *tlines;
    size_t ntrows, tcap, nbody;
    size_t first_row, last_row;
    df_table *out;
    size_t nout;
    size_t work, budget;  /* row words examined so far, and the cap */
} tctx;

static void load_row(tctx *t, size_t r)
{
    const df_layout *lay = t->lay;
    const df_layout_row *R = &lay->rows[r];
    t->nrw = 0;
    for (size_t j = 0; j < R->nlines; j++) {
        size_t li = lay->row_lines[R->first + j];
        const df_layout_line *L = &lay->lines[li];
        for (size_t k = 0; k < L->nwords; k++) {
            t->rw[t->nrw] = L->first + k;
            t->rseg[t->nrw++] = li;
        }
    }
}

static const float *wbox(const tctx *t, size_t j) { return t->lay->words[t->rw[j]].box; }

/* 1 when the word has no letter or digit (":", "|", "~~..."). */
static int punct_only(const char *s)
{
    for (; *s; s++)
        if ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
            (unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* A speck OCR made of a rule's remnant (":", "|", "—"): no letter or digit,
 * and not a title printed as a sign ("#", "%"). */
static int speck(const char *s)
{
    return punct_only(s) && !strpbrk(s, "#%");
}

/* Drop from the loaded row the words OCR made of specks beside the table (a
 * photo's background, a scanner's edge): wholly outside the columns and
 * below DF_TABLE_NOISE_CONF or without a letter or digit. They would end
 * the table as text beside it. */
static void drop_edge_noise(tctx *t)
{
    float lo = t->col[0].x0 - t->h, hi = t->col[t->ncols - 1].x1 + t->h;
    size_t k = 0;
    for (size_t j = 0; j < t->nrw; j++) {
        const df_word *w = &t->lay->words[t->rw[j]];
        if ((w->conf < DF_TABLE_NOISE_CONF || punct_only(w->text)) &&
            (w->box[2] < lo || w->box[0] > hi))
            continue;
        t->rw[k] = t->rw[j];
        t->rseg[k++] = t->rseg[j];
    }
    t->nrw = k;
}

static float row_height(tctx *t, float *scratch)
{
    for (size_t j = 0; j < t->nrw; j++)
        scratch[j] = wbox(t, j)[3] - wbox(t, j)[1];
    return df_lay_median(scratch, t->nrw);
}

/* ---- building a table -------------------------------------------------------------- */

static int add_asg(tctx *t, size_t trow, size_t col, size_t word)
{
    if (t->na == t->acap) {
        size_t nc = t->acap ? t->acap * 2 : 128;
        asg *g = realloc(t->a, nc * sizeof *g);
        if (!g)
            return -1;
        t->a = g;
        t->acap = nc;
    }
    t->a[t->na] = (asg){trow, col, word, t->na};
    t->na++;
    return 0;
}

static int new_trow(tctx *t, df_table_row_kind kind)
{
    if (t->ntrows == t->tcap) {
        size_t nc = t->tcap ? t->tcap * 2 : 32;
        df_table_row_kind *k = realloc(t->kind, nc * sizeof *k);
        if (k)
            t->kind = k;
        size_t *l = realloc(t->tlines, nc * sizeof *l);
        if (l)
            t->tlines = l;
        if (!k || !l)
            return -1;
        t->tcap = nc;
    }
    t->kind[t->ntrows] = kind;
    t->tlines[t->ntrows++] = 1;
    return 0;
}

static void start_table(tctx *t, size_t r)
{
    t->na = 0;
    t->ntrows = 0;
    t->nbody = 0;
    t->ncols = 0;
    t->first_row = t->last_row = r;
}

/* Open a column for row words [a, b) of the header. */
static void header_col(tctx *t, size_t a, size_t b)
{
    span *s = &t->col[t->ncols];
    s->x0 = s->hx0 = wbox(t, a)[0];
    s->x1 = s->hx1 = wbox(t, a)[2];
    for (size_t j = a; j < b; j++) {
        s->x0 = s->hx0 = fminf(s->hx0, wbox(t, j)[0]);
        s->x1 = s->hx1 = fmaxf(s->hx1, wbox(t, j)[2]);
        t->rcol[j] = t->ncols;
    }
    t->ncols++;
}

/* "/", "&", "and", or a word ending in '/': joins two titles into one. */
static int connects(const char *w)
{
    size_t n = strlen(w);
    return (n > 0 && w[n - 1] == '/') || strcmp(w, "&") == 0 || strcmp(w, "and") == 0;
}

/* Keyword header: a row with at least min_hits phrase matches. Its columns
 * are the matched phrases plus every other word of the segments it spans
 * that is not within JOIN_GAP of its left neighbour (a "#" or "S.No" the
 * caller did not list); a word that close joins that column ("Amount (INR)"). */
static int keyword_header(tctx *t, size_t r, unsigned min_hits)
{
    size_t hits = 0, n = t->nrw;
    unsigned char *in_seg = NULL;
    for (size_t j = 0; j < n; j++)
        t->rcol[j] = NONE;
    size_t *mlen = t->rcol; /* reused: match length at j, before columns exist */
    for (size_t j = 0; j < n;) {
        size_t m = df_lay_match(t->lay, t->rw, t->rseg, t->nrw, j, t->hdr, t->nhdr);
        mlen[j] = m ? m : NONE;
        hits += m > 0;
        j += m ? m : 1;
    }
    if (hits < min_hits)
        return 0;
    /* The header spans the line segments from the first to the last one
     * holding a match (an unlisted "HSN/" between listed titles belongs to
     * it); segments outside (a page number far to the right) do not.
     * Segments are consecutive in the row. */
    if (!(in_seg = calloc(n, 1)))
        return -1;
    size_t first = NONE, last = 0;
    for (size_t j = 0; j < n; j++)
        if (mlen[j] != NONE) {
            if (first == NONE)
                first = j;
            last = j;
        }
    while (first > 0 && t->rseg[first - 1] == t->rseg[first])
        first--;
    while (last + 1 < n && t->rseg[last + 1] == t->rseg[last])
        last++;
    memset(in_seg + first, 1, last - first + 1);
    float gap_max = (float)JOIN_GAP * t->h;
    size_t prev = NONE;
    int matched[DF_TABLE_MAX_COLS];
    for (size_t j = 0; j < n;) {
        if (!in_seg[j]) {
            t->rcol[j++] = NONE;
            continue;
        }
        size_t m = mlen[j] == NONE ? 0 : mlen[j];
        const char *wt = t->lay->words[t->rw[j]].text;
        if (!m && t->ncols > 0 && speck(wt) && !connects(wt)) {
            /* a rule's remnant after a title, no column (first, it may
             * stand for a serial number's title OCR lost: "; _" for "SI") */
            t->rcol[j++] = NONE;
            continue;
        }
        int near = prev != NONE && wbox(t, j)[0] - wbox(t, prev)[2] <= gap_max;
        /* "Description of Goods / Services": a title after a connector
         * continues the one before it */
        int tight = prev != NONE && wbox(t, j)[0] - wbox(t, prev)[2] <= (float)TITLE_GAP * t->h;
        int join = near && (!m || tight || connects(t->lay->words[t->rw[prev]].text));
        if (join) {
            span *s = &t->col[t->ncols - 1];
            s->x1 = s->hx1 = fmaxf(s->hx1, wbox(t, j)[2]);
            t->rcol[j] = t->ncols - 1;
            prev = j++;
            continue;
        }
        if (t->ncols == DF_TABLE_MAX_COLS) {
            free(in_seg);
            return 0;
        }
        size_t end = j + (m ? m : 1);
        matched[t->ncols] = m > 0;
        header_col(t, j, end);
        prev = end - 1;
        j = end;
    }
    free(in_seg);
    /* A lone unmatched word right before a matched title is its first word
     * ("Total Amount" when only "Amount" was listed). */
    for (size_t c = 0; c + 1 < t->ncols; c++) {
        if (matched[c] || !matched[c + 1] || t->col[c + 1].hx0 - t->col[c].hx1 > gap_max)
            continue;
        t->col[c + 1].x0 = t->col[c + 1].hx0 = t->col[c].hx0;
        for (size_t j = 0; j < n; j++)
            if (t->rcol[j] != NONE && t->rcol[j] > c)
                t->rcol[j]--;
        memmove(&t->col[c], &t->col[c + 1], (t->ncols - c - 1) * sizeof t->col[0]);
        memmove(&matched[c], &matched[c + 1], (t->ncols - c - 1) * sizeof matched[0]);
        t->ncols--;
    }
    return t->ncols >= 2 ? 1 : 0;
}

/* Geometry header: a digit-free row of at least 3 cells split at CHUNK_GAP. */
static int geometry_header(tctx *t)
{
    size_t n = t->nrw;
    if (n < 3)
        return 0;
    for (size_t j = 0; j < n; j++)
        if (strpbrk(t->lay->words[t->rw[j]].text, "0123456789"))
            return 0;
    size_t a = 0;
    for (size_t j = 1; j <= n; j++) {
        if (j < n && wbox(t, j)[0] - wbox(t, j - 1)[2] <= (float)CHUNK_GAP * t->h)
            continue;
        if (t->ncols == DF_TABLE_MAX_COLS)
            return 0;
        header_col(t, a, j);
        a = j;
    }
    return t->ncols >= 3;
}

static size_t column_for(const tctx *t, size_t j, int *outside)
{
    const float *b = wbox(t, j);
    size_t best = NONE;
    float best_ov = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        float ov = fminf(b[2], t->col[c].hx1) - fmaxf(b[0], t->col[c].hx0);
        if (ov > best_ov) {
            best_ov = ov;
            best = c;
        }
    }
    /* Close to the previous word and not under another title: same cell. */
    if (j > 0 && b[0] - wbox(t, j - 1)[2] <= (float)JOIN_GAP * t->h &&
        (best == NONE || best == t->rcol[j - 1]))
        return t->rcol[j - 1];
    if (best != NONE)
        return best;
    float best_d = INFINITY;
    for (size_t c = 0; c < t->ncols; c++) {
        float ov = fminf(b[2], t->col[c].x1) - fmaxf(b[0], t->col[c].x0);
        float d = ov > 0 ? -ov : (b[0] >= t->col[c].x1 ? b[0] - t->col[c].x1 : t->col[c].x0 - b[2]);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    float mid = 0.5f * (b[0] + b[2]);
    *outside = mid < t->col[0].x0 - t->h || mid > t->col[t->ncols - 1].x1 + t->h;
    return best;
}

/* Make room for column c: later columns and the header words assigned to
 * them move one to the right. */
static void insert_col(tctx *t, size_t c)
{
    memmove(&t->col[c + 1], &t->col[c], (t->ncols - c) * sizeof t->col[0]);
    for (size_t k = 0; k < t->na; k++)
        if (t->a[k].col >= c)
            t->a[k].col++;
    t->ncols++;
}

/* A digit-free line under the header with words beyond its first or last
 * title is a title of its own on the header's next line ("No." under "Sl",
 * the two lines flanking "Description"): open a column for each such word.
 * 1 when the row now fits, 0 when it does not (too many columns, digits,
 * or the header already has its lines). */
static int widen_header(tctx *t)
{
    if (t->tlines[0] >= MAX_HEADER_LINES || t->nrw > 3)
        return 0;
    for (size_t j = 0; j < t->nrw; j++)
        if (strpbrk(t->lay->words[t->rw[j]].text, "0123456789"))
            return 0;
    for (size_t j = 0; j < t->nrw; j++) {
        const float *b = wbox(t, j);
        float mid = 0.5f * (b[0] + b[2]);
        int left = mid < t->col[0].x0 - t->h, right = mid > t->col[t->ncols - 1].x1 + t->h;
        if (!left && !right)
            continue;
        if (t->ncols == DF_TABLE_MAX_COLS)
            return 0;
        size_t c = left ? 0 : t->ncols;
        insert_col(t, c);
        t->col[c] = (span){b[0], b[2], b[0], b[2]};
    }
    return 1;
}

/* 1 when s is a row's serial number: 1 to 3 digits, then maybe a '.' or ')'. */
static int serial_number(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    if (n == 0 || n > 3)
        return 0;
    if (s[n] == '.' || s[n] == ')')
        n++;
    return s[n] == '\0';
}

/* The first body row opens with a serial number left of the first title:
 * the "#" column has no title printed ("1  Syringe 5 ml ..." under
 * "Description"). Open an untitled column for it. 1 when one was opened. */
static int untitled_serial(tctx *t)
{
    if (t->nrw < 2 || t->ncols == DF_TABLE_MAX_COLS ||
        !serial_number(t->lay->words[t->rw[0]].text))
        return 0;
    const float *b = wbox(t, 0);
    if (0.5f * (b[0] + b[2]) >= t->col[0].x0 - t->h || b[2] >= wbox(t, 1)[0])
        return 0;
    for (size_t j = 1; j < t->nrw; j++) {
        const float *o = wbox(t, j);
        if (0.5f * (o[0] + o[2]) < t->col[0].x0 - t->h)
            return 0; /* more than the number out there: not this table's row */
    }
    insert_col(t, 0);
    t->col[0] = (span){b[0], b[2], b[0], b[2]};
    return 1;
}

/* Assign the rows below the header until one does not fit (rules at df_table). */
/* A row drawn with characters ("------", "======"): every word is made of
 * rule characters only. */
static int rule_row(const tctx *t)
{
    if (t->nrw == 0)
        return 0;
    for (size_t j = 0; j < t->nrw; j++) {
        const char *w = t->lay->words[t->rw[j]].text;
        if (strlen(w) < 3 || w[strspn(w, "-=_*~.")] != '\0')
            return 0;
    }
    return 1;
}

/* Words of text rows held back until the next row shows whom they belong
 * to: a description printed on its own line above its figures ("Sparkling
 * Water 500ml" / "2  1.20  2.40") or under the previous item's. */
#define PEND_MAX 48
/* Word gap within a held text line, in line heights (pend_flush). */
#define PHRASE_GAP 1.5
typedef struct pending {
    size_t w[PEND_MAX], c[PEND_MAX];
    size_t n, lines;
} pending;

static int pend_add(pending *P, const tctx *t)
{
    if (P->n + t->nrw > PEND_MAX)
        return 0;
    for (size_t j = 0; j < t->nrw; j++) {
        P->w[P->n] = t->rw[j];
        P->c[P->n++] = t->rcol[j];
    }
    P->lines++;
    return 1;
}

/* Give the held words to table row trow (or drop them when there is none).
 * A held line is text, so a word within PHRASE_GAP line heights of the one
 * before it stays in that word's cell: "Free Range Eggs x6" above its
 * figures is one description, though "Eggs" is nearer the Qty title. */
static int pend_flush(tctx *t, pending *P, size_t trow, int has_row)
{
    for (size_t k = 0; has_row && k < P->n; k++) {
        if (k > 0) {
            const float *a = t->lay->words[P->w[k - 1]].box, *b = t->lay->words[P->w[k]].box;
            float gap = b[0] - a[2];
            if (gap >= 0 && gap <= (float)PHRASE_GAP * t->h && b[1] < a[3] && a[1] < b[3] &&
                P->c[k] > P->c[k - 1])
                P->c[k] = P->c[k - 1];
        }
        if (add_asg(t, trow, P->c[k], P->w[k]) != 0)
            return -1;
    }
    if (has_row)
        t->tlines[trow] += P->lines;
    P->n = P->lines = 0;
    return 0;
}

/* 1 when the current row has nothing in the held words' first column or
 * left of it: they are its description, printed above its figures. A row
 * with its own first cell (a description, a serial number) starts afresh. */
static int pend_fits(const tctx *t, const pending *P)
{
    if (P->n == 0)
        return 0;
    size_t c0 = P->c[0];
    for (size_t k = 1; k < P->n; k++)
        if (P->c[k] < c0)
            c0 = P->c[k];
    for (size_t j = 0; j < t->nrw; j++)
        if (t->rcol[j] <= c0)
            return 0;
    return 1;
}

static int scan_body(tctx *t, size_t r0)
{
    const df_layout *lay = t->lay;
    size_t need = t->ncols < 3 ? t->ncols : 3, last = t->ncols - 1;
    float prev_bot = lay->rows[r0 - 1].box[3];
    int trailing = 0;
    pending P = {{0}, {0}, 0, 0};
    for (size_t r = r0; r < lay->nrows; r++) {
        const df_layout_row *R = &lay->rows[r];
        float gap = t->nbody == 0 ? (float)DF_TABLE_MAX_HEADER_GAP : (float)DF_TABLE_MAX_ROW_GAP;
        if (R->box[1] - prev_bot > gap * t->h)
            break;
        load_row(t, r);
        if ((t->work += t->nrw) > t->budget)
            break;
        drop_edge_noise(t);
        if (t->nrw == 0)
            continue;
        if (rule_row(t)) {
            /* "-----" under a receipt's header opens the body, after it
             * closes it ("Items: 3  Qty: 6" below is no item) */
            if (t->nbody > 0)
                break;
            prev_bot = R->box[3];
            continue;
        }
        int outside = 0;
        for (size_t j = 0; j < t->nrw && !outside; j++)
            t->rcol[j] = column_for(t, j, &outside);
        if (outside && t->nbody == 0 && (widen_header(t) == 1 || untitled_serial(t))) {
            need = t->ncols < 3 ? t->ncols : 3;
            last = t->ncols - 1;
            outside = 0;
            for (size_t j = 0; j < t->nrw; j++)
                t->rcol[j] = column_for(t, j, &outside);
        }
        if (outside)
            break;
        unsigned char used[DF_TABLE_MAX_COLS] = {0};
        size_t filled = 0;
        int last_num = 0;
        for (size_t j = 0; j < t->nrw; j++) {
            filled += !used[t->rcol[j]];
            used[t->rcol[j]] = 1;
            if (t->rcol[j] == last && df_lay_numeric(lay->words[t->rw[j]].text))
                last_num = 1;
        }
        int stop = t->nstop &&
                   df_lay_match(lay, t->rw, t->rseg, t->nrw, 0, t->stop, t->nstop) > 0;
        int digits = 0;
        for (size_t j = 0; j < t->nrw && !digits; j++)
            digits = strpbrk(lay->words[t->rw[j]].text, "0123456789") != NULL;
        size_t trow;
        int tight = R->box[1] - prev_bot <= (float)HEADER_LINE_GAP * t->h;
        if (t->nbody == 0 && !stop && !digits && P.n == 0 && tight) {
            /* Before any item, a row without a single digit is the header's
             * second line ("Unit" over "Price"): line items carry figures. */
            if (t->tlines[0] >= MAX_HEADER_LINES)
                break; /* a page of text, not a header */
            trow = 0;
            t->tlines[0]++;
            for (size_t j = 0; j < t->nrw; j++) {
                span *s = &t->col[t->rcol[j]];
                s->x0 = s->hx0 = fminf(s->hx0, wbox(t, j)[0]);
                s->x1 = s->hx1 = fmaxf(s->hx1, wbox(t, j)[2]);
            }
        } else if (!trailing && !stop && filled >= need) {
            int fits = pend_fits(t, &P);
            if (P.n && !fits && pend_flush(t, &P, t->ntrows - 1, t->nbody > 0) != 0)
                return -1;
            if (new_trow(t, DF_TROW_BODY) != 0)
                return -1;
            trow = t->ntrows - 1;
            t->nbody++;
            if (fits) {
                if (pend_flush(t, &P, trow, 1) != 0)
                    return -1;
            }
            for (size_t j = 0; j < t->nrw; j++) {
                span *s = &t->col[t->rcol[j]];
                s->x0 = fminf(s->x0, wbox(t, j)[0]);
                s->x1 = fmaxf(s->x1, wbox(t, j)[2]);
            }
        } else if (!trailing && !stop && !last_num && pend_add(&P, t)) {
            /* a text row: its owner is decided by the next row */
            prev_bot = R->box[3];
            continue;
        } else if (!trailing && t->nbody > 0 && !stop && !last_num) {
            trow = t->ntrows - 1; /* a wrapped cell: continue the row above */
            t->tlines[trow]++;
        } else if (t->nbody > 0 && (stop || last_num)) {
            if (P.n && pend_flush(t, &P, t->ntrows - 1, 1) != 0)
                return -1;
            trailing = 1;
            if (new_trow(t, DF_TROW_TRAILER) != 0)
                return -1;
            trow = t->ntrows - 1;
        } else {
            break;
        }
        for (size_t j = 0; j < t->nrw; j++)
            if (add_asg(t, trow, t->rcol[j], t->rw[j]) != 0)
                return -1;
        prev_bot = R->box[3];
        t->last_row = r;
    }
    /* text rows at the end: the last item's wrapped description */
    if (P.n && !trailing && t->nbody > 0) {
        if (pend_flush(t, &P, t->ntrows - 1, 1) != 0)
            return -1;
    }
    return 0;
}

/* Geometry mode also wants a figures column: a run of aligned text rows
 * (an address beside invoice details) is not a line-item table. */
static int has_numeric_column(const tctx *t)
{
    for (size_t c = 0; c < t->ncols; c++) {
        size_t nums = 0, other = 0;
        for (size_t k = 0; k < t->na; k++) {
            const asg *g = &t->a[k];
            if (g->col != c || g->trow == 0 || t->kind[g->trow] != DF_TROW_BODY)
                continue;
            if (df_lay_numeric(t->lay->words[g->word].text))
                nums++;
            else
                other++;
        }
        if (nums >= 2 && other == 0)
            return 1;
    }
    return 0;
}

static int asg_cmp(const void *a, const void *b)
{
    const asg *x = a, *y = b;
    if (x->trow != y->trow)
        return x->trow < y->trow ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void box_add(float *dst, const float *src, int first)
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

/* "Detention Charges      Foe": a cell's last word far (STRAY_GAP line
 * heights) to the right of the word before it on its line, read with less
 * than DF_TABLE_NOISE_CONF, is a speck OCR made of a scan's dirt or a rule,
 * not part of the cell. */
static int stray_end(const tctx *t, const df_word *prev, const df_word *w)
{
    return prev && w->conf < DF_TABLE_NOISE_CONF && w->box[0] - prev->box[2] > STRAY_GAP * t->h &&
           w->box[1] < prev->box[3] && prev->box[1] < w->box[3];
}

/* Turn the assignments into a df_table: one cell array and one text pool. */
static int emit(tctx *t)
{
    const df_layout *lay = t->lay;
    size_t nc = t->ncols, nr = t->ntrows, pool_len = 1;
    qsort(t->a, t->na, sizeof *t->a, asg_cmp);
    for (size_t k = 0; k < t->na; k++)
        pool_len += strlen(lay->words[t->a[k].word].text) + 1;
    df_table *T = &t->out[t->nout];
    memset(T, 0, sizeof *T);
    T->pool = malloc(pool_len);
    df_table_cell *cells = calloc(nr * nc, sizeof *cells);
    T->rows = nr > 1 ? calloc(nr - 1, sizeof *T->rows) : NULL;
    T->col_x = malloc(2 * nc * sizeof *T->col_x);
    if (!T->pool || !cells || (nr > 1 && !T->rows) || !T->col_x) {
        free(T->pool);
        free(cells);
        free(T->rows);
        free(T->col_x);
        return -1;
    }
    T->ncols = nc;
    T->nrows = nr - 1;
    T->nbody = t->nbody;
    T->first_row = t->first_row;
    T->last_row = t->last_row;
    for (size_t c = 0; c < nc; c++) {
        T->col_x[2 * c] = t->col[c].x0;
        T->col_x[2 * c + 1] = t->col[c].x1;
    }
    char *p = T->pool;
    *p++ = '\0'; /* pool[0] is the text of every empty cell */
    size_t k = 0;
    for (size_t tr = 0; tr < nr; tr++) {
        df_table_row *row = tr == 0 ? &T->header : &T->rows[tr - 1];
        row->cells = cells + tr * nc;
        row->kind = t->kind[tr];
        row->nlines = t->tlines[tr];
        int first_word = 1;
        for (size_t c = 0; c < nc; c++) {
            df_table_cell *cell = &row->cells[c];
            cell->text = T->pool;
            cell->conf = 100.0f;
            char *start = p;
            const df_word *prev = NULL;
            for (; k < t->na && t->a[k].trow == tr && t->a[k].col == c; k++) {
                const df_word *w = &lay->words[t->a[k].word];
                int last = k + 1 == t->na || t->a[k + 1].trow != tr || t->a[k + 1].col != c;
                if (last && stray_end(t, prev, w))
                    continue;
                prev = w;
                if (cell->nwords++)
                    *p++ = ' ';
                size_t len = strlen(w->text);
                memcpy(p, w->text, len);
                p += len;
                box_add(cell->box, w->box, cell->nwords == 1);
                box_add(row->box, w->box, first_word);
                first_word = 0;
                cell->conf = fminf(cell->conf, w->conf);
            }
            if (cell->nwords) {
                *p++ = '\0';
                cell->text = start;
            }
        }
        box_add(T->box, row->box, tr == 0);
        /* Empty cells get the column's span in the row's band: the region a
         * caller would re-read if it suspects a missed word. */
        for (size_t c = 0; c < nc; c++) {
            df_table_cell *cell = &row->cells[c];
            if (cell->nwords == 0) {
                cell->box[0] = t->col[c].x0;
                cell->box[1] = row->box[1];
                cell->box[2] = t->col[c].x1;
                cell->box[3] = row->box[3];
            }
        }
    }
    t->nout++;
    return 0;
}

void df_tables_free(df_table *tables, size_t ntables)
{
    if (!tables)
        return;
    for (size_t i = 0; i < ntables; i++) {
        free(tables[i].header.cells); /* all rows' cells live in this one block */
        free(tables[i].rows);
        free(tables[i].col_x);
        free(tables[i].pool);
    }
    free(tables);
}

/* Try a table whose header is row r: 1 when one was added, 2 when rows up to
 * t->last_row cannot start one either, 0 when not, -1 on OOM. */
static int try_table(tctx *t, size_t r, unsigned min_hits, float *scratch)
{
    load_row(t, r);
    t->work += t->nrw;
    start_table(t, r);
    t->h = row_height(t, scratch);
    int ok = t->nhdr ? keyword_header(t, r, min_hits) : geometry_header(t);
    if (ok <= 0)
        return ok;
    if (new_trow(t, DF_TROW_BODY) != 0)
        return -1;
    for (size_t j = 0; j < t->nrw; j++)
        if (t->rcol[j] != NONE && add_asg(t, 0, t->rcol[j], t->rw[j]) != 0)
            return -1;
    if (r + 1 < t->lay->nrows && scan_body(t, r + 1) != 0)
        return -1;
    if (t->nbody == 0 || (!t->nhdr && t->nbody < DF_TABLE_MIN_GEOMETRY_ROWS))
        return 0;
    if (!t->nhdr && !has_numeric_column(t))
        return 2; /* an aligned grid of words: its own rows would fail the same way */
    return emit(t) == 0 ? 1 : -1;
}

df_code df_layout_find_tables(const df_layout *lay, const df_table_spec *spec,
                              df_table **out, size_t *ntables, df_err *err)
{
    if (!lay || !out || !ntables)
        return df_err_set(err, DF_E_INVALID_ARGUMENT, "tables: no layout or no output");
    *out = NULL;
    *ntables = 0;
    tctx t;
    memset(&t, 0, sizeof t);
    t.lay = lay;
    df_code rc = DF_OK;
    float *scratch = NULL;
    unsigned min_hits = spec && spec->min_header_hits ? spec->min_header_hits
                                                      : DF_TABLE_MIN_HEADER_HITS;
    if (spec && spec->header_words && spec->nheader &&
        !(t.hdr = df_lay_phrases(spec->header_words, spec->nheader, &t.nhdr)))
        goto oom;
    if (spec && spec->stop_words && spec->nstop &&
        !(t.stop = df_lay_phrases(spec->stop_words, spec->nstop, &t.nstop)))
        goto oom;
    if (spec && spec->nheader && t.nhdr == 0)
        goto done; /* keywords were asked for, none usable: no header can match */
    if (lay->nwords == 0)
        goto done;
    t.rw = malloc(lay->nwords * sizeof *t.rw);
    t.rseg = malloc(lay->nwords * sizeof *t.rseg);
    t.rcol = malloc(lay->nwords * sizeof *t.rcol);
    scratch = malloc(lay->nwords * sizeof *scratch);
    t.out = calloc(DF_TABLE_MAX_TABLES, sizeof *t.out);
    if (!t.rw || !t.rseg || !t.rcol || !scratch || !t.out)
        goto oom;
    t.budget = WORK_FLOOR + WORK_PER_WORD * lay->nwords;
    for (size_t r = 0; r < lay->nrows && t.nout < DF_TABLE_MAX_TABLES && t.work <= t.budget;
         r++) {
        int got = try_table(&t, r, min_hits, scratch);
        if (got < 0)
            goto oom;
        if (got)
            r = t.last_row; /* rows of a found table are not headers of another */
    }
    goto done;
oom:
    rc = df_err_set(err, DF_E_NO_MEMORY, "out of memory looking for tables");
    df_tables_free(t.out, t.nout);
    t.out = NULL;
    t.nout = 0;
done:
    if (t.out && t.nout == 0) {
        free(t.out);
        t.out = NULL;
    }
    *out = t.out;
    *ntables = t.nout;
    free(t.hdr);
    free(t.stop);
    free(t.rw);
    free(t.rseg);
    free(t.rcol);
    free(scratch);
    free(t.a);
    free(t.kind);
    free(t.tlines);
    return rc;
}
