/*
 * totals.c — subtotal, taxes, rounding and grand total by label.
 *
 * A total is a labelled row: a label of models/labels.txt whose field is one
 * of df_total_names, with no figure before it on its line, and the amount
 * that ends the row (the rightmost amount after the label, preferring amounts
 * written with two decimals; percentages and "@ rate" figures are skipped).
 * A grand-total label alone on its row may have its amount just below it
 * (receipts). Among several rows for one field the highest label priority
 * wins; ties go to the first (a tax summary table further down repeats
 * "Total").
 */
#include "extract/fields_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"
#include "extract/chars.h"
#include "extract/date.h"
#include "extract/words.h"

#define TOT_MAX_ROW_LINES 16

static int total_index(const df_model_entry *e)
{
    for (int t = 0; e && t < DF_TOT_COUNT; t++)
        if (strcmp(e->val, df_total_names[t]) == 0)
            return t;
    return -1;
}

/* 1 when the amount at s[a..b) is a rate: "9%", "9 %", "@ 9", "(10.25%)". */
static int is_rate(const char *s, size_t len, size_t a, size_t b)
{
    size_t j = b;
    while (j < len && s[j] == ' ')
        j++;
    if (j < len && s[j] == '%')
        return 1;
    size_t i = a;
    while (i > 0 && s[i - 1] == ' ')
        i--;
    return i > 0 && s[i - 1] == '@';
}

/* "RM 85 54": OCR lost the decimal point of a total. When a row's last two
 * figures are a whole number and a lone two-digit one, a few spaces apart,
 * they are one amount (the caller has no two-decimal figure on the row). */
#define TOT_SPLIT_MAX_GAP 3

static int split_decimals(const fx_line *C, const df_amount *whole, const df_amount *cents,
                          df_amount *out)
{
    if (whole->decimals || cents->decimals || whole->negative || cents->negative ||
        cents->currency[0] || cents->start < whole->end ||
        cents->start - whole->end > TOT_SPLIT_MAX_GAP || cents->end - cents->start != 2)
        return 0;
    for (size_t i = whole->end; i < cents->start; i++)
        if (C->text[i] != ' ')
            return 0;
    for (size_t i = cents->end; i < C->len; i++)
        if (df_c_digit((unsigned char)C->text[i]))
            return 0;
    *out = *whole;
    out->minor = whole->minor + cents->minor / 100;
    out->end = cents->end;
    out->decimals = 2;
    out->repaired = 1;
    return 1;
}

/* A run of TOT_ID_DIGITS or more bare digits is an id ("GST ID:
 * 000145047552"), not money, which is grouped or has decimals at that size. */
#define TOT_ID_DIGITS 9

static int id_digits(const fx_line *C, const df_amount *a)
{
    size_t run = 0, best = 0;
    for (size_t i = a->start; i < a->end; i++) {
        run = df_c_digit((unsigned char)C->text[i]) ? run + 1 : 0;
        best = run > best ? run : best;
    }
    return best >= TOT_ID_DIGITS;
}

/* The best amount of C->text from byte `from`; returns 1 and sets *out.
 * A figure with three decimals in a document that writes two is OCR noise
 * ("9.060"), and a long run of bare digits is an id. */
static int last_amount(const fx_doc *d, const fx_line *C, size_t from, df_amount *out,
                       int *two_dec)
{
    df_amount a, prev = {0};
    int found = 0, has_prev = 0;
    size_t i = from;
    while (df_amount_find(d->m->base, C->text, C->len, i, (df_dec_style)d->dec_style,
                          DF_AMT_LENIENT, &a)) {
        i = a.end > i ? a.end : i + 1;
        if (is_rate(C->text, C->len, a.start, a.end))
            continue;
        /* a year or a date is no amount ("15-Jul-2023") */
        df_date dt;
        if (df_date_find(d->m->base, C->text, C->len, a.start > 12 ? a.start - 12 : 0,
                         (df_date_order)d->date_order, &dt) &&
            dt.start <= a.start && dt.end >= a.end)
            continue;
        if (a.decimals == 0 && a.minor >= 190000 && a.minor <= 210000)
            continue;
        if ((a.decimals == 3 && d->dec_style != DF_DEC_AUTO) || id_digits(C, &a))
            continue;
        df_amount joined;
        if (has_prev && !(found && *two_dec) && split_decimals(C, &prev, &a, &joined)) {
            *out = joined;
            *two_dec = 1;
            found = 1;
            continue;
        }
        prev = a;
        has_prev = 1;
        int td = a.decimals == 2;
        if (!found || td || !*two_dec) {
            if (!(found && *two_dec && !td)) {
                *out = a;
                *two_dec = td;
                found = 1;
            }
        }
    }
    return found;
}

/* 1 when the word after byte i of L is a rate ("6%", "@"): after a total's
 * label that names a tax breakdown ("Total 6% supplies"), not the total
 * (after a tax's label, "GST 6%", it is the tax's rate). */
static int rate_follows(const fx_line *L, size_t i)
{
    while (i < L->len && L->text[i] == ' ')
        i++;
    size_t j = i;
    while (j < L->len && L->text[j] != ' ')
        j++;
    return j > i && (L->text[j - 1] == '%' || (j - i == 1 && L->text[i] == '@'));
}

/* 1 when L's first word is a count: 1 to 3 digits. */
static int count_before(const fx_line *L)
{
    size_t n = L->nw > 1 ? L->wstart[1] : L->len;
    while (n > 0 && L->text[n - 1] == ' ')
        n--;
    if (n == 0 || n > 3)
        return 0;
    for (size_t q = 0; q < n; q++)
        if (!df_c_digit((unsigned char)L->text[q]))
            return 0;
    return 1;
}

/* 1 when a letter follows byte i of L. */
static int letters_after(const fx_line *L, size_t i)
{
    for (; i < L->len; i++)
        if (df_c_alpha((unsigned char)L->text[i]))
            return 1;
    return 0;
}

/* A receipt's sales by tax rate ("Total 0% supplies: 50.82", "Total 6%
 * supplies (Inc. GST): 17.81") add up to what is payable: the first
 * zero-rate row and the first row of a positive rate with the tax
 * included. */
typedef struct by_rate {
    int has_zero, has_incl;
    int64_t zero, incl;
} by_rate;

static int has_inc(const fx_line *L, size_t i)
{
    for (; i + 3 <= L->len; i++)
        if (df_c_toupper((unsigned char)L->text[i]) == 'I' &&
            df_c_toupper((unsigned char)L->text[i + 1]) == 'N' &&
            df_c_toupper((unsigned char)L->text[i + 2]) == 'C' &&
            (i == 0 || !df_c_alpha((unsigned char)L->text[i - 1])))
            return 1;
    return 0;
}

static void rate_row(const fx_doc *d, const fx_line *L, size_t i, by_rate *br)
{
    i = fx_skip(L->text, i, L->len, "");
    int rate = 0, nd = 0;
    for (; i < L->len && nd < 3 && df_c_digit((unsigned char)L->text[i]); i++, nd++)
        rate = rate * 10 + (L->text[i] - '0');
    df_amount a;
    int td = 0;
    if (nd == 0 || i >= L->len || L->text[i] != '%' || !last_amount(d, L, i + 1, &a, &td))
        return;
    if (rate == 0 && !br->has_zero) {
        br->zero = a.minor;
        br->has_zero = 1;
    } else if (rate > 0 && !br->has_incl && has_inc(L, i)) {
        br->incl = a.minor;
        br->has_incl = 1;
    }
}

/* 1 when a and b differ in one digit, a pair of ocr-confusions.txt. */
static int one_confusion(const fx_doc *d, int64_t a, int64_t b)
{
    char x[24], y[24];
    int n = snprintf(x, sizeof x, "%lld", (long long)a), m = snprintf(y, sizeof y, "%lld", (long long)b);
    if (a < 0 || b < 0 || n != m)
        return 0;
    int at = -1;
    for (int i = 0; i < n; i++)
        if (x[i] != y[i]) {
            if (at >= 0)
                return 0;
            at = i;
        }
    return at >= 0 && df_model_confused(d->m->base, x[at], y[at]);
}

/* The grand total one OCR confusion away from the sum by rate is that sum
 * misread ("Total Payable: 63.63" over 50.82 + 17.81). */
static void check_by_rate(const fx_doc *d, df_extraction *x, const by_rate *br)
{
    df_famt *G = &x->totals[DF_TOT_GRAND];
    int64_t sum = br->zero + br->incl;
    if (br->has_zero && br->has_incl && G->has && G->minor != sum && one_confusion(d, G->minor, sum))
        G->minor = sum;
}

/* v without its leading digit ("₹" read as "3": 394970.57 -> 94970.57). */
int64_t fx_strip_lead(int64_t v)
{
    int64_t p = 1;
    while (p <= v / 10)
        p *= 10;
    return v % p;
}

/* 1 when v's leading digit is one models/ocr-confusions.txt lists as a
 * currency sign's reading ("3 sign"): an "8.90" on a receipt is no "₹.90".
 * 2 for a digit listed "sign?": dropped only where a subtotal and taxes
 * then add up to the total, never from a part larger than the total alone
 * (a discount nobody read: "Subtotal 15.90 / Discount 10.00 / Total 5.90"). */
static int sign_lead(const fx_doc *d, int64_t v)
{
    while (v >= 10)
        v /= 10;
    return df_model_sign_digit(d->m->base, (char)('0' + v));
}

/* OCR reads the rupee sign as a digit glued to the amount. The amount in
 * words settles the grand total: when the figure is the words' value with
 * one extra leading digit, the words are right. A part (subtotal, tax) can
 * then not exceed the grand total: one that does, and fits once its leading
 * digit is dropped, is repaired the same way, when that digit is one a
 * currency sign is read as (ocr-confusions.txt "sign"). */
static void repair_leading_digit(fx_doc *d, df_extraction *x)
{
    df_famt *G = &x->totals[DF_TOT_GRAND];
    if (!G->has || G->minor <= 0)
        return;
    df_words_amount w;
    size_t off = 0;
    for (int n = 0; n < 8 && off < d->all_len; n++) {
        if (!df_words_find(d->m->base, d->all + off, d->all_len - off, &w))
            break;
        int64_t st = fx_strip_lead(G->minor);
        if (w.minor > 0 && w.minor != G->minor && st - w.minor <= 100 && w.minor - st <= 100) {
            G->minor = st;
            break;
        }
        if (w.minor == G->minor)
            break;
        off += w.end > 0 ? w.end : 1;
    }
    for (int t = DF_TOT_SUBTOTAL; t <= DF_TOT_TAX; t++) {
        df_famt *a = &x->totals[t];
        if (a->has && a->minor > G->minor && sign_lead(d, a->minor) == 1 &&
            fx_strip_lead(a->minor) <= G->minor)
            a->minor = fx_strip_lead(a->minor);
    }
    /* a round-off is never more than one unit: "-30.20" is "-₹0.20" */
    df_famt *R = &x->totals[DF_TOT_ROUNDING];
    int64_t r = R->has ? llabs(R->minor) : 0;
    if (r > FX_MAX_ROUND_OFF && sign_lead(d, r) == 1 && fx_strip_lead(r) <= FX_MAX_ROUND_OFF)
        R->minor = R->minor < 0 ? -fx_strip_lead(r) : fx_strip_lead(r);
    /* one part with a glued digit keeps subtotal + taxes from the total */
    if (!x->totals[DF_TOT_SUBTOTAL].has)
        return;
    int64_t sum = 0;
    int taxes = 0;
    for (int t = DF_TOT_SUBTOTAL; t <= DF_TOT_ROUNDING; t++)
        if (x->totals[t].has) {
            sum += x->totals[t].minor;
            taxes += t >= DF_TOT_CGST && t <= DF_TOT_TAX;
        }
    if (sum - G->minor <= 100 && G->minor - sum <= 100)
        return;
    /* the one part that fits; when two fit (a glued "3" on 3,53,530 and on
     * 3,31,817 removes the same 3 lakh), the one that makes CGST = SGST */
    int fit = -1, nfit = 0, fit_even = -1, neven = 0;
    const df_famt *C = &x->totals[DF_TOT_CGST], *S = &x->totals[DF_TOT_SGST];
    for (int t = DF_TOT_SUBTOTAL; t <= DF_TOT_TAX; t++) {
        df_famt *a = &x->totals[t];
        int lead = a->has && a->minor > 0 ? sign_lead(d, a->minor) : 0;
        if (!lead || (lead == 2 && !taxes))
            continue; /* a "sign?" digit needs a tax in the sum, not a subtotal alone */
        int64_t s2 = sum - a->minor + fx_strip_lead(a->minor);
        if (s2 - G->minor > 100 || G->minor - s2 > 100)
            continue;
        fit = t;
        nfit++;
        int64_t c = t == DF_TOT_CGST ? fx_strip_lead(C->minor) : C->minor;
        int64_t g = t == DF_TOT_SGST ? fx_strip_lead(S->minor) : S->minor;
        if (C->has && S->has && c == g) {
            fit_even = t;
            neven++;
        }
    }
    int t = nfit == 1 ? fit : neven == 1 ? fit_even : -1;
    if (t >= 0)
        x->totals[t].minor = fx_strip_lead(x->totals[t].minor);
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
    if (T->has && parts && llabs(T->minor - gst) <= 1)
        memset(T, 0, sizeof *T);
}

/* The amount paid ("Cash 100.00") or given back ("Change 24.30") on row L
 * after byte `from`: the first of each kind, written with two decimals. */
static void payment_row(fx_doc *d, const fx_line *L, size_t from, df_famt *out)
{
    df_amount a;
    int td = 0;
    const fx_line *AL = L;
    if (out->has)
        return;
    if (!last_amount(d, L, from, &a, &td)) {
        /* the figure across the row: "Accepted total        10.00 RM" */
        size_t next[TOT_MAX_ROW_LINES];
        size_t nn = fx_row_after(d, L, next, TOT_MAX_ROW_LINES);
        for (size_t q = 0; q < nn && AL == L; q++) {
            const fx_line *C = fx_get(d, L->page, next[q]);
            if (last_amount(d, C, 0, &a, &td))
                AL = C;
        }
        if (AL == L)
            return;
    }
    if (!td || a.negative)
        return;
    out->has = 1;
    out->minor = a.minor;
    fx_place(d, AL, a.start, a.end, &out->src); /* not a field of the result */
}

/* Whether box b (a figure's) is one of x's line items' own figures. */
static int item_figure(const df_extraction *x, int page, const float b[4])
{
    for (size_t i = 0; x && i < x->nitems; i++) {
        const df_field_src *s = &x->items[i].total.src;
        if (s->has && s->page == page && b[0] < s->box[2] && s->box[0] < b[2] &&
            b[1] < s->box[3] && s->box[1] < b[3])
            return 1;
    }
    return 0;
}

/* A figure written with two decimals equal to v anywhere in the document,
 * its place in *src; 0 when none. With items, their own figures do not
 * count (one item's total is no sum of anything). */
static int printed_except(fx_doc *d, int64_t v, const df_extraction *items, df_field_src *src)
{
    for (size_t p = 0; p < d->npages; p++)
        for (size_t li = 0; li < d->pages[p]->nlines; li++) {
            const fx_line *L = fx_get(d, (int)p, li);
            df_amount a;
            size_t i = 0;
            while (df_amount_find(d->m->base, L->text, L->len, i, (df_dec_style)d->dec_style, 0, &a)) {
                i = a.end > i ? a.end : i + 1;
                if (a.decimals != 2 || a.minor != v || a.negative)
                    continue;
                memset(src, 0, sizeof *src);
                fx_place(d, L, a.start, a.end, src);
                if (item_figure(items, src->page, src->box))
                    continue;
                fx_src(d, L, a.start, a.end, src); /* the one taken counts */
                return 1;
            }
        }
    return 0;
}

static int printed(fx_doc *d, int64_t v, df_field_src *src)
{
    return printed_except(d, v, NULL, src);
}

void fx_subtotal_printed(fx_doc *d, df_extraction *x)
{
    const df_famt *G = &x->totals[DF_TOT_GRAND];
    if (x->totals[DF_TOT_SUBTOTAL].has || !G->has || G->minor <= 0)
        return;
    int64_t v = G->minor;
    int taxes = 0;
    for (int t = DF_TOT_CGST; t <= DF_TOT_ROUNDING; t++)
        if (x->totals[t].has) {
            v -= x->totals[t].minor;
            taxes += t != DF_TOT_ROUNDING && x->totals[t].minor > 0;
        }
    df_field_src src;
    if (!taxes || v <= 0 || !printed_except(d, v, x, &src))
        return;
    x->totals[DF_TOT_SUBTOTAL].has = 1;
    x->totals[DF_TOT_SUBTOTAL].minor = v;
    x->totals[DF_TOT_SUBTOTAL].src = src;
}

/* A receipt's payment lines check its total: what was paid less the change
 * is what was due. When the grand total is missing or disagrees with that
 * and the parts (subtotal + taxes + rounding) agree with it instead, the
 * payment wins; with no payment, a sum of the parts printed on the page is
 * the total OCR could not label ("TORE: RM 73.00"). */
/* A rounding line whose figure was lost, below the total and above the
 * payment: a Malaysian till rounds the total to the nearest 5 sen, which the
 * payment must cover. 1 when the total was rounded. */
static int round_lost_figure(const fx_doc *d, df_extraction *x, const df_famt *paid)
{
    df_famt *G = &x->totals[DF_TOT_GRAND];
    const df_field_src *RL = &d->round_lost;
    if (!G->has || x->totals[DF_TOT_ROUNDING].has || !RL->has || !G->src.has ||
        RL->page != G->src.page || RL->box[1] <= G->src.box[1] || G->minor % FX_CASH_ROUNDING == 0 ||
        !x->currency.s || strcmp(x->currency.s, "MYR") != 0)
        return 0;
    if (paid->src.has && (paid->src.page != RL->page || RL->box[1] >= paid->src.box[1]))
        return 0;
    int64_t r = (G->minor + FX_CASH_ROUNDING / 2) / FX_CASH_ROUNDING * FX_CASH_ROUNDING;
    if (paid->has && r > paid->minor)
        return 0;
    G->minor = r;
    return 1;
}

static void reconcile_payment(fx_doc *d, df_extraction *x, const df_famt *paid,
                              const df_famt *change)
{
    df_famt *G = &x->totals[DF_TOT_GRAND];
    int64_t parts = 0;
    int has_parts = x->totals[DF_TOT_SUBTOTAL].has, taxes = 0;
    /* a tax is never negative on a sale: "Total GST : . -1.68" is OCR's dash */
    for (int t = DF_TOT_SUBTOTAL; t <= DF_TOT_ROUNDING; t++)
        if (x->totals[t].has) {
            int64_t v = x->totals[t].minor;
            parts += t == DF_TOT_ROUNDING ? v : llabs(v);
            taxes += t != DF_TOT_SUBTOTAL && t != DF_TOT_ROUNDING;
        }
    int64_t due = paid->has ? paid->minor - (change->has ? change->minor : 0) : 0;
    int due_ok = paid->has && due > 0;
    int parts_agree = due_ok && has_parts && llabs(parts - due) <= FX_CASH_ROUNDING;
    /* a total read without its decimals ("Total GET 120" for 1.20 and a lost
     * line) is weaker than cash less change, both read with theirs */
    int whole_total = G->has && d->grand_whole && change->has && d->dec_style != DF_DEC_AUTO;
    /* the total before its rounding adjustment ("Total with GST 6.83 /
     * ROUNDING 0.02 / TOTAL SAVING 0.00  TOTAL 6.85", the rounded total's
     * line lost or out of reach): the adjustment is printed below the total
     * it adjusts and, when it is the document's, above the payment lines
     * ("CASH 20.00 / ROUNDING 0.02 / CHANGE 6.20" is the till's: the total
     * stays what the receipt charged). What it makes must be a round
     * figure (5 sen, a whole rupee) the total was not, or what was paid. */
    const df_famt *R = &x->totals[DF_TOT_ROUNDING];
    int unrounded = 0;
    if (G->has && R->has && R->minor != 0 && R->src.has && G->src.has &&
        R->src.page == G->src.page && R->src.box[1] > G->src.box[1] &&
        (!paid->src.has || (paid->src.page == R->src.page && R->src.box[1] < paid->src.box[1]))) {
        int64_t r = G->minor + R->minor;
        if (due_ok && r == due) {
            unrounded = 1; /* the payment's own line becomes the source */
        } else if (!(due_ok && due == G->minor) && r > 0 && r % FX_CASH_ROUNDING == 0 &&
                   G->minor % FX_CASH_ROUNDING != 0) {
            G->minor = r;
            return;
        }
    }
    if (round_lost_figure(d, x, paid))
        return;
    if (unrounded ||
        (due_ok && (G->has ? llabs(G->minor - due) > FX_CASH_ROUNDING && (parts_agree || whole_total)
                           : change->has || parts_agree))) {
        G->has = 1;
        G->minor = due;
        G->src = paid->src;
        return;
    }
    df_field_src src;
    if (!G->has && has_parts && taxes && parts > 0 && printed(d, parts, &src)) {
        G->has = 1;
        G->minor = parts;
        G->src = src;
    }
}

/* The figure of the label ending at byte `after` of L: the last amount on
 * the rest of L, then on the rest of its row; for a grand total opening its
 * line (`below`), the amount just below it. Its line, or NULL. */
static const fx_line *row_figure(fx_doc *d, const fx_line *L, size_t after, int below,
                                 df_amount *best)
{
    df_amount a;
    const fx_line *BL = NULL;
    int td = 0;
    if (last_amount(d, L, after, &a, &td)) {
        *best = a;
        BL = L;
    }
    size_t next[TOT_MAX_ROW_LINES];
    size_t nn = fx_row_after(d, L, next, TOT_MAX_ROW_LINES);
    for (size_t q = 0; q < nn; q++) {
        const fx_line *C = fx_get(d, L->page, next[q]);
        int td2 = 0;
        if (last_amount(d, C, 0, &a, &td2) && (td2 || !td || !BL)) {
            *best = a;
            BL = C;
            td = td2;
        }
    }
    if (!BL && below) {
        df_field_src s = {0};
        fx_place(d, L, 0, L->len, &s);
        fx_line *C = s.has ? fx_below(d, L, s.box[0], s.box[2] + 200) : NULL;
        if (C && df_amount_parse(d->m->base, C->text, C->len, (df_dec_style)d->dec_style,
                                 DF_AMT_LENIENT, &a)) {
            a.start = 0;
            a.end = C->len;
            *best = a;
            BL = C;
        }
    }
    return BL;
}

/* 1 when the digits of `shorter` are those of `longer` with one left out. */
static int one_digit_dropped(int64_t longer, int64_t shorter)
{
    char l[24], s[24];
    int nl = snprintf(l, sizeof l, "%lld", (long long)llabs(longer));
    int ns = snprintf(s, sizeof s, "%lld", (long long)llabs(shorter));
    if (nl != ns + 1 || (longer < 0) != (shorter < 0))
        return 0;
    for (int k = 0; k < nl; k++)
        if (memcmp(l, s, (size_t)k) == 0 && strcmp(l + k + 1, s + k) == 0)
            return 1;
    return 0;
}

/* A second grand-total label ("Total Amount: 5.80 / TOTAL: RM 57.80"): its
 * figure replaces the first when the first is it with one digit left out.
 * OCR loses a faint digit; it does not make one up. */
static void another_grand(fx_doc *d, df_extraction *x, const fx_line *L, size_t after, int below)
{
    df_famt *G = &x->totals[DF_TOT_GRAND];
    df_amount a = {0};
    const fx_line *BL = G->has ? row_figure(d, L, after, below, &a) : NULL;
    if (!BL || !one_digit_dropped(a.minor, G->minor))
        return;
    G->minor = a.minor;
    d->grand_whole = a.decimals == 0;
    memset(&G->src, 0, sizeof G->src);
    fx_place(d, BL, a.start, a.end, &G->src);
}

/* Letters of s[a..b) upper-cased into out (at most n - 1); their count. */
static size_t letters_upper(const char *s, size_t a, size_t b, char *out, size_t n)
{
    size_t k = 0;
    for (size_t i = a; i < b && k + 1 < n; i++)
        if (df_c_alpha((unsigned char)s[i]))
            out[k++] = (char)df_c_toupper((unsigned char)s[i]);
    out[k] = '\0';
    return k;
}

/* Whether a becomes b by at most one letter added, lost or changed. */
static int one_edit(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la + 1 < lb || lb + 1 < la)
        return 0;
    size_t i = 0, j = 0;
    int edits = 0;
    while (i < la && j < lb) {
        if (a[i] == b[j]) {
            i++, j++;
            continue;
        }
        if (++edits > 1)
            return 0;
        if (la > lb)
            i++;
        else if (lb > la)
            j++;
        else
            i++, j++;
    }
    return edits + (int)(la - i) + (int)(lb - j) <= 1;
}

/* CGST and SGST are the two equal halves of India's GST, printed on
 * adjacent rows. When one was found and the other's label is too garbled
 * to be known ("CGS  8,576.10" above "SGST  8,576.10"), the row next to the
 * found one whose first word is the other's name with one letter wrong
 * and whose figure equals the found half's is the other half. The labels
 * are too short for df_label_near's guesses; the equal figure is what
 * makes this one safe. */
static void partner_half(fx_doc *d, df_extraction *x, const fx_line *const label[DF_TOT_COUNT])
{
    static const char *const name[2] = {"CGST", "SGST"};
    for (int h = 0; h < 2; h++) {
        int t = h ? DF_TOT_SGST : DF_TOT_CGST, o = h ? DF_TOT_CGST : DF_TOT_SGST;
        const fx_line *L = label[t];
        if (!x->totals[t].has || x->totals[o].has || !L || x->totals[t].minor <= 0)
            continue;
        const df_layout *lay = d->pages[L->page];
        size_t r = lay->lines[L->li].row;
        for (int step = -1; step <= 1; step += 2) {
            if ((step < 0 && r == 0) || r + (size_t)(step + 1) > lay->nrows)
                continue;
            const df_layout_row *row = &lay->rows[r + (size_t)step];
            fx_line *C = fx_get(d, L->page, lay->row_lines[row->first]);
            char word[16];
            size_t end = C->nw > 1 ? C->wstart[1] : C->len;
            df_amount a;
            if (fx_label(d, C, 0) || letters_upper(C->text, 0, end, word, sizeof word) < 3 ||
                !one_edit(word, name[1 - h]))
                continue;
            const fx_line *BL = row_figure(d, C, end, 0, &a);
            if (!BL || a.minor != x->totals[t].minor)
                continue;
            x->totals[o].has = 1;
            x->totals[o].minor = a.minor;
            memset(&x->totals[o].src, 0, sizeof x->totals[o].src);
            fx_src(d, BL, a.start, a.end, &x->totals[o].src);
            break;
        }
    }
}

df_code fx_totals(fx_doc *d, df_extraction *x)
{
    df_famt paid[2] = {{0}, {0}};
    by_rate br = {0, 0, 0, 0};
    const fx_line *label[DF_TOT_COUNT] = {NULL};
    long prio[DF_TOT_COUNT];
    for (int t = 0; t < DF_TOT_COUNT; t++)
        prio[t] = -1000000;
    for (size_t p = 0; p < d->npages; p++) {
        const df_layout *lay = d->pages[p];
        for (size_t r = 0; r < lay->nrows; r++) {
            const df_layout_row *row = &lay->rows[r];
            for (size_t k = 0; k < row->nlines; k++) {
                fx_line *L = fx_get(d, (int)p, lay->row_lines[row->first + k]);
                for (size_t w = 0; w < L->nw; w++) {
                    size_t i = L->wstart[w];
                    /* no figure before the label on its line, but for a
                     * receipt's item count ("8  TOTAL  26.50") */
                    int digit = 0;
                    for (size_t q = 0; q < i; q++)
                        digit |= df_c_digit((unsigned char)L->text[q]);
                    if (digit && !(w == 1 && count_before(L)))
                        break;
                    const df_model_entry *e = fx_label(d, L, i);
                    int near = !e;
                    if (near)
                        e = df_label_near(d->m, L->text, i, L->len);
                    if (!e)
                        continue;
                    if (digit && letters_after(L, i + e->klen))
                        break; /* "1  Total Care Shampoo  12.90": an item */
                    int t = total_index(e);
                    int pay = fx_is(e, "tendered") ? 0 : fx_is(e, "change") ? 1 : -1;
                    if (pay >= 0) {
                        payment_row(d, L, i + e->klen, &paid[pay]);
                        break;
                    }
                    size_t after = i + e->klen;
                    if (t >= 0 && after + 1 < L->len && (L->text[after] == '/' || L->text[after] == '-') &&
                        df_c_digit((unsigned char)L->text[after + 1]))
                        t = -1; /* "GST/23-24/1321" is an id, not a tax row ("GST/TAX 6%" is) */
                    if (t == DF_TOT_GRAND && rate_follows(L, after)) {
                        rate_row(d, L, after, &br);
                        t = -1; /* "Total 6% supplies": a tax summary line */
                    }
                    if (t < 0)
                        break; /* another label starts the line: not a total row */
                    if (e->num <= prio[t]) {
                        if (t == DF_TOT_GRAND)
                            another_grand(d, x, L, i + e->klen, i == 0);
                        break;
                    }
                    df_amount best = {0};
                    const fx_line *BL = row_figure(d, L, i + e->klen, t == DF_TOT_GRAND && i == 0, &best);
                    /* "Kounding RM 13.4": a guessed label whose figure is no
                     * round-off (the rounded total, misread) is not believed */
                    if (BL && near && t == DF_TOT_ROUNDING && llabs(best.minor) > FX_MAX_ROUND_OFF)
                        BL = NULL;
                    if (!BL) {
                        if (t == DF_TOT_ROUNDING && !d->round_lost.has)
                            fx_place(d, L, i, i + e->klen, &d->round_lost);
                        if (t == DF_TOT_SUBTOTAL && !d->sub_lost.has)
                            fx_place(d, L, i, L->len, &d->sub_lost);
                        if (t == DF_TOT_GRAND && !d->grand_label) {
                            d->grand_label = 1;
                            d->grand_page = (int)p;
                            d->grand_line = L->li;
                        }
                        break;
                    }
                    prio[t] = e->num;
                    label[t] = L;
                    if (t == DF_TOT_GRAND)
                        d->grand_whole = best.decimals == 0;
                    x->totals[t].has = 1;
                    x->totals[t].minor = best.minor;
                    memset(&x->totals[t].src, 0, sizeof x->totals[t].src);
                    fx_src(d, BL, best.start, best.end, &x->totals[t].src);
                    break;
                }
            }
        }
    }
    partner_half(d, x, label);
    repair_leading_digit(d, x);
    drop_tax_total(x);
    reconcile_payment(d, x, &paid[0], &paid[1]);
    d->paid = paid[0];
    d->change = paid[1];
    check_by_rate(d, x, &br);
    return DF_OK;
}
