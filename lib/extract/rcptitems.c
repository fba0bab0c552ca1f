/*
 * rcptitems.c — the item list of a receipt that prints no column titles.
 *
 * Till receipts list items as rows of text above the totals, in two shapes:
 *
 *   MILO ACTIV-GO 3IN1 18S                    a description on its own row,
 *      2 x 14.90                  29.80       then "quantity x price  total"
 *   Tarte aux pommes                3.80      or description and total on one row
 *
 * (a figures row whose "x" OCR garbled, "2%. 2:30   4.60", still gives the
 * description above it its total).
 *
 * The list is the run of rows just above the first totals row (subtotal,
 * tax, grand total of labels.txt), up to a rule ("-----"), a labelled row
 * ("Cashier : ...") or a date. Only a list that proves itself is kept:
 * every "q x p" row must multiply out, and the totals of rows without one
 * must add up to the subtotal (or the grand total less taxes). Anything
 * else is not guessed at: the receipt then has no line items.
 */
#include "extract/fields_int.h"

#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"
#include "extract/chars.h"
#include "extract/date.h"

/* Rows examined above the totals; a till receipt lists fewer items. */
#define RI_MAX_ROWS 80
#define RI_ROW_BYTES 512
/* Rows a description may span before its figures. */
#define RI_MAX_DESC_ROWS 2

typedef struct ri_row {
    int page;
    size_t r;
    char text[RI_ROW_BYTES];
    size_t len;
    const fx_line *first; /* its first line */
} ri_row;

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

static int letter_run3(const char *s, size_t n)
{
    int run = 0;
    for (size_t i = 0; i < n; i++) {
        run = df_c_alpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80 ? run + 1 : 0;
        if (run >= 3)
            return 1;
    }
    return 0;
}

static int letters(const char *s, size_t a, size_t b)
{
    int n = 0;
    for (size_t i = a; i < b; i++)
        n += df_c_alpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80;
    return n;
}

/* The amounts of a row (two decimals, not negative), at most max. */
static size_t row_amounts(const fx_doc *d, const ri_row *R, df_amount *a, size_t max)
{
    size_t n = 0, i = 0;
    df_amount x;
    while (n < max && df_amount_find(d->m->base, R->text, R->len, i, (df_dec_style)d->dec_style, 0, &x)) {
        if (x.decimals == 2 && !x.negative)
            a[n++] = x;
        i = x.end > i ? x.end : i + 1;
    }
    return n;
}

/* "2 x 14.90   29.80", "3 @ 6.85  20.55": quantity, price and total; the
 * quantity is a whole number written first. */
static int qxp_row(const fx_doc *d, const ri_row *R, int64_t *q, df_amount *price, df_amount *total)
{
    size_t i = fx_skip(R->text, 0, R->len, "");
    int64_t v = 0;
    size_t s = i;
    while (i < R->len && df_c_digit((unsigned char)R->text[i]) && i - s < 6)
        v = v * 10 + (R->text[i++] - '0');
    if (i == s || v == 0)
        return 0;
    i = fx_skip(R->text, i, R->len, "");
    if (i >= R->len || !strchr("xX@*", R->text[i]))
        return 0;
    df_amount a[3];
    size_t n = row_amounts(d, R, a, 3);
    if (n != 2 || a[0].start <= i || a[1].end + 3 < R->len)
        return 0;
    *q = v;
    *price = a[0];
    *total = a[1];
    int64_t want = v * a[0].minor;
    return want - a[1].minor <= v && a[1].minor - want <= v;
}

/* A row of figures only under a description ("2%. 2:30   4.60": "2 x 2.30"
 * garbled): its last amount, ending the row, is the item's total. */
static int figures_row(const fx_doc *d, const ri_row *R, df_amount *total)
{
    df_amount a[4];
    size_t n = row_amounts(d, R, a, 4);
    if (n == 0 || letters(R->text, 0, R->len) > 0 || a[n - 1].end + 3 < R->len)
        return 0;
    *total = a[n - 1];
    return 1;
}

/* "Tarte aux pommes   3.80": description, then one amount ending the row
 * (a tax code such as "SR" may follow it). */
static int desc_total_row(const fx_doc *d, const ri_row *R, size_t *desc_end, df_amount *total)
{
    df_amount a[4];
    size_t n = row_amounts(d, R, a, 4);
    if (n == 0)
        return 0;
    const df_amount *last = &a[n - 1];
    if (letters(R->text, last->end, R->len) > 2 || letters(R->text, 0, a[0].start) < 3)
        return 0;
    *desc_end = a[0].start;
    *total = *last;
    return 1;
}

/* The description within s[0..end) of a row whose columns OCR ran
 * together ("1 Pen Drive 64 GB USB 3.0  8523  4 Nos", "Ee | Digital
 * Marketing Services  998361"): the first cell (segments are split by two
 * spaces) with a word of three letters, after the last '|' in it, without a
 * leading serial number. */
static void desc_span(const char *s, size_t end, size_t *a, size_t *b)
{
    size_t i = 0;
    *a = 0;
    *b = end;
    while (i < end) {
        size_t j = i;
        while (j < end && !(s[j] == ' ' && j + 1 < end && s[j + 1] == ' '))
            j++;
        if (letter_run3(s + i, j - i)) {
            *a = i;
            *b = j;
            break;
        }
        i = j;
        while (i < end && s[i] == ' ')
            i++;
    }
    for (size_t k = *a; k < *b; k++)
        if (s[k] == '|' && letter_run3(s + k, *b - k))
            *a = k + 1;
    size_t k = fx_skip(s, *a, *b, "");
    size_t q = k;
    while (q < *b && df_c_digit((unsigned char)s[q]) && q - k < 3)
        q++;
    if (q > k && q < *b && (s[q] == ' ' || ((s[q] == '.' || s[q] == ')') && q + 1 < *b && s[q + 1] == ' ')) &&
        letter_run3(s + q, *b - q))
        *a = q + (s[q] != ' ');
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

/* The first totals row of the document: (page, row); 0 when none. */
static int first_totals_row(const fx_doc *d, int *page, size_t *row)
{
    for (size_t p = 0; p < d->npages; p++) {
        const df_layout *lay = d->pages[p];
        for (size_t r = 0; r < lay->nrows; r++) {
            const fx_line *L = fx_get(d, (int)p, lay->row_lines[lay->rows[r].first]);
            if (is_total_label(fx_label(d, L, fx_skip(L->text, 0, L->len, "")))) {
                *page = (int)p;
                *row = r;
                return 1;
            }
        }
    }
    return 0;
}

/* A row that closes the list from above: a rule, a labelled row, a date. */
static int list_top(const fx_doc *d, const ri_row *R)
{
    df_date dt;
    return rule_text(R->text, R->len) || fx_label(d, R->first, 0) ||
           df_date_find(d->m->base, R->text, R->len, 0, (df_date_order)d->date_order, &dt);
}

/* Do the items prove themselves? Every row without "q x p" must be backed by
 * the sum: items add up to the subtotal, or to the grand total less taxes. */
static int list_adds_up(const df_extraction *x, int all_qxp)
{
    int64_t sum = 0;
    for (size_t i = 0; i < x->nitems; i++)
        sum += x->items[i].total.minor;
    const df_famt *S = &x->totals[DF_TOT_SUBTOTAL], *G = &x->totals[DF_TOT_GRAND];
    if (S->has && llabs(sum - S->minor) <= 1)
        return 1;
    if (G->has) {
        int64_t net = G->minor;
        for (int t = DF_TOT_CGST; t <= DF_TOT_ROUNDING; t++)
            if (x->totals[t].has)
                net -= x->totals[t].minor;
        if (llabs(sum - net) <= 1 || llabs(sum - G->minor) <= 1)
            return 1;
    }
    return all_qxp && x->nitems >= 2;
}

df_code fx_receipt_items(fx_doc *d, df_extraction *x)
{
    int page;
    size_t end;
    if (x->nitems || !first_totals_row(d, &page, &end) || end == 0)
        return DF_OK;
    ri_row *rows = malloc(RI_MAX_ROWS * sizeof *rows);
    if (!rows)
        return DF_E_NO_MEMORY;
    size_t top = end, n = 0;
    /* the rule between the list and the totals */
    while (end > 0) {
        row_text(d, page, end - 1, &rows[0]);
        if (!rule_text(rows[0].text, rows[0].len))
            break;
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
    df_code c = DF_OK;
    int all_qxp = 1;
    size_t desc_from = 0, ndesc = 0; /* pending description rows: rows[desc_from ..] */
    for (size_t k = 0; k < n && c == DF_OK; k++) {
        const ri_row *R = &rows[k];
        df_line_item it = {0};
        int64_t q;
        df_amount pa, ta;
        size_t de;
        int qxp = qxp_row(d, R, &q, &pa, &ta);
        if (qxp || (ndesc > 0 && figures_row(d, R, &ta))) {
            if (ndesc == 0)
                continue; /* figures without a name */
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
                it.quantity = (df_famt){1, q * 100, {0}};
                it.unit_price = (df_famt){1, pa.minor, {0}};
            } else {
                all_qxp = 0; /* "2%. 2:30  4.60": an "x" OCR garbled, only the total is sure */
            }
            it.total = (df_famt){1, ta.minor, {0}};
            row_src(d, R, ta.start, ta.end, &it.total.src);
            ndesc = 0;
        } else if (desc_total_row(d, R, &de, &ta)) {
            size_t da, db;
            desc_span(R->text, de, &da, &db);
            it.description = fx_dup_trim(R->text, da, db, " |:-");
            it.total = (df_famt){1, ta.minor, {0}};
            row_src(d, R, ta.start, ta.end, &it.total.src);
            all_qxp = 0;
            ndesc = 0;
        } else {
            if (letters(R->text, 0, R->len) >= 3) {
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
    }
    free(rows);
    if (c != DF_OK || !list_adds_up(x, all_qxp))
        free_items(x);
    return c;
}
