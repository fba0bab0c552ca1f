/*
 * fields_int.h — what the field extractors share: the document as lines of
 * text with a way back from a byte span to the words (page, box, confidence).
 * Private to lib/extract/fields*.c, classify.c, idfix.c, items.c, rcptitems.c,
 * reread.c, totals.c, vendor.c.
 */
#ifndef DF_EXTRACT_FIELDS_INT_H
#define DF_EXTRACT_FIELDS_INT_H

#include "extract/fields.h"

typedef struct fx_line {
    int page;          /* 0-based */
    size_t li;         /* line index in the page's layout */
    char *text;        /* words joined by one space */
    size_t len;
    size_t *wstart;    /* byte offset of each word in text */
    size_t nw;
} fx_line;

typedef struct fx_doc {
    const df_fields_model *m;
    const df_layout *const *pages;
    size_t npages;
    fx_line **lines;   /* per page: one fx_line per layout line */
    char *all;         /* every row, lines joined by "  ", rows by '\n', pages by '\f' */
    size_t all_len;
    int dec_style;     /* df_dec_style */
    int date_order;    /* df_date_order */
    int foreign_gst;   /* a currency other than INR and no GSTIN: CGST/SGST/IGST labels
                          ("State Tax", a US sales tax) name a tax, not India's GST halves */
    double conf_sum;   /* confidences of the values used */
    size_t conf_n;
    const df_reread *rr;  /* second readings, NULL when none (reread.c) */
    /* Written by fx_totals (totals.c) for the steps after it: */
    df_famt paid, change; /* the payment the totals were checked against */
    int grand_whole;      /* the grand total was read without decimals */
    int grand_label;      /* a grand-total label was found without a figure: */
    int grand_page;       /* on this page (0-based) */
    size_t grand_line;    /* and layout line */
    df_field_src round_lost; /* where a rounding label lost its figure (totals.c) */
    df_field_src sub_lost;   /* where a subtotal label lost its figure (totals.c) */
    int date_label;       /* a date label was found without a date: */
    int date_page;        /* on this page (0-based) */
    size_t date_line;     /* and layout line */
    size_t date_at;       /* the label's byte on that line */
    int inv_found;        /* the invoice number was read after its label: */
    int inv_page;         /* on this page (0-based) */
    size_t inv_line;      /* layout line */
    size_t inv_end;       /* and byte where the value ends on it */
} fx_doc;

/* 1 unless code rule `rule` (rules.h) was switched off for this engine. */
static inline int fx_rule_on(const fx_doc *d, int rule)
{
    return !df_rule_off(&d->m->rules_off, (size_t)rule);
}

/* The line li of page p. */
static inline fx_line *fx_get(const fx_doc *d, int p, size_t li) { return &d->lines[p][li]; }

/* Fill src from the words of line L overlapping bytes [a, b); adds to the
 * document's confidence tally. */
void fx_src(fx_doc *d, const fx_line *L, size_t a, size_t b, df_field_src *src);
/* The same place, for what is no field of the result (a label's box, a
 * payment row, a candidate still to be checked): no weight in the
 * document's confidence. */
void fx_place(const fx_doc *d, const fx_line *L, size_t a, size_t b, df_field_src *src);

/* A copy of s[a..b) trimmed of spaces and of the punctuation in `strip` at
 * both ends (with ' or " in strip, their curly forms too). NULL when empty
 * or out of memory. */
char *fx_dup_trim(const char *s, size_t a, size_t b, const char *strip);

/* The label that starts at byte i of L (labels.txt), NULL when none. */
const df_model_entry *fx_label(const fx_doc *d, const fx_line *L, size_t i);

/* 1 when the label's field is `field`. */
int fx_is(const df_model_entry *e, const char *field);

/* Lines of the row of L (left to right), from the one after L. Returns the
 * number written to out (<= max), as line indices. */
size_t fx_row_after(const fx_doc *d, const fx_line *L, size_t *out, size_t max);

/* The line in the row(s) just below L whose x range overlaps [x0, x1) most,
 * or NULL: the "label above value" layout. */
fx_line *fx_below(const fx_doc *d, const fx_line *L, float x0, float x1);

/* The first line printing figure v (two decimals) outside the box of
 * `skip` (page and box of a field, or NULL), with v's bytes at [*a, *b);
 * NULL when the page prints it nowhere else. An items' sum printed is a
 * sum the document vouches for. */
fx_line *fx_figure_printed(const fx_doc *d, int64_t v, const df_field_src *skip, size_t *a,
                           size_t *b);

/* Skip spaces and the bytes of `skip` from i. */
size_t fx_skip(const char *s, size_t i, size_t len, const char *skip);


void fx_classify(fx_doc *d, df_extraction *x);
/* The invoice number and date (meta.c). */
void fx_find_meta(fx_doc *d, df_extraction *x);
/* Whether s[i..b) opens with U+2018/2019/201C/201D, OCR's reading of specks
 * and quotes (fields.c). */
int fx_curly_quote(const char *s, size_t i, size_t b);
/* After fx_totals: a document no keyword classified, whose total was paid
 * (a tender line checked against it), is a receipt. classify.c. */
void fx_classify_by_payment(const fx_doc *d, df_extraction *x);

/* v without its leading digit (12345 -> 2345): OCR reads a currency sign
 * (₹, $) glued to a figure as one more digit. totals.c. */
int64_t fx_strip_lead(int64_t v);
/* The totals and the payment, chosen together from every figure of the
 * document (tcand.h); needs fx_items first (an item's own figure is no
 * total, and the items' sum checks the subtotal). */
df_code fx_totals(fx_doc *d, df_extraction *x);
df_code fx_items(fx_doc *d, df_extraction *x, df_err *err);
df_code fx_parties(fx_doc *d, df_extraction *x);
/* When no table gave items, or none of a table's items read a total: a
 * receipt's list without column titles, kept only when its figures add up
 * (rcptitems.c; it then replaces the table's). Needs fx_totals first. */
df_code fx_receipt_items(fx_doc *d, df_extraction *x);
/* An invoice number whose first segment is an OCR reading of a prefix in
 * models/id-prefixes.txt ("T1/0502", "TI1/1697") gets the prefix back, in
 * place (idfix.c). A first segment longer than DF_ID_PREFIX_MAX is left. */
#define DF_ID_PREFIX_MAX 8
void fx_fix_id_prefix(const df_fields_model *m, char *id);
/* A grand total the other figures contradict, or a label without one, read
 * again through d->rr; a reading is kept only when the figures confirm it
 * (reread.c). Runs last. */
void fx_reread_total(fx_doc *d, df_extraction *x);
/* No date found, but a date label without one ("Date: 2ijosjzors"): the
 * label's line, from the label to the page's right edge, read again; the
 * first whole date after the label in a reading is the date (reread.c). */
void fx_reread_date(fx_doc *d, df_extraction *x);
/* An invoice number OCR broke after its first characters, the rest read as
 * a speck beside it ("NTC-232  a"), read again with the speck (reread.c). */
void fx_reread_invoice_number(fx_doc *d, df_extraction *x);

#endif
