/*
 * rcptrow.c — one row of a till receipt's item list, read (rcptrow.h): the
 * figures a row prints, what may follow an item's total (a tax code, a
 * rate), an itemising row ("2 x 14.90  29.80", "1,587 kg x 2,99 EUR/kg"),
 * a row of figures alone, a description with its total, the description's
 * span, a leading count and a till's "count  price  total". The list's
 * bounds and its proof are rcptitems.c's.
 *
 * Contents: ri_letter_run3, ri_letters, ri_row_amounts, ri_tail_ok,
 * ri_tail_rate, ri_per_unit_ok, ri_read_qty, ri_times_at, ri_detail_row,
 * ri_detail_adds_up, ri_set_detail, ri_figures_row, ri_desc_total_row,
 * ri_desc_span, ri_lead_count, ri_count_price_total.
 */
#include "extract/rcptrow.h"

#include <string.h>

#include "extract/chars.h"
#include "extract/sums.h"

static int ri_letter_run3(const char *s, size_t n)
{
    int run = 0;
    for (size_t i = 0; i < n; i++) {
        run = df_c_alpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80 ? run + 1 : 0;
        if (run >= 3)
            return 1;
    }
    return 0;
}

int ri_letters(const char *s, size_t a, size_t b)
{
    int n = 0;
    for (size_t i = a; i < b; i++)
        n += df_c_alpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80;
    return n;
}

/* The amounts of a row (two decimals, not negative), at most max. */
size_t ri_row_amounts(const fx_doc *d, const ri_row *R, df_amount *a, size_t max)
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

/* What may follow an item's total on its row: a tax code ("A", "SR", "2"),
 * a tax rate ("19%", "5,5 %"), a currency ("EUR"): at most two short
 * tokens, no more than three letters. */
static int ri_tail_ok(const char *s, size_t i, size_t len)
{
    int tokens = 0, nletters = 0;
    while (i < len) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && s[j] != ' ')
            j++;
        if (++tokens > 2 || j - i > 6)
            return 0;
        for (; i < j; i++) {
            unsigned char c = (unsigned char)s[i];
            if (df_c_alpha(c) || c >= 0x80)
                nletters++;
            else if (!df_c_digit(c) && !strchr("%.,", c))
                return 0;
        }
    }
    return nletters <= 3;
}

/* The tax rate in a row's tail after byte i ("7,18 19%", "13,19 5,5%"), in
 * hundredths of a percent; 0 when none. */
int64_t ri_tail_rate(const char *s, size_t i, size_t len)
{
    for (; i < len; i++) {
        if (!df_c_digit((unsigned char)s[i]) || (i > 0 && df_c_alnum((unsigned char)s[i - 1])))
            continue;
        int64_t v = 0, f = 0;
        int fd = 0;
        size_t k = i;
        while (k < len && df_c_digit((unsigned char)s[k]) && k - i < 2)
            v = v * 10 + (s[k++] - '0');
        if (k + 1 < len && (s[k] == ',' || s[k] == '.') && df_c_digit((unsigned char)s[k + 1])) {
            k++;
            while (k < len && df_c_digit((unsigned char)s[k]) && fd < 2) {
                f = f * 10 + (s[k++] - '0');
                fd++;
            }
        }
        if (fd == 1)
            f *= 10;
        k = fx_skip(s, k, len, "");
        if (k < len && s[k] == '%' && v + f > 0)
            return v * 100 + f;
    }
    return 0;
}

/* What may follow a unit price: the unit it is per ("/kg", "EUR/kg",
 * "$/lb"), or nothing. */
static int ri_per_unit_ok(const char *s, size_t i, size_t end)
{
    i = fx_skip(s, i, end, "");
    while (end > i && s[end - 1] == ' ')
        end--;
    if (i == end)
        return 1;
    int slash = 0;
    for (size_t k = i; k < end; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == ' ')
            return 0;
        slash += c == '/';
        if (c != '/' && !df_c_alpha(c) && c < 0x80 && c != '$')
            return 0;
    }
    return slash == 1 && end - i <= 8;
}

/* A quantity at s[*i]: a count ("2") or a weight ("1,587", "2.377"), in
 * thousandths; *decs receives the decimals written. Returns 0 when none. */
static int ri_read_qty(const char *s, size_t *i, size_t len, int64_t *q, int *decs)
{
    size_t k = *i, st = k;
    int64_t v = 0;
    while (k < len && df_c_digit((unsigned char)s[k]) && k - st < 6)
        v = v * 10 + (s[k++] - '0');
    if (k == st)
        return 0;
    int n = 0;
    if (k + 1 < len && (s[k] == ',' || s[k] == '.') && df_c_digit((unsigned char)s[k + 1])) {
        k++;
        for (; k < len && df_c_digit((unsigned char)s[k]); k++) {
            if (++n > 3)
                return 0;
            v = v * 10 + (s[k] - '0');
        }
    }
    for (int j = n; j < 3; j++)
        v *= 10;
    if (v == 0)
        return 0;
    *q = v;
    *decs = n;
    *i = k;
    return 1;
}

/* The separator of "2 x 14.90": x, X, @ or *, not the first letter of a
 * word; OCR may add a point ("2.x 2,90", "2 x. 3,00"). */
static int ri_times_at(const char *s, size_t *i, size_t len)
{
    size_t k = *i;
    if (k < len && s[k] == '.')
        k++;
    k = fx_skip(s, k, len, "");
    if (k >= len || !strchr("xX@*", s[k]))
        return 0;
    k++;
    if (k < len && df_c_alpha((unsigned char)s[k]))
        return 0;
    if (k < len && s[k] == '.')
        k++;
    *i = k;
    return 1;
}


int ri_detail_row(const fx_doc *d, const ri_row *R, ri_detail *out)
{
    const char *s = R->text;
    size_t len = R->len, i = fx_skip(s, 0, len, "");
    memset(out, 0, sizeof *out);
    if (!ri_read_qty(s, &i, len, &out->qty, &out->qty_decs))
        return 0;
    if (!ri_times_at(s, &i, len)) { /* a unit first: "kg x", "St x" */
        size_t u = fx_skip(s, i, len, ""), k = u;
        while (k < len && df_c_alpha((unsigned char)s[k]) && k - u <= 4)
            k++;
        if (k == u || k - u > 4 || !ri_times_at(s, &k, len))
            return 0;
        i = k;
    }
    df_amount a[3];
    size_t n = 0, from = i;
    df_amount x;
    while (n < 3 && df_amount_find(d->m->base, s, len, from, (df_dec_style)d->dec_style, 0, &x)) {
        size_t e = fx_skip(s, x.end, len, "");
        if (n > 0 && e < len && s[e] == '%')
            break; /* the tax rate after the total: the tail */
        if (n == 2 && x.decimals == 0 && x.end - x.start <= 2)
            break; /* a tax code after the total ("7,70 2"): the tail */
        if (x.decimals != 2 || x.negative)
            return 0;
        a[n++] = x;
        from = x.end > from ? x.end : from + 1;
    }
    if (n == 0 || n > 2 || ri_letters(s, i, a[0].start) > 3)
        return 0;
    out->price = a[0];
    if (n == 1)
        return ri_per_unit_ok(s, a[0].end, len);
    if (!ri_per_unit_ok(s, a[0].end, a[1].start) || !ri_tail_ok(s, a[1].end, len))
        return 0;
    out->total = a[1];
    out->has_total = 1;
    return 1;
}

/* Whether quantity (thousandths) x unit price makes the total (sums.h:
 * a count's price may be rounded per unit, a weight's total is exact). */
int ri_detail_adds_up(int64_t qty, int64_t price, int64_t total)
{
    return df_sum_line_agrees(qty, price, total);
}

/* The quantity and unit price of a detail row, on item it (the quantity
 * only when the schema's hundredths hold it exactly). */
void ri_set_detail(df_line_item *it, const ri_detail *dt)
{
    if (dt->qty % 10 == 0)
        it->quantity = (df_famt){1, dt->qty / 10, {0}};
    it->unit_price = (df_famt){1, dt->price.minor, {0}};
}

/* Whether the one letter in s[0..end) is an "x" standing alone, the
 * multiplication sign of a quantity times a price. */
static int lone_x(const char *s, size_t end)
{
    for (size_t i = 0; i < end; i++)
        if ((s[i] == 'x' || s[i] == 'X') && (i == 0 || !df_c_alpha((unsigned char)s[i - 1])) &&
            (i + 1 >= end || !df_c_alpha((unsigned char)s[i + 1])))
            return 1;
    return 0;
}

/* A row of figures only under a description ("2%. 2:30   4.60": "2 x 2.30"
 * garbled): its last amount, ending the row, is the item's total. */
int ri_figures_row(const fx_doc *d, const ri_row *R, df_amount *total)
{
    df_amount a[4];
    size_t n = ri_row_amounts(d, R, a, 4);
    if (n == 0)
        return 0;
    const df_amount *last = &a[n - 1];
    /* before the total at most the "x" of a garbled "2 X 2;64"; after it
     * at most a tax code ("3,58 'A") */
    int before = ri_letters(R->text, 0, last->start), after = 0;
    for (size_t i = last->end; i < R->len; i++) /* a speck's curly quote is no letter */
        after += df_c_alpha((unsigned char)R->text[i]);
    if (before > 1 || (before == 1 && !lone_x(R->text, last->start)) || after > 2)
        return 0;
    *total = *last;
    return 1;
}

/* "Tarte aux pommes   3.80": description, then one amount ending the row
 * (a tax code such as "SR" may follow it). */
int ri_desc_total_row(const fx_doc *d, const ri_row *R, size_t *desc_end, df_amount *total)
{
    df_amount a[4];
    size_t n = ri_row_amounts(d, R, a, 4);
    if (n == 0)
        return 0;
    const df_amount *last = &a[n - 1];
    if (ri_letters(R->text, last->end, R->len) > 2 || ri_letters(R->text, 0, a[0].start) < 3)
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
void ri_desc_span(const char *s, size_t end, size_t *a, size_t *b)
{
    size_t i = 0;
    *a = 0;
    *b = end;
    while (i < end) {
        size_t j = i;
        while (j < end && !(s[j] == ' ' && j + 1 < end && s[j + 1] == ' '))
            j++;
        if (ri_letter_run3(s + i, j - i)) {
            *a = i;
            *b = j;
            break;
        }
        i = j;
        while (i < end && s[i] == ' ')
            i++;
    }
    for (size_t k = *a; k < *b; k++)
        if (s[k] == '|' && ri_letter_run3(s + k, *b - k))
            *a = k + 1;
    size_t k = fx_skip(s, *a, *b, "");
    size_t q = k;
    while (q < *b && df_c_digit((unsigned char)s[q]) && q - k < 3)
        q++;
    if (q > k && q < *b && (s[q] == ' ' || ((s[q] == '.' || s[q] == ')') && q + 1 < *b && s[q + 1] == ' ')) &&
        ri_letter_run3(s + q, *b - q))
        *a = q + (s[q] != ' ');
}

/* A number of one to three digits leading the row's description, then a
 * space: the quantity of a restaurant bill ("2 Paella mixta  26,60"), when
 * the row prints no other figure than its total (a table's row "1  Hosting
 * 1,00  26,86  26,86" starts with its number in the list). */
int64_t ri_lead_count(const char *s, size_t desc_from)
{
    size_t i = fx_skip(s, 0, desc_from, ""), k = i;
    int64_t v = 0;
    while (k < desc_from && df_c_digit((unsigned char)s[k]) && k - i < 3)
        v = v * 10 + (s[k++] - '0');
    if (k == i || s[k] != ' ' || fx_skip(s, k, desc_from, "") != desc_from)
        return 0;
    return v;
}

/* "LAIT DEMI-ÉCRÉ    1     1,39      1,39 B": a count column before the
 * price and the total, as a till with column titles prints them; the count
 * ends the description span [da, *db). Returns 1 and narrows *db when the
 * row holds exactly a price and a total and the count times the price
 * makes the total. */
int ri_count_price_total(const fx_doc *d, const ri_row *R, size_t da, size_t *db, int64_t *q,
                         df_amount *price)
{
    df_amount a[3];
    if (ri_row_amounts(d, R, a, 3) != 2)
        return 0;
    const char *s = R->text;
    size_t e = *db;
    while (e > da && s[e - 1] == ' ')
        e--;
    size_t b = e;
    while (b > da && df_c_digit((unsigned char)s[b - 1]) && e - b < 4)
        b--;
    if (b == e || b == da || s[b - 1] != ' ' || (b > da && df_c_digit((unsigned char)s[b - 1])))
        return 0;
    int64_t v = 0;
    for (size_t i = b; i < e; i++)
        v = v * 10 + (s[i] - '0');
    if (v == 0 || !ri_detail_adds_up(v * 1000, a[0].minor, a[1].minor))
        return 0;
    *q = v;
    *price = a[0];
    *db = b;
    return 1;
}
