/*
 * reread.c — a grand total read a second time, kept only when it adds up;
 * a date label's line read again when no date was found.
 *
 * On receipts the total line is often the one OCR reads worst (bold,
 * double-height, printed over a fold), and one wrong digit there costs the
 * whole document. When the total the extractors found disagrees with every
 * other figure that can check it (subtotal + taxes + rounding, the payment
 * less the change, the items' sum), or when its label was found with no
 * figure beside it, the page band of that line is read again by the caller's
 * OCR (df_reread), across the full page width, resampled up to twice. A new
 * reading replaces the total only when one of those figures confirms it, so
 * a document without any of them is not read again at all. Readings are
 * never trusted on their own: OCR noise varies between them, so a second
 * reading is one more sample, not the truth.
 *
 * Dates are read again only when none was found at all but a date label
 * was ("Date: 2ijosjzors"): then any whole date after the label is better
 * than none. A date that was found is never replaced; readings of date
 * lines disagree among themselves ("15/02" and "16/02") with nothing to
 * tell which is right.
 */
#include "extract/fields_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"
#include "extract/chars.h"
#include "extract/date.h"
#include "extract/sums.h"

/* Differently resampled readings asked for. */
#define RR_ATTEMPTS 2
/* The band read again reaches this many line heights above and below the
 * line (skew, a figure printed a little higher than its label). */
#define RR_BAND_PAD 0.3f
/* A date read again is believed within these years (the implausible-date
 * check's own floor; "18/4/9017" is a misreading, not a date to repair). */
#define DF_REREAD_DATE_MIN_YEAR 2000
#define DF_REREAD_DATE_MAX_YEAR 2099
/* A speck after an invoice number: a word of at most this many bytes, read
 * with less confidence than this, at most RR_SPECK_GAP word heights away. */
#define RR_SPECK_LEN 3
#define RR_SPECK_CONF 70.0f
#define RR_SPECK_GAP 2.5f

/* subtotal - discount + taxes + charges + rounding (sums.h); 0 when there
 * is no subtotal or no tax. */
static int64_t parts_sum(const df_extraction *x)
{
    df_sum_parts p = df_sum_parts_of(x);
    int64_t s;
    int ntax;
    return df_sum_of_parts(&p, &s, &ntax) && ntax ? s : 0;
}

/* The items' totals summed; 0 with fewer than two items or one without a total. */
static int64_t items_sum(const df_extraction *x)
{
    int64_t s;
    return df_sum_items(x, 2, &s) ? s : 0;
}

static int near(int64_t a, int64_t b)
{
    return a > 0 && df_sum_agree(a, b, DF_SUM_CASH);
}

/* The figures that can check a grand total, in *checks (0: none); 1 when v
 * agrees with one of them. */
static int confirmed(const fx_doc *d, const df_extraction *x, int64_t v, int *checks)
{
    int64_t due = 0;
    if (!df_sum_due(&d->paid, &d->change, &due))
        due = 0;
    int64_t c[4] = {parts_sum(x), due, items_sum(x), 0};
    /* a subtotal alone checks a total with no tax on top of it, or one
     * whose tax was read from an "incl. GST" line */
    if (x->totals[DF_TOT_SUBTOTAL].has)
        c[3] = x->totals[DF_TOT_SUBTOTAL].minor;
    *checks = 0;
    int ok = 0;
    for (int i = 0; i < 4; i++) {
        *checks += c[i] > 0;
        ok |= near(c[i], v);
    }
    return ok;
}

/* The last two-decimal amount of a reading; 0 when none. */
static int last_figure(const fx_doc *d, const char *s, int64_t *out)
{
    if (!s)
        return 0;
    size_t len = 0, from = 0;
    while (s[len])
        len++;
    df_amount a;
    int got = 0;
    while (df_amount_find(d->m->base, s, len, from, (df_dec_style)d->dec_style, DF_AMT_LENIENT, &a)) {
        from = a.end > from ? a.end : from + 1;
        if (a.decimals == 2 && a.minor > 0) {
            *out = a.minor;
            got = 1;
        }
    }
    return got;
}

void fx_reread_total(fx_doc *d, df_extraction *x)
{
    if (!d->rr || !d->rr->read)
        return;
    df_famt *G = &x->totals[DF_TOT_GRAND];
    int checks = 0;
    if (G->has && (!G->src.has || confirmed(d, x, G->minor, &checks)))
        return;
    confirmed(d, x, 0, &checks);
    if (!checks)
        return; /* nothing could confirm a new reading: OCR time saved */
    const fx_line *L = NULL;
    size_t page;
    float band[4];
    if (G->has) {
        page = (size_t)(G->src.page - 1);
        for (int i = 0; i < 4; i++)
            band[i] = G->src.box[i];
    } else if (d->grand_label) {
        L = fx_get(d, d->grand_page, d->grand_line);
        page = (size_t)d->grand_page;
        const df_layout_line *ll = &d->pages[page]->lines[d->grand_line];
        for (int i = 0; i < 4; i++)
            band[i] = ll->box[i];
    } else {
        return;
    }
    if (page >= d->npages)
        return;
    const df_layout *lay = d->pages[page];
    float pad = (band[3] - band[1]) * RR_BAND_PAD;
    band[0] = 0;
    band[1] -= pad;
    band[3] += pad;
    if (lay->page_w > band[2])
        band[2] = (float)lay->page_w;
    /* each reading costs OCR time: the first one the figures confirm ends it */
    int64_t v = 0;
    int take = 0;
    for (int a = 0; a < RR_ATTEMPTS && !take; a++) {
        char *s = d->rr->read(d->rr->ctx, page, band, a);
        take = last_figure(d, s, &v) && (!G->has || v != G->minor) && confirmed(d, x, v, &checks);
        free(s);
    }
    if (!take)
        return;
    G->minor = v;
    if (!G->has) {
        memset(&G->src, 0, sizeof G->src);
        fx_src(d, L, 0, L->len, &G->src);
    }
    G->has = 1;
}

/* Where the first date label of reading s ends; 0 when it has none. */
static size_t after_date_label(const fx_doc *d, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && s[i - 1] != ' ')
            continue;
        size_t k = i;
        while (k < len && ((unsigned char)s[k] >= 0x80 || s[k] == '"' || s[k] == '\''))
            k++; /* a quote OCR put before the label ("“Date:") */
        const df_model_entry *e = df_label_at(d->m, s, k, len);
        i = k;
        if (fx_is(e, "date"))
            return i + e->klen;
    }
    return 0;
}

void fx_reread_date(fx_doc *d, df_extraction *x)
{
    if (x->date.s || !d->date_label || !d->rr || !d->rr->read || (size_t)d->date_page >= d->npages)
        return;
    const df_layout *lay = d->pages[d->date_page];
    const fx_line *L = fx_get(d, d->date_page, d->date_line);
    const df_layout_line *ll = &lay->lines[d->date_line];
    /* two bands, each resampled twice: the whole width, as for totals,
     * then from the label on. Either alone loses dates the other reads
     * ("21/03/2017" came back "sijozzors" read from the label; "09/10/2017"
     * stayed "99/10/2017" read across the line). The date is looked for
     * after the label in each reading. */
    df_field_src at = {0};
    fx_place(d, L, d->date_at, L->len, &at);
    float pad = (ll->box[3] - ll->box[1]) * RR_BAND_PAD;
    float band[4] = {0, ll->box[1] - pad, lay->page_w > ll->box[2] ? (float)lay->page_w : ll->box[2],
                     ll->box[3] + pad};
    for (int a = 0; a < 2 * RR_ATTEMPTS; a++) {
        if (a == RR_ATTEMPTS && !at.has)
            break;
        if (a == RR_ATTEMPTS)
            band[0] = at.box[0];
        char *s = d->rr->read(d->rr->ctx, (size_t)d->date_page, band, a % RR_ATTEMPTS);
        size_t len = s ? strlen(s) : 0;
        size_t from = s ? after_date_label(d, s, len) : 0;
        df_date dt;
        int ok = from > 0 && df_date_find(d->m->base, s, len, from, (df_date_order)d->date_order, &dt) &&
                 dt.year >= DF_REREAD_DATE_MIN_YEAR && dt.year <= DF_REREAD_DATE_MAX_YEAR;
        free(s);
        if (!ok)
            continue;
        x->date.s = strdup(dt.iso);
        x->date_y = dt.year;
        x->date_m = dt.month;
        x->date_d = dt.day;
        memset(&x->date.src, 0, sizeof x->date.src);
        if (x->date.s)
            fx_src(d, L, d->date_at, L->len, &x->date.src);
        return;
    }
}

/* The first word of reading s, trimmed of punctuation at its ends; NULL
 * when none. */
static char *first_word(const char *s)
{
    if (!s)
        return NULL;
    size_t a = 0;
    while (s[a] == ' ')
        a++;
    size_t b = a;
    while (s[b] && s[b] != ' ')
        b++;
    return fx_dup_trim(s, a, b, ":;,.|'\"");
}

/* Characters of an invoice number read again: letters, digits and the
 * separators ids use. */
static int id_text(const char *s)
{
    for (; *s; s++)
        if (!df_c_alnum((unsigned char)*s) && !strchr("-/_.#", *s))
            return 0;
    return 1;
}

/* "NTC-232  a" under "Invoice No." for NTC-2324-1486: OCR read the number's
 * first characters surely and the rest as a speck. The value and the speck
 * are read again as one; the reading replaces the value only when it is the
 * same value made longer (it starts with every character read before) and
 * has nothing but an id's characters. A value with no speck beside it is
 * never read again. */
void fx_reread_invoice_number(fx_doc *d, df_extraction *x)
{
    if (!x->invoice_number.s || !d->inv_found || !d->rr || !d->rr->read ||
        (size_t)d->inv_page >= d->npages)
        return;
    const df_layout *lay = d->pages[d->inv_page];
    const fx_line *L = fx_get(d, d->inv_page, d->inv_line);
    const df_layout_line *ll = &lay->lines[d->inv_line];
    size_t w = 0;
    while (w < L->nw && L->wstart[w] < d->inv_end)
        w++;
    if (w == 0 || w >= L->nw || L->nw != ll->nwords)
        return;
    const df_word *v = &lay->words[ll->first + w - 1], *speck = &lay->words[ll->first + w];
    float h = v->box[3] - v->box[1];
    if (strlen(speck->text) > RR_SPECK_LEN || speck->conf >= RR_SPECK_CONF ||
        speck->box[0] - v->box[2] > RR_SPECK_GAP * h)
        return;
    const df_field_src *src = &x->invoice_number.src;
    float pad = h * RR_BAND_PAD;
    float box[4] = {src->has ? src->box[0] : v->box[0], fminf(v->box[1], speck->box[1]) - pad,
                    speck->box[2] + h, fmaxf(v->box[3], speck->box[3]) + pad};
    size_t have = strlen(x->invoice_number.s);
    for (int a = 0; a < RR_ATTEMPTS; a++) {
        char *s = d->rr->read(d->rr->ctx, (size_t)d->inv_page, box, a);
        char *t = first_word(s);
        free(s);
        if (t && strlen(t) > have && !strncmp(t, x->invoice_number.s, have) && id_text(t)) {
            free(x->invoice_number.s);
            x->invoice_number.s = t;
            return;
        }
        free(t);
    }
}
