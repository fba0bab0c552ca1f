/*
 * party.h — what vendor.c (the parties' names and addresses) and vendorid.c
 * (their tax ids) share: the regions that party labels open.
 *
 * Private to lib/extract.
 */
#ifndef DF_EXTRACT_PARTY_H
#define DF_EXTRACT_PARTY_H

#include <stddef.h>

#include "extract/fields_int.h"

/* Rows a party region runs down its column, at most. */
#define PARTY_MAX_ROWS 8
/* Party regions kept per document. */
#define PARTY_MAX_REGIONS 8

typedef struct fx_region {
    int page;
    size_t lines[PARTY_MAX_ROWS + 1];
    size_t n;
    int kind;         /* 0 customer, 1 ship-to, 2 vendor */
    size_t label_end; /* on lines[0] */
    float y0;
} fx_region;

/* 1 when line li of page p is one of R's lines. */
int fx_in_region(const fx_region *R, int p, size_t li);

/* Where the vendor's name was read: page and layout line; page -1 when no
 * name was found. */
typedef struct fx_vendor_line {
    int page;
    size_t li;
} fx_vendor_line;

/* Evidence that a line among the first of page 1 is the issuer's name
 * (vendor.c), weighed by models/vendor.txt (vscore.c). Each is 0 or 1 but
 * VF_ORDER and VF_HEIGHT; the score adds them in this order. */
typedef enum fx_vendor_feature {
    VF_SUFFIX,       /* a company suffix of company.txt ("Sdn Bhd", "GmbH") */
    VF_BASE,         /* every line: the score before any evidence */
    VF_ORDER,        /* candidate lines above it */
    VF_HEIGHT,       /* its height / the page's line height - 1 */
    VF_COLON,        /* "XXXX: value": a label OCR garbled, not a name */
    VF_UNSURE,       /* mean word confidence under 40: a logo, a smudge */
    VF_CODE_FIRST,   /* opens with a number of 5 digits or more ("3180404 cdefp") */
    VF_NO_WORD,      /* no run of three letters ("é ra") */
    VF_ADDRESS,      /* a postcode, an address word and its number first, a house number */
    VF_OWNED_BY,     /* under "Owned By": the owner's legal name */
    VF_ADDRESSEE,    /* over "z. Hd." / "Attn": an addressee (rule vendor.attention_below) */
    VF_CLOSED,       /* below a named block's phone or tax id line */
    VF_AFTER_PRICE,  /* on or below the first row with a price (rule vendor.prices) */
    VF_REGNO_BELOW,  /* a company number printed right under it */
    VF_LOGO_INITIAL, /* a one-letter word before a word it begins ("A ACME") */
    VF_SPACED,       /* letter-spaced ("F A CTU = A"): a title, not a name */
    VF_FOOTER,       /* printed again at a line's start in the lower half: a legal footer */
    VF_COUNT
} fx_vendor_feature;

extern const char *const fx_vendor_feature_names[VF_COUNT];

/* models/vendor.txt parsed: FEATURE WEIGHT lines, weights in hundredths;
 * an unknown feature or a malformed weight is DF_E_CORRUPT_FILE naming the
 * line, a feature not listed weighs 0. */
typedef struct fx_vendor_weights {
    int w[VF_COUNT];
} fx_vendor_weights;
df_code fx_vendor_weights_load(const df_model_list *l, fx_vendor_weights *out, df_err *err);

/* The score of evidence v[] (vscore.c). */
double fx_vendor_score(const fx_vendor_weights *w, const double v[VF_COUNT]);

/* The evidence v[] that line li of page 1, the cands-th candidate, is the
 * issuer's name (vscore.c); VF_CLOSED and VF_AFTER_PRICE depend on the
 * lines above it and are the caller's. */
void fx_vendor_evidence(const fx_doc *d, size_t li, int cands, double v[VF_COUNT]);

/* Shared by vendor.c and vscore.c: L ends in a company suffix of
 * company.txt; L is a legal form alone ("SDN. BHD."); s[0..len) holds n
 * letters in a row; s[0..len) is a company number ("(1219716-T)"); the
 * letters and digits of s[0..len), lowercased (bytes of other scripts
 * kept), into out (cap bytes, NUL-terminated, cut at cap - 1): a name
 * compared with another whatever the spacing and points. */
int fx_company_suffix(const fx_doc *d, const fx_line *L);
/* "642 Midland road", "12300 West Dodge Rd", "79-19 Roosevelt Ave.": L
 * opens with a house number (1-5 digits, maybe a dash and more, maybe one
 * letter), then up to four words without a digit and a street type of
 * models/streets.txt. Unlike street_line's forms a capital may follow the
 * number: the street type, not the case, says it is no name ("7 Eleven"). */
int fx_numbered_street(const fx_doc *d, const fx_line *L);
int fx_legal_form_only(const fx_doc *d, const fx_line *L);
int fx_letter_run(const char *s, size_t len, int n);
int fx_company_number(const char *s, size_t len);
size_t fx_squeeze_name(const char *s, size_t len, char *out, size_t cap);

/* The customer's and the vendor's tax ids (x->customer_tax_id,
 * x->vendor_tax_id) chosen among every tax id of the document, given the
 * party regions and where the vendor's name is (vendorid.c). */
void fx_party_ids(fx_doc *d, df_extraction *x, const fx_region *R, size_t nr,
                  fx_vendor_line vname);

#endif
