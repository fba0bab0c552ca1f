/* sums.c — the sums of sums.h. */
#include "extract/sums.h"

#include <stddef.h>

static int64_t mag(int64_t v)
{
    return v < 0 ? -v : v;
}

df_sum_parts df_sum_parts_of(const df_extraction *x)
{
    df_sum_parts p = {0};
    p.subtotal = &x->totals[DF_TOT_SUBTOTAL];
    p.discount = &x->totals[DF_TOT_DISCOUNT];
    p.charge = &x->totals[DF_TOT_CHARGES];
    p.rounding = &x->totals[DF_TOT_ROUNDING];
    p.tax[0] = &x->totals[DF_TOT_CGST];
    p.tax[1] = &x->totals[DF_TOT_SGST];
    p.tax[2] = &x->totals[DF_TOT_IGST];
    p.tax[3] = &x->totals[DF_TOT_TAX];
    return p;
}

static int set(const df_famt *a)
{
    return a && a->has;
}

int df_sum_of_parts(const df_sum_parts *p, int64_t *out, int *ntax)
{
    int taxes = 0;
    if (ntax)
        *ntax = 0;
    if (!set(p->subtotal))
        return 0;
    int64_t s = p->subtotal->minor;
    if (set(p->discount))
        s -= mag(p->discount->minor);
    if (set(p->charge))
        s += mag(p->charge->minor);
    if (set(p->rounding))
        s += p->rounding->minor;
    for (int i = 0; i < 4; i++)
        if (set(p->tax[i])) {
            s += mag(p->tax[i]->minor);
            taxes++;
        }
    if (ntax)
        *ntax = taxes;
    *out = s;
    return 1;
}

int64_t df_sum_adjust(const df_sum_parts *p)
{
    return (set(p->charge) ? mag(p->charge->minor) : 0) -
           (set(p->discount) ? mag(p->discount->minor) : 0) +
           (set(p->rounding) ? p->rounding->minor : 0);
}

int df_sum_due(const df_famt *paid, const df_famt *change, int64_t *out)
{
    if (!set(paid))
        return 0;
    int64_t due = mag(paid->minor) - (set(change) ? mag(change->minor) : 0);
    *out = due;
    return due > 0;
}

int df_sum_items(const df_extraction *x, size_t min_items, int64_t *out)
{
    if (x->nitems == 0 || x->nitems < min_items)
        return 0;
    int64_t s = 0;
    for (size_t i = 0; i < x->nitems; i++) {
        if (!x->items[i].total.has)
            return 0;
        s += x->items[i].total.minor;
    }
    *out = s;
    return 1;
}

int df_sum_line_agrees(int64_t qty_milli, int64_t price, int64_t total)
{
    __int128 p = (__int128)qty_milli * price;
    __int128 want = (p + (p >= 0 ? 500 : -500)) / 1000;
    __int128 tol = DF_SUM_EXACT;
    if (qty_milli >= 2000 && qty_milli % 1000 == 0) {
        __int128 half = ((__int128)(qty_milli / 1000) * DF_SUM_LINE_HALF_CENTS_PER_UNIT + 1) / 2;
        if (half > tol)
            tol = half;
    }
    __int128 d = want - total;
    return d <= tol && -d <= tol;
}

int df_sum_item_agrees(int64_t qty, int64_t price, int64_t total)
{
    if (qty > INT64_MAX / 10 || qty < -(INT64_MAX / 10))
        return 0;
    return df_sum_line_agrees(qty * 10, price, total);
}

int df_sum_rate_of(int64_t base, int64_t rate, int64_t tax)
{
    base = mag(base);
    tax = mag(tax);
    /* rates above 100 % are no tax rates, and above ~10^13 the products
     * below would overflow: neither is a base and its tax */
    if (rate <= 0 || rate >= 10000 || tax == 0 || base <= tax || base > 1000000000000LL)
        return 0;
    int64_t tol = DF_SUM_RATE_CENTS + tax * DF_SUM_RATE_PERMILLE / 1000;
    int64_t net = (base * rate + 5000) / 10000;
    if (df_sum_agree(net, tax, tol))
        return 1;
    int64_t gross = (base * rate + (10000 + rate) / 2) / (10000 + rate);
    return df_sum_agree(gross, tax, tol) ? 2 : 0;
}
