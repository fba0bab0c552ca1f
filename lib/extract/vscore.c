/*
 * vscore.c — the evidence that a line at the top of page 1 is the issuer's
 * name, the weights of models/vendor.txt and the score they give it.
 *
 * vendor.c lists the candidate lines and keeps the best; what is observed
 * of one line is here, apart from the numbers, so that the weights can be
 * read, changed and ablated as data.
 *
 * Contents
 *   fx_vendor_feature_names  features as written in vendor.txt
 *   fx_vendor_weights_load   parse vendor.txt
 *   fx_vendor_score          evidence x weights
 *   signs of other things    postcode, address_opening, street_line,
 *                            line_conf, owned_by_above, attention_below
 *   fx_numbered_street       a house number and a street type (party.h)
 *   fx_squeeze_name, repeated_below  the name again in the page's footer
 *   fx_vendor_evidence       a line's features
 */
#include <math.h>
#include <string.h>

#include "extract/chars.h"
#include "extract/party.h"

/* Mean word confidence (0..100) under which a top line is more likely a logo
 * or a smudge than the issuer's name. A logo OCR reads as a short word in
 * tall boxes ("ipcy |", "TIER Poe" over "One World Market - Indiana", "The
 * Shoppes at Marina Bay Sands") is read at 41-45 %, and its height then
 * outweighed the name under it. 40 -> 50: wildreceipt vendor.name 29.47
 * -> 31.58 (45 to 60 alike); no right name of the tune splits or the
 * language fixtures is lost. */
#define VENDOR_MIN_CONF 50.0

const char *const fx_vendor_feature_names[VF_COUNT] = {
    "suffix", "base", "order", "height", "colon", "unsure", "code_first", "no_word", "address",
    "owned_by", "addressee", "closed", "after_price", "regno_below", "logo_initial",
    "spaced", "footer"};

df_code fx_vendor_weights_load(const df_model_list *l, fx_vendor_weights *out, df_err *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < l->n; i++) {
        const df_model_entry *e = &l->v[i];
        int f = 0, w;
        while (f < VF_COUNT && strcmp(fx_vendor_feature_names[f], e->key) != 0)
            f++;
        if (f == VF_COUNT || *e->extra || df_model_weight(e->val, &w) != 0)
            return df_err_set(err, DF_E_CORRUPT_FILE,
                              "model file vendor.txt line %zu: \"%s %s\": %s", e->line, e->key,
                              e->val,
                              f == VF_COUNT ? "unknown feature (see the list in the file)"
                                            : "the weight is not a number like 1.5 or -2");
        out->w[f] = w;
    }
    return DF_OK;
}

double fx_vendor_score(const fx_vendor_weights *w, const double v[VF_COUNT])
{
    double s = 0;
    for (int f = 0; f < VF_COUNT; f++)
        s += w->w[f] / 100.0 * v[f];
    return s;
}

/* ---- evidence of a line ---------------------------------------------------- */

/* 1 when s[0..len) holds a number of exactly 5 or 6 digits standing alone
 * (a postcode or PIN), which a company name does not. */
static int postcode(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && df_c_digit((unsigned char)s[j]))
            j++;
        if (j - i >= 5 && j - i <= 6 && (i == 0 || s[i - 1] == ' ' || s[i - 1] == ',') &&
            (j == len || s[j] == ' ' || s[j] == ',' || s[j] == '.'))
            return 1;
        i = j > i ? j : i + 1;
    }
    return 0;
}

/* "NO. 49, JALAN MAHAGONI 7/2": a line opening with a word of
 * models/address.txt and a number right after it is an address. */
static int address_opening(const fx_doc *d, const fx_line *L)
{
    const df_model_entry *e = df_model_match(&d->m->address, L->text, 0, L->len);
    size_t k = e ? fx_skip(L->text, e->klen, L->len, ".:#") : L->len;
    return k < L->len && df_c_digit((unsigned char)L->text[k]);
}

/* A street line: a house number after the street's name ("Via Roma, 129",
 * "Molenstraat 154", "Calle Real, 27 bis" aside) or before it ("134 allée
 * des Tilleuls"): one to four digits, maybe a letter, at one end of a line
 * of two to six words whose other words hold no digit. */
static int street_line(const fx_line *L)
{
    if (L->nw < 2 || L->nw > 6)
        return 0;
    size_t digits_in = 0, last = L->wstart[L->nw - 1], end = L->len;
    while (end > last && strchr(" ,.", L->text[end - 1]))
        end--;
    for (size_t k = 0; k < L->len; k++)
        digits_in += df_c_digit((unsigned char)L->text[k]) != 0;
    size_t n = 0;
    while (last + n < end && df_c_digit((unsigned char)L->text[last + n]))
        n++;
    int tail = n >= 1 && n <= 4 && end - (last + n) <= 1 && digits_in == n;
    size_t m = 0;
    while (m < L->len && df_c_digit((unsigned char)L->text[m]))
        m++;
    int head = m >= 1 && m <= 4 && L->text[m] == ' ' && digits_in == m &&
               df_c_lower((unsigned char)L->text[m + 1]) == (unsigned char)L->text[m + 1] &&
               df_c_alpha((unsigned char)L->text[m + 1]);
    return tail || head;
}

/* (party.h) What follows the street type is not looked at: a suite, OCR's
 * specks at the page's edge ("642 Midland road   3"). */
int fx_numbered_street(const fx_doc *d, const fx_line *L)
{
    if (L->nw < 2)
        return 0;
    size_t k = 0;
    while (k < L->len && df_c_digit((unsigned char)L->text[k]))
        k++;
    if (k < 1 || k > 5)
        return 0;
    if (k + 1 < L->len && L->text[k] == '-' && df_c_digit((unsigned char)L->text[k + 1])) {
        size_t j = ++k;
        while (k < L->len && df_c_digit((unsigned char)L->text[k]))
            k++;
        if (k - j > 4)
            return 0;
    }
    if (k + 1 < L->len && df_c_alpha((unsigned char)L->text[k]) && strchr(" ,", L->text[k + 1]))
        k++; /* "12B Baker Street" */
    if (k < L->len && L->text[k] == ',')
        k++;
    if (k >= L->len || L->text[k] != ' ')
        return 0;
    for (size_t w = 1; w < L->nw && w <= 5; w++) {
        size_t a = L->wstart[w], b = w + 1 < L->nw ? L->wstart[w + 1] : L->len;
        if (a < k)
            continue; /* a house number OCR split ("79 -19") */
        if (df_model_match(&d->m->streets, L->text, a, L->len))
            return 1;
        for (size_t i = a; i < b; i++)
            if (df_c_digit((unsigned char)L->text[i]))
                return 0;
    }
    return 0;
}

/* Mean OCR confidence (0..100) of line li's words. */
static double line_conf(const df_layout *lay, size_t li)
{
    const df_layout_line *ln = &lay->lines[li];
    double s = 0;
    for (size_t k = 0; k < ln->nwords; k++)
        s += lay->words[ln->first + k].conf;
    return ln->nwords ? s / (double)ln->nwords : 0;
}

/* 1 when the line just above L (within two line heights) is an owner
 * label alone ("Owned By"): L names the shop's owner, not the shop. */
static int owned_by_above(const fx_doc *d, int p, size_t li)
{
    const df_layout *lay = d->pages[p];
    if (li == 0)
        return 0;
    const df_layout_line *a = &lay->lines[li - 1], *l = &lay->lines[li];
    float gap = l->box[1] - a->box[3], lh = lay->line_height > 0 ? lay->line_height : 10.0f;
    if (gap < -0.5f * lh || gap > 2.0f * lh)
        return 0;
    const fx_line *A = fx_get(d, p, li - 1);
    size_t i = fx_skip(A->text, 0, A->len, "'|");
    const df_model_entry *e = fx_label(d, A, i);
    return e && fx_is(e, "owner") && fx_skip(A->text, i + e->klen, A->len, ":-") == A->len;
}

/* The next line, close below and starting where li starts, opens with an
 * attention label ("z. Hd. Buchhaltung", "Attn: Accounts"): li names the
 * addressee of a letter. */
static int attention_below(const fx_doc *d, int p, size_t li)
{
    const df_layout *lay = d->pages[p];
    if (li + 1 >= lay->nlines)
        return 0;
    const df_layout_line *l = &lay->lines[li], *b = &lay->lines[li + 1];
    float gap = b->box[1] - l->box[3], lh = lay->line_height > 0 ? lay->line_height : 10.0f;
    if (gap < -0.5f * lh || gap > 2.0f * lh || fabsf(b->box[0] - l->box[0]) > 2.0f * lh)
        return 0;
    const fx_line *B = fx_get(d, p, li + 1);
    const df_model_entry *e = fx_label(d, B, fx_skip(B->text, 0, B->len, ""));
    return e && fx_is(e, "attention");
}

size_t fx_squeeze_name(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++)
        if (df_c_alnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
            out[n++] = (char)df_c_lower((unsigned char)s[i]);
    out[n] = '\0';
    return n;
}

/* Whether line li of page 1 is printed again at the start of a line of
 * the page's lower half or a later page: the issuer's name in a legal or
 * bank footer ("Syarikat Hiasan Yusof   Hong Leong Bank   No. Daftar"),
 * which a customer's block is not. Names of 8 squeezed characters or
 * more. */
static int repeated_below(const fx_doc *d, size_t li)
{
    const fx_line *L = fx_get(d, 0, li);
    char name[128], other[128];
    size_t n = fx_squeeze_name(L->text, L->len, name, sizeof name);
    if (n < 8 || n + 1 >= sizeof name)
        return 0;
    const df_layout *first = d->pages[0];
    double half = first->page_h / 2;
    for (size_t k = 0; half <= 0 && k < first->nlines; k++)
        if (first->lines[k].box[3] / 2 > half)
            half = first->lines[k].box[3] / 2;
    for (size_t p = 0; p < d->npages; p++) {
        const df_layout *lay = d->pages[p];
        for (size_t k = 0; k < lay->nlines; k++) {
            if (p == 0 && (k <= li || lay->lines[k].box[1] < half))
                continue;
            const fx_line *O = fx_get(d, (int)p, k);
            if (fx_squeeze_name(O->text, O->len, other, sizeof other) >= n &&
                memcmp(other, name, n) == 0)
                return 1;
        }
    }
    return 0;
}

/* 1 when L could be a name printed again in a footer: no digit, no web or
 * mail address. */
static int name_like(const fx_line *L)
{
    for (size_t i = 0; i < L->len; i++)
        if (df_c_digit((unsigned char)L->text[i]) || L->text[i] == '@' ||
            df_c_prefix(L->text, i, L->len, "www.", 4) || df_c_prefix(L->text, i, L->len, "http", 4))
            return 0;
    return 1;
}

/* The evidence v[] (party.h) that line li of page 1, the cands-th
 * candidate, is the issuer's name; VF_CLOSED and VF_AFTER_PRICE depend on
 * the lines above and are the caller's. */
void fx_vendor_evidence(const fx_doc *d, size_t li, int cands, double v[VF_COUNT])
{
    const df_layout *lay = d->pages[0];
    const fx_line *L = fx_get(d, 0, li);
    memset(v, 0, VF_COUNT * sizeof *v);
    v[VF_SUFFIX] = fx_company_suffix(d, L);
    v[VF_BASE] = 1;
    v[VF_ORDER] = cands;
    if (lay->line_height > 0)
        v[VF_HEIGHT] = lay->lines[li].height / lay->line_height - 1.0;
    v[VF_COLON] = memchr(L->text, ':', L->len) != NULL;
    v[VF_UNSURE] = line_conf(lay, li) < VENDOR_MIN_CONF;
    if (L->nw > 0 && L->wstart[0] == 0) {
        size_t q = 0;
        while (q < L->len && df_c_digit((unsigned char)L->text[q]))
            q++;
        v[VF_CODE_FIRST] = q >= 5;
    }
    v[VF_NO_WORD] = !fx_letter_run(L->text, L->len, 3);
    /* "NO. 53, JALAN BESAR, 45400 BATANG", "NO. 49, JALAN MAHAGONI 7/2" */
    v[VF_ADDRESS] = postcode(L->text, L->len) || address_opening(d, L) || street_line(L);
    v[VF_OWNED_BY] = owned_by_above(d, 0, li);
    v[VF_ADDRESSEE] = attention_below(d, 0, li) && fx_rule_on(d, DF_RULE_VENDOR_ATTENTION);
    /* the name a company number printed under it belongs to ("FTOF NOODLE
     * HOUSE / (002049088-U)" under the logo's "FACE TO FACE NOODLE HOUSE");
     * a legal form alone ("SDN. BHD.") is the name's second line, taken
     * with the first */
    if (li + 1 < lay->nlines && !fx_legal_form_only(d, L)) {
        const fx_line *N = fx_get(d, 0, li + 1);
        v[VF_REGNO_BELOW] = fx_company_number(N->text, N->len);
    }
    /* a title printed letter-spaced ("F A CTU = A", "R E C E I P T"): four
     * one-character words or more, most of the line's */
    size_t single = 0;
    for (size_t k = 0; k < L->nw; k++) {
        size_t e = k + 1 < L->nw ? L->wstart[k + 1] : L->len;
        size_t w = L->wstart[k];
        while (e > w && L->text[e - 1] == ' ')
            e--;
        single += e - w == 1;
    }
    v[VF_SPACED] = single >= 4 && 2 * single > L->nw;
    /* a footer repeats the address and the web address too ("Via Roma,
     * 129", "9020 Klagenfurt", "www.bleuazur.fr"): only a line with no
     * digit and no address of the web or of mail earns it */
    v[VF_FOOTER] = !v[VF_ADDRESS] && name_like(L) && repeated_below(d, li);
    /* a logo initial ("A ACME"), not a name's own letter ("L TWO FLORIST",
     * "Y SOON FATT") */
    v[VF_LOGO_INITIAL] = L->nw > 1 && strlen(lay->words[lay->lines[li].first].text) == 1 &&
                         df_c_lower((unsigned char)L->text[0]) ==
                             df_c_lower((unsigned char)L->text[L->wstart[1]]);
}
