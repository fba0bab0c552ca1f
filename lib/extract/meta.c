/*
 * meta.c — the invoice (receipt) number and the invoice date, by their
 * labels in labels.txt: the value after a label on its line, at the start
 * of the row's next segment, or under the label; dates of other labels
 * (due, order, delivery) are never the invoice's; without a labelled date
 * the first date of the document, then a DDMMYYYY figure; without a
 * labelled number an id beside the date, or a receipt's order number
 * (rule meta.receipt_order).
 *
 * Contents: id tokens (has_digit, id_run, id_token), values under and after
 * labels (first_word_under, lenient_date, compact_date, value_after),
 * unlabelled dates (other_dates, unlabelled_date), id_beside_date,
 * fx_find_meta.
 */
#include "extract/fields_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/chars.h"
#include "extract/date.h"

static int has_digit(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (df_c_digit((unsigned char)s[i]))
            return 1;
    return 0;
}

/* A series printed before the number, apart ("FT 120/25", "FPR 66/2024"):
 * at most this many capitals. */
#define ID_SERIES_MAX 4

static size_t id_run(const char *s, size_t len, size_t j)
{
    while (j < len && (df_c_alnum((unsigned char)s[j]) || strchr("/-_.", s[j])))
        j++;
    return j;
}

/* The id token at s[i..]: [A-Za-z0-9/-_.#] run, with a digit; a series of
 * capitals, a space and a run starting with a digit are one id. */
static int id_token(const char *s, size_t len, size_t i, size_t *a, size_t *b)
{
    i = fx_skip(s, i, len, ":#.-=");
    size_t j = id_run(s, len, i);
    int caps = j > i && j - i <= ID_SERIES_MAX;
    for (size_t k = i; k < j && caps; k++)
        caps = s[k] >= 'A' && s[k] <= 'Z';
    if (caps && j + 1 < len && s[j] == ' ' && df_c_digit((unsigned char)s[j + 1]))
        j = id_run(s, len, j + 1);
    while (j > i && strchr("/-_.", s[j - 1]))
        j--;
    if (j < i + 2 || j - i > 40 || !has_digit(s, i, j))
        return 0;
    /* "21:42" under "TICKET DE CAISSE" is a time, no number */
    if (j + 1 < len && s[j] == ':' && df_c_digit((unsigned char)s[j + 1]))
        return 0;
    *a = i;
    *b = j;
    return 1;
}

/* Byte offset of the first word of L that overlaps [x0, x1] horizontally
 * (0 when none does): the value under a label starts there, not at OCR
 * noise further left on the same line ("oh  VEW-2324-1002"). */
static size_t first_word_under(const fx_doc *d, const fx_line *L, float x0, float x1)
{
    const df_layout *lay = d->pages[L->page];
    const df_layout_line *ll = &lay->lines[L->li];
    for (size_t w = 0; w < L->nw && w < ll->nwords; w++) {
        const float *b = lay->words[ll->first + w].box;
        if (b[2] > x0 && b[0] < x1)
            return L->wstart[w];
    }
    return 0;
}

/* The word at byte i of C read as a date after OCR look-alikes of 0 and 1
 * are put right ("Date:D2/D2/17"): only those letters, at least 4 digits
 * already, and the result must be a whole date. */
#define DATE_WORD_MAX 16

static int lenient_date(const fx_doc *d, const fx_line *C, size_t i, df_date *dt)
{
    char w[DATE_WORD_MAX + 1];
    size_t n = 0, nd = 0;
    for (; i + n < C->len && C->text[i + n] != ' '; n++) {
        if (n == DATE_WORD_MAX)
            return 0;
        char ch = C->text[i + n];
        nd += df_c_digit((unsigned char)ch) != 0;
        w[n] = strchr("DOoQ", ch) ? '0' : strchr("Il|", ch) ? '1' : ch;
    }
    w[n] = '\0';
    if (nd < 4 || nd == n || !df_date_parse(d->m->base, w, n, (df_date_order)d->date_order, dt))
        return 0;
    dt->start = i;
    dt->end = i + n;
    return 1;
}

/* DDMMYYYY printed as one figure ("30032018"), a receipt's only date; a
 * year in [COMPACT_MIN_YEAR, COMPACT_MAX_YEAR]. The invoice number is not. */
#define COMPACT_MIN_YEAR 1990
#define COMPACT_MAX_YEAR 2099

static int compact_date(const fx_line *L, const char *inv, df_date *dt)
{
    const char *s = L->text;
    for (size_t i = 0; i + 8 <= L->len; i++) {
        if ((i > 0 && df_c_alnum((unsigned char)s[i - 1])) ||
            (i + 8 < L->len && df_c_alnum((unsigned char)s[i + 8])))
            continue;
        int v[8] = {0}, ok = 1;
        for (int k = 0; k < 8 && ok; k++) {
            ok = df_c_digit((unsigned char)s[i + k]) != 0;
            v[k] = s[i + k] - '0';
        }
        if (!ok)
            continue;
        int dd = v[0] * 10 + v[1], mm = v[2] * 10 + v[3];
        int yy = v[4] * 1000 + v[5] * 100 + v[6] * 10 + v[7];
        if (yy < COMPACT_MIN_YEAR || yy > COMPACT_MAX_YEAR || !df_date_valid(yy, mm, dd) ||
            (inv && strncmp(inv, s + i, 8) == 0 && !inv[8]))
            continue;
        memset(dt, 0, sizeof *dt);
        dt->year = yy;
        dt->month = mm;
        dt->day = dd;
        snprintf(dt->iso, sizeof dt->iso, "%04d-%02d-%02d", yy, mm, dd);
        dt->start = i;
        dt->end = i + 8;
        return 1;
    }
    return 0;
}

/* A value after a label: on the rest of L, else at the start of the next
 * line segment of the row, else just below the label. kind 0: id; 1: date.
 * Returns 1 with *VL and the span set. */
static int value_after(fx_doc *d, fx_line *L, size_t lab_start, size_t lab_end, int kind,
                       fx_line **VL, size_t *a, size_t *b, df_date *dt)
{
    fx_line *cand[3] = {L, NULL, NULL};
    size_t from[3] = {lab_end, 0, 0};
    size_t nxt[1];
    if (fx_row_after(d, L, nxt, 1))
        cand[1] = fx_get(d, L->page, nxt[0]);
    /* Below: under the label's own words. */
    df_field_src s = {0};
    fx_place(d, L, lab_start, lab_end, &s);
    if (s.has && (cand[2] = fx_below(d, L, s.box[0] - 2, s.box[2] + 40)))
        from[2] = first_word_under(d, cand[2], s.box[0] - 2, s.box[2] + 40);
    for (int c = 0; c < 3; c++) {
        fx_line *C = cand[c];
        if (!C)
            continue;
        size_t i = from[c];
        /* the value must not be another label */
        size_t i0 = fx_skip(C->text, i, C->len, ":#.-=");
        if (c > 0 && kind == 1) {
            const df_model_entry *e = fx_label(d, C, i0);
            if (e)
                continue;
        }
        if (kind == 0) {
            if (id_token(C->text, C->len, i, a, b)) {
                df_date tmp;
                if (df_date_parse(d->m->base, C->text + *a, *b - *a, d->date_order, &tmp))
                    continue;
                /* a value separated from the label by other words is not it */
                if (c == 0 && fx_skip(C->text, i, C->len, ":#.-=") != *a)
                    continue;
                *VL = C;
                return 1;
            }
        } else {
            if ((df_date_find(d->m->base, C->text, C->len, i, d->date_order, dt) &&
                 dt->start - i0 <= 2) ||
                lenient_date(d, C, i0, dt)) {
                *VL = C;
                *a = dt->start;
                *b = dt->end;
                return 1;
            }
        }
    }
    return 0;
}

/* Dates find_meta saw under another document's label ("Buyer's Order No.
 * Dated"): never the invoice's, even unlabelled. */
#define META_MAX_OTHER_DATES 8
typedef struct other_dates {
    const fx_line *line[META_MAX_OTHER_DATES];
    size_t start[META_MAX_OTHER_DATES];
    size_t n;
} other_dates;

static int is_other_date(const other_dates *od, const fx_line *L, size_t start)
{
    for (size_t i = 0; i < od->n; i++)
        if (od->line[i] == L && od->start[i] == start)
            return 1;
    return 0;
}

/* The first date of the document (compact: the first DDMMYYYY figure) on
 * a row that has no label of another date (due, order, delivery). */
static void unlabelled_date(fx_doc *d, df_extraction *x, int compact, const other_dates *od,
                            fx_line **DL, size_t *dstart)
{
    for (size_t p = 0; p < d->npages && !x->date.s; p++) {
        const df_layout *lay = d->pages[p];
        for (size_t li = 0; li < lay->nlines && !x->date.s; li++) {
            fx_line *L = fx_get(d, (int)p, li);
            int other = 0;
            for (size_t w = 0; w < L->nw; w++)
                if (fx_is(fx_label(d, L, L->wstart[w]), "other_date"))
                    other = 1;
            df_date dt;
            if (other || !(compact ? compact_date(L, x->invoice_number.s, &dt)
                                   : df_date_find(d->m->base, L->text, L->len, 0, d->date_order, &dt) ||
                                         (fx_rule_on(d, DF_RULE_META_TILL_DATE) &&
                                          df_date_find_till(d->m->base, L->text, L->len, 0, &dt))) ||
                is_other_date(od, L, dt.start))
                continue;
            x->date.s = strdup(dt.iso);
            x->date_y = dt.year;
            x->date_m = dt.month;
            x->date_d = dt.day;
            fx_src(d, L, dt.start, dt.end, &x->date.src);
            *DL = L;
            *dstart = dt.start;
        }
    }
}

/* An invoice whose number label OCR could not read ("invoice fo."): the id
 * alone in the grid cell just left of the invoice's date, when the date
 * starts its own cell and is the first date on page 1 ("TRP/1876/24-25 |
 * 15/09/2024", Tally's header). The id must hold a digit and a letter or
 * separator, and be no date. */
static void id_beside_date(fx_doc *d, df_extraction *x, const fx_line *DL, size_t dstart)
{
    if (x->invoice_number.s || !DL || !x->document_type || strcmp(x->document_type, "invoice") != 0 ||
        fx_skip(DL->text, 0, DL->len, ":#.-=") != dstart)
        return;
    const df_layout *lay = d->pages[DL->page];
    const df_layout_row *row = &lay->rows[lay->lines[DL->li].row];
    size_t k = 0;
    while (k < row->nlines && lay->row_lines[row->first + k] != DL->li)
        k++;
    if (k == 0 || k == row->nlines || DL->page > 0)
        return;
    /* the invoice's cell comes first: a date higher up makes this one another
     * document's (an order's, under a misread "Buyer's Order No.") */
    for (size_t li = 0; li < lay->nlines; li++) {
        df_date tmp;
        const fx_line *L = fx_get(d, 0, li);
        if (lay->lines[li].box[3] <= lay->lines[DL->li].box[1] &&
            df_date_find(d->m->base, L->text, L->len, 0, d->date_order, &tmp))
            return;
    }
    fx_line *P = fx_get(d, DL->page, lay->row_lines[row->first + k - 1]);
    size_t a, b;
    if (P->nw != 1 || !id_token(P->text, P->len, 0, &a, &b) || b != P->len)
        return;
    int mark = 0;
    for (size_t i = a; i < b; i++)
        mark |= df_c_alpha((unsigned char)P->text[i]) || P->text[i] == '/' || P->text[i] == '-';
    df_date tmp;
    if (!mark || df_date_parse(d->m->base, P->text + a, b - a, d->date_order, &tmp))
        return;
    x->invoice_number.s = fx_dup_trim(P->text, a, b, NULL);
    if (x->invoice_number.s)
        fx_src(d, P, a, b, &x->invoice_number.src);
}

/* Past a quote OCR put before a label (a speck read as one), if any. */
static size_t skip_open_quote(const fx_line *L, size_t i)
{
    if (i < L->len && (L->text[i] == '"' || L->text[i] == '\'' || L->text[i] == '`'))
        return i + 1;
    return fx_curly_quote(L->text, i, L->len) ? i + 3 : i;
}

void fx_find_meta(fx_doc *d, df_extraction *x)
{
    long best_inv = -1, best_date = -1;
    other_dates od = {{NULL}, {0}, 0};
    fx_line *DL = NULL; /* the date's line, and where the date starts on it */
    size_t dstart = 0;
    fx_line *OL = NULL; /* the value of the other-id labels, and how many there are */
    size_t oa = 0, ob = 0, nother = 0;
    for (size_t p = 0; p < d->npages; p++) {
        const df_layout *lay = d->pages[p];
        for (size_t r = 0; r < lay->nrows; r++) {
            const df_layout_row *row = &lay->rows[r];
            const df_model_entry *prev = NULL; /* the label before, on this row */
            for (size_t k = 0; k < row->nlines; k++) {
                fx_line *L = fx_get(d, (int)p, lay->row_lines[row->first + k]);
                size_t prev_end = 0; /* where prev ends on L ("No" inside "Order No") */
                for (size_t w = 0; w < L->nw; w++) {
                    size_t i = skip_open_quote(L, L->wstart[w]); /* "“Date :" */
                    const df_model_entry *e = fx_label(d, L, i);
                    if (!e)
                        continue;
                    const df_model_entry *before = prev;
                    /* "Date" inside "Delivery Date", "No" inside "Order No": a
                     * word of another date's or id's label */
                    if (i + e->klen <= prev_end &&
                        (fx_is(prev, "other_date") || fx_is(prev, "other_id")))
                        continue;
                    if (i >= prev_end) {
                        prev = e;
                        prev_end = i + e->klen;
                    }
                    int inv = fx_is(e, "invoice_number"), date = fx_is(e, "date");
                    /* "Buyer's Order No.  Dated": that date is the order's */
                    fx_line *VL;
                    size_t a, b;
                    df_date dt;
                    if (date && before && fx_is(before, "other_id")) {
                        if (od.n < META_MAX_OTHER_DATES &&
                            value_after(d, L, i, i + e->klen, 1, &VL, &a, &b, &dt)) {
                            od.line[od.n] = VL;
                            od.start[od.n++] = a;
                        }
                        continue;
                    }
                    /* "Periode:" over a gap, "1 oktober 2024 - 31 oktober
                     * 2024" in the next segment: the value another date's
                     * label takes is never the invoice's, even unlabelled */
                    if (fx_is(e, "other_date") && od.n < META_MAX_OTHER_DATES &&
                        fx_rule_on(d, DF_RULE_META_OTHER_DATE_VALUE) &&
                        value_after(d, L, i, i + e->klen, 1, &VL, &a, &b, &dt)) {
                        od.line[od.n] = VL;
                        od.start[od.n++] = a;
                    }
                    if (fx_is(e, "other_id") &&
                        value_after(d, L, i, i + e->klen, 0, &VL, &a, &b, &dt) && nother++ == 0) {
                        OL = VL;
                        oa = a;
                        ob = b;
                    }
                    if ((!inv || e->num <= best_inv) && (!date || e->num <= best_date))
                        continue;
                    if (inv && value_after(d, L, i, i + e->klen, 0, &VL, &a, &b, &dt)) {
                        char *v = fx_dup_trim(VL->text, a, b, NULL);
                        if (v) {
                            free(x->invoice_number.s);
                            x->invoice_number.s = v;
                            memset(&x->invoice_number.src, 0, sizeof x->invoice_number.src);
                            fx_src(d, VL, a, b, &x->invoice_number.src);
                            best_inv = e->num;
                            d->inv_found = 1;
                            d->inv_page = VL->page;
                            d->inv_line = VL->li;
                            d->inv_end = b;
                        }
                    } else if (date) {
                        if (!value_after(d, L, i, i + e->klen, 1, &VL, &a, &b, &dt)) {
                            if (!d->date_label) { /* the first, for fx_reread_date */
                                d->date_label = 1;
                                d->date_page = (int)p;
                                d->date_line = L->li;
                                d->date_at = i;
                            }
                            continue;
                        }
                        free(x->date.s);
                        x->date.s = strdup(dt.iso);
                        x->date_y = dt.year;
                        x->date_m = dt.month;
                        x->date_d = dt.day;
                        memset(&x->date.src, 0, sizeof x->date.src);
                        fx_src(d, VL, a, b, &x->date.src);
                        best_date = e->num;
                        DL = VL;
                        dstart = a;
                    }
                }
            }
        }
    }
    /* no labelled date: the first date of the document, failing that a
     * compact DDMMYYYY figure */
    if (!x->date.s)
        unlabelled_date(d, x, 0, &od, &DL, &dstart);
    if (!x->date.s)
        unlabelled_date(d, x, 1, &od, &DL, &dstart);
    id_beside_date(d, x, DL, dstart);
    /* a till slip numbered only by its order ("Order #: 708", "Check #"):
     * that is the receipt's number */
    if (!x->invoice_number.s && nother == 1 && x->document_type &&
        strcmp(x->document_type, "receipt") == 0 && fx_rule_on(d, DF_RULE_META_RECEIPT_ORDER) &&
        (x->invoice_number.s = fx_dup_trim(OL->text, oa, ob, NULL)))
        fx_src(d, OL, oa, ob, &x->invoice_number.src);
    fx_fix_id_prefix(d->m, x->invoice_number.s);
}
