/*
 * layout_int.h — working state shared by the layout passes (lines.c,
 * blocks.c, layout.c). The passes run in a fixed order over one lay_ctx; each
 * one reads what the previous produced, so they are split into files by
 * concern, not hidden behind a narrower interface. Private to lib/layout/.
 */
#ifndef DF_LAYOUT_INT_H
#define DF_LAYOUT_INT_H

#include <stddef.h>

#include "layout/layout.h"

/* A line segment while the layout is being built. y values named top/bot
 * are deskewed (sheared by the page skew), so that comparisons of "same
 * height" and "just below" hold on a skewed scan; box is the real box. */
typedef struct lay_line {
    size_t first, n;  /* ctx->order[first .. first + n) */
    size_t row;
    float x0, x1, top, bot;
    float box[4];
    float baseline, height;
} lay_line;

typedef struct lay_row {
    size_t first, n;  /* ctx->lines[first .. first + n), left to right */
    float top, bot;
} lay_row;

typedef struct lay_ctx {
    df_word *w;       /* sanitised copies (owned until handed to the layout) */
    size_t n;
    float *top, *bot; /* deskewed band of each word */
    double slope;     /* dy/dx of the text lines */
    float med_h;      /* median word height, > 0 */
    size_t *order;    /* word indices grouped by row, then left to right */
    lay_line *lines;  /* grouped by row, then left to right */
    size_t nlines;
    lay_row *rows;    /* top to bottom */
    size_t nrows;
    size_t *line_order;  /* lines in reading order (blocks.c) */
    size_t *block_start; /* nblocks + 1 offsets into line_order */
    size_t nblocks;
} lay_ctx;

/* A generic sort key: qsort has no context argument, so passes sort arrays
 * of these (ties broken by i, which makes every order deterministic). */
typedef struct lay_key {
    double k1, k2;
    size_t i;
} lay_key;

void df_lay_sort(lay_key *k, size_t n);
/* Median of v[0..n) (reorders v); 0 when n == 0. */
float df_lay_median(float *v, size_t n);

/* render.c: a figure ("12,500.00", "9%", "₹1,250") rather than a word. */
int df_lay_numeric(const char *text);

/* phrases.c: caller phrases split into words (rules in phrases.c). */
#define DF_LAY_MAX_TOKENS 8
typedef struct df_lay_phrase {
    const char *tok[DF_LAY_MAX_TOKENS];
    size_t len[DF_LAY_MAX_TOKENS];
    size_t ntok;
} df_lay_phrase;
/* Parse n phrases (unusable ones skipped: NULL, blank, > DF_LAY_MAX_TOKENS
 * words); *np gets the count kept. NULL only when out of memory or n == 0.
 * The phrases point into list's strings. */
df_lay_phrase *df_lay_phrases(const char *const *list, size_t n, size_t *np);
/* Words matched by the longest phrase starting at row word j, or 0. rw are
 * word indices of a row in x order, rseg their line: a phrase never spans
 * two line segments (a column gap). */
size_t df_lay_match(const df_layout *lay, const size_t *rw, const size_t *rseg, size_t nrw,
                    size_t j, const df_lay_phrase *ps, size_t nps);

/* lines.c: estimate skew, fill top/bot, then order, lines and rows. */
df_code df_lay_lines(lay_ctx *c, df_err *err);
/* blocks.c: group lines into blocks and order them (line_order, block_start). */
df_code df_lay_blocks(lay_ctx *c, df_err *err);

#endif
