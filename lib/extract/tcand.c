/*
 * tcand.c — totals candidates and their evidence (tcand.h: tc_collect,
 * tc_score), and the weights file models/totals.txt. Which label a
 * figure pairs with is tlabel.c's.
 *
 * Contents
 *   names           roles, features and joint terms as written in the data
 *   tc_weights_load parse models/totals.txt
 *   tc_collect      every figure, its variants and its evidence
 *   tc_score        evidence x weights
 */
#include "extract/tcand.h"
#include "extract/tlabel.h"

#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"
#include "extract/chars.h"
#include "extract/date.h"
#include "extract/sums.h"
#include "extract/words.h"

/* ---- names ------------------------------------------------------------------ */

const char *const tc_role_names[TC_ROLE_COUNT] = {
    "subtotal", "discount", "tax", "cgst", "sgst", "igst", "charge", "rounding", "grand_total",
    "tendered", "change"};

const char *const tc_feature_names[TF_FEATURE_COUNT] = {
    "label", "label_other", "label_nonamount", "no_label", "rel_line", "rel_row", "rel_above",
    "rel_column",
    "label_far", "bottom", "largest", "two_decimals", "currency", "big", "repaired", "variant",
    "negative", "followed", "rate_label", "gst_twin", "words", "rate_base", "rate_of"};

const char *const tc_joint_names[TJ_JOINT_COUNT] = {"sum", "sum_included", "pay", "paid_equal",
                                                    "items", "no_grand", "derived_pay", "sum_fails",
                                                    "sum_short", "pay_fails", "grand_below"};

static int index_of(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* ---- tc_weights_load ---------------------------------------------------------- */

df_code tc_weights_load(const df_model_list *l, tc_weights *out, df_err *err)
{
    memset(out, 0, sizeof *out);
    for (int r = 0; r < TC_ROLE_COUNT; r++)
        out->floor[r] = -100000;
    for (size_t i = 0; i < l->n; i++) {
        const df_model_entry *e = &l->v[i];
        int w, r = index_of(tc_role_names, TC_ROLE_COUNT, e->key);
        int joint = strcmp(e->key, "joint") == 0;
        int f = joint                        ? index_of(tc_joint_names, TJ_JOINT_COUNT, e->val)
                : strcmp(e->val, "floor") == 0 ? TF_FEATURE_COUNT
                                               : index_of(tc_feature_names, TF_FEATURE_COUNT, e->val);
        if ((r < 0 && !joint) || f < 0 || df_model_weight(e->extra, &w) != 0)
            return df_err_set(err, DF_E_CORRUPT_FILE,
                              "model file totals.txt line %zu: \"%s %s %s\": %s", e->line, e->key,
                              e->val, e->extra,
                              r < 0 && !joint ? "unknown role"
                              : f < 0         ? "unknown feature"
                                              : "the weight is not a number like 1.5 or -2");
        if (joint)
            out->joint[f] = w;
        else if (f == TF_FEATURE_COUNT)
            out->floor[r] = w;
        else
            out->w[r][f] = w;
    }
    return DF_OK;
}

/* ---- tc_collect -------------------------------------------------------------- */

typedef struct row_rate {
    int page;
    size_t row;
    int64_t rate; /* hundredths of a percent */
} row_rate;

typedef struct collector {
    const fx_doc *d;
    tc_set *s;
    int token;
    int oom;
    row_rate *rates; /* every rate printed, in reading order: a long invoice's item
                        rows come before its tax lines, so none may be dropped */
    size_t nrates, caprates;
} collector;

static tc_cand *push(collector *c)
{
    tc_set *s = c->s;
    if (s->n == TC_MAX_CANDIDATES)
        return NULL;
    if (!s->v && !(s->v = calloc(TC_MAX_CANDIDATES, sizeof *s->v))) {
        c->oom = 1;
        return NULL;
    }
    tc_cand *k = &s->v[s->n++];
    memset(k, 0, sizeof *k);
    for (int j = 0; j < TC_MAX_RATES; j++)
        k->members[j] = -1;
    return k;
}

static size_t words_between(const fx_line *L, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t w = 0; w < L->nw; w++)
        n += L->wstart[w] >= a && L->wstart[w] < b;
    return n;
}

static float doc_position(const fx_doc *d, int page, const float box[4])
{
    const df_layout *lay = d->pages[page];
    double h = lay->page_h > 0 ? lay->page_h : 842.0;
    double y = (box[1] + box[3]) / 2 / h;
    y = y < 0 ? 0 : y > 1 ? 1 : y;
    return (float)((page + y) / (double)(d->npages ? d->npages : 1));
}

/* A repair of candidate k read as value v: a candidate of its own, for the
 * same printed figure. */
static tc_cand *add_variant(collector *c, const tc_cand *k, int64_t v)
{
    tc_cand *r = push(c);
    if (r) {
        *r = *k;
        r->v = v;
        r->f[TF_VARIANT] = 1;
    }
    return r;
}

/* A discount's label on a line with a date offers a discount for paying
 * by then ("Bei Zahlung bis zum 21.07.2025 gewähren wir 2% Skonto (CHF
 * 58.65)"): payment terms, never taken off this total. */
static int discount_terms(const fx_doc *d, const fx_line *L, const tc_label *lab)
{
    df_date dt;
    return lab && lab->role == TC_DISCOUNT && fx_rule_on(d, DF_RULE_TOTALS_DISCOUNT_TERMS) &&
           df_date_find(d->m->base, L->text, L->len, 0, (df_date_order)d->date_order, &dt);
}

/* One candidate for the figure a on L with the label evidence found. */
static void add_figure(collector *c, const fx_line *L, const df_amount *a, const tc_label *lab,
                       int rel, size_t label_words)
{
    const fx_doc *d = c->d;
    static const tc_label terms = {0, 0, -2, 0, 0, 0};
    if (discount_terms(d, L, lab))
        lab = &terms;
    tc_cand *k = push(c);
    if (!k)
        return;
    df_field_src src = {0};
    fx_place(d, L, a->start, a->end, &src);
    const df_layout *lay = d->pages[L->page];
    k->v = a->minor; /* negative when printed so */
    k->decimals = a->decimals;
    k->page = L->page;
    k->line = L->li;
    k->row = lay->lines[L->li].row;
    k->x0 = src.has ? src.box[0] : 0;
    k->start = a->start;
    k->end = a->end;
    k->token = c->token;
    k->label_role = lab ? lab->role : -1;
    k->label_prio = lab ? lab->prio : 0;
    if (lab && lab->role >= 0) {
        k->f[rel] = 1;
        k->f[TF_LABEL_FAR] = label_words > TC_LABEL_NEAR_WORDS;
        k->f[TF_RATE_LABEL] = lab->rate;
    }
    k->f[TF_NO_LABEL] = !lab;
    k->f[TF_LABEL_NONAMOUNT] = lab && lab->role == -2;
    k->f[TF_BOTTOM] = src.has ? doc_position(d, L->page, src.box) : 0.5f;
    k->f[TF_TWO_DEC] = a->decimals == 2;
    k->f[TF_CURRENCY] = a->currency[0] != '\0';
    k->f[TF_BIG] = src.has && lay->line_height > 0 &&
                   src.box[3] - src.box[1] >= TC_BIG_HEIGHT * lay->line_height;
    k->f[TF_REPAIRED] = a->repaired;
    k->f[TF_NEGATIVE] = a->negative;
    /* a currency sign OCR read as a leading digit ("₹4,900.00" as
     * "34,900.00"): the figure without it is a candidate of its own */
    int64_t m = a->minor < 0 ? -a->minor : a->minor, v = m;
    while (v >= 10)
        v /= 10;
    int sign = df_model_sign_digit(d->m->base, (char)('0' + v));
    if (m >= 100 && sign && !a->currency[0] && fx_rule_on(d, DF_RULE_VARIANT_SIGN)) {
        tc_cand *r = add_variant(c, k, (a->minor < 0 ? -1 : 1) * fx_strip_lead(m));
        if (r) {
            r->weak = sign == 2;
            r->strip = (char)('0' + v);
        }
    }
    /* a decimal point OCR lost ("Total GST 120" for 1.20, "TAX 74" for
     * .74; a single digit is too often a count): the figure read as
     * hundredths */
    if (a->decimals == 0 && a->minor >= 1000 && a->minor % 100 == 0 && !a->negative &&
        fx_rule_on(d, DF_RULE_VARIANT_POINT)) {
        tc_cand *r = add_variant(c, k, a->minor / 100);
        if (r)
            r->f[TF_TWO_DEC] = 1, r->decimals = 2, r->strip = 'p';
    }
    c->token++;
}

/* The rates printed on L ("19%", "8.1 %"), in hundredths of a percent,
 * remembered with L's row for rate_arithmetic. */
static void line_rates(collector *c, const fx_line *L)
{
    const fx_doc *d = c->d;
    size_t row = d->pages[L->page]->lines[L->li].row, from = 0;
    df_amount a;
    while (!c->oom &&
           df_amount_find(d->m->base, L->text, L->len, from, (df_dec_style)d->dec_style, 0, &a)) {
        from = a.end > from ? a.end : from + 1;
        size_t j = a.end;
        while (j < L->len && L->text[j] == ' ')
            j++;
        if (j >= L->len || L->text[j] != '%' || a.negative || a.minor <= 0)
            continue;
        const row_rate *last = c->nrates ? &c->rates[c->nrates - 1] : NULL;
        if (last && last->page == L->page && last->row == row && last->rate == a.minor)
            continue; /* the row's rate printed twice ("9% 5,383.80 9% 5,383.80") */
        if (c->nrates == c->caprates) {
            size_t cap = c->caprates ? 2 * c->caprates : 16;
            row_rate *r = realloc(c->rates, cap * sizeof *r);
            if (!r) {
                c->oom = 1;
                return;
            }
            c->rates = r;
            c->caprates = cap;
        }
        c->rates[c->nrates++] = (row_rate){L->page, row, a.minor};
    }
}

static void collect_line(collector *c, const fx_line *L)
{
    const fx_doc *d = c->d;
    tc_label labs[TC_MAX_LINE_LABELS];
    size_t nl = tc_line_labels(d, L, 0, labs, TC_MAX_LINE_LABELS);
    df_amount figs[64];
    size_t nf = 0, from = 0;
    df_amount a;
    while (nf < 64 && df_amount_find(d->m->base, L->text, L->len, from, (df_dec_style)d->dec_style,
                                     DF_AMT_LENIENT, &a)) {
        from = a.end > from ? a.end : from + 1;
        if (tc_no_money(d, L, &a))
            continue;
        figs[nf++] = a;
    }
    line_rates(c, L);
    for (size_t i = 0; i < nf; i++) {
        /* its label: the first one after the figure before it ("Total Sales
         * (incl. of GST) 4.25" is a total, not a GST; "Subtotal 8.99 Tax
         * 0.74": 0.74 is the tax's); with none there, the label before
         * that figure, which labels the row's last figure ("VAT 21 % of
         * 8.787,50  1.845,38": the first is a base, followed) */
        const tc_label *lab = NULL;
        size_t seg = i ? figs[i - 1].end : 0;
        for (size_t k = 0; k < nl && !lab; k++)
            if (labs[k].start >= seg && labs[k].end <= figs[i].start)
                lab = &labs[k];
        for (size_t k = 0; k < nl && i && !lab; k++)
            if (labs[k].end <= seg && (k + 1 == nl || labs[k + 1].end > seg))
                lab = &labs[k];
        int rel = TF_REL_LINE;
        tc_label beside;
        df_field_src src = {0};
        fx_place(d, L, figs[i].start, figs[i].end, &src);
        int alone = fx_skip(L->text, 0, L->len, "") == figs[i].start;
        if (!lab && src.has && fx_rule_on(d, DF_RULE_LABEL_BESIDE) &&
            tc_label_beside(d, L, src.box[0], src.box[2], alone, &beside, &rel))
            lab = &beside;
        if (!lab && src.has && fx_rule_on(d, DF_RULE_LABEL_COLUMN) &&
            tc_label_in_header(d, L, src.box[0], src.box[2], &beside, &rel))
            lab = &beside;
        /* a tax summary's sum row, "Gesamt  32,42  3,96  36,38" under
         * "netto  USt  Brutto": the total's label names the row, the
         * titles its figures (a figure titled as a total, "Brutto", keeps
         * the row's label) */
        tc_label title;
        int trel;
        if (lab && lab->role == TC_GRAND && (rel == TF_REL_LINE || rel == TF_REL_ROW) && src.has &&
            fx_rule_on(d, DF_RULE_SUMMARY_COLUMNS) &&
            tc_label_in_header(d, L, src.box[0], src.box[2], &title, &trel) && title.role >= 0 &&
            title.role != TC_GRAND) {
            beside = title;
            lab = &beside;
            rel = trel;
        }
        /* bare whole numbers with no label are counts, codes and
         * quantities, not money */
        if (!lab && figs[i].decimals == 0 && !figs[i].currency[0])
            continue;
        size_t between = lab && rel == TF_REL_LINE ? words_between(L, lab->end, figs[i].start) : 0;
        size_t first = c->s->n;
        add_figure(c, L, &figs[i], lab, rel, between);
        if (lab && lab->incl && first < c->s->n && fx_rule_on(d, DF_RULE_INCL_TAX)) {
            /* "incl. btw 9%  2,67" is the tax a total included, "Total Sales
             * Inclusive GST @6%  8.70" the total: the figure is read both
             * ways, one printed figure, and the sums choose */
            tc_cand *alt = push(c);
            if (alt) {
                *alt = c->s->v[first];
                alt->label_role = TC_TAX;
                alt->f[TF_VARIANT] = 1;
            }
        }
    }
    /* a label of a total with no figure after it on its line: remembered
     * for the second reading and the fallbacks */
    for (size_t k = 0; k < nl; k++) {
        int r = labs[k].role;
        int after = 0;
        for (size_t i = 0; i < nf; i++)
            after |= figs[i].start >= labs[k].end;
        if (r >= 0 && !after && !c->s->lost[r]) {
            c->s->lost[r] = 1;
            c->s->lost_page[r] = L->page;
            c->s->lost_line[r] = L->li;
            c->s->lost_at[r] = labs[k].start;
            c->s->lost_end[r] = labs[k].end;
        }
    }
}

/* Figures with another money figure to their right on their row: a base
 * before its tax, a price before its total, a tax summary's columns. */
static void mark_followed(tc_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        tc_cand *k = &s->v[i];
        for (size_t j = 0; j < s->n && !k->f[TF_FOLLOWED]; j++) {
            const tc_cand *o = &s->v[j];
            k->f[TF_FOLLOWED] = o->token != k->token && o->page == k->page && o->row == k->row &&
                                o->x0 > k->x0 && !o->f[TF_VARIANT] && o->decimals == 2;
        }
    }
}

/* An unlabelled figure on a row next to a CGST (SGST) row with the same
 * value is the other half: India's GST splits equally between the two. */
static void mark_gst_twin(tc_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        tc_cand *k = &s->v[i];
        if (k->label_role != -1 || k->f[TF_VARIANT] || k->v <= 0)
            continue;
        for (size_t j = 0; j < s->n && !k->f[TF_GST_TWIN]; j++) {
            const tc_cand *o = &s->v[j];
            int half = o->label_role == TC_CGST || o->label_role == TC_SGST;
            k->f[TF_GST_TWIN] = half && o->v == k->v && o->page == k->page &&
                                (o->row + 1 == k->row || k->row + 1 == o->row);
        }
    }
}

/* A tax printed per rate: the rows of one tax role, each with its rate
 * after the label and its own figure, summed into one candidate more (the
 * chooser takes it when the sum needs it). */
static void add_rate_sums(collector *c)
{
    static const int roles[] = {TC_TAX, TC_CGST, TC_SGST, TC_IGST};
    tc_set *s = c->s;
    for (int r = 0; r < 4; r++) {
        int rows[TC_MAX_RATES], n = 0;
        for (size_t i = 0; i < s->n && n <= TC_MAX_RATES; i++) {
            const tc_cand *k = &s->v[i];
            if (k->label_role != roles[r] || !k->f[TF_RATE_LABEL] || k->f[TF_REL_ABOVE] ||
                k->f[TF_VARIANT] || k->f[TF_FOLLOWED] || k->decimals != 2 || k->v <= 0)
                continue;
            int dup = 0;
            for (int j = 0; j < n; j++)
                dup |= s->v[rows[j]].row == k->row && s->v[rows[j]].page == k->page;
            if (!dup && n < TC_MAX_RATES)
                rows[n++] = (int)i;
            else if (!dup)
                n = TC_MAX_RATES + 1; /* too many rows: a table, not a tax per rate */
        }
        if (n < 2 || n > TC_MAX_RATES)
            continue;
        tc_cand *sum = push(c);
        if (!sum)
            return;
        *sum = s->v[rows[0]];
        sum->token = c->token++;
        sum->v = 0;
        for (int j = 0; j < TC_MAX_RATES; j++)
            sum->members[j] = j < n ? s->v[rows[j]].token : -1;
        for (int j = 0; j < n; j++)
            sum->v += s->v[rows[j]].v;
    }
}

/* The arithmetic of a tax line: with a rate printed on a row, a figure there
 * that is that rate of another figure there is a tax (rate_of), the other
 * its base (rate_base). Rows, not lines: a PDF's label column and amount
 * column are lines of their own. Variants share their figure's marks. */
static void rate_arithmetic(const collector *c, tc_set *s)
{
    for (size_t r = 0; r < c->nrates; r++) {
        const row_rate *q = &c->rates[r];
        for (size_t b = 0; b < s->n; b++) {
            tc_cand *B = &s->v[b];
            if (B->page != q->page || B->row != q->row)
                continue;
            if (!B->rate)
                B->rate = q->rate;
            if (B->f[TF_VARIANT])
                continue;
            for (size_t t = 0; t < s->n; t++) {
                const tc_cand *T = &s->v[t];
                if (t == b || T->page != q->page || T->row != q->row || T->f[TF_VARIANT] ||
                    T->token == B->token || !df_sum_rate_of(B->v, q->rate, T->v))
                    continue;
                for (size_t k = 0; k < s->n; k++) {
                    if (s->v[k].token == B->token)
                        s->v[k].f[TF_RATE_BASE] = 1;
                    if (s->v[k].token == T->token)
                        s->v[k].f[TF_RATE_OF] = 1;
                }
            }
        }
    }
}

/* The document's amounts in words; each figure one of them says. */
#define TC_MAX_WORDS 8

static void mark_words(const fx_doc *d, tc_set *s)
{
    df_words_amount w[TC_MAX_WORDS];
    int n = 0;
    for (size_t off = 0; n < TC_MAX_WORDS && off < d->all_len; n++) {
        if (!df_words_find(d->m->base, d->all + off, d->all_len - off, &w[n]))
            break;
        off += w[n].end > 0 ? w[n].end : 1;
    }
    for (size_t i = 0; i < s->n; i++)
        for (int k = 0; k < n && !s->v[i].f[TF_WORDS]; k++)
            s->v[i].f[TF_WORDS] = s->v[i].v > 0 && df_words_say(&w[k], s->v[i].v);
}

/* The largest two-decimal figure that is no payment. */
static void mark_largest(tc_set *s)
{
    int64_t best = 0;
    for (size_t i = 0; i < s->n; i++) {
        const tc_cand *k = &s->v[i];
        if (k->f[TF_TWO_DEC] && !k->f[TF_VARIANT] && k->label_role != TC_PAID &&
            k->label_role != TC_CHANGE && k->v > best)
            best = k->v;
    }
    for (size_t i = 0; i < s->n; i++)
        s->v[i].f[TF_LARGEST] = best > 0 && s->v[i].v == best && !s->v[i].f[TF_VARIANT];
}

df_code tc_collect(const fx_doc *d, tc_set *out)
{
    memset(out, 0, sizeof *out);
    collector c = {d, out, 0, 0, NULL, 0, 0};
    out->derive_total = fx_rule_on(d, DF_RULE_DERIVED_TOTAL);
    out->pay_tie = fx_rule_on(d, DF_RULE_TOTALS_PAY_TIE);
    out->tax_by_need = fx_rule_on(d, DF_RULE_TOTALS_TAX_BY_NEED);
    for (size_t p = 0; p < d->npages && !c.oom; p++) {
        const df_layout *lay = d->pages[p];
        for (size_t r = 0; r < lay->nrows; r++) {
            const df_layout_row *row = &lay->rows[r];
            for (size_t k = 0; k < row->nlines; k++)
                collect_line(&c, fx_get(d, (int)p, lay->row_lines[row->first + k]));
        }
    }
    if (c.oom) {
        free(c.rates);
        tc_set_free(out);
        return DF_E_NO_MEMORY;
    }
    mark_largest(out);
    mark_followed(out);
    rate_arithmetic(&c, out);
    free(c.rates);
    mark_gst_twin(out);
    add_rate_sums(&c);
    if (fx_rule_on(d, DF_RULE_WORDS))
        mark_words(d, out);
    return DF_OK;
}

void tc_set_free(tc_set *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* ---- tc_score ----------------------------------------------------------------- */

static int is_tax_role(int r)
{
    return r == TC_TAX || r == TC_CGST || r == TC_SGST || r == TC_IGST;
}

/* A feature's value for role r: the label and how it pairs count only for
 * the role the label names; everything else is the same for every role. */
static float feature_for(const tc_cand *k, int r, int f)
{
    int own = k->label_role == r;
    switch (f) {
    case TF_LABEL: return own ? (float)k->label_prio / 10.0f : 0;
    case TF_LABEL_OTHER: return k->label_role >= 0 && !own;
    case TF_REL_LINE:
    case TF_REL_ROW:
    case TF_REL_ABOVE:
    case TF_REL_COLUMN:
    case TF_LABEL_FAR:
    case TF_RATE_LABEL: return own ? k->f[f] : 0;
    case TF_RATE_OF: /* for a tax, only as its row's last figure: a tax
                      * summary's rows ("59,820.00 9% 5,383.80 9% 5,383.80
                      * 10,767.60") hold rates of their bases too */
        if (is_tax_role(r))
            return k->f[TF_FOLLOWED] ? 0 : k->f[f];
        return k->f[f];
    default: return k->f[f];
    }
}

void tc_score(const tc_weights *w, tc_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        tc_cand *k = &s->v[i];
        for (int r = 0; r < TC_ROLE_COUNT; r++) {
            float sum = 0;
            for (int f = 0; f < TF_FEATURE_COUNT; f++)
                sum += (float)w->w[r][f] * feature_for(k, r, f);
            k->score[r] = (int)(sum + (sum >= 0 ? 0.5f : -0.5f));
        }
        /* no rounding is more than one unit of the currency: a definition,
         * not evidence ("Kounding RM 13.4" is the total misread) */
        if (k->v > DF_SUM_MAX_ROUND_OFF || k->v < -DF_SUM_MAX_ROUND_OFF)
            k->score[TC_ROUNDING] = TC_IMPOSSIBLE;
    }
}
