/*
 * render.c — the layout as plain text on a character grid.
 *
 * Exists for the regex-based extractors and for people: a line-oriented text
 * in which a table still looks like a table ("Qty" above the quantities,
 * amounts in one column) lets a pattern like "Total\s+([0-9,.]+)" work on a
 * scan and on a text-layer PDF alike, and makes a debug dump readable. Rows
 * become text lines; each word is placed at its x divided by the page's
 * median character width. Numbers are placed by their right edge because
 * invoices right-align amounts, and the left edges of "12,500.00" and
 * "3,555.00" differ by a digit that proportional fonts make a fraction of a
 * grid cell.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout_int.h"

/* A gap between rows larger than this many line heights becomes one blank
 * text line (paragraph and section breaks stay visible). */
#define BLANK_GAP 1.0
/* Character width used when the layout has none (points). */
#define FALLBACK_CHAR_W 5.0f

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int failed;
} sbuf;

static void put(sbuf *s, const char *d, size_t n)
{
    if (s->failed)
        return;
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *g = realloc(s->p, cap);
        if (!g) {
            s->failed = 1;
            return;
        }
        s->p = g;
        s->cap = cap;
    }
    memcpy(s->p + s->len, d, n);
    s->len += n;
    s->p[s->len] = '\0';
}

static void spaces(sbuf *s, size_t n)
{
    static const char sp[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        put(s, sp, k);
        n -= k;
    }
}

static size_t utf8_chars(const char *t)
{
    size_t n = 0;
    for (; *t; t++)
        n += ((unsigned char)*t & 0xC0) != 0x80;
    return n;
}

/* A figure: digits with separators, signs, percent or currency (any
 * non-ASCII byte, e.g. "₹"), and at least one digit. */
int df_lay_numeric(const char *t)
{
    int digit = 0;
    for (; *t; t++) {
        unsigned char ch = (unsigned char)*t;
        if (ch >= '0' && ch <= '9')
            digit = 1;
        else if (ch < 0x80 && !strchr(",.-+%()/$", ch))
            return 0;
    }
    return digit;
}

static long grid(double x, double minx, double cw)
{
    double g = floor((x - minx) / cw + 0.5);
    return g < 0 ? 0 : (long)g;
}

/* The gap after prev is an ordinary word space: at most a grid cell, or half
 * the smaller word height (a space is ~0.25 em; a 14 pt heading's spaces are
 * wider than a grid cell sized on 9 pt body text). */
static int flows(const df_word *prev, const df_word *w, double cw)
{
    double gap = w->box[0] - prev->box[2];
    double h = fmin(prev->box[3] - prev->box[1], w->box[3] - w->box[1]);
    return gap <= fmax(cw, 0.5 * h);
}

char *df_layout_render(const df_layout *lay)
{
    if (!lay)
        return NULL;
    sbuf s = {NULL, 0, 0, 0};
    put(&s, "", 0);
    if (lay->nwords == 0)
        return s.p;
    double minx = lay->words[0].box[0], maxx = lay->words[0].box[2];
    for (size_t i = 1; i < lay->nwords; i++) {
        minx = fmin(minx, lay->words[i].box[0]);
        maxx = fmax(maxx, lay->words[i].box[2]);
    }
    double cw = lay->char_width > 0 ? lay->char_width : FALLBACK_CHAR_W;
    if ((maxx - minx) / cw > DF_LAYOUT_RENDER_MAX_COLS)
        cw = (maxx - minx) / DF_LAYOUT_RENDER_MAX_COLS; /* a very wide page: squeeze */

    for (size_t r = 0; r < lay->nrows; r++) {
        const df_layout_row *R = &lay->rows[r];
        if (r > 0 && R->box[1] - lay->rows[r - 1].box[3] > BLANK_GAP * lay->line_height)
            put(&s, "\n", 1);
        size_t cursor = 0;
        const df_word *prev = NULL;
        for (size_t j = 0; j < R->nlines; j++) {
            const df_layout_line *L = &lay->lines[lay->row_lines[R->first + j]];
            for (size_t k = 0; k < L->nwords; k++) {
                const df_word *w = &lay->words[L->first + k];
                size_t len = utf8_chars(w->text);
                size_t start;
                if (prev && flows(prev, w, cw)) {
                    start = cursor + 1; /* running text: one space, whatever the font size */
                } else {
                    long at = df_lay_numeric(w->text) ? grid(w->box[2], minx, cw) - (long)len
                                                      : grid(w->box[0], minx, cw);
                    start = at < 0 ? 0 : (size_t)at;
                    /* Words never touch: a collision pushes right, keeping one space. */
                    if (cursor > 0 && start < cursor + 1)
                        start = cursor + 1;
                }
                prev = w;
                spaces(&s, start - cursor);
                put(&s, w->text, strlen(w->text));
                cursor = start + len;
            }
        }
        put(&s, "\n", 1);
    }
    if (s.failed) {
        free(s.p);
        return NULL;
    }
    return s.p;
}
