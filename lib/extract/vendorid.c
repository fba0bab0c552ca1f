/*
 * vendorid.c — the tax ids of a document as candidates, and whose each is.
 *
 * Every tax id on every line is a candidate: those the scanner recognises
 * by shape and check digits (taxscan.c: GSTIN, EU VAT, Malaysian SST/GST),
 * a Swiss UID anywhere ("CHE-123.456.789" is unmistakable), and national
 * forms a tax-id label names ("NIF: B12345678", "P.IVA 12345678901",
 * "EIN: 12-3456789", "Btw: BE 0123.456.789"), and an id a narrow slip
 * wrapped onto the next line when its check digits verify across the join.
 *
 * The customer's id: one a customer_taxid label names ("Ihre USt-IdNr."),
 * else the first in the customer region. The vendor's: candidates that a
 * customer label, region or column claims are out; among the rest the best
 * by evidence (VENDOR_ID_* below): inside a vendor label's region, in the
 * column block that the vendor's name heads, a GSTIN and the first GSTIN
 * (an Indian tax invoice prints the issuer's block first), in the page's
 * footer (the issuer's legal lines); the first in reading order among
 * equals. A customer's block printed without a
 * label (a letter's address window) is recognised by its column: a block of
 * stacked lines headed by a name that is not the vendor's.
 *
 * Contents: candidates (customers_label, national_id, swiss_uid,
 * labelled_id, wrapped_id, collect_ids), evidence (block_top, vendor_evidence), choice
 * (fx_party_ids).
 */
#include "extract/party.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extract/chars.h"
#include "extract/taxid.h"

/* Tax ids kept per document. */
#define MAX_IDS 32
/* The digits a narrow slip wraps of a tax id onto the next line, at most. */
#define WRAP_MAX_DIGITS 6
/* Evidence for the vendor's id, in points. */
#define VENDOR_ID_REGION 4   /* inside a "Seller:"/"Billed by" region */
#define VENDOR_ID_BLOCK 3    /* in the column block the vendor's name heads */
#define VENDOR_ID_GSTIN 2    /* a GSTIN rather than another kind of id */
#define VENDOR_ID_GSTIN_FIRST 6 /* the first GSTIN no customer claims: an Indian tax
                                   invoice prints the issuer's block first */
#define VENDOR_ID_FOOTER 1   /* in the bottom VENDOR_ID_FOOTER_AT of the page */
#define VENDOR_ID_OTHER_BLOCK (-3) /* in a block headed by another name */
#define VENDOR_ID_FOOTER_AT 0.8f
/* Lines walked up a column to the head of a block. */
#define BLOCK_MAX_LINES 10

typedef struct idhit {
    df_taxid id;
    int page;
    size_t li;
    int customers; /* its label says it is the customer's ("Ihre USt-IdNr.", "Your VAT No") */
} idhit;

/* 1 when a "customer_taxid" label of labels.txt stands before byte `at` of
 * L: the id after it is the customer's, wherever it is printed. */
static int customers_label(const fx_doc *d, const fx_line *L, size_t at)
{
    for (size_t w = 0; w < L->nw && L->wstart[w] < at; w++)
        if (fx_is(fx_label(d, L, L->wstart[w]), "customer_taxid"))
            return 1;
    return 0;
}


/* A VAT number written without its country prefix, named by its label:
 * Spain's NIF/CIF (a letter and 7 digits and a check letter or digit, or
 * 8 digits and a letter), Italy's partita IVA (11 digits), a plain run of
 * 8 to 12 digits (most countries' national form). Shape only. */
static int national_id(const char *t, size_t n, int digits)
{
    if (n == 9 && df_c_upper((unsigned char)t[0]) && digits >= 7 &&
        (digits == 8 || df_c_upper((unsigned char)t[8])))
        return 1;
    if (n == 9 && digits == 8 && df_c_upper((unsigned char)t[8]))
        return 1;
    return (size_t)digits == n && n >= 8 && n <= 12;
}

/* "CHE-123.456.789": Switzerland's UID, with its dashes and dots; one
 * "MWST"/"TVA"/"IVA" after it is the VAT register's mark, not part of it. */
static size_t swiss_uid(const char *s, size_t i, size_t len)
{
    static const char shape[] = "CHE-999.999.999";
    size_t n = sizeof shape - 1;
    if (i + n > len)
        return 0;
    for (size_t k = 0; k < n; k++) {
        char c = s[i + k], want = shape[k];
        if (want == '9' ? !df_c_digit((unsigned char)c) : df_c_toupper((unsigned char)c) != want)
            return 0;
    }
    return i + n < len && df_c_alnum((unsigned char)s[i + n]) ? 0 : n;
}

static void put_uid(const fx_line *L, size_t a, size_t n, df_taxid *out)
{
    memset(out, 0, sizeof *out);
    out->kind = DF_TAXID_LABELLED;
    for (size_t k = 0; k < n; k++)
        out->value[k] = (char)df_c_toupper((unsigned char)L->text[a + k]);
    out->start = a;
    out->end = a + n;
    out->repaired_pos = -1;
}

/* A Swiss UID anywhere on L, labelled or not: its shape is its own. */
static int swiss_anywhere(const fx_line *L, df_taxid *out)
{
    for (size_t i = 0; i < L->len; i++) {
        if (i > 0 && df_c_alnum((unsigned char)L->text[i - 1]))
            continue;
        size_t n = swiss_uid(L->text, i, L->len);
        if (n) {
            put_uid(L, i, n, out);
            return 1;
        }
    }
    return 0;
}

/* "BE 0357.072.737", "NL 8123.45.678.B01": a country prefix apart from a
 * number grouped by dots, as Belgium and others print it; the value keeps
 * the dots and drops the space. At least 8 digits. */
static int spaced_vat(const fx_line *L, size_t a, df_taxid *out)
{
    const char *t = L->text;
    if (a + 3 >= L->len || !df_c_upper((unsigned char)t[a]) ||
        !df_c_upper((unsigned char)t[a + 1]) || t[a + 2] != ' ' ||
        !df_c_digit((unsigned char)t[a + 3]))
        return 0;
    size_t b = a + 3;
    int digits = 0;
    while (b < L->len && (df_c_alnum((unsigned char)t[b]) || t[b] == '.') && b - a < 20)
        digits += df_c_digit((unsigned char)t[b++]);
    while (t[b - 1] == '.')
        b--;
    if (digits < 8 || (b < L->len && t[b] != ' ' && t[b] != ',' && t[b] != ';'))
        return 0;
    memset(out, 0, sizeof *out);
    out->kind = DF_TAXID_LABELLED;
    out->value[0] = t[a];
    out->value[1] = t[a + 1];
    memcpy(out->value + 2, t + a + 3, b - a - 3);
    out->value[b - a - 1] = '\0';
    out->start = a;
    out->end = b;
    out->repaired_pos = -1;
    return 1;
}

/* A spaced, dotted VAT number anywhere on L whose check digits verify
 * (unlabelled: "Btw: BE 1455.202.512" names the tax, not the id). */
static int spaced_vat_checked(const fx_line *L, df_taxid *out)
{
    for (size_t i = 0; i < L->len; i++) {
        if ((i > 0 && df_c_alnum((unsigned char)L->text[i - 1])) || !spaced_vat(L, i, out))
            continue;
        char c[24];
        size_t n = 0;
        for (const char *q = out->value; *q && n < sizeof c - 1; q++)
            if (*q != '.')
                c[n++] = *q;
        int checked = 0;
        if (df_euvat_valid(c, n, &checked) && checked)
            return 1;
    }
    return 0;
}

/* The end of a number word after a label ("Tax ID No.: ...", "Tax ID
 * Number ...", "EIN # ..."): labels list the name, the word says which of
 * its values follows. Returns a when none is there. */
static size_t skip_number_word(const char *s, size_t a, size_t len)
{
    static const char *const words[] = {"Number", "Nummer", "No", "Nr", "Num", "N\xC2\xB0",
                                        "N\xC2\xBA"};
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        size_t n = strlen(words[k]);
        if (a + n < len && df_c_prefix(s, a, len, words[k], n) &&
            !df_c_alnum((unsigned char)s[a + n]))
            return fx_skip(s, a + n, len, ":.#");
    }
    return a;
}

/* "VAT No: DE691246869", "EIN: 98-2507789": the id a "taxid" label of
 * labels.txt names, when it has the shape of an EU VAT number (two letters,
 * 8 to 12 more characters, mostly digits) or of a US EIN (NN-NNNNNNN). No
 * check digit is verified: ids that have one and pass it were found by
 * df_taxid_find already. */
static int labelled_id(const fx_doc *d, const fx_line *L, df_taxid *out)
{
    for (size_t w = 0; w < L->nw; w++) {
        const df_model_entry *e = fx_label(d, L, L->wstart[w]);
        if (!e || !fx_is(e, "taxid"))
            continue;
        size_t a = fx_skip(L->text, L->wstart[w] + e->klen, L->len, ":.#");
        a = skip_number_word(L->text, a, L->len);
        size_t b = a;
        size_t uid = swiss_uid(L->text, a, L->len);
        if (uid) {
            put_uid(L, a, uid, out);
            return 1;
        }
        if (spaced_vat(L, a, out))
            return 1;
        int digits = 0;
        while (b < L->len && (df_c_alnum((unsigned char)L->text[b]) || L->text[b] == '-') && b - a < 20)
            digits += df_c_digit((unsigned char)L->text[b++]);
        if (b < L->len && L->text[b] != ' ' && L->text[b] != ',' && L->text[b] != ';')
            continue;
        const char *t = L->text + a;
        size_t n = b - a;
        int ein = n == 10 && digits == 9 && t[2] == '-';
        int vat = n >= 10 && n <= 14 && df_c_upper((unsigned char)t[0]) &&
                  df_c_upper((unsigned char)t[1]) && digits >= 7 && !memchr(t, '-', n);
        if (!ein && !vat && !national_id(t, n, digits))
            continue;
        memset(out, 0, sizeof *out);
        out->kind = DF_TAXID_LABELLED;
        memcpy(out->value, t, n);
        out->value[n] = '\0';
        out->start = a;
        out->end = b;
        out->repaired_pos = -1;
        return 1;
    }
    return 0;
}

/* A tax id a narrow slip wrapped onto the line below ("FR 12 295 384" over
 * "788", "FR 93 991" over "252 727"): the line's last digits and the next
 * line's digits alone (in groups) read as one, kept only when the id's
 * check digits verify across the join. */
static int wrapped_id(const fx_doc *d, int p, size_t li, df_taxid *out)
{
    const df_layout *lay = d->pages[p];
    if (li + 1 >= lay->nlines)
        return 0;
    const fx_line *L = fx_get(d, p, li), *N = fx_get(d, p, li + 1);
    if (L->len == 0 || !df_c_digit((unsigned char)L->text[L->len - 1]) || N->len == 0 ||
        !df_c_digit((unsigned char)N->text[0]))
        return 0;
    size_t digits = 0; /* digits in groups: "252 727" */
    for (size_t i = 0; i < N->len; i++) {
        if (df_c_digit((unsigned char)N->text[i]))
            digits++;
        else if (N->text[i] != ' ')
            return 0;
    }
    if (digits > WRAP_MAX_DIGITS)
        return 0;
    char joined[256];
    if (L->len + 1 + N->len >= sizeof joined)
        return 0;
    memcpy(joined, L->text, L->len);
    joined[L->len] = ' ';
    memcpy(joined + L->len + 1, N->text, N->len);
    size_t n = L->len + 1 + N->len;
    df_taxid ids[4];
    size_t k = df_taxid_find(joined, n, ids, 4);
    for (size_t j = 0; j < k; j++)
        if (ids[j].checked && ids[j].start < L->len && ids[j].end > L->len + 1 &&
            ids[j].kind != DF_TAXID_PAN) {
            *out = ids[j];
            out->end = L->len;
            return 1;
        }
    return 0;
}

static size_t collect_ids(fx_doc *d, idhit *out, size_t max, df_extraction *x)
{
    size_t n = 0;
    for (size_t p = 0; p < d->npages; p++) {
        const df_layout *lay = d->pages[p];
        for (size_t li = 0; li < lay->nlines; li++) {
            fx_line *L = fx_get(d, (int)p, li);
            df_taxid ids[4];
            size_t k = df_taxid_find(L->text, L->len, ids, 4);
            for (size_t j = 0; j < k && n < max; j++) {
                if (ids[j].kind == DF_TAXID_PAN)
                    continue;
                out[n++] = (idhit){ids[j], (int)p, li, customers_label(d, L, ids[j].start)};
            }
            df_taxid lab;
            if (k == 0 && n < max && labelled_id(d, L, &lab))
                out[n++] = (idhit){lab, (int)p, li, customers_label(d, L, lab.start)};
            else if (k == 0 && n < max && (swiss_anywhere(L, &lab) || spaced_vat_checked(L, &lab)))
                out[n++] = (idhit){lab, (int)p, li, customers_label(d, L, lab.start)};
            else if (k == 0 && n < max && wrapped_id(d, (int)p, li, &lab))
                out[n++] = (idhit){lab, (int)p, li, customers_label(d, L, lab.start)};
            /* A GSTIN-labelled token that is no valid GSTIN. */
            const char *g = strstr(L->text, "GSTIN");
            if (!g)
                g = strstr(L->text, "GST No");
            if (g) {
                size_t i = (size_t)(g - L->text) + 5;
                while (i < L->len) {
                    while (i < L->len && !df_c_alnum((unsigned char)L->text[i]))
                        i++;
                    size_t j = i;
                    while (j < L->len && df_c_alnum((unsigned char)L->text[j]))
                        j++;
                    if (j - i == 15 && df_c_digit((unsigned char)L->text[i])) {
                        char up[16], rep[16];
                        for (size_t q = 0; q < 15; q++)
                            up[q] = (char)df_c_toupper((unsigned char)L->text[i + q]);
                        up[15] = '\0';
                        int pos;
                        if (!df_gstin_repair(up, 15, rep, &pos))
                            x->gstin_invalid = 1;
                        break;
                    }
                    i = j;
                }
            }
        }
    }
    return n;
}


static int customer_id_same(const df_extraction *x, const idhit *h)
{
    return x->customer_tax_id.s && strcmp(x->customer_tax_id.s, h->id.value) == 0;
}

/* The nearest line above li, at most two line heights over it, that starts
 * or ends near it (within tol) or is centred over it (a receipt's
 * letterhead); rows
 * of other columns between are passed over. -1 when none. */
static long stacked_above(const fx_doc *d, int p, size_t li, float tol)
{
    const df_layout *lay = d->pages[p];
    const df_layout_line *ll = &lay->lines[li];
    float lh = lay->line_height > 0 ? lay->line_height : 10.0f;
    float c = (ll->box[0] + ll->box[2]) / 2;
    for (size_t r = ll->row; r-- > 0;) {
        const df_layout_row *row = &lay->rows[r];
        if (ll->box[1] - row->box[3] > 2.0f * lh)
            return -1;
        for (size_t k = 0; k < row->nlines; k++) {
            size_t l2 = lay->row_lines[row->first + k];
            const float *b = lay->lines[l2].box;
            if (fabsf(b[0] - ll->box[0]) <= tol || fabsf(b[2] - ll->box[2]) <= tol ||
                fabsf((b[0] + b[2]) / 2 - c) <= 2 * tol)
                return (long)l2;
        }
    }
    return -1;
}

/* The head of the column block line li is in: walked up while lines stack,
 * stopping at the vendor's name line if met. */
static size_t block_top(const fx_doc *d, int p, size_t li, fx_vendor_line vname, int *hit)
{
    const df_layout *lay = d->pages[p];
    float tol = 3.0f * (lay->char_width > 0 ? lay->char_width : 5.0f);
    *hit = 0;
    for (int k = 0; k < BLOCK_MAX_LINES; k++) {
        if (vname.page == p && vname.li == li) {
            *hit = 1;
            return li;
        }
        long up = stacked_above(d, p, li, tol);
        if (up < 0)
            break;
        li = (size_t)up;
    }
    *hit = vname.page == p && vname.li == li;
    return li;
}

/* 1 when T opens with the vendor's name and goes on: in the upper half of
 * the page a letter's return-address line ("Hoffmann GmbH · Rosenstr. 48 ·
 * 04109 Leipzig") over the addressee's block in an envelope window; in the
 * lower half the issuer's legal lines. */
static int opens_with_vendor(const df_extraction *x, const fx_line *T)
{
    const char *v = x->vendor_name.s;
    size_t n = v ? strlen(v) : 0;
    return n >= 3 && T->len > n + 4 && strncmp(T->text, v, n) == 0;
}

/* Points for id h being the vendor's; INT_MIN when a customer claims it. */
static int vendor_evidence(fx_doc *d, const df_extraction *x, const fx_region *R, size_t nr,
                           fx_vendor_line vname, const idhit *h)
{
    if (customer_id_same(x, h) || h->customers)
        return -1000;
    int vreg = 0;
    for (size_t k = 0; k < nr; k++) {
        if (!fx_in_region(&R[k], h->page, h->li))
            continue;
        if (R[k].kind != 2)
            return -1000;
        vreg = 1;
    }
    /* in a block a customer label heads, though the region stopped short
     * of it (a gap, a row of another column between) */
    const df_layout *lay = d->pages[h->page];
    const df_layout_line *il = &lay->lines[h->li];
    int hit;
    size_t top = block_top(d, h->page, h->li, vname, &hit);
    for (size_t k = 0; k < nr; k++)
        if (R[k].kind != 2 && fx_in_region(&R[k], h->page, top))
            return -1000;
    int s = vreg ? VENDOR_ID_REGION : 0;
    if (h->id.kind == DF_TAXID_GSTIN)
        s += VENDOR_ID_GSTIN;
    if (lay->page_h > 0 && il->box[1] >= VENDOR_ID_FOOTER_AT * (float)lay->page_h)
        s += VENDOR_ID_FOOTER;
    if (vname.page >= 0 && !vreg) {
        const fx_line *T = fx_get(d, h->page, top);
        int upper = lay->page_h <= 0 ||
                    lay->lines[top].box[1] < 0.5f * (float)lay->page_h;
        if (hit || (opens_with_vendor(x, T) && !upper))
            s += VENDOR_ID_BLOCK;
        else if (opens_with_vendor(x, T))
            s += 2 * VENDOR_ID_OTHER_BLOCK; /* a letter's window: the addressee's */
        else if (top != h->li && T->len > 0 && !fx_label(d, T, 0))
            s += VENDOR_ID_OTHER_BLOCK; /* a block headed by another name */
    }
    return s;
}

void fx_party_ids(fx_doc *d, df_extraction *x, const fx_region *R, size_t nr,
                  fx_vendor_line vname)
{
    idhit ids[MAX_IDS];
    size_t nid = collect_ids(d, ids, MAX_IDS, x);
    const fx_region *cust = NULL;
    for (size_t k = 0; k < nr && !cust; k++)
        if (R[k].kind == 0)
            cust = &R[k];
    /* a customer_taxid label first, then the customer region's first id */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < nid && !x->customer_tax_id.s; i++)
            if (pass == 0 ? ids[i].customers
                          : cust && fx_in_region(cust, ids[i].page, ids[i].li)) {
                x->customer_tax_id.s = strdup(ids[i].id.value);
                fx_src(d, fx_get(d, ids[i].page, ids[i].li), ids[i].id.start, ids[i].id.end,
                       &x->customer_tax_id.src);
            }
    const idhit *vid = NULL;
    int best = -1000, gstin_seen = 0;
    for (size_t i = 0; i < nid; i++) {
        int s = vendor_evidence(d, x, R, nr, vname, &ids[i]);
        if (s > -1000 && ids[i].id.kind == DF_TAXID_GSTIN && !gstin_seen++)
            s += VENDOR_ID_GSTIN_FIRST;
        if (s > best) {
            best = s;
            vid = &ids[i];
        }
    }
    if (vid) {
        x->vendor_tax_id.s = strdup(vid->id.value);
        fx_src(d, fx_get(d, vid->page, vid->li), vid->id.start, vid->id.end,
               &x->vendor_tax_id.src);
        if (vid->id.repaired)
            x->gstin_repaired = 1;
    }
}
