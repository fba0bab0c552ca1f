/*
 * vendor.c — the parties: the issuer (vendor) and the customer.
 *
 * Customer regions start at a customer or ship-to label of labels.txt
 * ("Bill To", "Buyer", "Ship To", "Consignee") and run down the column the
 * label sits in (lines starting within a few characters of the label's x,
 * rows at most two line heights apart, 8 rows at most, until another party
 * label). The customer is the first "customer" region: its name is the text
 * after the label, or the region's first line; its tax id the first one in
 * the region.
 * The vendor is the issuer: the region of a "vendor" label ("Billed By",
 * "Seller") when there is one; otherwise the best line among the first lines
 * of page 1 before any customer region, skipping label lines (labels
 * field "ignore", "contact", ...): each line's evidence (a company suffix
 * of models/company.txt, position, font size, signs of an address, a label,
 * an owner, an addressee, an item; party.h) weighed by models/vendor.txt.
 * Its address is the lines stacked below its name up to a contact/tax-id
 * line. The parties' tax ids are chosen in
 * vendorid.c, given the regions and where the vendor's name is.
 */
#include "extract/party.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/amount.h"
#include "extract/chars.h"
#include "extract/date.h"
#include "extract/taxid.h"

#define VENDOR_MAX_CANDIDATES 12
/* Lines read below a name for its address, a registration line skipped
 * under it included: a narrow receipt wraps a Malaysian address to six
 * or seven ("No.1," / "Jln Puteri 1/6," / "Bandar Puteri," / "47100
 * Puchong," / "Selangor"; "... 53300 Kuala Lumpur" / "Wilayah Persekutuan
 * Kuala" / "Lumpur, Malaysia."). */
#define ADDRESS_MAX_LINES 7

typedef fx_region region;

static int party_kind(const df_model_entry *e)
{
    if (fx_is(e, "customer"))
        return 0;
    if (fx_is(e, "shipto"))
        return 1;
    if (fx_is(e, "vendor"))
        return 2;
    return -1;
}

/* Whether row r has a letter or a digit: a row of OCR's specks alone ("|"
 * from a fold or the paper's edge) is no line of a block. */
static int row_has_text(const fx_doc *d, int p, size_t r)
{
    const df_layout *lay = d->pages[p];
    const df_layout_row *row = &lay->rows[r];
    for (size_t k = 0; k < row->nlines; k++) {
        const fx_line *L = fx_get(d, p, lay->row_lines[row->first + k]);
        for (size_t i = 0; i < L->len; i++)
            if (df_c_alnum((unsigned char)L->text[i]))
                return 1;
    }
    return 0;
}

/* The next row below line li with text, within two line heights, or NULL. */
static const df_layout_row *next_row(const fx_doc *d, int p, size_t li)
{
    const df_layout *lay = d->pages[p];
    float lh = lay->line_height > 0 ? lay->line_height : 10.0f;
    for (size_t r = lay->lines[li].row + 1; r < lay->nrows; r++) {
        if (lay->rows[r].box[1] - lay->lines[li].box[3] > 2.0f * lh)
            return NULL;
        if (row_has_text(d, p, r))
            return &lay->rows[r];
    }
    return NULL;
}

/* The line of the next row that starts near x0 (within tol points), or -1. */
static long aligned_below(const fx_doc *d, int p, size_t li, float x0, float tol)
{
    const df_layout *lay = d->pages[p];
    const df_layout_row *row = next_row(d, p, li);
    if (!row)
        return -1;
    for (size_t k = 0; k < row->nlines; k++) {
        size_t l2 = lay->row_lines[row->first + k];
        if (fabsf(lay->lines[l2].box[0] - x0) <= tol)
            return (long)l2;
    }
    return -1;
}

/* As aligned_below, also accepting a line centred under line li (receipts
 * centre their letterhead). */
static long stacked_below(const fx_doc *d, int p, size_t li, float x0, float tol)
{
    long r = aligned_below(d, p, li, x0, tol);
    if (r >= 0)
        return r;
    const df_layout *lay = d->pages[p];
    const df_layout_row *row = next_row(d, p, li);
    if (!row)
        return -1;
    float c = (lay->lines[li].box[0] + lay->lines[li].box[2]) / 2;
    for (size_t k = 0; k < row->nlines; k++) {
        size_t l2 = lay->row_lines[row->first + k];
        float c2 = (lay->lines[l2].box[0] + lay->lines[l2].box[2]) / 2;
        if (fabsf(c2 - c) <= 2 * tol)
            return (long)l2;
    }
    return -1;
}

static int starts_with_party(const fx_doc *d, const fx_line *L)
{
    return party_kind(fx_label(d, L, 0)) >= 0;
}

static size_t find_regions(const fx_doc *d, region *out, size_t max)
{
    size_t n = 0;
    for (size_t p = 0; p < d->npages && n < max; p++) {
        const df_layout *lay = d->pages[p];
        float tol = 3.0f * (lay->char_width > 0 ? lay->char_width : 5.0f);
        for (size_t li = 0; li < lay->nlines && n < max; li++) {
            fx_line *L = fx_get(d, (int)p, li);
            const df_model_entry *e = fx_label(d, L, 0);
            int kind = party_kind(e);
            if (kind < 0)
                continue;
            region *R = &out[n++];
            memset(R, 0, sizeof *R);
            R->page = (int)p;
            R->kind = kind;
            R->label_end = e->klen;
            R->lines[R->n++] = li;
            R->y0 = lay->lines[li].box[1];
            size_t cur = li;
            for (int k = 0; k < PARTY_MAX_ROWS; k++) {
                long nx = aligned_below(d, (int)p, cur, lay->lines[li].box[0], tol);
                if (nx < 0 || starts_with_party(d, fx_get(d, (int)p, (size_t)nx)))
                    break;
                R->lines[R->n++] = (size_t)nx;
                cur = (size_t)nx;
            }
        }
    }
    return n;
}

int fx_in_region(const fx_region *R, int p, size_t li)
{
    if (R->page != p)
        return 0;
    for (size_t k = 0; k < R->n; k++)
        if (R->lines[k] == li)
            return 1;
    return 0;
}

static int has_letters(const char *s, size_t a, size_t b, int min)
{
    int n = 0;
    for (size_t i = a; i < b; i++)
        n += df_c_alpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80;
    return n >= min;
}

#define TRIM_PUNCT ":;,.-|~_*=#'\"`"

/* Name from a region: after the label on its line, else its next line. */
static void region_name(fx_doc *d, const region *R, df_fstr *out, size_t *name_idx)
{
    fx_line *L = fx_get(d, R->page, R->lines[0]);
    size_t a = fx_skip(L->text, R->label_end, L->len, ":-)");
    if (has_letters(L->text, a, L->len, 2)) {
        out->s = fx_dup_trim(L->text, a, L->len, TRIM_PUNCT);
        if (out->s)
            fx_src(d, L, a, L->len, &out->src);
        *name_idx = 0;
        return;
    }
    for (size_t k = 1; k < R->n; k++) {
        fx_line *N = fx_get(d, R->page, R->lines[k]);
        if (!has_letters(N->text, 0, N->len, 2) || fx_label(d, N, 0))
            continue;
        out->s = fx_dup_trim(N->text, 0, N->len, TRIM_PUNCT);
        if (out->s)
            fx_src(d, N, 0, N->len, &out->src);
        *name_idx = k;
        return;
    }
}

/* OCR's look-alikes inside a company suffix ("SDN 8HD", "SON BHD", "5DN BHD"):
 * t is the document's character, k the model's, both lower case. */
static int lookalike(unsigned char t, unsigned char k)
{
    /* "di", "da": "Sdn Bhd" read "Sin Bhd", "San. Bhd" */
    static const char *const pairs[] = {"8b", "0o", "0d", "od", "5s", "1i", "1l",
                                        "il", "|i", "|l", "di", "da"};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if ((t == (unsigned char)pairs[i][0] && k == (unsigned char)pairs[i][1]) ||
            (t == (unsigned char)pairs[i][1] && k == (unsigned char)pairs[i][0]))
            return 1;
    return 0;
}

/* The company suffix of models/company.txt at s[i..len) as OCR may have read
 * it: exact (case aside) or with at most one look-alike per two letters. */
static const df_model_entry *suffix_at(const fx_doc *d, const char *s, size_t i, size_t len)
{
    const df_model_entry *e = df_model_match(&d->m->company, s, i, len);
    if (e)
        return e;
    if (i > 0 && df_c_alnum((unsigned char)s[i - 1]))
        return NULL;
    const df_model_list *l = &d->m->company;
    for (size_t k = 0; k < l->n; k++) {
        const df_model_entry *c = &l->v[k];
        if (c->klen < 3 || c->klen > len - i)
            continue;
        size_t bad = 0, same = 0, q;
        for (q = 0; q < c->klen; q++) {
            unsigned char t = df_c_lower((unsigned char)s[i + q]);
            unsigned char m = df_c_lower((unsigned char)c->key[q]);
            if (t == m) {
                same += m != ' ';
                continue;
            }
            if (!lookalike(t, m) || ++bad * 2 > c->klen + 1)
                break;
        }
        if (q == c->klen && same > 0 && (i + q >= len || !df_c_alnum((unsigned char)s[i + q])))
            return c;
    }
    return NULL;
}

/* Where a company suffix ends line L (the name's end, a registration number
 * in brackets may follow), as a byte offset of its start; -1 when none. */
static long suffix_pos(const fx_doc *d, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && df_c_alnum((unsigned char)s[i - 1]))
            continue;
        const df_model_entry *e = suffix_at(d, s, i, len);
        if (e) {
            size_t end = i + e->klen;
            end = fx_skip(s, end, len, ".,)");
            size_t dg = end;
            while (dg < len && df_c_digit((unsigned char)s[dg]))
                dg++;
            /* the name ends there: the line, a bracket, a company number;
             * five digits ending the line are a ZIP code after a state
             * ("Denver, CO 80202"), not a company's number */
            size_t zip = dg;
            if (zip + 5 == len && s[zip] == '-')
                zip = len;
            int is_zip = dg - end == 5 && fx_skip(s, zip, len, "") >= len;
            if (end >= len || s[end] == '(' || s[end] == '{' || s[end] == '[' ||
                (dg - end >= 5 && !is_zip))
                return (long)i;
        }
    }
    return -1;
}

/* 1 when line L is a legal form and nothing else ("SDN. BHD."): the
 * second line of a name. */
int fx_legal_form_only(const fx_doc *d, const fx_line *L)
{
    size_t a = fx_skip(L->text, 0, L->len, TRIM_PUNCT);
    const df_model_entry *e = a < L->len ? suffix_at(d, L->text, a, L->len) : NULL;
    return e && fx_skip(L->text, a + e->klen, L->len, TRIM_PUNCT) >= L->len;
}

int fx_company_suffix(const fx_doc *d, const fx_line *L)
{
    return suffix_pos(d, L->text, L->len) >= 0;
}

/* A suffix OCR misread ("SDN 8HD") is written as the model spells it, in the
 * document's case: the lexicon knows the word better than the pixels did. */
static void fix_suffix(const fx_doc *d, char *name)
{
    size_t len = strlen(name);
    long at = suffix_pos(d, name, len);
    if (at < 0)
        return;
    const df_model_entry *e = suffix_at(d, name, (size_t)at, len);
    int upper = 1;
    for (size_t q = 0; q < e->klen; q++)
        if (df_c_alpha((unsigned char)name[at + q]) && !df_c_upper((unsigned char)name[at + q]))
            upper = 0;
    for (size_t q = 0; q < e->klen; q++) {
        unsigned char t = (unsigned char)name[at + q], k = (unsigned char)e->key[q];
        if (df_c_lower(t) == df_c_lower(k))
            continue;
        name[at + q] = (char)(upper ? df_c_toupper(k) : k);
    }
}

/* 1 when s[0..len) has n letters in a row (characters, not bytes: a
 * currency sign or curly quote in UTF-8 is none). */
int fx_letter_run(const char *s, size_t len, int n)
{
    int run = 0, letter;
    for (size_t i = 0; i < len;) {
        i += df_c_char_at(s, i, len, &letter);
        run = letter ? run + 1 : 0;
        if (run >= n)
            return 1;
    }
    return 0;
}

/* Whether line L holds a figure written with two decimals that ends at
 * most `tail` bytes before the line's end (SIZE_MAX: anywhere). */
static int price_on(const fx_doc *d, const fx_line *L, size_t tail)
{
    df_amount a;
    size_t from = 0;
    while (df_amount_find(d->m->base, L->text, L->len, from, (df_dec_style)d->dec_style, 0, &a)) {
        from = a.end > from ? a.end : from + 1;
        if (a.decimals == 2 && L->len - a.end <= tail)
            return 1;
    }
    return 0;
}

/* 1 when a line of page p's row r holds a price: a figure with two
 * decimals ("2 Café" and "4,80 10%" are two lines of one row). */
static int row_has_price(const fx_doc *d, int p, size_t r)
{
    const df_layout *lay = d->pages[p];
    const df_layout_row *row = &lay->rows[r];
    for (size_t k = 0; k < row->nlines; k++)
        if (price_on(d, fx_get(d, p, lay->row_lines[row->first + k]), SIZE_MAX))
            return 1;
    return 0;
}

/* "Cash", "Card", "Change": payment labels on a receipt's last lines, but
 * words of names and addresses at its top ("FIVE STAR CASH & CARRY"). */
static int payment_label(const df_model_entry *e)
{
    return fx_is(e, "tendered") || fx_is(e, "change");
}

/* 1 when L opens with a contact or tax id label ("Tel", "GST ID"). */
static int contact_label(const fx_doc *d, const fx_line *L)
{
    const df_model_entry *e = L->nw ? fx_label(d, L, L->wstart[0]) : NULL;
    return e && (fx_is(e, "contact") || fx_is(e, "taxid"));
}

/* A document's title ("TAX INVOICE", "Guest Check"), also printed
 * letter-spaced, split or glued by OCR ("F ACTU R A", "R E C H N U N G",
 * "TAXINVOICE"): the whole line's letters are a title of doctype.txt's. */
static int title_line(const fx_doc *d, const fx_line *L)
{
    const char *cat;
    if (df_model_match(&d->m->doctype, L->text, 0, L->len) &&
        strcmp(df_classify_text(d->m, L->text, L->len, &cat), "other") != 0 &&
        !fx_company_suffix(d, L))
        return 1;
    char sq[48], key[48];
    size_t n = fx_squeeze_name(L->text, L->len, sq, sizeof sq);
    if (n < 4 || n + 1 >= sizeof sq)
        return 0;
    const df_model_list *t = &d->m->doctype;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].num > 0 && fx_squeeze_name(t->v[i].key, t->v[i].klen, key, sizeof key) == n &&
            memcmp(key, sq, n) == 0)
            return 1;
    return 0;
}

static int skip_line(const fx_doc *d, const fx_line *L)
{
    if (!has_letters(L->text, 0, L->len, 3))
        return 1;
    for (size_t w = 0; w < L->nw && w < 2; w++) {
        const df_model_entry *e = fx_label(d, L, L->wstart[w]);
        if (e && !fx_is(e, "name_ok") && !payment_label(e))
            return 1;
    }
    return title_line(d, L);
}

/* "COMPANY NO: 489702-V": a number of 5 or more digits, a hyphen and one
 * letter (a Malaysian company number), standing alone. */
int fx_company_number(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (!df_c_digit((unsigned char)s[i]) || (i > 0 && df_c_alnum((unsigned char)s[i - 1])))
            continue;
        size_t j = i;
        while (j < len && df_c_digit((unsigned char)s[j]))
            j++;
        if (j - i >= 5 && j + 1 < len && s[j] == '-' && df_c_alpha((unsigned char)s[j + 1]) &&
            (j + 2 >= len || !df_c_alnum((unsigned char)s[j + 2])))
            return 1;
        i = j;
    }
    return 0;
}

/* A company registration number on a line of its own ("002043319-W",
 * "{162761-M)", "484297"): one token of at least 4 digits and at most two
 * letters, whatever brackets OCR put around it. */
static int registration_line(const fx_line *N)
{
    size_t a = 0, b = N->len;
    while (a < b && !df_c_alnum((unsigned char)N->text[a]))
        a++;
    while (b > a && !df_c_alnum((unsigned char)N->text[b - 1]))
        b--;
    if (fx_company_number(N->text, N->len))
        return 1;
    int digits = 0, letters = 0;
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)N->text[i];
        if (c == ' ')
            return 0;
        digits += df_c_digit(c);
        letters += df_c_alpha(c);
    }
    return digits >= 4 && letters <= 2;
}

/* A line that is no address line: a phone number ("+603-8130 2672"), an id
 * (a token of 7 or more digits), an e-mail or web address. */
static int contact_line(const fx_line *N)
{
    int letters = 0, digits = 0, run = 0;
    for (size_t i = 0; i < N->len; i++) {
        unsigned char c = (unsigned char)N->text[i];
        if (c == '@')
            return 1;
        letters += df_c_alpha(c);
        digits += df_c_digit(c);
        run = c == ' ' ? 0 : run + df_c_digit(c);
        if (run >= 7)
            return 1;
    }
    if (df_c_prefix(N->text, 0, N->len, "www.", 4) || df_c_prefix(N->text, 0, N->len, "http", 4))
        return 1;
    return letters < 3 && digits >= 6;
}

/* A line of one or two words ending in a colon is a label whose value
 * stands elsewhere ("Phose:", a phone's label OCR misread, its number in
 * another column): no address line ends so. */
static int bare_label(const fx_line *N)
{
    size_t e = N->len;
    while (e > 0 && N->text[e - 1] == ' ')
        e--;
    return N->nw <= 2 && e > 0 && N->text[e - 1] == ':';
}

/* "Layton, UT 84041", "MIDDLETON, wi 53562": a line ending in two
 * letters (a US state's) and a ZIP code. It is a US address's last line:
 * under it come a store's number, a slogan, a manager's name. */
static int us_zip_end(const fx_line *N)
{
    const char *t = N->text;
    size_t e = N->len;
    while (e > 0 && strchr(" .,", t[e - 1]))
        e--;
    size_t z = e;
    while (z > 0 && df_c_digit((unsigned char)t[z - 1]))
        z--;
    if (e - z != 5 || z < 3 || t[z - 1] != ' ')
        return 0;
    return df_c_alpha((unsigned char)t[z - 3]) && df_c_alpha((unsigned char)t[z - 2]) &&
           (z == 3 || t[z - 4] == ' ' || t[z - 4] == ',');
}

/* An address names something: three letters in a row at least. What the
 * lines under a name hold otherwise ("Te", "3 .53", "3 Eo \\") is OCR's
 * noise or a logo's debris. */
static int address_like(const char *s, size_t n)
{
    return fx_letter_run(s, n, 3);
}

/* A line ending in a figure written with two decimals, up to this many
 * bytes after it (a tax flag: "3.00 T"), is an item's or a total's, never
 * an address line ("1 Cajun Albacore sashi 5.00"; house numbers "55,57 &
 * 59, JALAN", units "6.23 & G.22" stand before words). Rule
 * vendor.address_price. */
#define ADDRESS_PRICE_TAIL 2

/* The vendor's address: the lines stacked under line li of page p (li's
 * own first when `own`), up to a line that is no address line or after a
 * US address's last line. */
static void vendor_address(fx_doc *d, int p, size_t li, int own, df_fstr *out)
{
    const df_layout *lay = d->pages[p];
    float tol = 4.0f * (lay->char_width > 0 ? lay->char_width : 5.0f);
    char buf[1024];
    size_t n = 0;
    size_t cur = li;
    int first = 1;
    float box[4] = {0};
    double conf = 1.0;
    for (int k = 0; k < ADDRESS_MAX_LINES; k++) {
        long nx = own && k == 0 ? (long)li : stacked_below(d, p, cur, lay->lines[cur].box[0], tol);
        if (nx < 0)
            break;
        fx_line *N = fx_get(d, p, (size_t)nx);
        cur = (size_t)nx;
        df_taxid ids[1];
        df_date dt;
        size_t a = 0;
        while (a < N->len && !df_c_alnum((unsigned char)N->text[a]))
            a++;
        const df_model_entry *le = fx_label(d, N, a);
        int reg = N->len == 0 || N->text[0] == '(' || (le && !payment_label(le)) ||
                  registration_line(N) || contact_line(N) || title_line(d, N) ||
                  bare_label(N) ||
                  df_taxid_find(N->text, N->len, ids, 1) ||
                  df_date_find(d->m->base, N->text, N->len, 0, DF_DATE_DMY, &dt);
        if (price_on(d, N, ADDRESS_PRICE_TAIL) && fx_rule_on(d, DF_RULE_VENDOR_ADDRESS_PRICE))
            break;
        if (reg && first && k < 2)
            continue; /* a registration line under the name: "(126926-H)" */
        if (reg)
            break;
        if (n + N->len + 3 >= sizeof buf)
            break;
        if (!first) {
            char last = buf[n - 1];
            if (last != ',' && last != '-')
                buf[n++] = ',';
            buf[n++] = ' ';
        }
        memcpy(buf + n, N->text, N->len);
        n += N->len;
        const float *b = lay->lines[cur].box;
        if (first)
            memcpy(box, b, sizeof box);
        else {
            box[0] = fminf(box[0], b[0]);
            box[1] = fminf(box[1], b[1]);
            box[2] = fmaxf(box[2], b[2]);
            box[3] = fmaxf(box[3], b[3]);
        }
        df_field_src s = {0};
        fx_src(d, N, 0, N->len, &s);
        if (s.has && s.conf < conf)
            conf = s.conf;
        first = 0;
        if (us_zip_end(N) && fx_rule_on(d, DF_RULE_VENDOR_ZIP_END))
            break;
    }
    if (first || (!address_like(buf, n) && fx_rule_on(d, DF_RULE_VENDOR_ADDRESS_WORD)))
        return;
    buf[n] = '\0';
    out->s = fx_dup_trim(buf, 0, n, ",;|");
    if (out->s) {
        out->src.has = 1;
        out->src.page = p + 1;
        memcpy(out->src.box, box, sizeof box);
        out->src.conf = conf;
    }
}

/* Letters (of any script, chars.h) and digits in s[a..b): a word of none
 * is OCR's specks, a word of one or two read unsure a logo's debris. */
static size_t letters_and_digits(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    int letter;
    for (size_t i = a; i < b;) {
        n += df_c_digit((unsigned char)s[i]) != 0;
        i += df_c_char_at(s, i, b, &letter);
        n += letter != 0;
    }
    return n;
}

/* "Om Sai ». Printers Private Limited": a word of OCR specks (no letter or
 * digit) inside a name is dropped; "&", "+", "-", "/" and "@" are words a
 * name may have ("Tan & Sons"). In place. */
static void drop_speck_words(char *name)
{
    size_t out = 0, i = 0, n = strlen(name);
    while (i < n) {
        while (i < n && name[i] == ' ')
            i++;
        size_t a = i;
        while (i < n && name[i] != ' ')
            i++;
        int letters = letters_and_digits(name, a, i) > 0;
        size_t len = i - a;
        if (len == 0)
            break;
        if (!letters && !(len == 1 && strchr("&+-/@", name[a])))
            continue;
        if (out)
            name[out++] = ' ';
        memmove(name + out, name + a, len);
        out += len;
    }
    name[out] = '\0';
}

/* Confidence under which a short word at a name line's end is debris. */
#define VENDOR_DEBRIS_CONF 40.0f

static int debris(const df_word *w)
{
    return w->conf < VENDOR_DEBRIS_CONF && letters_and_digits(w->text, 0, strlen(w->text)) <= 2;
}

/* The vendor's name from line li of page p: without a registration number
 * after it, joined to its next line when the name is cut there ("HOME
 * MASTER HARDWARE &" / "ELECTRICAL"; "SINNATHAMBY HOLDINGS" / "SDN. BHD.").
 * *li becomes the name's last line. */
static char *name_from_line(const fx_doc *d, int p, size_t *li)
{
    const df_layout *lay = d->pages[p];
    fx_line *L = fx_get(d, p, *li);
    size_t end = L->len;
    /* "AEON CO. (M) BHD (126926-H)", "MYNEWS RETAIL SB{306295-X) FKA ...":
     * a bracketed number after the legal form is no part of the name */
    long sp = suffix_pos(d, L->text, L->len);
    if (sp >= 0) {
        const df_model_entry *e = suffix_at(d, L->text, (size_t)sp, L->len);
        size_t k = fx_skip(L->text, (size_t)sp + e->klen, L->len, ".,)");
        if (k < L->len && df_c_digit((unsigned char)L->text[k]))
            end = k; /* "KING'S CONFECTIONERY S/B 273500-U (BXJ)": see suffix_pos */
        else if (k < L->len && (L->text[k] == '(' || L->text[k] == '{' || L->text[k] == '[')) {
            int digits = 0;
            for (size_t q = k + 1; q < L->len && L->text[q] != ')' && L->text[q] != ']'; q++)
                digits += df_c_digit((unsigned char)L->text[q]);
            if (digits >= 4)
                end = k; /* "(M)" is part of "AEON CO. (M) BHD" */
        }
    }
    if (end == L->len && end > 0 && L->text[end - 1] == ')') {
        const char *open = memrchr(L->text, '(', end);
        if (open && open > L->text) {
            int digits = 0;
            for (const char *q = open; q < L->text + end; q++)
                digits += df_c_digit((unsigned char)*q);
            if (digits >= 4)
                end = (size_t)(open - L->text);
        }
    }
    /* "... Traders (India) Pvt Ltd  Invoice No": OCR ran the name into the
     * next cell's label; from the third word on, a number or date label ends
     * the name */
    for (size_t w = 2; w < L->nw; w++) {
        const df_model_entry *e = fx_label(d, L, L->wstart[w]);
        if (e && (fx_is(e, "invoice_number") || fx_is(e, "date") || fx_is(e, "other_date") ||
                  fx_is(e, "other_id"))) {
            if (L->wstart[w] < end)
                end = L->wstart[w];
            break;
        }
    }
    /* "#000002 BAIFU (M) Sdn Bhd": a till or branch number before the name */
    size_t from0 = fx_skip(L->text, 0, end, "#'|"), from = from0;
    while (from < end && df_c_digit((unsigned char)L->text[from]))
        from++;
    if (from - from0 < 4 || from >= end || L->text[from] != ' ' ||
        !fx_letter_run(L->text + from, end - from, 3))
        from = 0;
    /* a logo's or a smudge's debris at either end: a word of at most two
     * letters or digits OCR was very unsure of ("of PLAZA: Benicia-Martinez
     * Bridge", "7 © Petco"); a name's own short word is read surely */
    const df_layout_line *ln = &lay->lines[*li];
    size_t w0 = 0, w1 = L->nw;
    int trim = fx_rule_on(d, DF_RULE_VENDOR_DEBRIS);
    while (trim && w0 + 1 < w1 && debris(&lay->words[ln->first + w0]))
        w0++;
    while (trim && w1 > w0 + 1 && debris(&lay->words[ln->first + w1 - 1]))
        w1--;
    if (w0 > 0 && L->wstart[w0] > from)
        from = L->wstart[w0];
    if (w1 < L->nw && L->wstart[w1] - 1 < end && L->wstart[w1] - 1 > from)
        end = L->wstart[w1] - 1;
    char *name = fx_dup_trim(L->text, from, end, TRIM_PUNCT);
    if (!name)
        return NULL;
    float tol = 4.0f * (lay->char_width > 0 ? lay->char_width : 5.0f);
    long nx = end == L->len ? stacked_below(d, p, *li, lay->lines[*li].box[0], tol) : -1;
    if (nx >= 0) {
        fx_line *N = fx_get(d, p, (size_t)nx);
        size_t a = fx_skip(N->text, 0, N->len, TRIM_PUNCT);
        const df_model_entry *e = suffix_at(d, N->text, a, N->len);
        int cut = L->len && L->text[L->len - 1] == '&';
        int legal_form = e && fx_skip(N->text, a + e->klen, N->len, TRIM_PUNCT ")") >= N->len;
        if (cut || legal_form) {
            size_t nl = strlen(name);
            char *j = malloc(nl + 1 + N->len + 1);
            if (j) {
                memcpy(j, name, nl);
                j[nl] = ' ';
                memcpy(j + nl + 1, N->text, N->len + 1);
                free(name);
                name = fx_dup_trim(j, 0, strlen(j), TRIM_PUNCT);
                free(j);
                *li = (size_t)nx;
            }
        }
    }
    if (name) {
        drop_speck_words(name);
        fix_suffix(d, name);
    }
    return name;
}

df_code fx_parties(fx_doc *d, df_extraction *x)
{
    region R[PARTY_MAX_REGIONS];
    size_t nr = find_regions(d, R, PARTY_MAX_REGIONS);

    /* customer */
    const region *cust = NULL, *vend = NULL;
    fx_vendor_line vname = {-1, 0};
    for (size_t k = 0; k < nr; k++) {
        if (R[k].kind == 0 && !cust)
            cust = &R[k];
        if (R[k].kind == 2 && !vend)
            vend = &R[k];
    }
    if (cust) {
        size_t idx;
        region_name(d, cust, &x->customer_name, &idx);
    }

    /* vendor name and address */
    if (vend) {
        size_t idx = 0;
        region_name(d, vend, &x->vendor_name, &idx);
        if (x->vendor_name.s) {
            vname.page = vend->page;
            vname.li = vend->lines[idx];
            vendor_address(d, vend->page, vend->lines[idx], 0, &x->vendor_address);
        }
    }
    if (!x->vendor_name.s && d->npages > 0) {
        const df_layout *lay = d->pages[0];
        float stop_y = 1e9f;
        for (size_t k = 0; k < nr; k++)
            if (R[k].page == 0 && R[k].y0 < stop_y)
                stop_y = R[k].y0;
        double best = -1e9;
        long bi = -1;
        int cands = 0, named = 0, closed = 0, priced = 0;
        for (size_t li = 0; li < lay->nlines && cands < VENDOR_MAX_CANDIDATES; li++) {
            fx_line *L = fx_get(d, 0, li);
            if (lay->lines[li].box[1] >= stop_y)
                continue;
            /* a company name, then its phone or tax id: the issuer's block
             * is over, and a company further down is the customer's */
            if (named && contact_label(d, L))
                closed = 1;
            priced |= row_has_price(d, 0, lay->lines[li].row);
            if (skip_line(d, L))
                continue;
            double v[VF_COUNT];
            fx_vendor_evidence(d, li, cands, v);
            v[VF_CLOSED] = closed;
            v[VF_AFTER_PRICE] = priced && fx_rule_on(d, DF_RULE_VENDOR_PRICES);
            double s = fx_vendor_score(d->m->vendor_w, v);
            named |= fx_company_suffix(d, L);
            cands++;
            if (s > best) {
                best = s;
                bi = (long)li;
            }
        }
        fx_line *B = bi >= 0 ? fx_get(d, 0, (size_t)bi) : NULL;
        if (B && fx_numbered_street(d, B) && fx_rule_on(d, DF_RULE_VENDOR_STREET)) {
            /* the likeliest name is a street ("642 Midland road"): the
             * name is not in the text (a logo's, as often on receipts),
             * and the address starts on that line */
            vendor_address(d, 0, (size_t)bi, 1, &x->vendor_address);
        } else if (bi >= 0) {
            fx_line *L = B;
            size_t name_li = (size_t)bi;
            x->vendor_name.s = name_from_line(d, 0, &name_li);
            if (x->vendor_name.s) {
                vname.page = 0;
                vname.li = (size_t)bi;
                fx_src(d, L, 0, L->len, &x->vendor_name.src);
                vendor_address(d, 0, name_li, 0, &x->vendor_address);
            }
        }
    }
    fx_party_ids(d, x, R, nr, vname);
    return DF_OK;
}
