/*
 * fields.h — stage 4: a document's laid-out pages to the extracted fields.
 *
 * Input: one df_layout per page (text-layer or OCR words). Output: a
 * df_extraction with every field of the result object's `extraction`
 * (docs/result-schema.md). A value the document does not contain is left
 * unset (has == 0, printed as null): nothing is ever guessed.
 *
 * Every keyword, label variant and column title comes from models/ (see
 * models/README.md), loaded once per engine by df_fields_model_load:
 *
 *   doctype.txt   KEYWORD  TYPE  WEIGHT   document type evidence
 *   labels.txt    LABEL    FIELD PRIORITY field labels ("Invoice No" -> invoice_number)
 *   columns.txt   TITLE    ROLE           line-item table column titles
 *   company.txt   SUFFIX                  company name endings ("Pvt Ltd", "Sdn Bhd")
 *   id-prefixes.txt PREFIX                letter prefixes of invoice numbers ("TI", "INV")
 *   address.txt   WORD                    words opening an address line ("No.", "Lot")
 *   streets.txt   WORD                    street types ("Road", "Ave", "rue", "Straße")
 *   ocr-confusions.txt DIGIT DIGIT|sign   into base->confusions (model.h): digit pairs
 *                                         OCR confuses, for validate/repair.h
 *
 * Amounts are int64 hundredths; quantities and tax rates too (1.5 -> 150).
 * Private to lib/.
 */
#ifndef DF_EXTRACT_FIELDS_H
#define DF_EXTRACT_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "extract/model.h"
#include "extract/rules.h"
#include "layout/layout.h"

typedef struct df_fields_model {
    df_model *base;           /* currency, months, number words ... (model.h) */
    df_model_list doctype;    /* KEYWORD TYPE WEIGHT */
    df_model_list labels;     /* LABEL FIELD PRIORITY */
    df_model_list columns;    /* TITLE ROLE */
    df_model_list company;    /* SUFFIX */
    df_model_list idprefix;   /* PREFIX (letters) */
    df_model_list address;    /* WORD opening an address line */
    df_model_list streets;    /* WORD: a street type */
    df_model_list totals;     /* ROLE FEATURE WEIGHT: evidence weights (tcand.h) */
    struct tc_weights *totals_w; /* totals.txt parsed */
    df_model_list vendor;        /* FEATURE WEIGHT: the vendor name's evidence (party.h) */
    struct fx_vendor_weights *vendor_w; /* vendor.txt parsed */
    df_rule_set rules_off;       /* rules switched off (rules.h); see df_fields_model_rules */
} df_fields_model;

/* Switch off the rules of `off` in a model not yet shared: code rules are
 * remembered, feature and joint rules zero their weights. */
void df_fields_model_rules(df_fields_model *m, const df_rule_set *off);

/* Load models/ from dir (every file of model.h and the eight above). NULL on
 * failure with err set (file and line named). Immutable once loaded. */
df_fields_model *df_fields_model_load(const char *dir, df_err *err);
void df_fields_model_free(df_fields_model *m);

/* Where a value was read: page (1-based), box in points, confidence 0..1. */
typedef struct df_field_src {
    int has;
    int page;
    float box[4];
    double conf;
} df_field_src;

typedef struct df_fstr {
    char *s;           /* NULL = not found */
    df_field_src src;
} df_fstr;

typedef struct df_famt {
    int has;
    int64_t minor;     /* hundredths */
    df_field_src src;
} df_famt;

/* The totals, in the result's order. Discount and charges (tip, service,
 * shipping) come last: they are the parts of the sum no tax range
 * (DF_TOT_CGST .. DF_TOT_TAX) or rounding loop must take in, both written as
 * magnitudes (subtracted and added by sums.h). */
enum { DF_TOT_SUBTOTAL, DF_TOT_CGST, DF_TOT_SGST, DF_TOT_IGST, DF_TOT_TAX, DF_TOT_ROUNDING,
       DF_TOT_GRAND, DF_TOT_DISCOUNT, DF_TOT_CHARGES, DF_TOT_COUNT };
extern const char *const df_total_names[DF_TOT_COUNT];

typedef struct df_line_item {
    char *description;
    char *hsn_sac;
    df_famt quantity, unit_price, total, tax_rate; /* all in hundredths */
    int64_t price_read; /* thousandths: a price read with a digit too many, or without its
                           decimal point (point_lost), 0 when none (items.c) */
    int point_lost;
    int64_t total_read; /* hundredths: a total read without its decimal point, put back
                           where the items then add up to the subtotal; 0 none (fields.c) */
    int price_follows;  /* then 1: its unit price set to the total over the quantity;
                           2: its quantity's decimal point put back as well */
} df_line_item;

typedef struct df_extraction {
    const char *document_type;     /* static string */
    const char *document_category; /* static string */
    df_fstr vendor_name, vendor_tax_id, vendor_address;
    df_fstr customer_name, customer_tax_id;
    df_fstr invoice_number, date, currency;
    df_famt totals[DF_TOT_COUNT];
    df_line_item *items;
    size_t nitems;
    int date_y, date_m, date_d;    /* parsed date when date.s is set */
    int gstin_repaired;            /* a GSTIN was accepted after an OCR repair */
    int gstin_invalid;             /* a GSTIN-labelled id failed its check */
    double mean_conf;              /* mean word confidence of the values used, 0..1 */
} df_extraction;

/* A page for the extractors: its layout (may have no words). */
typedef struct df_fields_page {
    const df_layout *lay;
} df_fields_page;

/*
 * A second reading of part of a page, offered by the caller that still holds
 * the page's pixels (core/job.c, over df_ocr_region). read() returns the
 * words under box (points, page `page`, 0-based) read again, joined left to
 * right by single spaces, as a malloc'd string the extractor frees; NULL when
 * that page has no pixels or nothing was read. `attempt` (0, 1, ...) asks for
 * a differently resampled reading: OCR noise differs between them. The
 * extractors only ask for a grand total the document's other figures
 * contradict, or whose label they found without a figure (reread.c).
 */
typedef struct df_reread {
    char *(*read)(void *ctx, size_t page, const float box[4], int attempt);
    void *ctx;
} df_reread;

/* Extract every field. out is cleared first; free with df_extraction_clear.
 * rr may be NULL (no second readings: text layers, tests). Fails only with
 * DF_E_NO_MEMORY / DF_E_INVALID_ARGUMENT. */
df_code df_extract_fields(const df_fields_model *m, const df_layout *const *pages, size_t npages,
                          const df_reread *rr, df_extraction *out, df_err *err);
void df_extraction_clear(df_extraction *x);

/* ---- pieces, exposed for the unit tests ---------------------------------- */

/* Document type from scored keywords in text (static strings). category is
 * "financial" for every known type, "other" otherwise. */
const char *df_classify_text(const df_fields_model *m, const char *text, size_t len,
                             const char **category);

/* The field a label names at s[i..len) via labels.txt (longest first), with
 * its priority; NULL when none. */
const df_model_entry *df_label_at(const df_fields_model *m, const char *s, size_t i, size_t len);

/* A label of at least DF_LABEL_NEAR_MIN bytes at s[i..len) with one letter
 * misread ("ROUNCING", "Kounding"), the first in labels.txt; NULL when
 * none. Short labels are not guessed at: one letter makes other words of
 * them ("Total", "Tots"). */
#define DF_LABEL_NEAR_MIN 7
const df_model_entry *df_label_near(const df_fields_model *m, const char *s, size_t i, size_t len);

/* The label whose compound head ends the word starting at s[i]: German and
 * Dutch write one word where English writes two, and its last part names
 * it ("Sonderrabatt", "Klantkorting"). Heads are labels.txt keys written
 * "~rabatt"; at least DF_LABEL_COMPOUND_MIN letters must come before the
 * head. A discount's head also opens a word that names a discount's figure
 * or terms ("Kortingsregeling 3%  -93,75", "Rabattbetrag"), with as many
 * letters after it. *end receives the word's end. NULL when none. */
#define DF_LABEL_COMPOUND_MIN 3
const df_model_entry *df_label_compound(const df_fields_model *m, const char *s, size_t i,
                                        size_t len, size_t *end);

#endif
