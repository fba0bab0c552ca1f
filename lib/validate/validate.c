/* validate.c — stage 5 checks (validate.h). Integer hundredths throughout. */
#include "validate/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "extract/date.h"
#include "extract/fields.h"
#include "extract/sums.h"
#include "extract/words.h"
#include "validate/repair.h"

static void add(df_issue *arr, size_t *n, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Messages quote values read from the document and hold non-ASCII ("0→6");
 * one too long for the fixed buffer is cut between characters. */
static void add(df_issue *arr, size_t *n, const char *code, const char *fmt, ...)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(arr[i].code, code) == 0)
            return; /* one entry per code */
    if (*n >= DF_VALIDATION_MAX)
        return;
    arr[*n].code = code;
    va_list ap;
    va_start(ap, fmt);
    df_utf8_vformat(arr[*n].message, sizeof arr[*n].message, fmt, ap);
    va_end(ap);
    (*n)++;
}

int64_t df_line_product(const df_line_item *it)
{
    /* quantity and price in hundredths: product in 1/10000, rounded */
    __int128 p = (__int128)it->quantity.minor * it->unit_price.minor;
    return (int64_t)((p + (p >= 0 ? 50 : -50)) / 100);
}

static int64_t labs64(int64_t v)
{
    return v < 0 ? -v : v;
}

int df_tax_inclusive(const df_famt *T)
{
    int any_tax = T[DF_TOT_CGST].has || T[DF_TOT_SGST].has || T[DF_TOT_IGST].has ||
                  T[DF_TOT_TAX].has;
    if (!any_tax || !T[DF_TOT_SUBTOTAL].has || !T[DF_TOT_GRAND].has)
        return 0;
    /* the parts but the taxes make the total: the prices included them */
    df_sum_parts p = {&T[DF_TOT_SUBTOTAL], &T[DF_TOT_DISCOUNT], &T[DF_TOT_CHARGES], NULL,
                      {NULL, NULL, NULL, NULL}};
    int64_t s;
    df_sum_of_parts(&p, &s, NULL);
    return labs64(s - T[DF_TOT_GRAND].minor) <= DF_SUM_EXACT;
}

const df_famt *df_items_sum(const df_extraction *x, int64_t *sum)
{
    const df_famt *T = x->totals;
    *sum = 0;
    if (!df_sum_items(x, 1, sum))
        return NULL;
    int any_tax = T[DF_TOT_CGST].has || T[DF_TOT_SGST].has || T[DF_TOT_IGST].has ||
                  T[DF_TOT_TAX].has;
    if (T[DF_TOT_SUBTOTAL].has)
        return &T[DF_TOT_SUBTOTAL];
    int other = T[DF_TOT_ROUNDING].has || T[DF_TOT_DISCOUNT].has || T[DF_TOT_CHARGES].has;
    return !any_tax && !other && T[DF_TOT_GRAND].has ? &T[DF_TOT_GRAND] : NULL;
}

int df_totals_diff(const df_famt *T, int inclusive_ok, int64_t *sum, int64_t *diff)
{
    if (!T[DF_TOT_GRAND].has || !T[DF_TOT_SUBTOTAL].has)
        return 0;
    df_sum_parts p = {&T[DF_TOT_SUBTOTAL], &T[DF_TOT_DISCOUNT], &T[DF_TOT_CHARGES], &T[DF_TOT_ROUNDING],
                      {&T[DF_TOT_CGST], &T[DF_TOT_SGST], &T[DF_TOT_IGST], &T[DF_TOT_TAX]}};
    df_sum_of_parts(&p, sum, NULL);
    *diff = labs64(*sum - T[DF_TOT_GRAND].minor);
    /* prices that include the tax: the subtotal already is the total */
    if (inclusive_ok && df_tax_inclusive(T))
        *diff = 0;
    return 1;
}

static void money(int64_t minor, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%lld.%02lld", minor < 0 ? "-" : "", (long long)(labs64(minor) / 100),
             (long long)(labs64(minor) % 100));
}

static int is_tax_amount(const df_extraction *x, int64_t v)
{
    int64_t sum = 0;
    for (int t = DF_TOT_CGST; t <= DF_TOT_TAX; t++)
        if (x->totals[t].has) {
            if (x->totals[t].minor == v)
                return 1;
            sum += x->totals[t].minor;
        }
    return sum != 0 && sum == v;
}

static void check(const df_model *m, const df_extraction *x, const char *text, int ty, int tm,
                  int td, df_validation *out)
{
    memset(out, 0, sizeof *out);
    char a[32], b[32];
    const df_famt *T = x->totals;

    /* line items */
    for (size_t i = 0; i < x->nitems; i++) {
        const df_line_item *it = &x->items[i];
        if (it->total.has && it->quantity.has && it->unit_price.has) {
            int64_t prod = df_line_product(it);
            if (!df_sum_item_agrees(it->quantity.minor, it->unit_price.minor, it->total.minor)) {
                money(prod, a, sizeof a);
                money(it->total.minor, b, sizeof b);
                add(out->errors, &out->nerrors, "line_items_mismatch",
                    "item %zu: quantity x unit price is %s, its total says %s", i + 1, a, b);
            }
        }
    }
    int64_t sum;
    const df_famt *base = df_items_sum(x, &sum);
    if (base && labs64(sum - base->minor) > (int64_t)x->nitems * DF_SUM_ITEMS_PER_ITEM) {
        money(sum, a, sizeof a);
        money(base->minor, b, sizeof b);
        /* a warning: the table reader may have missed or merged rows */
        add(out->warnings, &out->nwarnings, "line_items_mismatch",
            "the line items add up to %s, the %s says %s", a,
            base == &T[DF_TOT_SUBTOTAL] ? "subtotal" : "grand total", b);
    }

    /* totals */
    int64_t tsum, diff;
    if (df_totals_diff(T, 1, &tsum, &diff)) {
        money(tsum, a, sizeof a);
        money(T[DF_TOT_GRAND].minor, b, sizeof b);
        if (diff > DF_SUM_UNPRINTED_ROUND)
            add(out->errors, &out->nerrors, "totals_mismatch",
                "subtotal less discount plus taxes, charges and rounding is %s, the grand total says %s",
                a, b);
        else if (diff > 1)
            add(out->warnings, &out->nwarnings, "totals_mismatch",
                "subtotal less discount plus taxes and charges is %s, the grand total says %s "
                "(unprinted rounding?)",
                a, b);
    }
    if (T[DF_TOT_CGST].has && T[DF_TOT_SGST].has && T[DF_TOT_CGST].minor != T[DF_TOT_SGST].minor) {
        money(T[DF_TOT_CGST].minor, a, sizeof a);
        money(T[DF_TOT_SGST].minor, b, sizeof b);
        add(out->errors, &out->nerrors, "cgst_sgst_unequal", "CGST is %s but SGST is %s", a, b);
    }
    if (!T[DF_TOT_GRAND].has)
        add(out->errors, &out->nerrors, "missing_grand_total", "no grand total was found");

    /* amount in words */
    /* amount in words: every phrase found; one of them must be the total
     * (a tax amount is often written in words too) */
    df_words_amount w, first = {0};
    int nw = 0, match = 0;
    size_t tlen = text ? strlen(text) : 0;
    for (size_t off = 0; m && text && T[DF_TOT_GRAND].has && off < tlen && nw < 8;) {
        if (!df_words_find(m, text + off, tlen - off, &w))
            break;
        if (nw++ == 0)
            first = w;
        if (df_words_say(&w, T[DF_TOT_GRAND].minor))
            match = 1;
        if (is_tax_amount(x, w.minor))
            nw--; /* "Tax Amount (in words)" */
        off += w.end > 0 ? w.end : 1;
    }
    /* a phrase without its label ("E. & O.E" between label and words):
     * a line that starts with a unit word and parses to a total */
    for (const char *l = text; !match && m && text && T[DF_TOT_GRAND].has && l && *l;) {
        const char *eol = strpbrk(l, "\n\f");
        size_t ll = eol ? (size_t)(eol - l) : strlen(l);
        if (df_words_parse(m, l, ll, 0, &w) && w.currency[0] && df_words_say(&w, T[DF_TOT_GRAND].minor))
            match = 1;
        l = eol ? eol + 1 : NULL;
    }
    if (nw && !match) {
        w = first;
        money(w.minor, a, sizeof a);
        money(T[DF_TOT_GRAND].minor, b, sizeof b);
        add(out->warnings, &out->nwarnings, "amount_in_words_mismatch",
            "the amount in words is %s, the grand total says %s", a, b);
    }

    for (size_t i = 0; i < x->nitems; i++)
        if (x->items[i].total_read) {
            char used[32], read[32];
            money(x->items[i].total.minor, used, sizeof used);
            money(x->items[i].total_read, read, sizeof read);
            add(out->warnings, &out->nwarnings, "amount_repaired",
                "item %zu: total read as %s, repaired to %s (OCR lost its decimal point: the "
                "items then add up to the subtotal)%s", i + 1, read, used,
                x->items[i].price_follows == 1
                    ? "; its unit price is that total over its quantity"
                    : x->items[i].price_follows == 2 ? "; its quantity had lost its point too" : "");
        }
    for (size_t i = 0; i < x->nitems; i++)
        if (x->items[i].price_read) {
            char used[32];
            money(x->items[i].unit_price.minor, used, sizeof used);
            int64_t r = x->items[i].price_read;
            if (x->items[i].point_lost) {
                add(out->warnings, &out->nwarnings, "amount_repaired",
                    "item %zu: unit_price read as %lld, repaired to %s (OCR lost its decimal "
                    "point: quantity x unit price then makes the item's total)",
                    i + 1, (long long)(r / 1000), used);
                continue;
            }
            add(out->warnings, &out->nwarnings, "amount_repaired",
                "item %zu: unit_price read as %s%lld.%03lld, repaired to %s (OCR added one digit: "
                "quantity x unit price then makes the item's total)",
                i + 1, r < 0 ? "-" : "", (long long)(llabs(r) / 1000), (long long)(llabs(r) % 1000), used);
        }
    if (x->gstin_invalid)
        add(out->warnings, &out->nwarnings, "gstin_invalid",
            "a GSTIN on the document fails its check character or format");
    if (x->gstin_repaired)
        add(out->warnings, &out->nwarnings, "gstin_repaired",
            "the vendor GSTIN was read with one OCR confusion and repaired");
    if (x->date.s && df_date_implausible(x->date_y, x->date_m, x->date_d, ty, tm, td))
        add(out->warnings, &out->nwarnings, "implausible_date",
            "the document date %s is before 2000 or more than a year ahead", x->date.s);

    out->math_valid = T[DF_TOT_GRAND].has && out->nerrors == 0;
}

static int has_code(const df_issue *arr, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(arr[i].code, code) == 0)
            return 1;
    return 0;
}

static int arithmetic_errors(const df_validation *v)
{
    return has_code(v->errors, v->nerrors, "line_items_mismatch") ||
           has_code(v->errors, v->nerrors, "totals_mismatch") ||
           has_code(v->errors, v->nerrors, "cgst_sgst_unequal");
}

/* Some amount in words in text (after a label, or a line of its own that
 * starts with a unit word) equals v. */
static int words_say(const df_model *m, const char *text, int64_t v)
{
    if (!m || !text)
        return 0;
    df_words_amount w;
    size_t tlen = strlen(text);
    for (size_t off = 0, n = 0; off < tlen && n < 8; n++) {
        if (!df_words_find(m, text + off, tlen - off, &w))
            break;
        if (w.minor == v)
            return 1;
        off += w.end > 0 ? w.end : 1;
    }
    for (const char *l = text; l && *l;) {
        const char *eol = strpbrk(l, "\n\f");
        size_t ll = eol ? (size_t)(eol - l) : strlen(l);
        if (df_words_parse(m, l, ll, 0, &w) && w.currency[0] && w.minor == v)
            return 1;
        l = eol ? eol + 1 : NULL;
    }
    return 0;
}

void df_validate(const df_model *m, df_extraction *x, const char *text, int ty, int tm, int td,
                 df_validation *out)
{
    int year_read = 0, year_fixed = df_repair_year(m, x, ty, tm, td, &year_read);
    check(m, x, text, ty, tm, td, out);
    if (year_fixed)
        add(out->warnings, &out->nwarnings, "date_repaired",
            "the year was read as %d; one OCR confusion away, %d is the only year of the last %d",
            year_read, x->date_y, DF_REPAIR_YEAR_WINDOW);
    /* arithmetic-constrained repair (repair.h): kept only when the numbers
     * then agree and no amount in words confirms the value read (a document
     * whose arithmetic is wrong as printed is reported, not "repaired") or
     * newly disagrees with the grand total */
    df_amount_repair r;
    int sum_missed = has_code(out->warnings, out->nwarnings, "line_items_mismatch");
    if (!(arithmetic_errors(out) || sum_missed) || !df_repair_amounts(m, x, &r))
        return;
    if (words_say(m, text, r.from)) {
        df_repair_undo(&r);
        return;
    }
    df_validation *again = malloc(sizeof *again);
    if (!again) {
        df_repair_undo(&r);
        return;
    }
    check(m, x, text, ty, tm, td, again);
    if (arithmetic_errors(again) ||
        (has_code(again->warnings, again->nwarnings, "amount_in_words_mismatch") &&
         !has_code(out->warnings, out->nwarnings, "amount_in_words_mismatch"))) {
        df_repair_undo(&r);
        free(again);
        return;
    }
    *out = *again;
    free(again);
    char a[32], b[32];
    money(r.from, a, sizeof a);
    money(r.to, b, sizeof b);
    if (r.used)
        add(out->warnings, &out->nwarnings, "amount_repaired",
            "%s read as %s, repaired to %s (one OCR confusion %c\u2192%c makes the totals add up)",
            r.field, a, b, r.read, r.used);
    else
        add(out->warnings, &out->nwarnings, "amount_repaired",
            "%s%s read as %s, repaired to %s (its leading %c is a currency sign misread: without "
            "it the totals add up)",
            r.field, r.twin ? " and its unit_price" : "", a, b, r.read);
}
