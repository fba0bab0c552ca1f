/*
 * reread.c — a grand total read a second time, kept only when it adds up.
 *
 * On receipts the total line is often the one OCR reads worst (bold,
 * double-height, printed over a fold), and one wrong digit there costs the
 * whole document. When the total the extractors found disagrees with every
 * other figure that can check it (subtotal + taxes + rounding, the payment
 * less the change, the items' sum), or when its label was found with no
 * figure beside it, the page band of that line is read again by the caller's
 * OCR (df_reread), across the full page width, resampled up to twice. A new
 * reading replaces the total only when one of those figures confirms it, so
 * a document without any of them is not read again at all. Readings are
 * never trusted on their own: OCR noise varies between them, so a second
 * reading is one more sample, not the truth.
 */
#include "extract/fields_int.h"

#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"

/* Differently resampled readings asked for. */
#define RR_ATTEMPTS 2
/* The band read again reaches this many line heights above and below the
 * line (skew, a figure printed a little higher than its label). */
#define RR_BAND_PAD 0.3f

/* subtotal + taxes + rounding, as reconcile_payment sums them; 0 when there
 * is no subtotal or no tax. */
static int64_t parts_sum(const df_extraction *x)
{
    if (!x->totals[DF_TOT_SUBTOTAL].has)
        return 0;
    int64_t s = 0;
    int taxes = 0;
    for (int t = DF_TOT_SUBTOTAL; t <= DF_TOT_ROUNDING; t++)
        if (x->totals[t].has) {
            int64_t v = x->totals[t].minor;
            s += t == DF_TOT_ROUNDING ? v : llabs(v);
            taxes += t != DF_TOT_SUBTOTAL && t != DF_TOT_ROUNDING;
        }
    return taxes ? s : 0;
}

/* The items' totals summed; 0 with fewer than two items or one without a total. */
static int64_t items_sum(const df_extraction *x)
{
    if (x->nitems < 2)
        return 0;
    int64_t s = 0;
    for (size_t i = 0; i < x->nitems; i++) {
        if (!x->items[i].total.has)
            return 0;
        s += x->items[i].total.minor;
    }
    return s;
}

static int near(int64_t a, int64_t b)
{
    return a > 0 && llabs(a - b) <= FX_CASH_ROUNDING;
}

/* The figures that can check a grand total, in *checks (0: none); 1 when v
 * agrees with one of them. */
static int confirmed(const fx_doc *d, const df_extraction *x, int64_t v, int *checks)
{
    int64_t due = d->paid.has ? d->paid.minor - (d->change.has ? d->change.minor : 0) : 0;
    int64_t c[4] = {parts_sum(x), due, items_sum(x), 0};
    /* a subtotal alone checks a total with no tax on top of it, or one
     * whose tax was read from an "incl. GST" line */
    if (x->totals[DF_TOT_SUBTOTAL].has)
        c[3] = x->totals[DF_TOT_SUBTOTAL].minor;
    *checks = 0;
    int ok = 0;
    for (int i = 0; i < 4; i++) {
        *checks += c[i] > 0;
        ok |= near(c[i], v);
    }
    return ok;
}

/* The last two-decimal amount of a reading; 0 when none. */
static int last_figure(const fx_doc *d, const char *s, int64_t *out)
{
    if (!s)
        return 0;
    size_t len = 0, from = 0;
    while (s[len])
        len++;
    df_amount a;
    int got = 0;
    while (df_amount_find(d->m->base, s, len, from, (df_dec_style)d->dec_style, DF_AMT_LENIENT, &a)) {
        from = a.end > from ? a.end : from + 1;
        if (a.decimals == 2 && a.minor > 0) {
            *out = a.minor;
            got = 1;
        }
    }
    return got;
}

void fx_reread_total(fx_doc *d, df_extraction *x)
{
    if (!d->rr || !d->rr->read)
        return;
    df_famt *G = &x->totals[DF_TOT_GRAND];
    int checks = 0;
    if (G->has && (!G->src.has || confirmed(d, x, G->minor, &checks)))
        return;
    confirmed(d, x, 0, &checks);
    if (!checks)
        return; /* nothing could confirm a new reading: OCR time saved */
    const fx_line *L = NULL;
    size_t page;
    float band[4];
    if (G->has) {
        page = (size_t)(G->src.page - 1);
        for (int i = 0; i < 4; i++)
            band[i] = G->src.box[i];
    } else if (d->grand_label) {
        L = fx_get(d, d->grand_page, d->grand_line);
        page = (size_t)d->grand_page;
        const df_layout_line *ll = &d->pages[page]->lines[d->grand_line];
        for (int i = 0; i < 4; i++)
            band[i] = ll->box[i];
    } else {
        return;
    }
    if (page >= d->npages)
        return;
    const df_layout *lay = d->pages[page];
    float pad = (band[3] - band[1]) * RR_BAND_PAD;
    band[0] = 0;
    band[1] -= pad;
    band[3] += pad;
    if (lay->page_w > band[2])
        band[2] = (float)lay->page_w;
    /* each reading costs OCR time: the first one the figures confirm ends it */
    int64_t v = 0;
    int take = 0;
    for (int a = 0; a < RR_ATTEMPTS && !take; a++) {
        char *s = d->rr->read(d->rr->ctx, page, band, a);
        take = last_figure(d, s, &v) && (!G->has || v != G->minor) && confirmed(d, x, v, &checks);
        free(s);
    }
    if (!take)
        return;
    G->minor = v;
    if (!G->has) {
        memset(&G->src, 0, sizeof G->src);
        fx_src(d, L, 0, L->len, &G->src);
    }
    G->has = 1;
}
