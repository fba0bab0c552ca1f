/*
 * totals.c — subtotal, taxes, rounding, grand total and the payment, chosen
 * jointly (tcand.h: candidates, evidence, choice) and written into the
 * extraction.
 *
 * The choice sees only figures; this file turns it into the result's totals
 * (with where each was read), the payment the second reading checks against
 * (fx_doc paid/change), and the labels found without a figure, which the
 * second reading and the subtotal fallbacks use.
 */
#include "extract/fields_int.h"

#include <stdlib.h>
#include <string.h>

#include "extract/sums.h"
#include "extract/tcand.h"

/* The result's total each role fills; -1 for the roles the schema does not
 * print (the payment). */
static const int role_total[TC_ROLE_COUNT] = {
    [TC_SUBTOTAL] = DF_TOT_SUBTOTAL, [TC_DISCOUNT] = DF_TOT_DISCOUNT, [TC_TAX] = DF_TOT_TAX,
    [TC_CGST] = DF_TOT_CGST,         [TC_SGST] = DF_TOT_SGST, [TC_IGST] = DF_TOT_IGST,
    [TC_CHARGE] = DF_TOT_CHARGES,    [TC_ROUNDING] = DF_TOT_ROUNDING, [TC_GRAND] = DF_TOT_GRAND,
    [TC_PAID] = -1,                  [TC_CHANGE] = -1};

static void set_amount(fx_doc *d, const tc_cand *k, df_famt *out, int counts)
{
    const fx_line *L = fx_get(d, k->page, k->line);
    out->has = 1;
    out->minor = k->v;
    memset(&out->src, 0, sizeof out->src);
    if (counts)
        fx_src(d, L, k->start, k->end, &out->src);
    else
        fx_place(d, L, k->start, k->end, &out->src);
}

/* Labels found with no figure: where the second reading and the fallbacks
 * look. */
static void note_lost(fx_doc *d, const tc_set *s)
{
    if (s->lost[TC_GRAND]) {
        d->grand_label = 1;
        d->grand_page = s->lost_page[TC_GRAND];
        d->grand_line = s->lost_line[TC_GRAND];
    }
    if (s->lost[TC_ROUNDING]) {
        const fx_line *L = fx_get(d, s->lost_page[TC_ROUNDING], s->lost_line[TC_ROUNDING]);
        fx_place(d, L, s->lost_at[TC_ROUNDING], s->lost_end[TC_ROUNDING], &d->round_lost);
    }
    if (s->lost[TC_SUBTOTAL]) {
        const fx_line *L = fx_get(d, s->lost_page[TC_SUBTOTAL], s->lost_line[TC_SUBTOTAL]);
        fx_place(d, L, s->lost_at[TC_SUBTOTAL], L->len, &d->sub_lost);
    }
}

/* "Total Tax Amount 68,281.20" under "IGST 68,281.20" is the GST parts'
 * sum, not another tax: `tax` is for a tax that is none of them. */
static void drop_tax_total(df_extraction *x)
{
    df_famt *T = &x->totals[DF_TOT_TAX];
    int64_t gst = 0;
    int parts = 0;
    for (int t = DF_TOT_CGST; t <= DF_TOT_IGST; t++)
        if (x->totals[t].has) {
            gst += x->totals[t].minor;
            parts++;
        }
    if (T->has && parts && df_sum_agree(T->minor, gst, DF_SUM_EXACT))
        memset(T, 0, sizeof *T);
}

/* The subtotal is net of tax. A total's figure ("Te betalen 11,00") that a
 * tip or a charge takes to the total with the tax included in both
 * ("incl. btw 9%  0,91") is the amount due before the tip: the sum holds,
 * but it is no subtotal (rule totals.due_not_net). */
static void drop_gross_subtotal(const fx_doc *d, df_extraction *x, const tc_set *s,
                                const tc_choice *ch)
{
    int sub = ch->pick[TC_SUBTOTAL];
    const df_famt *T = &x->totals[DF_TOT_TAX];
    if (sub < 0 || s->v[sub].label_role != TC_GRAND || !T->has || ch->pick[TC_GRAND] < 0 ||
        !fx_rule_on(d, DF_RULE_TOTALS_DUE_NOT_NET))
        return;
    const df_famt *t = x->totals;
    if (T->minor >= t[DF_TOT_SUBTOTAL].minor || (!t[DF_TOT_CHARGES].has && !t[DF_TOT_DISCOUNT].has))
        return; /* a rounding alone adjusts a total, it adds nothing to it */
    df_sum_parts parts = df_sum_parts_of(x);
    int64_t adjust = df_sum_adjust(&parts);
    if (adjust &&
        df_sum_agree(t[DF_TOT_SUBTOTAL].minor + adjust, t[DF_TOT_GRAND].minor, DF_SUM_EXACT))
        memset(&x->totals[DF_TOT_SUBTOTAL], 0, sizeof x->totals[DF_TOT_SUBTOTAL]);
}

static void apply(fx_doc *d, df_extraction *x, const tc_set *s, const tc_choice *ch)
{
    for (int r = 0; r < TC_ROLE_COUNT; r++) {
        int i = ch->pick[r];
        if (i < 0)
            continue;
        const tc_cand *k = &s->v[i];
        if (role_total[r] >= 0)
            set_amount(d, k, &x->totals[role_total[r]], 1);
        else if (r == TC_PAID)
            set_amount(d, k, &d->paid, 0);
        else if (r == TC_CHANGE)
            set_amount(d, k, &d->change, 0);
    }
    if (ch->tax2 >= 0 && x->totals[DF_TOT_TAX].has) {
        int64_t v = s->v[ch->tax2].v;
        x->totals[DF_TOT_TAX].minor += v < 0 ? -v : v;
    }
    /* a tax is never negative on a sale: "Total GST : . -1.68" is OCR's dash;
     * a discount's "-" says it is taken off, which its name says already */
    static const int magnitudes[] = {DF_TOT_CGST,     DF_TOT_SGST,    DF_TOT_IGST,
                                     DF_TOT_TAX,      DF_TOT_DISCOUNT, DF_TOT_CHARGES};
    for (size_t i = 0; i < sizeof magnitudes / sizeof magnitudes[0]; i++) {
        df_famt *a = &x->totals[magnitudes[i]];
        if (a->has && a->minor < 0)
            a->minor = -a->minor;
    }
    if (ch->pick[TC_GRAND] >= 0)
        d->grand_whole = s->v[ch->pick[TC_GRAND]].decimals == 0;
    df_famt *G = &x->totals[DF_TOT_GRAND];
    if (ch->derived && ch->pick[TC_PAID] >= 0) {
        /* no printed figure is the total: paid - change, read where the
         * payment is */
        set_amount(d, &s->v[ch->pick[TC_PAID]], G, 1);
        G->minor = ch->derived_v;
    }
    drop_tax_total(x);
    drop_gross_subtotal(d, x, s, ch);
}

df_code fx_totals(fx_doc *d, df_extraction *x)
{
    tc_set s;
    if (tc_collect(d, &s) != DF_OK)
        return DF_E_NO_MEMORY;
    tc_score(d->m->totals_w, &s);
    tc_choice ch;
    tc_choose(d->m->totals_w, &s, x, &ch);
    apply(d, x, &s, &ch);
    note_lost(d, &s);
    tc_set_free(&s);
    return DF_OK;
}

/* v without its leading digit ("₹" read as "3": 394970.57 -> 94970.57). */
int64_t fx_strip_lead(int64_t v)
{
    int64_t p = 1;
    while (p <= v / 10)
        p *= 10;
    return v % p;
}
