/*
 * blocks.c — line segments to blocks, and blocks into reading order.
 *
 * Exists because extractors look for things by region ("the block under
 * Bill To:", "the vendor's address at the top left") and because the words
 * must come out in an order a person would read them: the vendor's lines
 * before the invoice-meta lines beside them, not interleaved row by row.
 *
 * Blocks grow downwards: a line joins the block whose last line is just
 * above it and overlaps it horizontally, but only when that pairing is
 * one-to-one — a full-width line under two columns, or a heading over two
 * columns, starts a new block instead of swallowing one side. A row cut
 * into DF_LAYOUT_TABULAR_SEGMENTS or more segments is a table row: its
 * pieces are cells, so each stays a block of its own and the XY cut then
 * reads a table row by row instead of column by column. Blocks are
 * then ordered by a recursive XY cut: cut into horizontal slabs wherever
 * nothing spans the gap (top to bottom), else into vertical strips (left to
 * right), recursively.
 */
#include <stdlib.h>
#include <string.h>

#include "layout/layout_int.h"

#define NONE ((size_t)-1)

typedef struct blk {
    size_t head, tail;     /* first and last line (linked by next_line) */
    size_t stamp, hits;    /* lines of row `stamp` that chose this block */
    float x0, x1, top, bot;
} blk;

typedef struct bctx {
    lay_ctx *c;
    blk *b;
    size_t nb, cap;
    size_t *next_line;
    lay_key *keys;         /* scratch for sorting, nb entries once grown */
    float tol;
} bctx;

static int new_block(bctx *bc, size_t line)
{
    if (bc->nb == bc->cap) {
        size_t nc = bc->cap ? bc->cap * 2 : 64;
        blk *g = realloc(bc->b, nc * sizeof *g);
        if (!g)
            return -1;
        bc->b = g;
        bc->cap = nc;
    }
    const lay_line *L = &bc->c->lines[line];
    blk *B = &bc->b[bc->nb++];
    B->head = B->tail = line;
    B->stamp = NONE;
    B->hits = 0;
    B->x0 = L->x0;
    B->x1 = L->x1;
    B->top = L->top;
    B->bot = L->bot;
    return 0;
}

static void append(bctx *bc, size_t b, size_t line)
{
    blk *B = &bc->b[b];
    const lay_line *L = &bc->c->lines[line];
    bc->next_line[B->tail] = line;
    B->tail = line;
    if (L->x0 < B->x0)
        B->x0 = L->x0;
    if (L->x1 > B->x1)
        B->x1 = L->x1;
    if (L->top < B->top)
        B->top = L->top;
    if (L->bot > B->bot)
        B->bot = L->bot;
}

/* The block (if exactly one) whose last line sits just above L and overlaps
 * it in x. Active blocks are sorted by their last line's x0, so the search
 * starts maxw to the left of L and stops once past L's right end. */
static size_t find_above(bctx *bc, const lay_key *act, size_t na, float maxw,
                         const lay_line *L, size_t row)
{
    const lay_ctx *c = bc->c;
    size_t lo = 0, hi = na, found = NONE;
    double from = (double)L->x0 - maxw;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (act[mid].k1 < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    int count = 0, scanned = 0;
    for (size_t p = lo; p < na && act[p].k1 < L->x1; p++) {
        if (++scanned > DF_LAYOUT_MAX_CANDIDATES) {
            count = 2; /* too crowded to be a paragraph: start a new block */
            break;
        }
        blk *B = &bc->b[act[p].i];
        const lay_line *T = &c->lines[B->tail];
        float hmin = T->height < L->height ? T->height : L->height;
        if (T->x1 <= L->x0 || L->top - T->bot > (float)DF_LAYOUT_BLOCK_GAP * hmin)
            continue;
        if (B->stamp != row) {
            B->stamp = row;
            B->hits = 0;
        }
        B->hits++;
        count++;
        found = act[p].i;
    }
    return count == 1 ? found : NONE;
}

static df_code build_blocks(bctx *bc, df_err *err)
{
    lay_ctx *c = bc->c;
    size_t *active = NULL, *choice = NULL, na = 0, acap = 0;
    lay_key *act = NULL;
    size_t maxrow = 0;
    for (size_t r = 0; r < c->nrows; r++)
        if (c->rows[r].n > maxrow)
            maxrow = c->rows[r].n;
    choice = malloc((maxrow ? maxrow : 1) * sizeof *choice);
    if (!choice)
        goto oom;
    for (size_t r = 0; r < c->nrows; r++) {
        const lay_row *R = &c->rows[r];
        float rtop = c->lines[R->first].top;
        for (size_t j = 1; j < R->n; j++)
            if (c->lines[R->first + j].top < rtop)
                rtop = c->lines[R->first + j].top;
        /* Drop blocks too far above to be continued by any later row. */
        size_t keep = 0;
        for (size_t a = 0; a < na; a++) {
            const lay_line *T = &c->lines[bc->b[active[a]].tail];
            if (rtop - T->bot <= (float)DF_LAYOUT_BLOCK_GAP * T->height)
                active[keep++] = active[a];
        }
        na = keep;
        float maxw = 0;
        for (size_t a = 0; a < na; a++) {
            const lay_line *T = &c->lines[bc->b[active[a]].tail];
            act[a].k1 = T->x0;
            act[a].k2 = 0;
            act[a].i = active[a];
            if (T->x1 - T->x0 > maxw)
                maxw = T->x1 - T->x0;
        }
        df_lay_sort(act, na);
        int tabular = R->n >= DF_LAYOUT_TABULAR_SEGMENTS;
        for (size_t j = 0; j < R->n; j++)
            choice[j] = tabular ? NONE : find_above(bc, act, na, maxw, &c->lines[R->first + j], r);
        for (size_t j = 0; j < R->n; j++) {
            size_t li = R->first + j, b = choice[j];
            if (b != NONE && bc->b[b].hits == 1) {
                append(bc, b, li);
                continue;
            }
            if (new_block(bc, li) != 0)
                goto oom;
            if (tabular)
                continue; /* a cell: nothing stacks onto it either */
            if (na == acap) {
                size_t nc = acap ? acap * 2 : 64;
                size_t *g = realloc(active, nc * sizeof *g);
                lay_key *gk = realloc(act, nc * sizeof *gk);
                if (g)
                    active = g;
                if (gk)
                    act = gk;
                if (!g || !gk)
                    goto oom;
                acap = nc;
            }
            active[na++] = bc->nb - 1;
        }
    }
    free(active);
    free(act);
    free(choice);
    return DF_OK;
oom:
    free(active);
    free(act);
    free(choice);
    return df_err_set(err, DF_E_NO_MEMORY, "out of memory laying out %zu words", c->n);
}

/* ---- reading order: recursive XY cut ---------------------------------------------- */

enum { BY_TOP, BY_LEFT };

static void sort_blocks(bctx *bc, size_t *ix, size_t n, int by)
{
    for (size_t j = 0; j < n; j++) {
        const blk *B = &bc->b[ix[j]];
        bc->keys[j].k1 = by == BY_TOP ? B->top : B->x0;
        bc->keys[j].k2 = by == BY_TOP ? B->x0 : B->top;
        bc->keys[j].i = ix[j];
    }
    df_lay_sort(bc->keys, n);
    for (size_t j = 0; j < n; j++)
        ix[j] = bc->keys[j].i;
}

/* Split ix (sorted along the axis) wherever no earlier block reaches past
 * the next one's start; recurse into each piece. 0 when no cut exists. */
static int cut(bctx *bc, size_t *ix, size_t n, int by, int depth);

static void xy_order(bctx *bc, size_t *ix, size_t n, int depth)
{
    if (n < 2)
        return;
    if (depth >= DF_LAYOUT_MAX_CUT_DEPTH) {
        sort_blocks(bc, ix, n, BY_TOP);
        return;
    }
    if (cut(bc, ix, n, BY_TOP, depth) || cut(bc, ix, n, BY_LEFT, depth))
        return;
    /* Interlocked blocks (an L-shaped arrangement): plain top-left order. */
    sort_blocks(bc, ix, n, BY_TOP);
}

static int cut(bctx *bc, size_t *ix, size_t n, int by, int depth)
{
    sort_blocks(bc, ix, n, by);
    /* Slightly overlapping boxes still separate slabs (text-layer boxes
     * include the font's full ascent and descent); columns need a real gap. */
    float tol = by == BY_TOP ? bc->tol : 0.0f;
    const blk *B = &bc->b[ix[0]];
    float reach = by == BY_TOP ? B->bot : B->x1;
    size_t start = 0;
    int cuts = 0;
    for (size_t j = 1; j <= n; j++) {
        B = j < n ? &bc->b[ix[j]] : NULL;
        float lo = B ? (by == BY_TOP ? B->top : B->x0) : 0;
        if (!B || lo >= reach - tol) {
            if (!B && !cuts)
                return 0;
            xy_order(bc, ix + start, j - start, depth + 1);
            cuts = 1;
            start = j;
        }
        if (B) {
            float hi = by == BY_TOP ? B->bot : B->x1;
            if (hi > reach)
                reach = hi;
        }
    }
    return 1;
}

df_code df_lay_blocks(lay_ctx *c, df_err *err)
{
    bctx bc;
    memset(&bc, 0, sizeof bc);
    bc.c = c;
    bc.tol = 0.2f * c->med_h;
    size_t *ix = NULL;
    df_code rc;
    bc.next_line = malloc(c->nlines * sizeof *bc.next_line);
    if (!bc.next_line)
        goto oom;
    for (size_t i = 0; i < c->nlines; i++)
        bc.next_line[i] = NONE;
    if ((rc = build_blocks(&bc, err)) != DF_OK)
        goto out;
    ix = malloc(bc.nb * sizeof *ix);
    bc.keys = malloc(bc.nb * sizeof *bc.keys);
    c->line_order = malloc(c->nlines * sizeof *c->line_order);
    c->block_start = malloc((bc.nb + 1) * sizeof *c->block_start);
    if (!ix || !bc.keys || !c->line_order || !c->block_start)
        goto oom;
    for (size_t b = 0; b < bc.nb; b++)
        ix[b] = b;
    xy_order(&bc, ix, bc.nb, 0);
    size_t k = 0;
    for (size_t j = 0; j < bc.nb; j++) {
        c->block_start[j] = k;
        for (size_t li = bc.b[ix[j]].head; li != NONE; li = bc.next_line[li])
            c->line_order[k++] = li;
    }
    c->block_start[bc.nb] = k;
    c->nblocks = bc.nb;
    rc = DF_OK;
    goto out;
oom:
    rc = df_err_set(err, DF_E_NO_MEMORY, "out of memory laying out %zu words", c->n);
out:
    free(bc.b);
    free(bc.next_line);
    free(bc.keys);
    free(ix);
    return rc;
}
