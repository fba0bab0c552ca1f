/*
 * rcptitems.c — the item list of a receipt that prints no column titles.
 *
 * Till receipts list items as rows of text above the totals, in three shapes:
 *
 *   MILO ACTIV-GO 3IN1 18S                    a description on its own row,
 *      2 x 14.90                  29.80       then "quantity x price  total"
 *   Tarte aux pommes                3.80      or description and total on one row
 *   RODE WIJN MERLOT             15,58 A      then, maybe, "quantity x price"
 *      2 x 7,79                               itemising it
 *
 * A quantity may be a weight with its unit ("1,587 kg x 2,99 EUR/kg"); a
 * tax code or rate may follow a total ("0,90 B", "7,18 19%": the rate is
 * the item's tax_rate); a leading count is a restaurant's quantity ("2
 * Paella mixta  26,60"), a count between name and price that of a till
 * with titles ("LAIT  1  1,39  1,39 B"). A figures row whose "x" OCR
 * garbled ("2%. 2:30   4.60") still gives the description above it its
 * total.
 *
 * The list is the run of rows just above the first totals row (subtotal,
 * tax, grand total of labels.txt; a discount is not one), up to a rule
 * ("-----"), a labelled row ("Cashier : ...") or a date. Discounts printed
 * among or under the items ("Aktionsrabatt  1,61-") are no items and come
 * off their sum. Only a list that proves itself is kept: every "q x p" row
 * must multiply out, and the items less the discounts must add up to the
 * figure of the row that closes the list, the subtotal, or the grand total
 * with or without its taxes. Anything else is not guessed at: the receipt
 * then has no line items.
 *
 * Contents: row reading (row_text, row_src, rule_text), the list's bounds
 * (first_totals_row, list_top, row_label, last_figure), its proof
 * (list_adds_up, drop_serials), name_with_figure, till_list and
 * fx_receipt_items (over a table's items that read no total). A row's
 * figures are read by rcptrow.c.
 */
#include "extract/fields_int.h"

#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"
#include "extract/chars.h"
#include "extract/date.h"
#include "extract/rcptrow.h"
#include "extract/sums.h"

/* Rows examined above the totals; a till receipt lists fewer items. */
#define RI_MAX_ROWS 80
/* Rows a description may span before its figures. */
#define RI_MAX_DESC_ROWS 2

static void row_text(const fx_doc *d, int p, size_t r, ri_row *out)
{
    const df_layout *lay = d->pages[p];
    const df_layout_row *row = &lay->rows[r];
    out->page = p;
    out->r = r;
    out->len = 0;
    out->first = fx_get(d, p, lay->row_lines[row->first]);
    for (size_t k = 0; k < row->nlines; k++) {
        const fx_line *L = fx_get(d, p, lay->row_lines[row->first + k]);
        if (out->len + L->len + 3 >= RI_ROW_BYTES)
            break;
        if (k) {
            memcpy(out->text + out->len, "  ", 2);
            out->len += 2;
        }
        memcpy(out->text + out->len, L->text, L->len);
        out->len += L->len;
    }
    out->text[out->len] = '\0';
}

/* Where bytes [a, b) of R's text were read: the line of the row holding
 * them, mapped back as row_text joined the lines. */
static void row_src(fx_doc *d, const ri_row *R, size_t a, size_t b, df_field_src *src)
{
    const df_layout *lay = d->pages[R->page];
    const df_layout_row *row = &lay->rows[R->r];
    size_t off = 0;
    for (size_t k = 0; k < row->nlines; k++) {
        const fx_line *L = fx_get(d, R->page, lay->row_lines[row->first + k]);
        if (off + L->len + 3 >= RI_ROW_BYTES)
            return;
        if (a >= off && b <= off + L->len) {
            fx_src(d, L, a - off, b - off, src);
            return;
        }
        off += L->len + 2;
    }
}

static int is_total_label(const df_model_entry *e)
{
    for (int t = 0; e && t < DF_TOT_COUNT; t++)
        if (strcmp(e->val, df_total_names[t]) == 0)
            return 1;
    return 0;
}

static int rule_text(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ')
            continue;
        if (!strchr("-=_*~.", s[i]))
            return 0;
        n++;
    }
    return n >= 3;
}


static int append_item(df_extraction *x, df_line_item *it)
{
    if (x->nitems % 16 == 0) {
        df_line_item *bigger = realloc(x->items, (x->nitems + 16) * sizeof *bigger);
        if (!bigger)
            return -1;
        x->items = bigger;
    }
    x->items[x->nitems++] = *it;
    return 0;
}

static void free_items(df_extraction *x)
{
    for (size_t i = 0; i < x->nitems; i++) {
        free(x->items[i].description);
        free(x->items[i].hsn_sac);
    }
    free(x->items);
    x->items = NULL;
    x->nitems = 0;
}

static int is_discount_label(const df_model_entry *e)
{
    return e && strcmp(e->val, df_total_names[DF_TOT_DISCOUNT]) == 0;
}

/* A row's label, when its first line starts with one, or with a word that
 * ends in a compound head ("Aktionsrabatt"). */
static const df_model_entry *row_label(const fx_doc *d, const ri_row *R)
{
    const fx_line *L = R->first;
    size_t i = fx_skip(L->text, 0, L->len, ""), after;
    const df_model_entry *e = fx_label(d, L, i);
    return e ? e : df_label_compound(d->m, L->text, i, L->len, &after);
}

/* The first totals row of the document: (page, row); 0 when none. A
 * discount is not one: tills print it among the items ("Aktionsrabatt
 * 1,61-" under the article it takes from, or above the sum). */
static df_famt last_figure(const fx_doc *d, const ri_row *R);

static int first_totals_row(const fx_doc *d, int *page, size_t *row)
{
    for (size_t p = 0; p < d->npages; p++) {
        const df_layout *lay = d->pages[p];
        for (size_t r = 0; r < lay->nrows; r++) {
            const fx_line *L = fx_get(d, (int)p, lay->row_lines[lay->rows[r].first]);
            const df_model_entry *e = fx_label(d, L, fx_skip(L->text, 0, L->len, ""));
            if (!is_total_label(e) || is_discount_label(e))
                continue;
            /* "BTW: BE1613742280" in the header names a tax id, no total */
            ri_row R;
            row_text(d, (int)p, r, &R);
            if (last_figure(d, &R).has) {
                *page = (int)p;
                *row = r;
                return 1;
            }
        }
    }
    return 0;
}

/* A row that closes the list from above: a rule, a labelled row (but a
 * discount, or a charge billed among the items: "Coperto  2,60", the
 * cover; nor a payment's label, printed after the total: an item's name
 * that starts with one, "Carta cucina x4"), a date. */
static int list_top(const fx_doc *d, const ri_row *R)
{
    df_date dt;
    const df_model_entry *e = fx_label(d, R->first, 0);
    int among = e && (is_discount_label(e) || (fx_is(e, "charge") &&
                                               fx_rule_on(d, DF_RULE_ITEMS_CHARGE_AMONG)) ||
                      ((fx_is(e, "tendered") || fx_is(e, "change")) &&
                       fx_rule_on(d, DF_RULE_ITEMS_PAYMENT_AFTER)));
    return rule_text(R->text, R->len) || (e && !among) ||
           df_date_find(d->m->base, R->text, R->len, 0, (df_date_order)d->date_order, &dt);
}

/* Do the items prove themselves? Every row without "q x p" must be backed by
 * the sum: the items, less the discounts printed among them, add up to the
 * figure on the row that closes the list ("SUMME EUR 14,44", "TOTAL (IVA
 * incl.) 16,80" before a tip), to the subtotal, or to the grand total with
 * or without its taxes. */
static int list_adds_up(const df_extraction *x, int all_qxp, int64_t discount,
                        const df_famt *closing)
{
    int64_t sum = 0;
    for (size_t i = 0; i < x->nitems; i++)
        sum += x->items[i].total.minor;
    int64_t want[4];
    size_t nw = 0;
    const df_famt *S = &x->totals[DF_TOT_SUBTOTAL], *G = &x->totals[DF_TOT_GRAND];
    if (closing->has)
        want[nw++] = closing->minor;
    if (S->has)
        want[nw++] = S->minor;
    if (G->has) {
        int64_t net = G->minor;
        for (int t = DF_TOT_CGST; t <= DF_TOT_ROUNDING; t++)
            if (x->totals[t].has)
                net -= x->totals[t].minor;
        want[nw++] = net;
        want[nw++] = G->minor;
    }
    for (size_t k = 0; k < nw; k++)
        if (df_sum_agree(sum, want[k], DF_SUM_EXACT) ||
            df_sum_agree(sum - discount, want[k], DF_SUM_EXACT))
            return 1;
    return all_qxp && x->nitems >= 2;
}

/* The figure ending row R: its last amount with two decimals, of either
 * sign ("1,61-" is how a discount is printed), as a magnitude. */
static df_famt last_figure(const fx_doc *d, const ri_row *R)
{
    df_famt f = {0};
    size_t i = 0;
    df_amount x;
    while (df_amount_find(d->m->base, R->text, R->len, i, (df_dec_style)d->dec_style, 0, &x)) {
        if (x.decimals == 2) {
            f.has = 1;
            f.minor = llabs(x.minor);
        }
        i = x.end > i ? x.end : i + 1;
    }
    return f;
}


/* Leading numbers that count 1, 2, 3 ... down the list are the rows'
 * serial numbers, not quantities. */
static void drop_serials(df_extraction *x, size_t from, const int64_t *lead)
{
    size_t n = x->nitems - from;
    if (n < 3)
        return;
    for (size_t i = 0; i < n; i++)
        if (lead[i] != (int64_t)i + 1)
            return;
    for (size_t i = from; i < x->nitems; i++) {
        x->items[i].quantity = (df_famt){0};
        x->items[i].unit_price = (df_famt){0};
    }
}

/* Item up, made from row `name` ("Pils 0,25": a name and a figure), has
 * its own "q x p  total" row R under it: itemised again when the totals
 * agree, else the figure was part of the name and R's total is the item's.
 * 0 when up was changed. */
static int name_with_figure(fx_doc *d, df_line_item *up, const ri_row *name,
                            const ri_detail *dt, const ri_row *R)
{
    if (up->total.minor != dt->total.minor) {
        char *desc = fx_dup_trim(name->text, 0, name->len, " |:-");
        if (!desc)
            return -1;
        free(up->description);
        up->description = desc;
        up->total = (df_famt){1, dt->total.minor, {0}};
        row_src(d, R, dt->total.start, dt->total.end, &up->total.src);
        int64_t rate = ri_tail_rate(R->text, dt->total.end, R->len);
        up->tax_rate = rate ? (df_famt){1, rate, {0}} : (df_famt){0};
    }
    ri_set_detail(up, dt);
    return 0;
}

static df_code till_list(fx_doc *d, df_extraction *x)
{
    int page;
    size_t end;
    if (!first_totals_row(d, &page, &end) || end == 0)
        return DF_OK;
    ri_row *rows = malloc(RI_MAX_ROWS * sizeof *rows);
    if (!rows)
        return DF_E_NO_MEMORY;
    size_t top = end, n = 0, tot = end;
    /* the rules between the list and the totals, and the discounts
     * printed under the list's rule ("Aktionsrabatt  1,61-") */
    int64_t discount = 0;
    while (end > 0) {
        row_text(d, page, end - 1, &rows[0]);
        if (is_discount_label(row_label(d, &rows[0]))) {
            df_famt f = last_figure(d, &rows[0]);
            discount += f.minor;
        } else if (!rule_text(rows[0].text, rows[0].len)) {
            break;
        }
        top = --end;
    }
    while (top > 0 && end - top < RI_MAX_ROWS) {
        row_text(d, page, top - 1, &rows[0]);
        if (list_top(d, &rows[0]))
            break;
        top--;
    }
    for (size_t r = top; r < end; r++)
        row_text(d, page, r, &rows[n++]);
    ri_row closing;
    row_text(d, page, tot, &closing);
    df_famt close = last_figure(d, &closing);
    int64_t *lead = calloc(n + 1, sizeof *lead);
    if (!lead) {
        free(rows);
        return DF_E_NO_MEMORY;
    }
    df_code c = DF_OK;
    int all_qxp = 1;
    size_t first = x->nitems;
    long last = -1;               /* the item made from the row above, if any */
    size_t desc_from = 0, ndesc = 0; /* pending description rows: rows[desc_from ..] */
    for (size_t k = 0; k < n && c == DF_OK; k++) {
        const ri_row *R = &rows[k];
        df_line_item it = {0};
        ri_detail dt;
        df_amount ta;
        size_t de;
        long made = -1;
        if (is_discount_label(row_label(d, R))) {
            discount += last_figure(d, R).minor;
            ndesc = 0;
            last = -1;
            continue;
        }
        int detail = ri_detail_row(d, R, &dt);
        if (detail && !dt.has_total) {
            /* "RODE WIJN MERLOT  15,58 A" then "2 x 7,79": the row above itemised */
            df_line_item *up = last >= 0 ? &x->items[last] : NULL;
            if (up && !up->unit_price.has && fx_rule_on(d, DF_RULE_ITEMS_DETAIL_BELOW) &&
                ri_detail_adds_up(dt.qty, dt.price.minor, up->total.minor)) {
                ri_set_detail(up, &dt);
                lead[last - (long)first] = 0;
            }
            ndesc = 0;
            last = -1;
            continue;
        }
        int qxp = detail && ri_detail_adds_up(dt.qty, dt.price.minor, dt.total.minor);
        if (detail && !qxp)
            ta = dt.total; /* an "x" or a digit misread: only the total is sure */
        if (qxp || (ndesc > 0 && detail) || (ndesc > 0 && ri_figures_row(d, R, &ta))) {
            if (ndesc == 0) {
                /* figures without a name: the row above, when it made an
                 * item, named it ("Pils 0,25" over "1 x 3,60  3,60") */
                if (qxp && last >= 0 && k > 0 && fx_rule_on(d, DF_RULE_ITEMS_FIGURE_IN_NAME) &&
                    name_with_figure(d, &x->items[last], &rows[k - 1], &dt, R) == 0)
                    lead[last - (long)first] = 0;
                last = -1;
                continue;
            }
            char buf[RI_ROW_BYTES * RI_MAX_DESC_ROWS + 2];
            size_t bl = 0;
            for (size_t j = desc_from; j < desc_from + ndesc; j++) {
                if (bl)
                    buf[bl++] = ' ';
                memcpy(buf + bl, rows[j].text, rows[j].len);
                bl += rows[j].len;
            }
            it.description = fx_dup_trim(buf, 0, bl, " |");
            if (qxp) {
                ri_set_detail(&it, &dt);
                ta = dt.total;
            }
            int64_t rate = ri_tail_rate(R->text, ta.end, R->len);
            if (rate)
                it.tax_rate = (df_famt){1, rate, {0}};
            if (!qxp)
                all_qxp = 0;
            it.total = (df_famt){1, ta.minor, {0}};
            row_src(d, R, ta.start, ta.end, &it.total.src);
            ndesc = 0;
        } else if (ri_desc_total_row(d, R, &de, &ta)) {
            size_t da, db;
            ri_desc_span(R->text, de, &da, &db);
            int64_t cq = 0;
            df_amount cp;
            if (ri_count_price_total(d, R, da, &db, &cq, &cp)) {
                it.quantity = (df_famt){1, cq * 100, {0}};
                it.unit_price = (df_famt){1, cp.minor, {0}};
            }
            it.description = fx_dup_trim(R->text, da, db, " |:-");
            it.total = (df_famt){1, ta.minor, {0}};
            row_src(d, R, ta.start, ta.end, &it.total.src);
            int64_t rate = ri_tail_rate(R->text, ta.end, R->len);
            if (rate)
                it.tax_rate = (df_famt){1, rate, {0}};
            df_amount all[2];
            int64_t q = ri_row_amounts(d, R, all, 2) == 1 ? ri_lead_count(R->text, da) : 0;
            if (q > 0) {
                lead[x->nitems - first] = q;
                it.quantity = (df_famt){1, q * 100, {0}};
                if (ta.minor % q == 0)
                    it.unit_price = (df_famt){1, ta.minor / q, {0}};
            }
            all_qxp = 0;
            ndesc = 0;
            made = (long)x->nitems;
        } else {
            last = -1;
            if (ri_letters(R->text, 0, R->len) >= 3) {
                if (ndesc == RI_MAX_DESC_ROWS) {
                    desc_from++;
                    ndesc--;
                }
                if (ndesc == 0)
                    desc_from = k;
                ndesc++;
            }
            continue;
        }
        if (!it.description) {
            c = DF_E_NO_MEMORY;
            break;
        }
        if (append_item(x, &it) != 0) {
            free(it.description);
            c = DF_E_NO_MEMORY;
        }
        last = made;
    }
    free(rows);
    if (c == DF_OK)
        drop_serials(x, first, lead);
    free(lead);
    if (!fx_rule_on(d, DF_RULE_ITEMS_CLOSING_SUM))
        close.has = 0;
    if (c != DF_OK || !list_adds_up(x, all_qxp, discount, &close))
        free_items(x);
    return c;
}

/* Whether a table's items stand: their totals add up to a figure of the
 * summary (list_adds_up) or to one the page prints ("Summe Positionen
 * 2'703.40"), or a rule that would question them is off. */
static int table_proven(const fx_doc *d, const df_extraction *x)
{
    int totals = 0;
    for (size_t i = 0; i < x->nitems; i++)
        totals |= x->items[i].total.has;
    if (!totals)
        return !fx_rule_on(d, DF_RULE_ITEMS_LIST_OVER_TABLE);
    df_famt none = {0};
    int64_t sum;
    size_t a, b;
    return !fx_rule_on(d, DF_RULE_ITEMS_UNPROVEN_TABLE) || list_adds_up(x, 0, 0, &none) ||
           (df_sum_items(x, 2, &sum) && fx_figure_printed(d, sum, NULL, &a, &b));
}

/* The items of a table that read no total at all (its "Total" title set
 * over the rates printed after the totals) are no proof of anything, nor
 * are totals that add up to no figure of the summary (a till's weighed
 * item, "1,284 kg x 1,99 EUR/kg" under its name, taken for a wrapped
 * description): the list reading replaces them when it proves itself. */
df_code fx_receipt_items(fx_doc *d, df_extraction *x)
{
    if (x->nitems && table_proven(d, x))
        return DF_OK;
    df_extraction table = {0};
    table.items = x->items;
    table.nitems = x->nitems;
    x->items = NULL;
    x->nitems = 0;
    df_code c = till_list(d, x);
    if (x->nitems == 0) {
        x->items = table.items;
        x->nitems = table.nitems;
    } else {
        free_items(&table);
    }
    return c;
}
