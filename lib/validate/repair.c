/* repair.c — arithmetic-constrained repair of one OCR-confused amount
 * (repair.h). Integer hundredths throughout; the checks mirror validate.c. */
#include "validate/repair.h"
#include "validate/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/date.h"
#include "extract/sums.h"

/* the arithmetic checks, as bits: errors and warning-level failures */
enum { E_PRODUCT = 1, E_TOTALS = 2, E_CGST = 4 };
enum { W_SUM = 1, W_ROUND = 2 };

typedef struct arith {
    unsigned err, warn;
} arith;

static int64_t abs64(int64_t v)
{
    return v < 0 ? -v : v;
}

/* validate.c's arithmetic checks on x, as bits. inclusive_ok: whether
 * "prices that include the tax" (subtotal = grand total) may excuse the
 * totals — only when the document read that way, never because a
 * candidate made it so. */
static arith evaluate(const df_extraction *x, int inclusive_ok)
{
    arith r = {0, 0};
    const df_famt *T = x->totals;
    for (size_t i = 0; i < x->nitems; i++) {
        const df_line_item *it = &x->items[i];
        if (it->total.has && it->quantity.has && it->unit_price.has &&
            !df_sum_item_agrees(it->quantity.minor, it->unit_price.minor, it->total.minor))
            r.err |= E_PRODUCT;
    }
    int64_t sum, diff;
    const df_famt *base = df_items_sum(x, &sum);
    if (base && abs64(sum - base->minor) > (int64_t)x->nitems * DF_SUM_ITEMS_PER_ITEM)
        r.warn |= W_SUM;
    if (df_totals_diff(T, inclusive_ok, &sum, &diff)) {
        if (diff > DF_SUM_UNPRINTED_ROUND)
            r.err |= E_TOTALS;
        else if (diff > 1)
            r.warn |= W_ROUND;
    }
    if (T[DF_TOT_CGST].has && T[DF_TOT_SGST].has && T[DF_TOT_CGST].minor != T[DF_TOT_SGST].minor)
        r.err |= E_CGST;
    return r;
}

static int popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

typedef struct search {
    const df_model *model;
    const df_model_list *conf;
    df_extraction *x;
    int inclusive_ok;
    unsigned failed_before; /* warning-level checks already failing (W_ROUND: the
                             * totals off by 0.02 .. 0.50, not by more) */
    int need_sum;           /* no error: the repair is for the items' sum (W_SUM) */
    int best_cost;          /* fewest warning-level failures of an acceptable candidate */
    int nbest;              /* candidates at best_cost */
    df_amount_repair best;
} search;

/* Weigh the candidate nv for *a (read as v): `c` read, `alt` used. */
static void consider(search *s, df_famt *a, df_famt *twin, const char *name, int64_t v,
                     int64_t nv, char c, char alt)
{
    a->minor = nv;
    if (twin)
        twin->minor = nv;
    arith r = evaluate(s->x, s->inclusive_ok);
    a->minor = v;
    if (twin)
        twin->minor = v;
    /* no error left, and no warning-level check failing that passed
     * before: totals that were off by more than 0.50 must now add up
     * exactly (W_ROUND), as the 0.50 an unprinted rounding may explain
     * would let a wrong digit pass fifty times as often */
    if (r.err || (r.warn & ~s->failed_before) || (s->need_sum && (r.warn & W_SUM)))
        return;
    int cost = popcount(r.warn);
    if (s->nbest && cost > s->best_cost)
        return;
    if (!s->nbest || cost < s->best_cost) {
        s->best_cost = cost;
        s->nbest = 0;
    }
    if (s->nbest++ == 0) {
        df_amount_repair *b = &s->best;
        snprintf(b->field, sizeof b->field, "%s", name);
        b->amount = a;
        b->twin = twin;
        b->from = v;
        b->to = nv;
        b->read = c;
        b->used = alt;
    }
}

/* Every one-digit confusion of *a; `whole`: a quantity printed without
 * decimals (its two decimal digits were never on the page); `sign`: a total,
 * also tried without its leading digit (a currency sign read as one), and
 * with it `twin` (may be NULL): an item's unit price read as the same
 * figure, its sign glued on the same way ("34,900.00  34,900.00" for
 * "₹4,900.00  ₹4,900.00"), which that candidate changes too. */
static void try_amount(search *s, df_famt *a, df_famt *twin, const char *name, int whole,
                       int sign)
{
    if (!a->has)
        return;
    if (a->src.has && a->src.conf >= 0.995)
        return; /* a text layer's (confidence 1): nothing was recognised */
    int64_t v = a->minor, u = abs64(v);
    if (u / 100 > 999999999999999LL)
        return; /* not an amount (amount.h: at most 15 integer digits) */
    whole = whole && u % 100 == 0;
    char d[24];
    int len = snprintf(d, sizeof d, "%03lld", (long long)(whole ? u / 100 : u));
    int int_len = whole ? len : len - 2;
    for (int pos = 0; pos < len; pos++) {
        char c = d[pos];
        unsigned tried = 0; /* alternatives of this digit already tried */
        for (size_t k = 0; k < s->conf->n; k++) {
            const df_model_entry *e = &s->conf->v[k];
            char alt = e->key[0] == c ? e->val[0] : e->val[0] == c ? e->key[0] : 0;
            if (alt < '0' || alt > '9' || alt == c || (tried >> (alt - '0') & 1u))
                continue;
            tried |= 1u << (alt - '0');
            if (pos == 0 && alt == '0' && int_len > 1)
                continue; /* a leading zero is not what was printed */
            d[pos] = alt;
            int64_t nu = 0;
            for (int i = 0; i < len; i++)
                nu = nu * 10 + (d[i] - '0');
            d[pos] = c;
            if (whole)
                nu *= 100;
            consider(s, a, NULL, name, v, v < 0 ? -nu : nu, c, alt);
        }
    }
    if (sign && !whole && int_len >= 2 && d[1] != '0' && df_model_sign_digit(s->model, d[0])) {
        int64_t nu = 0;
        for (int i = 1; i < len; i++)
            nu = nu * 10 + (d[i] - '0');
        consider(s, a, NULL, name, v, v < 0 ? -nu : nu, d[0], 0);
        if (twin && twin->has && twin->minor == v)
            consider(s, a, twin, name, v, v < 0 ? -nu : nu, d[0], 0);
    }
}

int df_repair_amounts(const df_model *m, df_extraction *x, df_amount_repair *out)
{
    if (!m || !x || !out || m->confusions.n == 0)
        return 0;
    int inclusive_ok = df_tax_inclusive(x->totals);
    arith before = evaluate(x, inclusive_ok);
    /* errors; or, with none, items that miss the subtotal they add up to
     * (one item's total misread: "227,500.00" for "₹27,500.00") */
    if (!before.err && !(before.warn & W_SUM))
        return 0;
    search s = {m, &m->confusions, x, inclusive_ok, before.warn, !before.err, 0, 0,
                {{0}, NULL, NULL, 0, 0, 0, 0}};
    for (int t = 0; t < DF_TOT_COUNT; t++)
        try_amount(&s, &x->totals[t], NULL, df_total_names[t], 0, 1);
    char name[48];
    for (size_t i = 0; i < x->nitems; i++) {
        df_line_item *it = &x->items[i];
        snprintf(name, sizeof name, "line_items[%zu].total", i);
        try_amount(&s, &it->total, &it->unit_price, name, 0, 1);
        snprintf(name, sizeof name, "line_items[%zu].unit_price", i);
        try_amount(&s, &it->unit_price, NULL, name, 0, 0);
        snprintf(name, sizeof name, "line_items[%zu].quantity", i);
        try_amount(&s, &it->quantity, NULL, name, 1, 0);
    }
    if (s.nbest != 1)
        return 0;
    *out = s.best;
    out->amount->minor = out->to;
    if (out->twin)
        out->twin->minor = out->to;
    return 1;
}

void df_repair_undo(const df_amount_repair *r)
{
    if (r && r->amount)
        r->amount->minor = r->from;
    if (r && r->twin)
        r->twin->minor = r->from;
}

int df_repair_year(const df_model *m, df_extraction *x, int ty, int tm, int td, int *from)
{
    if (!m || !x || !x->date.s || x->date_y <= ty ||
        !df_date_implausible(x->date_y, x->date_m, x->date_d, ty, tm, td))
        return 0;
    char d[8];
    snprintf(d, sizeof d, "%04d", x->date_y % 10000);
    int found = 0, year = 0;
    for (int pos = 0; pos < 4; pos++) {
        char c = d[pos];
        for (size_t k = 0; k < m->confusions.n; k++) {
            const df_model_entry *e = &m->confusions.v[k];
            if (e->val[1])
                continue; /* "3 sign": no digit */
            char alt = e->key[0] == c ? e->val[0] : e->val[0] == c ? e->key[0] : 0;
            if (!alt)
                continue;
            d[pos] = alt;
            int y = atoi(d);
            d[pos] = c;
            if (y != year && y >= ty - DF_REPAIR_YEAR_WINDOW && df_date_valid(y, x->date_m, x->date_d) &&
                !df_date_implausible(y, x->date_m, x->date_d, ty, tm, td)) {
                found++;
                year = y;
            }
        }
    }
    if (found != 1)
        return 0;
    *from = x->date_y;
    x->date_y = year;
    snprintf(x->date.s, strlen(x->date.s) + 1, "%04d-%02d-%02d", year, x->date_m, x->date_d);
    return 1;
}
