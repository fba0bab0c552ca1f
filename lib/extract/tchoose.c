/*
 * tchoose.c — the joint choice of a document's totals (tcand.h, tc_choose).
 *
 * Each role keeps a short list of its best-scored candidates (and "none").
 * The total is tried first: each of its short list, the figures whose value
 * the payment says was due (paid - change), and a total derived from the
 * payment when no printed figure is it. For each total, every combination of
 * the taxes (CGST, SGST, IGST, another tax and a second one at another
 * rate than the first's when both rows print one), discount, charges and
 * rounding is tried, and last the subtotal: its short list plus the best
 * figure of the whole document with the value the others need (and, with a
 * labelled subtotal and no tax, the tax by the difference the sum leaves:
 * consider_needed_tax). The payment
 * is chosen first, on its labels alone (paid figures whose labels score
 * alike are each tried, the arithmetic deciding). An assignment scores the sum of its
 * candidates' scores plus the joint terms of models/totals.txt for the
 * arithmetic that holds (sums.h). One printed
 * figure fills one role at most, but for a payment that is the total's own
 * figure ("CASH 29.68" under a total label that lost its figure).
 *
 * Short lists are small, so the search is exhaustive yet bounded (see the
 * limits below).
 *
 * Contents: shortlist_for, value and clash helpers, parts_joint (the sum),
 * choose_payment, is_paid and payment_joint, consider, less_adjustments,
 * other_part and consider_needed_tax, choose_subtotal,
 * enumerate_parts, totals_from_payment, enumerate_totals, tc_choose.
 */
#include "extract/tcand.h"

#include <string.h>

#include "extract/sums.h"

/* Candidates kept per role: the total's list is the longest, the parts that
 * are nearly always labelled (GST halves, discount, charges, rounding) the
 * shortest. They bound the search: (TC_SHORT_GRAND + 3) x (TC_SHORT + 1)^2
 * x (TC_SHORT_SMALL + 1)^6 x (TC_SHORT + 2) assignments at the very most. */
#define TC_SHORT_GRAND 6
#define TC_SHORT 5
#define TC_SHORT_SMALL 2
/* Readings of one printed figure: as read, and its repair variants. */
#define TC_MAX_READINGS 4
#define TC_LIST_MAX (TC_SHORT_GRAND + 1)

/* A subtotal found by the value the other parts need may score this much
 * (hundredths) below the subtotal's floor: the arithmetic names it ("Total
 * 42,330.00" in a tax summary is the taxable value the total needs). */
#define TC_NEED_SLACK 300

/* A tax found by the value the arithmetic needs is at most this percentage
 * of its subtotal: no sales tax or VAT rate reaches 30 %, and a larger gap
 * is a tip, a deposit or a part not read. */
#define TC_NEED_TAX_PCT 30

/* cur[TC_GRAND] for a total derived from the payment, not read. */
#define TC_DERIVED (-2)

typedef struct shortlist {
    int idx[TC_LIST_MAX]; /* candidate indices, best first, then -1 (none) */
    int n;
} shortlist;

static void shortlist_for(const tc_weights *w, const tc_set *s, int r, int k, shortlist *out)
{
    out->n = 0;
    for (size_t i = 0; i < s->n; i++) {
        const tc_cand *c = &s->v[i];
        if (c->score[r] < w->floor[r])
            continue;
        /* insertion into the sorted list; the later figure wins a tie
         * (totals come after what they total) */
        int at = out->n;
        while (at > 0 && s->v[out->idx[at - 1]].score[r] <= c->score[r])
            at--;
        if (at >= k)
            continue;
        int last = out->n < k ? out->n : k - 1;
        for (int j = last; j > at; j--)
            out->idx[j] = out->idx[j - 1];
        out->idx[at] = (int)i;
        if (out->n < k)
            out->n++;
    }
    out->idx[out->n++] = -1;
}

static int64_t mag(int64_t v)
{
    return v < 0 ? -v : v;
}

/* The state of one search. */
typedef struct search {
    const tc_weights *w;
    const tc_set *s;
    shortlist sl[TC_ROLE_COUNT];
    int has_items;
    int64_t items;
    int cur[TC_ROLE_COUNT];
    int pay[2];           /* the payment, chosen first: paid, change (-1 none) */
    int paid[TC_LIST_MAX]; /* paid figures scored as pay[0] is (a tie), pay[0] first */
    int npaid;
    int pv[TC_MAX_READINGS * TC_LIST_MAX], cv[TC_MAX_READINGS]; /* their readings (variants) */
    int npv, ncv;
    int derived_tok;      /* the paid figure a derived total comes from */
    int tax2;
    int64_t derived;      /* the total when cur[TC_GRAND] is TC_DERIVED */
    tc_choice best;
    int best_score;
} search;

static int value_of(const search *q, int idx, int64_t *v)
{
    if (idx == TC_DERIVED) {
        *v = q->derived;
        return 1;
    }
    if (idx < 0)
        return 0;
    *v = q->s->v[idx].v;
    return 1;
}

static int score_of(const search *q, int r, int idx)
{
    return idx < 0 ? 0 : q->s->v[idx].score[r];
}

static int token_of(const search *q, int idx)
{
    return idx < 0 ? -1 : q->s->v[idx].token;
}

/* 1 when candidates a and b read a printed figure in common (a tax per
 * rate reads the rows it sums). */
static int shares(const search *q, int a, int b)
{
    if (a < 0 || b < 0)
        return 0;
    const tc_cand *x = &q->s->v[a], *y = &q->s->v[b];
    if (x->token == y->token)
        return 1;
    for (int i = 0; i < TC_MAX_RATES; i++) {
        if (x->members[i] >= 0 && x->members[i] == y->token)
            return 1;
        if (y->members[i] >= 0 && y->members[i] == x->token)
            return 1;
        for (int j = 0; j < TC_MAX_RATES && x->members[i] >= 0; j++)
            if (x->members[i] == y->members[j])
                return 1;
    }
    return 0;
}

/* 1 when candidate idx reads the same printed figure as a chosen total or
 * part (the payment is checked apart). */
static int clashes(const search *q, int idx, int except_role)
{
    if (idx < 0)
        return 0;
    for (int r = 0; r < TC_PAID; r++)
        if (r != except_role && shares(q, q->cur[r], idx))
            return 1;
    return q->tax2 != idx && shares(q, q->tax2, idx);
}

/* The joint terms of the parts against the total in q->cur. */
static int parts_joint(search *q)
{
    const int *c = q->cur;
    int64_t g = 0, sub = 0, v;
    int has_g = value_of(q, c[TC_GRAND], &g), has_sub = value_of(q, c[TC_SUBTOTAL], &sub);
    int j = 0, ntax = 0, adjust = 0;
    if (!has_g)
        j += q->w->joint[TJ_NO_GRAND];
    int64_t sum = has_sub ? sub : 0, taxsum = 0;
    static const int gst[] = {TC_CGST, TC_SGST, TC_IGST};
    int64_t gstsum = 0;
    for (int t = 0; t < 3; t++)
        if (value_of(q, c[gst[t]], &v))
            gstsum += mag(v), ntax++;
    taxsum = gstsum;
    if (value_of(q, c[TC_TAX], &v))
        taxsum += mag(v), ntax++;
    if (value_of(q, q->tax2, &v))
        taxsum += mag(v), ntax++;
    /* no tax rate reaches 100 %: taxes above their subtotal are misread
     * (a definition, not evidence) */
    if (has_sub && ntax && taxsum > mag(sub))
        return TC_IMPOSSIBLE;
    /* ... nor its total, whose part it is */
    if (has_g && ntax && g > 0 && taxsum >= g)
        return TC_IMPOSSIBLE;
    sum += taxsum;
    /* a part printed as 0.00 ("Discount 0.00") adds nothing, and proves
     * nothing either */
    if (value_of(q, c[TC_DISCOUNT], &v))
        sum -= mag(v), adjust |= v != 0;
    if (value_of(q, c[TC_CHARGE], &v))
        sum += mag(v), adjust |= v != 0;
    int64_t r = 0;
    int rounded = value_of(q, c[TC_ROUNDING], &r) && r != 0;
    sum += r;
    /* one repair explains a discrepancy; two are a coincidence unless they
     * are one glyph misread the same way (a rupee sign read as "3" before
     * every figure) */
    int weak = 0, variants = 0, mixed = 0; /* weak: only a sum with a tax confirms it */
    char strip = 0;
    for (int k = 0; k <= TC_PAID; k++) {
        int idx = k < TC_PAID ? c[k] : q->tax2;
        if (idx < 0 || !q->s->v[idx].strip || q->s->v[idx].f[TF_WORDS] > 0)
            continue; /* a repair the amount in words confirms needs no company */
        const tc_cand *k2 = &q->s->v[idx];
        weak |= k2->weak;
        mixed |= variants && k2->strip != strip;
        strip = k2->strip;
        variants++;
    }
    if (mixed)
        return TC_IMPOSSIBLE;
    /* decimal points lost twice (a faint comma, "22,40" and "3214,10" read
     * "2240" and "321410") are believed only where the sum with a tax holds
     * to the cent */
    int points = variants > 1 && strip == 'p';
    int sum_ok = has_g && has_sub &&
                 (df_sum_agree(sum, g, DF_SUM_EXACT) ||
                  (!rounded && g % DF_SUM_CASH == 0 && df_sum_agree(sum, g, DF_SUM_CASH)));
    if (weak && !(sum_ok && ntax))
        return TC_IMPOSSIBLE;
    int exact = has_g && has_sub && ntax && df_sum_agree(sum, g, DF_SUM_EXACT);
    if (points && !exact)
        return TC_IMPOSSIBLE;
    /* a second tax read by a repair ("1220 €" for 12,20) only where it
     * makes the sum: with the tax included, any figure would do */
    if (q->tax2 >= 0 && q->s->v[q->tax2].strip && !exact)
        return TC_IMPOSSIBLE;
    /* a subtotal equal to the total with nothing between them proves
     * nothing: any figure printed twice would do, so only a labelled one
     * counts */
    int trivial = sum_ok && !ntax && !adjust && !rounded &&
                  q->s->v[c[TC_SUBTOTAL]].label_role != TC_SUBTOTAL &&
                  !(q->has_items && df_sum_agree(q->items, sub, DF_SUM_EXACT));
    if (has_g && has_sub && !trivial) {
        if (sum_ok) {
            j += q->w->joint[TJ_SUM];
        } else if (ntax && df_sum_agree(sum - taxsum, g, DF_SUM_EXACT) && c[TC_SUBTOTAL] >= 0 &&
                   (adjust || q->s->v[c[TC_SUBTOTAL]].label_role == TC_SUBTOTAL)) {
            /* the parts but the taxes make the total: tax included (a
             * labelled subtotal that is the total, or one a tip or a
             * discount takes to it) */
            j += q->w->joint[adjust ? TJ_SUM : TJ_SUM_INCL];
        } else if (ntax || adjust || rounded) {
            j += q->w->joint[TJ_SUM_FAILS];
        } else if (sub < g) {
            j += q->w->joint[TJ_SUM_SHORT]; /* the tax line was not read */
        }
        if (g < sub && c[TC_DISCOUNT] < 0)
            j += q->w->joint[TJ_GRAND_BELOW];
    }
    if (q->has_items && ((has_sub && df_sum_agree(q->items, sub, DF_SUM_EXACT)) ||
                         (!has_sub && !ntax && has_g && df_sum_agree(q->items, g, DF_SUM_EXACT))))
        j += q->w->joint[TJ_ITEMS];
    return j;
}

/* Every reading (the figure and its repair variants) of candidate idx's
 * printed figure, or just -1 for none. */
static int readings_of(const search *q, int idx, int *out)
{
    int n = 0;
    if (idx < 0) {
        out[n++] = -1;
        return n;
    }
    for (size_t i = 0; i < q->s->n && n < TC_MAX_READINGS; i++)
        if (q->s->v[i].token == q->s->v[idx].token)
            out[n++] = (int)i;
    return n;
}

/* The payment is chosen on its own evidence, before the totals: the best
 * figure labelled as paid and the best labelled as change. Choosing it with
 * the totals would let the search drop a change line that contradicts a
 * misread total instead of dropping the total. Only where the evidence
 * cannot tell paid figures apart ("Cash 5.00" and "COUPONS TENDERED 4.00",
 * labels of one strength) does the arithmetic choose among them: each
 * such figure is tried (rule totals.pay_tie). */
static void choose_payment(search *q)
{
    const shortlist *p = &q->sl[TC_PAID];
    q->pay[0] = p->idx[0];
    q->pay[1] = q->sl[TC_CHANGE].idx[0];
    if (q->pay[0] >= 0 && q->pay[1] >= 0 && token_of(q, q->pay[0]) == token_of(q, q->pay[1]))
        q->pay[1] = -1;
    if (q->pay[0] < 0)
        q->pay[1] = -1; /* change with nothing paid checks nothing */
    q->npaid = 0;
    q->npv = 0;
    for (int i = 0; i < p->n && p->idx[i] >= 0; i++) {
        int k = p->idx[i];
        if (i > 0 && (!q->s->pay_tie || q->s->v[k].score[TC_PAID] < q->s->v[q->pay[0]].score[TC_PAID] ||
                      token_of(q, k) == token_of(q, q->pay[1])))
            continue;
        int seen = 0;
        for (int j = 0; j < q->npaid; j++)
            seen |= token_of(q, q->paid[j]) == token_of(q, k);
        if (seen)
            continue;
        q->paid[q->npaid++] = k;
        q->npv += readings_of(q, k, q->pv + q->npv);
    }
    if (q->npv == 0)
        q->npv = readings_of(q, -1, q->pv);
    q->ncv = readings_of(q, q->pay[1], q->cv);
}

/* Whether idx reads one of the paid figures tried. */
static int is_paid(const search *q, int idx)
{
    for (int j = 0; j < q->npaid; j++)
        if (token_of(q, q->paid[j]) == token_of(q, idx))
            return 1;
    return 0;
}

/* The payment's terms against the total in q->cur, for each reading of the
 * payment's figures (their repair variants: "718.00" for "₹18.00"). */
static int payment_joint_once(search *q, int pi, int ci);

static int payment_joint(search *q)
{
    int best = -1000000000, bp = -1, bc = -1;
    for (int i = 0; i < q->npv; i++)
        for (int k = 0; k < q->ncv; k++) {
            int sc = payment_joint_once(q, q->pv[i], q->cv[k]);
            if (sc > best)
                best = sc, bp = q->pv[i], bc = q->cv[k];
        }
    q->cur[TC_PAID] = bp;
    q->cur[TC_CHANGE] = bc;
    return best;
}

static int payment_joint_once(search *q, int pi, int ci)
{
    q->cur[TC_PAID] = pi;
    q->cur[TC_CHANGE] = ci;
    int sc = score_of(q, TC_PAID, pi) + score_of(q, TC_CHANGE, ci);
    if (q->cur[TC_GRAND] == TC_DERIVED)
        return token_of(q, pi) == q->derived_tok ? sc + q->w->joint[TJ_DERIVED_PAY] : TC_IMPOSSIBLE;
    int64_t g = 0, p = 0, ch = 0;
    if (!value_of(q, q->cur[TC_GRAND], &g) || !value_of(q, pi, &p))
        return sc;
    int has_c = value_of(q, ci, &ch);
    /* the total's own figure as the payment only with the change given
     * back beside it ("CASH 29.68 / Change 0.00") */
    if (token_of(q, pi) == token_of(q, q->cur[TC_GRAND]) && !has_c)
        return sc + q->w->joint[TJ_NO_GRAND];
    int64_t due = mag(p) - (has_c ? mag(ch) : 0); /* "Payment -20.00" */
    /* a till that rounds cash gives change on the rounded figure */
    int cash = g % DF_SUM_CASH == 0 || due % DF_SUM_CASH == 0 ? DF_SUM_CASH : DF_SUM_EXACT;
    if (has_c && df_sum_agree(due, g, cash))
        return sc + q->w->joint[TJ_PAY];
    if (!has_c && df_sum_agree(mag(p), g, DF_SUM_EXACT))
        return sc + q->w->joint[TJ_PAID_EQ];
    return sc + (has_c ? q->w->joint[TJ_PAY_FAILS] : 0);
}

static void consider(search *q)
{
    int sc = 0;
    int keep_pay[2] = {q->cur[TC_PAID], q->cur[TC_CHANGE]};
    for (int r = 0; r < TC_PAID; r++)
        sc += score_of(q, r, q->cur[r]);
    sc += score_of(q, TC_TAX, q->tax2) + parts_joint(q);
    sc += payment_joint(q);
    if (sc > q->best_score) {
        q->best_score = sc;
        memcpy(q->best.pick, q->cur, sizeof q->best.pick);
        q->best.tax2 = q->tax2;
        q->best.score = sc;
        q->best.derived = q->cur[TC_GRAND] == TC_DERIVED;
        q->best.derived_v = q->derived;
        if (q->best.derived)
            q->best.pick[TC_GRAND] = -1;
    }
    if (q->cur[TC_GRAND] == TC_DERIVED) { /* the derived total's own payment stays */
        q->cur[TC_PAID] = keep_pay[0];
        q->cur[TC_CHANGE] = keep_pay[1];
    }
}

/* What is left of `left` (total less the parts counted so far) once the
 * chosen discount is given back and the charges and rounding are taken
 * off: what the subtotal and the taxes must make together. */
static int64_t less_adjustments(const search *q, int64_t left)
{
    int64_t v;
    if (value_of(q, q->cur[TC_DISCOUNT], &v))
        left += mag(v);
    if (value_of(q, q->cur[TC_CHARGE], &v))
        left -= mag(v);
    if (value_of(q, q->cur[TC_ROUNDING], &v))
        left -= v;
    return left;
}

/* Whether a label of this role names a part of the sum other than a tax,
 * or the payment. */
static int other_part(int role)
{
    return role == TC_DISCOUNT || role == TC_CHARGE || role == TC_ROUNDING || role == TC_GRAND ||
           role == TC_PAID || role == TC_CHANGE;
}

/* With a subtotal and a total chosen and no tax of any kind, the best
 * candidate of the whole document whose value is the difference the
 * parts leave (an unlabelled "6.67", a tax whose label OCR garbled, "X¥
 * 6ST  $ 7.04", or printed under it, "0.61" over "TAX") is tried as the
 * tax. Rule totals.tax_by_need. */
static void consider_needed_tax(search *q)
{
    static const int parts[] = {TC_TAX, TC_CGST, TC_SGST, TC_IGST};
    for (int t = 0; t < 4; t++)
        if (q->cur[parts[t]] >= 0)
            return;
    /* only under a subtotal its own label names: an unlabelled one, or
     * one under a column's title ("Subtotal" over a till's row totals), is
     * as likely an item's figure, the next item's then the "tax" */
    int si = q->cur[TC_SUBTOTAL];
    int64_t g, sub;
    if (!q->s->tax_by_need || q->tax2 >= 0 || !value_of(q, q->cur[TC_GRAND], &g) ||
        !value_of(q, si, &sub) || sub <= 0 || q->s->v[si].label_role != TC_SUBTOTAL ||
        q->s->v[si].f[TF_REL_COLUMN] != 0)
        return;
    int64_t need = less_adjustments(q, g - sub);
    if (need <= 0 || need * 100 > sub * TC_NEED_TAX_PCT)
        return;
    int best = -1;
    for (size_t i = 0; i < q->s->n; i++) {
        const tc_cand *k = &q->s->v[i];
        /* never a figure labelled as another part of the sum or the
         * payment ("ServicesCHR 27.00" is a charge) */
        if (k->v == need && k->score[TC_TAX] >= q->w->floor[TC_TAX] - TC_NEED_SLACK &&
            !other_part(k->label_role) && !clashes(q, (int)i, TC_TAX) &&
            !is_paid(q, (int)i) && k->token != token_of(q, q->pay[1]) &&
            (best < 0 || k->score[TC_TAX] > q->s->v[best].score[TC_TAX]))
            best = (int)i;
    }
    if (best < 0)
        return;
    q->cur[TC_TAX] = best;
    consider(q);
    q->cur[TC_TAX] = -1;
}

/* The subtotal, chosen last: each of its short list, none, and the best
 * candidate of the whole document with the value the other parts need (a
 * subtotal printed without a label among many item figures is found by
 * what it must be, not by how it looks). */
static void choose_subtotal(search *q)
{
    const shortlist *sl = &q->sl[TC_SUBTOTAL];
    int need_idx[2] = {-1, -1}; /* the value the parts need; with the taxes included */
    int64_t g, v;
    if (value_of(q, q->cur[TC_GRAND], &g)) {
        int64_t need = g, taxes = 0;
        static const int parts[] = {TC_TAX, TC_CGST, TC_SGST, TC_IGST};
        for (int t = 0; t < 4; t++)
            if (value_of(q, q->cur[parts[t]], &v))
                taxes += mag(v);
        if (value_of(q, q->tax2, &v))
            taxes += mag(v);
        need = less_adjustments(q, need - taxes);
        for (int w = 0; w < 1 + (taxes != 0); w++)
            for (size_t i = 0; i < q->s->n; i++) {
                const tc_cand *k = &q->s->v[i];
                int best = need_idx[w];
                if (k->score[TC_SUBTOTAL] >= q->w->floor[TC_SUBTOTAL] - TC_NEED_SLACK &&
                    df_sum_agree(k->v, w ? need + taxes : need, DF_SUM_EXACT) &&
                    !clashes(q, (int)i, TC_SUBTOTAL) &&
                    (best < 0 || k->score[TC_SUBTOTAL] > q->s->v[best].score[TC_SUBTOTAL]))
                    need_idx[w] = (int)i;
            }
    }
    int extra = (need_idx[0] >= 0) + (need_idx[1] >= 0 && need_idx[1] != need_idx[0]);
    if (need_idx[0] < 0)
        need_idx[0] = need_idx[1];
    for (int i = 0; i < sl->n + extra; i++) {
        int idx = i < sl->n ? sl->idx[i] : need_idx[i - sl->n];
        if (clashes(q, idx, TC_SUBTOTAL))
            continue;
        q->cur[TC_SUBTOTAL] = idx;
        consider(q);
        if (i < sl->n)
            consider_needed_tax(q);
    }
    q->cur[TC_SUBTOTAL] = -1;
}

/* A second tax (VAT at two rates), after the first, never alone, never the
 * first one's figure printed again (a tax summary). */
static void choose_second_tax(search *q)
{
    q->tax2 = -1;
    choose_subtotal(q);
    int first = q->cur[TC_TAX];
    if (first < 0)
        return;
    const shortlist *t = &q->sl[TC_TAX];
    int after = 0;
    for (int i = 0; i < t->n && t->idx[i] >= 0; i++) {
        if (t->idx[i] == first) {
            after = 1;
            continue;
        }
        int seen = 0;
        for (int j = 0; j < i; j++)
            seen |= t->idx[j] != first && token_of(q, t->idx[j]) == token_of(q, t->idx[i]);
        if (!after || seen)
            continue;
        /* each reading of the figure: a repair variant scores below the
         * list's floor on its own ("1220 €" for 12,20) */
        int rd[TC_MAX_READINGS];
        int nr = readings_of(q, t->idx[i], rd);
        for (int k = 0; k < nr; k++) {
            int ti = rd[k];
            q->tax2 = -1;
            if (mag(q->s->v[ti].v) == mag(q->s->v[first].v) || clashes(q, ti, -1))
                continue;
            /* a second tax is at another rate: rows at one rate are the
             * lines of a summary by item, their sum printed elsewhere */
            if (q->s->v[ti].rate && q->s->v[ti].rate == q->s->v[first].rate)
                continue;
            q->tax2 = ti;
            choose_subtotal(q);
        }
    }
    q->tax2 = -1;
}

/* The parts, role by role, in this order; then the second tax and the
 * subtotal. */
static const int part_order[] = {TC_TAX, TC_CGST, TC_SGST, TC_IGST,
                                 TC_DISCOUNT, TC_CHARGE, TC_ROUNDING};
#define TC_NPARTS ((int)(sizeof part_order / sizeof part_order[0]))

static void enumerate_parts(search *q, int level)
{
    if (level == TC_NPARTS) {
        choose_second_tax(q);
        return;
    }
    int r = part_order[level];
    const shortlist *sl = &q->sl[r];
    for (int i = 0; i < sl->n; i++) {
        int idx = sl->idx[i];
        if (clashes(q, idx, r))
            continue;
        q->cur[r] = idx;
        enumerate_parts(q, level + 1);
    }
    q->cur[r] = -1;
}

/* The totals a payment (paid figure pi, the chosen change) names: the
 * best-scored figure with the value it says was due, and the total derived
 * from it. */
static void totals_from_payment(search *q, int pi)
{
    const shortlist *g = &q->sl[TC_GRAND];
    int ci = q->pay[1];
    int64_t p, ch = 0;
    if (value_of(q, pi, &p)) {
        int has_c = value_of(q, ci, &ch);
        int64_t due = mag(p) - (has_c ? mag(ch) : 0);
        int best = -1;
        for (size_t j = 0; due > 0 && j < q->s->n; j++) {
            const tc_cand *c = &q->s->v[j];
            int listed = 0;
            for (int l = 0; l < g->n; l++)
                listed |= g->idx[l] == (int)j;
            if (!listed && c->v == due && c->score[TC_GRAND] >= q->w->floor[TC_GRAND] &&
                token_of(q, (int)j) != token_of(q, ci) &&
                (best < 0 || c->score[TC_GRAND] > q->s->v[best].score[TC_GRAND]))
                best = (int)j;
        }
        if (best >= 0) {
            q->cur[TC_GRAND] = best;
            enumerate_parts(q, 0);
        }
        if (has_c && due > 0 && q->s->derive_total) {
            q->cur[TC_GRAND] = TC_DERIVED;
            q->derived = due;
            q->derived_tok = token_of(q, pi);
            enumerate_parts(q, 0);
        }
    }
}

/* The total: each of its short list and none; then the best-scored figure
 * with the value the payment says was due (the paid figure itself when
 * nothing was given back), and a total derived from the payment when change
 * was given. */
static void enumerate_totals(search *q)
{
    shortlist *g = &q->sl[TC_GRAND];
    for (int i = 0; i < g->n; i++) { /* the short list, and none */
        q->cur[TC_GRAND] = g->idx[i];
        enumerate_parts(q, 0);
    }
    for (int t = 0; t < q->npaid; t++)
        totals_from_payment(q, q->paid[t]);
    q->cur[TC_GRAND] = -1;
}

void tc_choose(const tc_weights *w, const tc_set *s, const df_extraction *items, tc_choice *out)
{
    search local, *q = &local;
    memset(q, 0, sizeof *q);
    q->w = w;
    q->s = s;
    q->best_score = -1000000000;
    q->tax2 = -1;
    for (int r = 0; r < TC_ROLE_COUNT; r++) {
        int k = r == TC_GRAND                     ? TC_SHORT_GRAND
                : r == TC_SUBTOTAL || r == TC_TAX ? TC_SHORT
                                                   : TC_SHORT_SMALL;
        shortlist_for(w, s, r, k, &q->sl[r]);
        q->cur[r] = -1;
        q->best.pick[r] = -1;
    }
    q->best.tax2 = -1;
    q->has_items = items && df_sum_items(items, 2, &q->items);
    choose_payment(q);
    enumerate_totals(q);
    *out = q->best;
}
