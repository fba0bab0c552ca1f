/*
 * fields.c — stage 4 driver: builds the line index of a document, runs the
 * field extractors (classify, parties, meta.c's invoice number and date,
 * totals, items) and owns the extra model files (fields.h).
 */
#include "extract/fields_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"
#include "extract/chars.h"
#include "extract/currency.h"
#include "extract/date.h"
#include "extract/party.h"
#include "extract/sums.h"
#include "extract/taxid.h"
#include "extract/tcand.h"

const char *const df_total_names[DF_TOT_COUNT] = {
    "subtotal", "cgst", "sgst", "igst", "tax", "rounding", "grand_total", "discount", "charges"};

/* ---- model files ------------------------------------------------------------ */


/* Every FIELD labels.txt may name. A label whose field no extractor reads
 * would be silently dead: a typo there is an error naming the line. */
static const char *const label_fields[] = {
    "invoice_number", "date", "other_date", "subtotal", "discount", "cgst", "sgst", "igst", "tax",
    "charge", "rounding", "grand_total", "tendered", "change", "customer", "shipto", "vendor",
    "owner", "contact", "taxid", "customer_taxid", "other_id", "attention", "ignore"};

static int same_label(const df_model_entry *a, const df_model_entry *b)
{
    if (a->klen != b->klen)
        return 0;
    for (size_t k = 0; k < a->klen; k++)
        if (df_c_lower((unsigned char)a->key[k]) != df_c_lower((unsigned char)b->key[k]))
            return 0;
    return 1;
}

static df_code check_label_fields(const df_model_list *l, df_err *err)
{
    /* a label listed twice matches as whichever sorts first: an error */
    for (size_t i = 0; i < l->n; i++)
        for (size_t j = i + 1; j < l->n && l->v[j].klen == l->v[i].klen; j++)
            if (same_label(&l->v[i], &l->v[j]))
                return df_err_set(err, DF_E_CORRUPT_FILE,
                                  "model file labels.txt lines %zu and %zu: \"%s\" is listed twice",
                                  l->v[i].line < l->v[j].line ? l->v[i].line : l->v[j].line,
                                  l->v[i].line < l->v[j].line ? l->v[j].line : l->v[i].line,
                                  l->v[i].key);
    for (size_t i = 0; i < l->n; i++) {
        size_t k = 0, n = sizeof label_fields / sizeof *label_fields;
        while (k < n && strcmp(l->v[i].val, label_fields[k]) != 0)
            k++;
        if (k == n)
            return df_err_set(err, DF_E_CORRUPT_FILE,
                              "model file labels.txt line %zu: \"%s\" names no known field "
                              "(\"%s\"; see the list at the top of the file)",
                              l->v[i].line, l->v[i].key, l->v[i].val);
    }
    return DF_OK;
}

df_fields_model *df_fields_model_load(const char *dir, df_err *err)
{
    if (!dir) {
        df_err_set(err, DF_E_INVALID_ARGUMENT, "no model directory given");
        return NULL;
    }
    df_fields_model *m = calloc(1, sizeof *m);
    if (!m) {
        df_err_set(err, DF_E_NO_MEMORY, "out of memory loading the model");
        return NULL;
    }
    m->base = df_model_load(dir, err);
    if (!m->base || df_model_load_list(dir, "doctype.txt", 3, 3, 1, &m->doctype, err) ||
        df_model_load_list(dir, "labels.txt", 2, 3, 1, &m->labels, err) ||
        df_model_load_list(dir, "columns.txt", 2, 3, 1, &m->columns, err) ||
        df_model_load_list(dir, "company.txt", 1, 3, 1, &m->company, err) ||
        df_model_load_list(dir, "id-prefixes.txt", 1, 0, 0, &m->idprefix, err) ||
        df_model_load_list(dir, "address.txt", 1, 0, 0, &m->address, err) ||
        df_model_load_list(dir, "streets.txt", 1, 0, 0, &m->streets, err) ||
        df_model_load_list(dir, "ocr-confusions.txt", 2, 0, 0, &m->base->confusions, err) ||
        df_model_load_list(dir, "totals.txt", 2, 0, 0, &m->totals, err) ||
        df_model_load_list(dir, "vendor.txt", 2, 0, 0, &m->vendor, err)) {
        df_fields_model_free(m);
        return NULL;
    }
    if (!(m->totals_w = malloc(sizeof *m->totals_w)) ||
        !(m->vendor_w = malloc(sizeof *m->vendor_w))) {
        df_err_set(err, DF_E_NO_MEMORY, "out of memory loading the model");
        df_fields_model_free(m);
        return NULL;
    }
    if (tc_weights_load(&m->totals, m->totals_w, err) != DF_OK ||
        fx_vendor_weights_load(&m->vendor, m->vendor_w, err) != DF_OK) {
        df_fields_model_free(m);
        return NULL;
    }
    for (size_t i = 0; i < m->base->confusions.n; i++) {
        const df_model_entry *e = &m->base->confusions.v[i];
        /* a currency sign read as this digit; "sign?": only where the sums say so */
        int sign = strcmp(e->val, "sign") == 0 || strcmp(e->val, "sign?") == 0;
        if (e->klen != 1 || *e->extra || !df_c_digit((unsigned char)*e->key) ||
            (!sign && (strlen(e->val) != 1 || !df_c_digit((unsigned char)*e->val) ||
                       *e->key == *e->val))) {
            df_err_set(err, DF_E_CORRUPT_FILE,
                       "model file ocr-confusions.txt: \"%s\" is not a pair of two different "
                       "digits, nor a digit and \"sign\" or \"sign?\"",
                       e->key);
            df_fields_model_free(m);
            return NULL;
        }
    }
    if (check_label_fields(&m->labels, err) != DF_OK) {
        df_fields_model_free(m);
        return NULL;
    }
    for (size_t i = 0; i < m->idprefix.n; i++) {
        const df_model_entry *e = &m->idprefix.v[i];
        int ok = e->klen > 0 && e->klen <= DF_ID_PREFIX_MAX && !*e->val;
        for (size_t k = 0; ok && k < e->klen; k++)
            ok = df_c_alpha((unsigned char)e->key[k]);
        if (!ok) {
            df_err_set(err, DF_E_CORRUPT_FILE,
                       "model file id-prefixes.txt: \"%s\" is not one word of 1 to %d letters",
                       e->key, DF_ID_PREFIX_MAX);
            df_fields_model_free(m);
            return NULL;
        }
    }
    return m;
}

void df_fields_model_rules(df_fields_model *m, const df_rule_set *off)
{
    m->rules_off = *off;
    for (size_t i = 0; i < df_rule_total; i++) {
        if (!df_rule_off(off, i))
            continue;
        if (df_rules[i].kind == DF_RULE_FEATURE)
            for (int r = 0; r < TC_ROLE_COUNT; r++)
                m->totals_w->w[r][df_rules[i].index] = 0;
        else if (df_rules[i].kind == DF_RULE_JOINT)
            m->totals_w->joint[df_rules[i].index] = 0;
    }
}

void df_fields_model_free(df_fields_model *m)
{
    if (!m)
        return;
    df_model_free(m->base);
    df_model_list_free(&m->doctype);
    df_model_list_free(&m->labels);
    df_model_list_free(&m->columns);
    df_model_list_free(&m->company);
    df_model_list_free(&m->idprefix);
    df_model_list_free(&m->address);
    df_model_list_free(&m->streets);
    df_model_list_free(&m->totals);
    free(m->totals_w);
    df_model_list_free(&m->vendor);
    free(m->vendor_w);
    free(m);
}

/* ---- shared helpers ----------------------------------------------------------- */

const df_model_entry *df_label_at(const df_fields_model *m, const char *s, size_t i, size_t len)
{
    if (!m)
        return NULL;
    const df_model_entry *e = df_model_match(&m->labels, s, i, len);
    if (!e)
        return NULL;
    /* A label ending in a digit or letter must not run into one ("Total1"),
     * but a tax's number ("TAX1  0.11", rule totals.tax_index) */
    size_t end = i + e->klen;
    if (end >= len || !df_c_alnum((unsigned char)e->key[e->klen - 1]) ||
        !df_c_alnum((unsigned char)s[end]))
        return e;
    int numbered = s[end] >= '1' && s[end] <= '9' &&
                   (end + 1 == len || !df_c_alnum((unsigned char)s[end + 1])) &&
                   strcmp(e->val, "tax") == 0 &&
                   !df_rule_off(&m->rules_off, DF_RULE_TOTALS_TAX_INDEX);
    return numbered ? e : NULL;
}

const df_model_entry *df_label_near(const df_fields_model *m, const char *s, size_t i, size_t len)
{
    if (!m || i >= len || !df_c_alpha((unsigned char)s[i]) ||
        (i > 0 && df_c_alnum((unsigned char)s[i - 1])))
        return NULL;
    for (size_t k = 0; k < m->labels.n; k++) {
        const df_model_entry *e = &m->labels.v[k];
        if (e->klen < DF_LABEL_NEAR_MIN || e->klen > len - i ||
            (i + e->klen < len && df_c_alnum((unsigned char)s[i + e->klen])))
            continue;
        size_t diff = 0, q;
        for (q = 0; q < e->klen && diff < 2; q++) {
            unsigned char t = df_c_lower((unsigned char)s[i + q]), c = df_c_lower((unsigned char)e->key[q]);
            if (t != c)
                diff += df_c_alpha(c) && df_c_alnum(t) ? 1 : 2;
        }
        if (q == e->klen && diff == 1)
            return e;
    }
    return NULL;
}

const df_model_entry *df_label_compound(const df_fields_model *m, const char *s, size_t i,
                                        size_t len, size_t *end)
{
    if (!m || i >= len || !df_c_alpha((unsigned char)s[i]) ||
        (i > 0 && df_c_alnum((unsigned char)s[i - 1])))
        return NULL;
    size_t j = i; /* the word: letters, and the bytes of non-ASCII letters */
    while (j < len && (df_c_alpha((unsigned char)s[j]) || (unsigned char)s[j] >= 0x80))
        j++;
    if (j < len && df_c_digit((unsigned char)s[j]))
        return NULL;
    for (size_t k = 0; k < m->labels.n; k++) {
        const df_model_entry *e = &m->labels.v[k];
        size_t hl = e->klen - 1;
        if (e->key[0] != '~' || hl == 0 || j - i < hl + DF_LABEL_COMPOUND_MIN)
            continue;
        size_t q = 0;
        while (q < hl && df_c_lower((unsigned char)s[j - hl + q]) ==
                             df_c_lower((unsigned char)e->key[1 + q]))
            q++;
        if (q == hl) {
            *end = j;
            return e;
        }
        if (strcmp(e->val, "discount") == 0 && df_c_prefix(s, i, j, e->key + 1, hl)) {
            *end = j;
            return e;
        }
    }
    return NULL;
}

const df_model_entry *fx_label(const fx_doc *d, const fx_line *L, size_t i)
{
    return df_label_at(d->m, L->text, i, L->len);
}

int fx_is(const df_model_entry *e, const char *field)
{
    return e && strcmp(e->val, field) == 0;
}

size_t fx_skip(const char *s, size_t i, size_t len, const char *skip)
{
    while (i < len && (s[i] == ' ' || (skip && strchr(skip, s[i]) && s[i])))
        i++;
    return i;
}

/* U+2018/2019/201C/201D, OCR's reading of specks and quotes: E2 80 98..9D. */
int fx_curly_quote(const char *s, size_t i, size_t b)
{
    return i + 3 <= b && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
           ((unsigned char)s[i + 2] == 0x98 || (unsigned char)s[i + 2] == 0x99 ||
            (unsigned char)s[i + 2] == 0x9C || (unsigned char)s[i + 2] == 0x9D);
}

char *fx_dup_trim(const char *s, size_t a, size_t b, const char *strip)
{
    /* stripping ' or " strips their curly forms too, whole characters */
    int quotes = strip && (strchr(strip, '\'') || strchr(strip, '"'));
    for (;;) {
        if (a < b && (s[a] == ' ' || (strip && strchr(strip, s[a]))))
            a++;
        else if (quotes && fx_curly_quote(s, a, b))
            a += 3;
        else
            break;
    }
    for (;;) {
        if (b > a && (s[b - 1] == ' ' || (strip && strchr(strip, s[b - 1]))))
            b--;
        else if (quotes && b >= a + 3 && fx_curly_quote(s, b - 3, b))
            b -= 3;
        else
            break;
    }
    if (b <= a)
        return NULL;
    char *r = malloc(b - a + 1);
    if (!r)
        return NULL;
    memcpy(r, s + a, b - a);
    r[b - a] = '\0';
    return r;
}

void fx_src(fx_doc *d, const fx_line *L, size_t a, size_t b, df_field_src *src)
{
    const df_layout *lay = d->pages[L->page];
    const df_layout_line *ll = &lay->lines[L->li];
    int any = 0;
    float conf = 100;
    for (size_t w = 0; w < L->nw; w++) {
        size_t ws = L->wstart[w];
        size_t we = ws + strlen(lay->words[ll->first + w].text);
        if (we <= a || ws >= b)
            continue;
        const df_word *wd = &lay->words[ll->first + w];
        if (!any) {
            memcpy(src->box, wd->box, sizeof src->box);
        } else {
            src->box[0] = wd->box[0] < src->box[0] ? wd->box[0] : src->box[0];
            src->box[1] = wd->box[1] < src->box[1] ? wd->box[1] : src->box[1];
            src->box[2] = wd->box[2] > src->box[2] ? wd->box[2] : src->box[2];
            src->box[3] = wd->box[3] > src->box[3] ? wd->box[3] : src->box[3];
        }
        if (wd->conf < conf)
            conf = wd->conf;
        any = 1;
    }
    if (!any)
        return;
    src->has = 1;
    src->page = L->page + 1;
    src->conf = conf / 100.0;
    d->conf_sum += src->conf;
    d->conf_n++;
}

void fx_place(const fx_doc *d, const fx_line *L, size_t a, size_t b, df_field_src *src)
{
    fx_doc tally = *d; /* fx_src counts into the copy's tally only */
    fx_src(&tally, L, a, b, src);
}

size_t fx_row_after(const fx_doc *d, const fx_line *L, size_t *out, size_t max)
{
    const df_layout *lay = d->pages[L->page];
    const df_layout_row *row = &lay->rows[lay->lines[L->li].row];
    size_t n = 0, k = 0;
    for (; k < row->nlines; k++)
        if (lay->row_lines[row->first + k] == L->li)
            break;
    for (k++; k < row->nlines && n < max; k++)
        out[n++] = lay->row_lines[row->first + k];
    return n;
}

fx_line *fx_below(const fx_doc *d, const fx_line *L, float x0, float x1)
{
    const df_layout *lay = d->pages[L->page];
    size_t r = lay->lines[L->li].row;
    float y = lay->lines[L->li].box[3];
    for (size_t rr = r + 1; rr < lay->nrows && rr <= r + 3; rr++) {
        const df_layout_row *row = &lay->rows[rr];
        if (row->box[1] - y > 3.0f * (lay->line_height > 0 ? lay->line_height : 10.0f))
            return NULL;
        fx_line *best = NULL;
        float bestov = 0;
        for (size_t k = 0; k < row->nlines; k++) {
            size_t li = lay->row_lines[row->first + k];
            const float *b = lay->lines[li].box;
            float ov = (b[2] < x1 ? b[2] : x1) - (b[0] > x0 ? b[0] : x0);
            if (ov > bestov) {
                bestov = ov;
                best = fx_get(d, L->page, li);
            }
        }
        if (best)
            return best;
    }
    return NULL;
}

/* ---- the line index ------------------------------------------------------------ */

/* Room for `more` bytes after len in d->all (capacity *cap). */
static int all_reserve(fx_doc *d, size_t *cap, size_t len, size_t more)
{
    while (len + more > *cap) {
        char *bigger = realloc(d->all, *cap * 2);
        if (!bigger)
            return -1;
        d->all = bigger;
        *cap *= 2;
    }
    return 0;
}

static df_code build_doc(fx_doc *d, df_err *err)
{
    size_t cap = 1024, len = 0;
    d->all = malloc(cap);
    d->lines = calloc(d->npages ? d->npages : 1, sizeof *d->lines);
    if (!d->all || !d->lines)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory");
    for (size_t p = 0; p < d->npages; p++) {
        const df_layout *lay = d->pages[p];
        d->lines[p] = calloc(lay->nlines ? lay->nlines : 1, sizeof **d->lines);
        if (!d->lines[p])
            return df_err_set(err, DF_E_NO_MEMORY, "out of memory");
        for (size_t li = 0; li < lay->nlines; li++) {
            const df_layout_line *ll = &lay->lines[li];
            fx_line *L = &d->lines[p][li];
            L->page = (int)p;
            L->li = li;
            size_t n = 0;
            for (size_t w = 0; w < ll->nwords; w++)
                n += strlen(lay->words[ll->first + w].text) + 1;
            L->text = malloc(n + 1);
            L->wstart = calloc(ll->nwords ? ll->nwords : 1, sizeof *L->wstart);
            if (!L->text || !L->wstart)
                return df_err_set(err, DF_E_NO_MEMORY, "out of memory");
            size_t o = 0;
            for (size_t w = 0; w < ll->nwords; w++) {
                const char *t = lay->words[ll->first + w].text;
                if (w)
                    L->text[o++] = ' ';
                L->wstart[w] = o;
                size_t tl = strlen(t);
                memcpy(L->text + o, t, tl);
                o += tl;
            }
            L->text[o] = '\0';
            L->len = o;
            L->nw = ll->nwords;
        }
        /* Rows into the flat text. */
        for (size_t r = 0; r < lay->nrows; r++) {
            const df_layout_row *row = &lay->rows[r];
            for (size_t k = 0; k < row->nlines; k++) {
                fx_line *L = &d->lines[p][lay->row_lines[row->first + k]];
                /* the line, two spaces before it, and the row's '\n', the
                 * page's '\f' and the final '\0' after it */
                if (all_reserve(d, &cap, len, L->len + 5) != 0)
                    return df_err_set(err, DF_E_NO_MEMORY, "out of memory");
                if (k) {
                    d->all[len++] = ' ';
                    d->all[len++] = ' ';
                }
                memcpy(d->all + len, L->text, L->len);
                len += L->len;
            }
            if (all_reserve(d, &cap, len, 3) != 0)
                return df_err_set(err, DF_E_NO_MEMORY, "out of memory");
            d->all[len++] = '\n';
        }
        if (all_reserve(d, &cap, len, 2) != 0)
            return df_err_set(err, DF_E_NO_MEMORY, "out of memory");
        d->all[len++] = '\f';
    }
    d->all[len] = '\0';
    d->all_len = len;
    return DF_OK;
}

static void free_doc(fx_doc *d)
{
    if (d->lines) {
        for (size_t p = 0; p < d->npages; p++) {
            if (!d->lines[p])
                continue;
            for (size_t li = 0; li < d->pages[p]->nlines; li++) {
                free(d->lines[p][li].text);
                free(d->lines[p][li].wstart);
            }
            free(d->lines[p]);
        }
    }
    free(d->lines);
    free(d->all);
}

/* ---- decimal mark ---------------------------------------------------------------- */

/* Figures written with two decimals ("12.50", "1.234,50") decide which mark
 * the document uses for decimals: the one at least DECIMAL_MIN_VOTES of them
 * use, DECIMAL_MAJORITY times as often as the other. Then "9.060" on a
 * receipt is 9.06 misread, not nine thousand and sixty. */
#define DECIMAL_MIN_VOTES 3
#define DECIMAL_MAJORITY 3

static void find_decimal_mark(fx_doc *d)
{
    size_t dot = 0, comma = 0;
    const char *s = d->all;
    for (size_t i = 1; i + 2 < d->all_len; i++) {
        if ((s[i] != '.' && s[i] != ',') || !df_c_digit((unsigned char)s[i - 1]) ||
            !df_c_digit((unsigned char)s[i + 1]) || !df_c_digit((unsigned char)s[i + 2]) ||
            (i + 3 < d->all_len && df_c_digit((unsigned char)s[i + 3])))
            continue;
        if (s[i] == '.')
            dot++;
        else
            comma++;
    }
    if (dot >= DECIMAL_MIN_VOTES && dot >= DECIMAL_MAJORITY * comma)
        d->dec_style = DF_DEC_DOT;
    else if (comma >= DECIMAL_MIN_VOTES && comma >= DECIMAL_MAJORITY * dot)
        d->dec_style = DF_DEC_COMMA;
}

/* ---- currency ------------------------------------------------------------------ */

static void find_currency(fx_doc *d, df_extraction *x)
{
    df_currency_context ctx = {0};
    df_taxid ids[16];
    size_t n = df_taxid_find(d->all, d->all_len, ids, 16);
    for (size_t i = 0; i < n; i++) {
        if (ids[i].kind == DF_TAXID_GSTIN)
            ctx.has_gstin = 1;
        if (ids[i].kind == DF_TAXID_MY_GST || ids[i].kind == DF_TAXID_MY_SST)
            ctx.has_my_tax = 1;
        if (ids[i].kind == DF_TAXID_EU_VAT && !ctx.vat_code[0])
            snprintf(ctx.vat_code, sizeof ctx.vat_code, "%s",
                     strcmp(ids[i].country, "GB") == 0 ? "GBP" : "EUR");
    }
    /* India's GST parts are printed by name on every Indian tax invoice and
     * receipt, GSTIN or not ("CGST @ 2.5%") */
    static const char *const parts[] = {"CGST", "SGST", "IGST"};
    for (size_t k = 0; k < 3 && !ctx.has_gstin; k++)
        for (const char *q = d->all; (q = strstr(q, parts[k])) != NULL; q += 4)
            if ((q == d->all || !df_c_alnum((unsigned char)q[-1])) && !df_c_alpha((unsigned char)q[4])) {
                ctx.has_gstin = 1;
                break;
            }
    df_currency_guess g;
    if (df_currency_detect(d->m->base, d->all, d->all_len, &ctx, &g) && g.code[0])
        x->currency.s = strdup(g.code);
    if (x->currency.s && strcmp(x->currency.s, "USD") == 0)
        d->date_order = DF_DATE_MDY;
    d->foreign_gst = x->currency.s && strcmp(x->currency.s, "INR") != 0 && !ctx.has_gstin &&
                     fx_rule_on(d, DF_RULE_GST_INDIA);
}

/* ---- subtotal printed without a label ---------------------------------------- */

/* No labelled subtotal, but the line items add up to a figure printed on the
 * page (an unlabelled sum row under the table, or the total of a receipt
 * without tax): that printed figure is the subtotal. Read, not computed: the
 * figure must be on the page outside the item rows' own totals, or be the
 * garbled figure of a subtotal label that the grand total less its taxes
 * confirms. */
fx_line *fx_figure_printed(const fx_doc *d, int64_t v, const df_field_src *skip, size_t *a,
                           size_t *b)
{
    for (size_t p = 0; p < d->npages; p++) {
        const df_layout *lay = d->pages[p];
        for (size_t li = 0; li < lay->nlines; li++) {
            fx_line *L = fx_get(d, (int)p, li);
            df_amount am;
            size_t from = 0;
            while (df_amount_find(d->m->base, L->text, L->len, from, DF_DEC_AUTO, 0, &am)) {
                from = am.end > from ? am.end : from + 1;
                if (am.minor != v || am.decimals != 2)
                    continue;
                if (skip && (int)p + 1 == skip->page && lay->lines[li].box[1] < skip->box[3] &&
                    lay->lines[li].box[3] > skip->box[1])
                    continue; /* the field's own row */
                *a = am.start;
                *b = am.end;
                return L;
            }
        }
    }
    return NULL;
}

/* An item's total OCR read without its decimal point ("7340" for 73,40):
 * where the items then add up to the subtotal exactly, and no other item
 * would do, its digits are hundredths (rule items.point_by_sum). Where
 * quantity x price then no longer makes the total, the quantity lost its
 * point as well ("500" for 5,00), or else the price follows the total. */
static void item_point_by_sum(const fx_doc *d, df_extraction *x)
{
    const df_famt *S = &x->totals[DF_TOT_SUBTOTAL];
    int64_t sum;
    if (!S->has || x->nitems < 2 || !fx_rule_on(d, DF_RULE_ITEMS_POINT_BY_SUM) ||
        !df_sum_items(x, 2, &sum) || sum == S->minor)
        return;
    size_t hit = 0, n = 0;
    for (size_t i = 0; i < x->nitems; i++) {
        int64_t t = x->items[i].total.minor;
        if (t >= 100 && t % 100 == 0 && sum - t + t / 100 == S->minor) {
            hit = i;
            n++;
        }
    }
    if (n != 1)
        return;
    df_line_item *it = &x->items[hit];
    it->total_read = it->total.minor;
    it->total.minor /= 100;
    int64_t q = it->quantity.minor;
    if (!it->quantity.has || q <= 0 || df_sum_item_agrees(q, it->unit_price.minor, it->total.minor))
        return;
    /* the quantity lost its point too ("500" for 5,00) */
    if (q % 100 == 0 && q >= 10000 && it->unit_price.has &&
        df_sum_item_agrees(q / 100, it->unit_price.minor, it->total.minor)) {
        it->quantity.minor = q / 100;
        it->price_follows = 2;
    } else if (it->total.minor * 100 % q == 0) {
        it->unit_price.has = 1;
        it->unit_price.minor = it->total.minor * 100 / q;
        it->price_follows = 1;
    }
}

static void subtotal_from_items(fx_doc *d, df_extraction *x)
{
    if (x->totals[DF_TOT_SUBTOTAL].has || x->nitems == 0)
        return;
    /* one item: its own figure proves nothing, the sum must be printed on
     * another row (Tally's subtotal line under the item) */
    const df_field_src *own = x->nitems == 1 && x->items[0].total.src.has ? &x->items[0].total.src : NULL;
    if (x->nitems == 1 && !own)
        return;
    int64_t sum;
    if (!df_sum_items(x, 1, &sum))
        return;
    /* prices with the tax in them add up to the total, not to a subtotal
     * (the total's own figure, or a payment of it, is no subtotal then);
     * or to the total less a tip or a charge added after them (rule
     * totals.due_not_net) */
    const df_famt *G = &x->totals[DF_TOT_GRAND];
    int taxed = 0;
    for (int t = DF_TOT_CGST; t <= DF_TOT_TAX; t++)
        taxed |= x->totals[t].has && x->totals[t].minor != 0;
    df_sum_parts parts = df_sum_parts_of(x);
    int64_t adjust = fx_rule_on(d, DF_RULE_TOTALS_DUE_NOT_NET) &&
                             (x->totals[DF_TOT_CHARGES].has || x->totals[DF_TOT_DISCOUNT].has)
                         ? df_sum_adjust(&parts)
                         : 0;
    if (G->has && taxed && (G->minor == sum || (adjust && G->minor == sum + adjust)))
        return;
    size_t a, b;
    fx_line *L = fx_figure_printed(d, sum, own, &a, &b);
    if (L) {
        x->totals[DF_TOT_SUBTOTAL].has = 1;
        x->totals[DF_TOT_SUBTOTAL].minor = sum;
        fx_src(d, L, a, b, &x->totals[DF_TOT_SUBTOTAL].src);
        return;
    }
    /* "Subtotal €13,7719:33": the label's figure is garbled. The items' sum
     * is it when the grand total less its taxes and rounding is the same to
     * the cent: two readings agree on a figure the page prints. */
    const df_famt *T = x->totals;
    df_famt as_sub = {1, sum, {0}};
    parts.subtotal = &as_sub;
    int64_t made;
    int taxes = 0;
    if (d->sub_lost.has && T[DF_TOT_GRAND].has && df_sum_of_parts(&parts, &made, &taxes) && taxes &&
        made == T[DF_TOT_GRAND].minor && x->nitems >= 2) {
        x->totals[DF_TOT_SUBTOTAL].has = 1;
        x->totals[DF_TOT_SUBTOTAL].minor = sum;
        x->totals[DF_TOT_SUBTOTAL].src = d->sub_lost;
    }
}

/* ---- driver -------------------------------------------------------------------- */

void df_extraction_clear(df_extraction *x)
{
    if (!x)
        return;
    df_fstr *s[] = {&x->vendor_name, &x->vendor_tax_id, &x->vendor_address, &x->customer_name,
                    &x->customer_tax_id, &x->invoice_number, &x->date, &x->currency};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        free(s[i]->s);
    for (size_t i = 0; i < x->nitems; i++) {
        free(x->items[i].description);
        free(x->items[i].hsn_sac);
    }
    free(x->items);
    memset(x, 0, sizeof *x);
}

df_code df_extract_fields(const df_fields_model *m, const df_layout *const *pages, size_t npages,
                          const df_reread *rr, df_extraction *out, df_err *err)
{
    if (!m || !out || (!pages && npages))
        return df_err_set(err, DF_E_INVALID_ARGUMENT, "invalid argument to the extractors");
    memset(out, 0, sizeof *out);
    fx_doc d = {.m = m, .pages = pages, .npages = npages, .date_order = DF_DATE_DMY, .rr = rr};
    df_code c = build_doc(&d, err);
    if (c == DF_OK) {
        find_decimal_mark(&d);
        fx_classify(&d, out);
        find_currency(&d, out);
        fx_find_meta(&d, out);
        c = fx_parties(&d, out);
    }
    /* the items first: the totals are chosen knowing which figures are
     * the items' own, and what they sum to */
    if (c == DF_OK)
        c = fx_items(&d, out, err);
    if (c == DF_OK)
        c = fx_totals(&d, out);
    if (c == DF_OK)
        fx_classify_by_payment(&d, out);
    if (c == DF_OK)
        c = fx_receipt_items(&d, out);
    if (c == DF_OK) {
        item_point_by_sum(&d, out);
        if (fx_rule_on(&d, DF_RULE_SUBTOTAL_ITEMS))
            subtotal_from_items(&d, out);
        if (fx_rule_on(&d, DF_RULE_REREAD_TOTAL))
            fx_reread_total(&d, out);
        if (fx_rule_on(&d, DF_RULE_REREAD_DATE))
            fx_reread_date(&d, out);
        if (fx_rule_on(&d, DF_RULE_REREAD_INVOICE))
            fx_reread_invoice_number(&d, out);
    }
    if (c != DF_OK && err && err->code == DF_OK)
        df_err_set(err, c, "out of memory extracting fields");
    out->mean_conf = d.conf_n ? d.conf_sum / (double)d.conf_n : 0.0;
    free_doc(&d);
    if (c != DF_OK)
        df_extraction_clear(out);
    return c;
}
