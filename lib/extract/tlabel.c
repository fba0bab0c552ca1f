/*
 * tlabel.c — the labels of the totals (tlabel.h): which label each figure
 * of the page pairs with, and which figures are no money at all.
 *
 * A figure's label is on its line before it, on the line left of it on its
 * row, on the line just above it, or the title over its column in a row of
 * titles; tc_collect (tcand.c) turns each pairing into evidence.
 *
 * Contents
 *   labels          the labels of a line (tc_line_labels)
 *   filters         figures that are no money: rates, dates, years, ids
 *                   (tc_no_money)
 *   beside, above   the label of the line left of a figure or just above
 *                   it (tc_label_beside)
 *   titles          the title over a figure's column (tc_label_in_header)
 */
#include "extract/tlabel.h"

#include <string.h>

#include "extract/tcand.h"

#include "extract/amount.h"
#include "extract/chars.h"
#include "extract/date.h"

/* ---- labels ------------------------------------------------------------------ */

static int label_role(const fx_doc *d, const df_model_entry *e)
{
    int r = -1;
    for (int i = 0; i < TC_ROLE_COUNT && r < 0; i++)
        if (strcmp(tc_role_names[i], e->val) == 0)
            r = i;
    if (d->foreign_gst && (r == TC_CGST || r == TC_SGST || r == TC_IGST))
        return TC_TAX;
    return r >= 0 ? r : -2;
}

/* 1 when a rate word ("6%", "@") follows byte i of L. */
static int rate_follows(const fx_line *L, size_t i)
{
    while (i < L->len && L->text[i] == ' ')
        i++;
    size_t j = i;
    while (j < L->len && L->text[j] != ' ')
        j++;
    return j > i && (L->text[j - 1] == '%' || (j - i == 1 && L->text[i] == '@'));
}

/* 1 when a word of L in [a, b) after the first starts a tax's label: a
 * total's label that names the tax it includes ("Incl. btw"). */
static int names_tax(const fx_doc *d, const fx_line *L, size_t a, size_t b)
{
    for (size_t w = 0; w < L->nw; w++) {
        size_t i = L->wstart[w];
        if (i <= a || i >= b)
            continue;
        const df_model_entry *e = fx_label(d, L, i);
        if (e && label_role(d, e) == TC_TAX)
            return 1;
    }
    return 0;
}

/* A gap between two words of a row of titles wider than this many times
 * the word's height separates two columns (a word space is ~0.3 em). */
#define TC_TITLE_GAP 1.0f

/* The end of the cell word w opens in a row of column titles: titles are
 * set apart by gaps wider than their words are high, so "Excl.     Btw" over
 * two columns of a tax summary is two titles, not the label "Excl. btw". */
static size_t title_cell_end(const fx_doc *d, const fx_line *L, size_t w)
{
    const df_layout *lay = d->pages[L->page];
    const df_word *W = &lay->words[lay->lines[L->li].first];
    while (w + 1 < L->nw) {
        float h = W[w].box[3] - W[w].box[1];
        if (W[w + 1].box[0] - W[w].box[2] > h * TC_TITLE_GAP)
            break;
        w++;
    }
    return L->wstart[w] + strlen(W[w].text);
}

/* The labels of L, left to right, at word starts; with `titles`, L is a
 * row of column titles and no label runs over a column's gap. */
/* The end of a tax's label that numbers the tax ("TAX1  0.11", "Tax 2
 * 0.53", a till's tax groups; "GST 6" a guest count): one digit alone
 * after the label is part of it, no figure (rule totals.tax_index). */
static size_t tax_index_end(const fx_doc *d, const fx_line *L, const tc_label *lab)
{
    size_t j = lab->end;
    if (lab->rate || (lab->role != TC_TAX && lab->role != TC_CGST && lab->role != TC_SGST &&
                      lab->role != TC_IGST) || !fx_rule_on(d, DF_RULE_TOTALS_TAX_INDEX))
        return lab->end;
    if (j < L->len && L->text[j] == ' ')
        j++;
    if (j >= L->len || L->text[j] < '1' || L->text[j] > '9')
        return lab->end;
    if (j + 1 < L->len && L->text[j + 1] != ' ' && L->text[j + 1] != '(')
        return lab->end;
    return j + 1;
}

size_t tc_line_labels(const fx_doc *d, const fx_line *L, int titles, tc_label *out, size_t max)
{
    size_t n = 0, skip_to = 0;
    for (size_t w = 0; w < L->nw && n < max; w++) {
        size_t i = L->wstart[w];
        size_t len = titles ? title_cell_end(d, L, w) : L->len;
        if (i < skip_to)
            continue;
        /* OCR's specks before a word ("“Cash", "|Total") hide no label */
        while (i + 1 < len && (L->text[i] == '"' || L->text[i] == '\'' || L->text[i] == '|' ||
                                  L->text[i] == '(' || L->text[i] == '[' || L->text[i] == '*'))
            i++;
        /* the second half of a slash title ("Name of Product / Service"
         * over a table; "Netto / Net" after its first) labels nothing */
        size_t q = i;
        while (q > 0 && L->text[q - 1] == ' ')
            q--;
        if (q > 0 && L->text[q - 1] == '/')
            continue;
        const df_model_entry *e = df_label_at(d->m, L->text, i, len);
        if (!e)
            e = df_label_near(d->m, L->text, i, len);
        size_t after = i + (e ? e->klen : 0);
        if (!e)
            e = df_label_compound(d->m, L->text, i, len, &after);
        if (e && after + 1 < L->len && (L->text[after] == '/' || L->text[after] == '-') &&
            df_c_digit((unsigned char)L->text[after + 1]))
            continue; /* "GST/23-24/1321" is an id, not a tax ("GST/TAX 6%" is a label) */
        if (!e)
            continue;
        out[n] = (tc_label){i, after, label_role(d, e), (int)e->num, rate_follows(L, after), 0};
        out[n].end = tax_index_end(d, L, &out[n]);
        out[n].incl = out[n].role == TC_GRAND && out[n].rate && names_tax(d, L, i, out[n].end);
        skip_to = out[n].end;
        n++;
    }
    return n;
}

/* ---- filters --------------------------------------------------------------- */

/* A run of this many bare digits is an id ("GST ID: 000145047552"). */
#define TC_ID_DIGITS 9

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

static int id_digits(const fx_line *L, const df_amount *a)
{
    size_t run = 0, best = 0;
    for (size_t i = a->start; i < a->end; i++) {
        run = df_c_digit((unsigned char)L->text[i]) ? run + 1 : 0;
        best = run > best ? run : best;
    }
    return best >= TC_ID_DIGITS;
}

/* 1 when the figure is no money: a rate, part of a date, a year, an id, a
 * figure with three decimals where the document writes two. */
int tc_no_money(const fx_doc *d, const fx_line *L, const df_amount *a)
{
    if (is_rate(L->text, L->len, a->start, a->end) || id_digits(L, a))
        return 1;
    df_date dt;
    if (df_date_find(d->m->base, L->text, L->len, a->start > 12 ? a->start - 12 : 0,
                     (df_date_order)d->date_order, &dt) &&
        dt.start <= a->start && dt.end >= a->end)
        return 1;
    if (a->decimals == 0 && a->minor >= 190000 && a->minor <= 210000)
        return 1;
    return a->decimals == 3 && d->dec_style != DF_DEC_AUTO;
}

/* ---- beside, above ------------------------------------------------------------ */

/* 1 when C has a figure written like money (two decimals or a currency)
 * at or after byte `from`; counts, codes and rates are not. */
static int money_after(const fx_doc *d, const fx_line *C, size_t from)
{
    df_amount a;
    while (df_amount_find(d->m->base, C->text, C->len, from, (df_dec_style)d->dec_style, 0, &a)) {
        if (!tc_no_money(d, C, &a) && (a.decimals == 2 || a.currency[0]))
            return 1;
        from = a.end > from ? a.end : from + 1;
    }
    return 0;
}

/* 1 when nothing written like money stands right of x0 on L's row. */
static int last_on_row(const fx_doc *d, const fx_line *L, float x0)
{
    const df_layout *lay = d->pages[L->page];
    const df_layout_row *row = &lay->rows[lay->lines[L->li].row];
    for (size_t k = 0; k < row->nlines; k++) {
        size_t li = lay->row_lines[row->first + k];
        const fx_line *C = fx_get(d, L->page, li);
        df_amount a;
        size_t from = 0;
        while (df_amount_find(d->m->base, C->text, C->len, from, (df_dec_style)d->dec_style, 0, &a)) {
            from = a.end > from ? a.end : from + 1;
            df_field_src src = {0};
            fx_place(d, C, a.start, a.end, &src);
            if (src.has && src.box[0] > x0 + 1 && !tc_no_money(d, C, &a) &&
                (a.decimals == 2 || a.currency[0]))
                return 0;
        }
    }
    return 1;
}

/* Bytes a label line above a figure may hold beyond its label (": ", "(RM)"). */
#define TC_ABOVE_SLACK 6

/* The label of the line left of L on its row, or of the line just above
 * L's figure at [x0, x1): a label with no figure of its own after it. */
int tc_label_beside(const fx_doc *d, const fx_line *L, float x0, float x1, int alone,
                        tc_label *lab, int *rel)
{
    const df_layout *lay = d->pages[L->page];
    const df_layout_line *ll = &lay->lines[L->li];
    const df_layout_row *row = &lay->rows[ll->row];
    tc_label labs[TC_MAX_LINE_LABELS];
    for (size_t k = row->nlines; k-- > 0;) {
        size_t li = lay->row_lines[row->first + k];
        const df_layout_line *cl = &lay->lines[li];
        if (li == L->li || cl->box[2] > ll->box[0])
            continue; /* only lines wholly left of L */
        const fx_line *C = fx_get(d, L->page, li);
        size_t n = tc_line_labels(d, C, 0, labs, TC_MAX_LINE_LABELS);
        if (n && (!money_after(d, C, labs[n - 1].end) || last_on_row(d, L, x0))) {
            /* with a figure of its own after it, the label still labels
             * the row's last figure ("VAT 21 % of 8.787,50 .... 1.845,38");
             * the line's first label is its label ("TOTAL (Including GST)") */
            *lab = labs[0];
            *rel = TF_REL_ROW;
            return 1;
        }
        if (n || money_after(d, C, 0))
            break; /* a figure between: the label left of it is its own */
    }
    /* the line above: "TOTAL" over "9.73", for a figure alone on its line */
    float lh = lay->line_height > 0 ? lay->line_height : 10.0f;
    if (ll->row == 0 || alone == 0)
        return 0;
    const df_layout_row *up = &lay->rows[ll->row - 1];
    if (ll->box[1] - up->box[3] > 1.5f * lh)
        return 0;
    for (size_t k = 0; k < up->nlines; k++) {
        size_t li = lay->row_lines[up->first + k];
        const df_layout_line *cl = &lay->lines[li];
        if (cl->box[2] < x0 - 2 * lh || cl->box[0] > x1)
            continue;
        const fx_line *C = fx_get(d, L->page, li);
        size_t n = tc_line_labels(d, C, 0, labs, TC_MAX_LINE_LABELS);
        /* a line that is the label alone, not a table's header of titles */
        if (n == 1 && labs[0].role >= 0 && labs[0].start <= TC_ABOVE_SLACK &&
            C->len <= labs[0].end + TC_ABOVE_SLACK) {
            *lab = labs[n - 1];
            *rel = TF_REL_ABOVE;
            return 1;
        }
    }
    return 0;
}

/* ---- titles ------------------------------------------------------------------- */

/* Rows above a figure searched for the titles of its column. */
#define TC_HEADER_ROWS 4

/* The title over L's figure at [x0, x1) in the nearest row above that is a
 * row of titles (two labels or more): "MwSt  Netto  Steuer  Brutto" over
 * "19%  27,06  5,14  32,20" labels 5,14 "Steuer". */
int tc_label_in_header(const fx_doc *d, const fx_line *L, float x0, float x1, tc_label *lab,
                           int *rel)
{
    const df_layout *lay = d->pages[L->page];
    size_t r = lay->lines[L->li].row;
    tc_label labs[TC_MAX_LINE_LABELS];
    for (size_t up = 1; up <= TC_HEADER_ROWS && up <= r; up++) {
        const df_layout_row *row = &lay->rows[r - up];
        int titles = 0, hit = 0;
        tc_label best = {0};
        for (size_t k = 0; k < row->nlines; k++) {
            const fx_line *C = fx_get(d, L->page, lay->row_lines[row->first + k]);
            if (money_after(d, C, 0))
                break; /* a row of figures, not of titles */
            size_t n = tc_line_labels(d, C, 1, labs, TC_MAX_LINE_LABELS);
            titles += (int)n;
            for (size_t j = 0; j < n; j++) {
                df_field_src at = {0};
                fx_place(d, C, labs[j].start, labs[j].end, &at);
                if (at.has && at.box[0] < x1 && x0 < at.box[2]) {
                    best = labs[j];
                    hit = 1;
                }
            }
        }
        if (titles >= 2) {
            if (!hit)
                return 0;
            *lab = best;
            *rel = TF_REL_COLUMN;
            return 1;
        }
    }
    return 0;
}
