/*
 * items.c — line items from the tables of df_layout_find_tables.
 *
 * Header keywords are the titles of models/columns.txt (TITLE<TAB>ROLE);
 * stop phrases (the rows that end a table body) are the labels of the total
 * fields in models/labels.txt. A column's role is that of the longest title
 * its header text starts with: description, hsn_sac, quantity, unit_price,
 * tax_rate, total, or anything else (ignored). For the total, the rightmost
 * "total" column wins (a "Taxable Value" column before "Amount"); for the
 * description the one with the most letters in its cells (an "Article"
 * column of codes before "Description"); for the other roles the
 * leftmost. With no column titled as the total, the last untitled column
 * of amounts after the price is. A body row becomes an item when it has a
 * description or a total. Numbers are read from the cell: quantity "3 Nos"
 * -> 3, rate "18%" -> 18.
 */
#include "extract/fields_int.h"

#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"
#include "extract/chars.h"
#include "extract/sums.h"

enum { COL_DESC, COL_HSN, COL_QTY, COL_PRICE, COL_RATE, COL_TOTAL, COL_ROLES };
static const char *const role_names[COL_ROLES] = {"description", "hsn_sac", "quantity",
                                                  "unit_price", "tax_rate", "total"};

#define ITEMS_MAX 1000

/* title without spaces ("D escription" as OCR split it), at most cap-1 bytes */
static void squeeze(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        if (*s != ' ')
            out[n++] = *s;
    out[n] = '\0';
}

/* The longest title that starts the header cell once spaces are dropped
 * from both: OCR splits words of bold headers ("D escription"). */
static const df_model_entry *squeezed_match(const df_fields_model *m, const char *title)
{
    char t[128], k[128];
    squeeze(title, t, sizeof t);
    size_t tl = strlen(t);
    for (size_t i = 0; i < m->columns.n; i++) { /* longest first */
        squeeze(m->columns.v[i].key, k, sizeof k);
        size_t kl = strlen(k);
        if (kl >= 4 && kl <= tl && df_c_prefix(t, 0, tl, k, kl))
            return &m->columns.v[i];
    }
    return NULL;
}

static int col_role(const df_fields_model *m, const char *title)
{
    size_t len = strlen(title);
    size_t i = fx_skip(title, 0, len, "#");
    const df_model_entry *e = df_model_match(&m->columns, title, i, len);
    if (!e)
        e = squeezed_match(m, title + i);
    if (!e)
        return -1;
    for (int r = 0; r < COL_ROLES; r++)
        if (strcmp(e->val, role_names[r]) == 0)
            return r;
    return -1;
}

/* A plain decimal number at the start of s ("76.3", "18%", "3 Nos"; with
 * the document's decimal comma "1,00", "5,5 %"), in hundredths. Returns 1
 * when one was read. */
static int plain_number(const fx_doc *d, const char *s, int64_t *out)
{
    char point = d->dec_style == DF_DEC_COMMA ? ',' : '.';
    char group = point == ',' ? '.' : ',';
    size_t i = 0;
    while (s[i] == ' ')
        i++;
    if (!df_c_digit((unsigned char)s[i]))
        return 0;
    int64_t v = 0;
    int digits = 0;
    for (; df_c_digit((unsigned char)s[i]) || s[i] == group; i++) {
        if (s[i] == group) {
            /* a group holds three digits: "18,5 h" is 18.5 whatever the
             * document's style was guessed to be */
            size_t k = i + 1;
            while (df_c_digit((unsigned char)s[k]))
                k++;
            if (k - i - 1 != 3) {
                point = group;
                break;
            }
            continue;
        }
        if (++digits > 12)
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    v *= 100;
    if (s[i] == point && df_c_digit((unsigned char)s[i + 1])) {
        i++;
        int64_t f = 10;
        for (; df_c_digit((unsigned char)s[i]); i++) {
            v += (s[i] - '0') * f;
            f /= 10;
        }
    }
    *out = v;
    return 1;
}

/* The cell's first amount that is no rate ("24.70 2.6%": a rate column
 * without a title ran into the total's cell). */
static int cell_amount(const fx_doc *d, const df_table_cell *c, df_famt *out)
{
    df_amount a;
    if (!c->text || !*c->text)
        return 0;
    size_t len = strlen(c->text), from = 0;
    while (df_amount_find(d->m->base, c->text, len, from, (df_dec_style)d->dec_style,
                          DF_AMT_LENIENT, &a)) {
        size_t e = a.end;
        while (e < len && c->text[e] == ' ')
            e++;
        if (e < len && c->text[e] == '%') {
            from = a.end > from ? a.end : from + 1;
            continue;
        }
        out->has = 1;
        out->minor = a.minor;
        return 1;
    }
    return 0;
}

static void cell_src(fx_doc *d, int page, const df_table_cell *c, df_famt *out)
{
    out->src.has = 1;
    out->src.page = page + 1;
    memcpy(out->src.box, c->box, sizeof out->src.box);
    out->src.conf = c->conf / 100.0;
    d->conf_sum += out->src.conf;
    d->conf_n++;
}

/* quantity (hundredths) x unit price makes the total (sums.h) */
static int row_adds_up(int64_t qty, int64_t price, int64_t total)
{
    return df_sum_item_agrees(qty, price, total);
}

/* A row whose quantity x price misses its total, and meets it once a
 * currency sign read as a leading digit is dropped from the price, the
 * total, or both ("334,800.00" for "₹34,800.00"). */
static void unglue_sign(df_line_item *it)
{
    if (!it->quantity.has || !it->unit_price.has || !it->total.has || it->quantity.minor <= 0)
        return;
    int64_t q = it->quantity.minor, p = it->unit_price.minor, t = it->total.minor;
    if (row_adds_up(q, p, t))
        return;
    int64_t p2 = fx_strip_lead(p), t2 = fx_strip_lead(t);
    if (p2 != p && row_adds_up(q, p2, t))
        it->unit_price.minor = p2;
    else if (t2 != t && row_adds_up(q, p, t2))
        it->total.minor = t2;
    else if (p2 != p && t2 != t && row_adds_up(q, p2, t2)) {
        it->unit_price.minor = p2;
        it->total.minor = t2;
    }
}

/* A unit price whose row misses its total, and meets it once one OCR slip
 * is undone; the figure read is kept for the warning.
 * - Read with three decimals ("1.135" for 1.35): OCR added a digit. Dropping
 *   one digit leaves a two-decimal price; when exactly one such price makes
 *   quantity x price the total, it is the price.
 * - Read with no decimals ("3400" for 34.00): OCR lost the decimal point. */
static void repair_price(const fx_doc *d, const df_table_cell *c, df_line_item *it)
{
    df_amount a;
    if (!it->quantity.has || !it->unit_price.has || !it->total.has || it->quantity.minor <= 0 ||
        row_adds_up(it->quantity.minor, it->unit_price.minor, it->total.minor) ||
        !df_amount_find(d->m->base, c->text, strlen(c->text), 0, (df_dec_style)d->dec_style,
                        DF_AMT_LENIENT, &a))
        return;
    if (a.decimals == 0 && a.end - a.start >= 3 && it->unit_price.minor % 100 == 0) {
        int64_t p = it->unit_price.minor / 100, t = it->total.minor, t2 = fx_strip_lead(t);
        /* the total may also carry a rule's stroke as a leading digit, as
         * unglue_sign undoes ("36650" and "118,325.00" for 366.50 and
         * 18,325.00) */
        if (!row_adds_up(it->quantity.minor, p, t) && t2 != t &&
            row_adds_up(it->quantity.minor, p, t2))
            t = t2;
        if (row_adds_up(it->quantity.minor, p, t)) {
            it->price_read = it->unit_price.minor * 10;
            it->point_lost = 1;
            it->unit_price.minor = p;
            it->total.minor = t;
            return;
        }
    }
    if (a.decimals != 3)
        return;
    char dig[24];
    size_t n = 0;
    for (size_t i = a.start; i < a.end && n + 1 < sizeof dig; i++)
        if (df_c_digit((unsigned char)c->text[i]))
            dig[n++] = c->text[i];
    if (n < 4 || n > 15)
        return;
    int64_t read = 0, found = -1;
    for (size_t i = 0; i < n; i++)
        read = read * 10 + (dig[i] - '0');
    for (size_t drop = 0; drop < n; drop++) {
        int64_t v = 0;
        for (size_t i = 0; i < n; i++)
            if (i != drop)
                v = v * 10 + (dig[i] - '0');
        if (v == found || !row_adds_up(it->quantity.minor, v, it->total.minor))
            continue;
        if (found >= 0)
            return; /* two prices fit: nothing tells which */
        found = v;
    }
    if (found < 0)
        return;
    it->price_read = a.negative ? -read : read;
    it->unit_price.minor = a.negative ? -found : found;
}

/* The digits of a cell as one number (hundredths when its decimal mark was
 * lost: "44 24" for 44,24); -1 when it holds none or too many. */
static int64_t cell_digits(const df_table_cell *c)
{
    int64_t v = 0;
    int n = 0;
    for (const char *p = c->text; p && *p; p++)
        if (df_c_digit((unsigned char)*p)) {
            if (++n > 12)
                return -1;
            v = v * 10 + (*p - '0');
        }
    return n ? v : -1;
}

/* A row whose price and total both lost their decimal mark ("4424" and
 * "44 24" for 44,24 x 1): the total's digits as hundredths, with the price
 * as read or in hundredths, make quantity x price. A quantity that lost
 * its mark ("200" for 2.00 in a column of "1.00"s) is put back the same
 * way. Only the arithmetic vouches for the repair. */
static void repair_marks_lost(const df_table_cell *tc, df_line_item *it)
{
    if (!it->quantity.has || !it->unit_price.has || !it->total.has || it->quantity.minor <= 0 ||
        row_adds_up(it->quantity.minor, it->unit_price.minor, it->total.minor))
        return;
    int64_t q = it->quantity.minor;
    if (q >= 10000 && q % 100 == 0 && row_adds_up(q / 100, it->unit_price.minor, it->total.minor)) {
        it->quantity.minor = q / 100;
        return;
    }
    int64_t t = cell_digits(tc), p = it->unit_price.minor;
    if (t <= 0 || t == it->total.minor)
        return;
    if (row_adds_up(it->quantity.minor, p, t)) {
        it->total.minor = t;
    } else if (p % 100 == 0 && row_adds_up(it->quantity.minor, p / 100, t)) {
        it->price_read = p * 10;
        it->point_lost = 1;
        it->unit_price.minor = p / 100;
        it->total.minor = t;
    }
}

/* Whether most filled body cells of column j are percentages ("18%"). */
static int percent_column(const df_table *t, size_t j)
{
    size_t filled = 0, pct = 0;
    for (size_t r = 0; r < t->nbody; r++) {
        const char *c = t->rows[r].cells[j].text;
        if (!c || !*c)
            continue;
        filled++;
        pct += strchr(c, '%') != NULL;
    }
    return filled > 0 && 2 * pct > filled;
}

/* The letters in column j's body cells: of two columns titled as the
 * description ("Articolo" over codes, "Descrizione" over names), the one
 * with the words is. */
static size_t column_letters(const df_table *t, size_t j)
{
    size_t n = 0;
    for (size_t r = 0; r < t->nbody; r++)
        for (const char *c = t->rows[r].cells[j].text; c && *c; c++)
            n += df_c_alpha((unsigned char)*c) || (unsigned char)*c >= 0x80;
    return n;
}

/* Whether most filled body cells of column j are amounts. */
static int amount_column(const fx_doc *d, const df_table *t, size_t j)
{
    size_t filled = 0, amounts = 0;
    for (size_t r = 0; r < t->nbody; r++) {
        const df_table_cell *c = &t->rows[r].cells[j];
        df_famt a;
        if (!c->text || !*c->text)
            continue;
        filled++;
        amounts += cell_amount(d, c, &a) && !strchr(c->text, '%');
    }
    return filled > 0 && 2 * amounts > filled;
}

/* The last column after column `after` whose title names no role and
 * whose cells are amounts; -1 when none. */
static int untitled_amounts(const fx_doc *d, const df_fields_model *m, const df_table *t, int after)
{
    for (int j = (int)t->ncols - 1; j > after; j--)
        if (col_role(m, t->header.cells[j].text) < 0 && amount_column(d, t, (size_t)j))
            return j;
    return -1;
}

df_code fx_items(fx_doc *d, df_extraction *x, df_err *err)
{
    const df_fields_model *m = d->m;
    const char **hdr = calloc(m->columns.n + 1, sizeof *hdr);
    const char **stop = calloc(m->labels.n + 1, sizeof *stop);
    if (!hdr || !stop) {
        free(hdr);
        free(stop);
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory");
    }
    size_t nh = 0, ns = 0;
    for (size_t i = 0; i < m->columns.n; i++)
        hdr[nh++] = m->columns.v[i].key;
    for (size_t i = 0; i < m->labels.n; i++)
        for (int t = 0; t < DF_TOT_COUNT; t++)
            if (strcmp(m->labels.v[i].val, df_total_names[t]) == 0)
                stop[ns++] = m->labels.v[i].key;
    df_table_spec spec = {hdr, nh, stop, ns, 0};
    df_code c = DF_OK;
    for (size_t p = 0; p < d->npages && c == DF_OK; p++) {
        df_table *t = NULL;
        size_t nt = 0;
        c = df_layout_find_tables(d->pages[p], &spec, &t, &nt, err);
        for (size_t k = 0; c == DF_OK && k < nt; k++) {
            int col[COL_ROLES];
            for (int r = 0; r < COL_ROLES; r++)
                col[r] = -1;
            for (size_t j = 0; j < t[k].ncols; j++) {
                int r = col_role(m, t[k].header.cells[j].text);
                /* "Rate" over "18%": the tax's rate, not the price; a
                 * "Total" title set over the rates printed after the totals */
                if ((r == COL_PRICE || r == COL_TOTAL) && percent_column(&t[k], j))
                    r = COL_RATE;
                if (r < 0)
                    continue;
                if (col[r] < 0 || r == COL_TOTAL ||
                    (r == COL_DESC && fx_rule_on(d, DF_RULE_ITEMS_DESC_LETTERS) &&
                     column_letters(&t[k], j) > column_letters(&t[k], (size_t)col[r])))
                    col[r] = (int)j;
            }
            /* a total column under a title not listed: the last column of
             * amounts after the price's */
            if (col[COL_TOTAL] < 0 && col[COL_PRICE] >= 0 &&
                fx_rule_on(d, DF_RULE_ITEMS_TOTAL_AMOUNTS))
                col[COL_TOTAL] = untitled_amounts(d, m, &t[k], col[COL_PRICE]);
            if (col[COL_DESC] < 0 || (col[COL_TOTAL] < 0 && col[COL_PRICE] < 0))
                continue;
            for (size_t rr = 0; rr < t[k].nbody && x->nitems < ITEMS_MAX; rr++) {
                const df_table_row *row = &t[k].rows[rr];
                df_line_item it = {0};
                const df_table_cell *dc = &row->cells[col[COL_DESC]];
                /* a rule's remnant or a speck at either end: "... 20 L Jar :" */
                if (dc->text && *dc->text)
                    it.description = fx_dup_trim(dc->text, 0, strlen(dc->text), " |:=~_");
                if (col[COL_HSN] >= 0) {
                    const char *h = row->cells[col[COL_HSN]].text;
                    if (h && *h)
                        it.hsn_sac = fx_dup_trim(h, 0, strlen(h), " |");
                }
                if (col[COL_QTY] >= 0) {
                    /* "5% 76.3": a rate that drifted into the quantity cell */
                    const df_table_cell *qc = &row->cells[col[COL_QTY]];
                    const char *q = qc->text;
                    const char *pct = q ? strchr(q, '%') : NULL;
                    if (pct && col[COL_RATE] < 0 && plain_number(d, q, &it.tax_rate.minor)) {
                        it.tax_rate.has = 1;
                        cell_src(d, (int)p, qc, &it.tax_rate);
                    }
                    if (pct)
                        q = pct + 1;
                    if (q && plain_number(d, q, &it.quantity.minor)) {
                        it.quantity.has = 1;
                        cell_src(d, (int)p, qc, &it.quantity);
                    }
                }
                if (col[COL_RATE] >= 0) {
                    const df_table_cell *rc = &row->cells[col[COL_RATE]];
                    if (rc->text && plain_number(d, rc->text, &it.tax_rate.minor)) {
                        it.tax_rate.has = 1;
                        cell_src(d, (int)p, rc, &it.tax_rate);
                    }
                }
                if (col[COL_PRICE] >= 0 && cell_amount(d, &row->cells[col[COL_PRICE]], &it.unit_price))
                    cell_src(d, (int)p, &row->cells[col[COL_PRICE]], &it.unit_price);
                if (col[COL_TOTAL] >= 0 && cell_amount(d, &row->cells[col[COL_TOTAL]], &it.total))
                    cell_src(d, (int)p, &row->cells[col[COL_TOTAL]], &it.total);
                /* "IN 0.00" under a price, beside a total: nothing was read */
                if (it.unit_price.has && it.unit_price.minor == 0 && it.total.has &&
                    it.total.minor != 0)
                    it.unit_price = (df_famt){0};
                unglue_sign(&it);
                if (col[COL_PRICE] >= 0)
                    repair_price(d, &row->cells[col[COL_PRICE]], &it);
                if (col[COL_TOTAL] >= 0)
                    repair_marks_lost(&row->cells[col[COL_TOTAL]], &it);
                if (!it.description || (!it.total.has && !it.unit_price.has)) {
                    free(it.description);
                    free(it.hsn_sac);
                    continue;
                }
                if (x->nitems % 16 == 0) {
                    df_line_item *bigger = realloc(x->items, (x->nitems + 16) * sizeof *bigger);
                    if (!bigger) {
                        free(it.description);
                        free(it.hsn_sac);
                        c = df_err_set(err, DF_E_NO_MEMORY, "out of memory");
                        break;
                    }
                    x->items = bigger;
                }
                x->items[x->nitems++] = it;
            }
        }
        df_tables_free(t, nt);
    }
    free(hdr);
    free(stop);
    return c;
}
