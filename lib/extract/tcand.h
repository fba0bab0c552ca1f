/*
 * tcand.h — the totals as candidates, evidence and one joint choice.
 *
 * A receipt or invoice prints many figures: item prices, a subtotal, taxes,
 * a discount, a tip, a rounding line, the total, what was paid and the
 * change. Which is which is decided in three separate steps, each with
 * explicit inputs and outputs:
 *
 *   tc_collect   every amount on every line becomes a candidate, with what
 *                was observed about it (the evidence): the label it pairs
 *                with and how (same line, same row, the line above), the
 *                label's strength, its position on the page, whether it was
 *                written with two decimals or a currency sign, its text
 *                height, whether OCR noise had to be repaired, whether other
 *                figures follow it on its line. Repair variants (a currency
 *                sign read as a leading digit) are candidates of their own.
 *   tc_score     a score per candidate and role: the evidence weighted by
 *                models/totals.txt (data, set by hand; see that file).
 *   tc_choose    one assignment of candidates to roles that maximises the
 *                scores plus the arithmetic that holds among them (sums.h):
 *                subtotal - discount + taxes + charges + rounding = total,
 *                paid - change = total, items sum to the subtotal. A figure
 *                no label names can still be chosen when the arithmetic
 *                says what it is; a labelled one is dropped when nothing
 *                adds up with it and a better-supported one exists.
 *
 * Private to lib/extract.
 */
#ifndef DF_EXTRACT_TCAND_H
#define DF_EXTRACT_TCAND_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "extract/fields_int.h"

/* ---- roles: what a figure can be ------------------------------------------ */

typedef enum tc_role {
    TC_SUBTOTAL,
    TC_DISCOUNT,
    TC_TAX, /* a tax that is none of India's GST parts (VAT, sales tax, SST) */
    TC_CGST,
    TC_SGST,
    TC_IGST,
    TC_CHARGE, /* tip, service charge, shipping: added to the subtotal */
    TC_ROUNDING,
    TC_GRAND,
    TC_PAID,   /* tendered: cash or card */
    TC_CHANGE,
    TC_ROLE_COUNT
} tc_role;

/* Names as written in models/totals.txt and in labels.txt's FIELD column. */
extern const char *const tc_role_names[TC_ROLE_COUNT];

/* ---- evidence: what is observed about one figure --------------------------- */

typedef enum tc_feature {
    TF_LABEL,       /* its label names this role: label priority / 10 (0..1) */
    TF_LABEL_OTHER, /* its label names another figure's role */
    TF_LABEL_NONAMOUNT, /* its label names no figure of the totals ("Total Qty", "Tel") */
    TF_NO_LABEL,    /* no label pairs with it */
    TF_REL_LINE,    /* the label is on its own line, before it */
    TF_REL_ROW,     /* the label is on its row, in another column */
    TF_REL_ABOVE,   /* the label is on the line above it */
    TF_REL_COLUMN,  /* the label heads its column in a row of titles above it (a tax
                       summary's "Netto  Steuer  Brutto") */
    TF_LABEL_FAR,   /* more than TC_LABEL_NEAR_WORDS words between label and figure */
    TF_BOTTOM,      /* position in the document, 0 (top of page 1) .. 1 (bottom of the last) */
    TF_LARGEST,     /* the largest figure written with two decimals (but payments) */
    TF_TWO_DEC,     /* written with two decimals */
    TF_CURRENCY,    /* a currency sign or code is attached */
    TF_BIG,         /* text at least TC_BIG_HEIGHT times the page's median height */
    TF_REPAIRED,    /* OCR noise repaired in the reading (a letter read for a digit) */
    TF_VARIANT,     /* a repair variant: a sign read as a leading digit dropped, a lost
                       decimal point put back */
    TF_NEGATIVE,    /* printed negative */
    TF_FOLLOWED,    /* another figure follows it on its row (a base, a price, a rate's amount) */
    TF_RATE_LABEL,  /* its label is followed by a rate ("Total 6% supplies", "VAT 19%") */
    TF_GST_TWIN,    /* no label, on a row next to a CGST or SGST row, and the same figure:
                       the other half of India's GST (its label misread) */
    TF_WORDS,       /* the amount in words says it ("Rupees ... Sixteen Only") */
    TF_RATE_BASE,   /* a rate on its line takes another figure there from it: a tax's
                       base ("MwSt. 7 % auf 243,25  17,03": 243,25), net or gross */
    TF_RATE_OF,     /* it is a rate on its line of another figure there (17,03) */
    TF_FEATURE_COUNT
} tc_feature;

extern const char *const tc_feature_names[TF_FEATURE_COUNT];

/* Joint terms: the arithmetic among chosen figures. */
typedef enum tc_joint {
    TJ_SUM,        /* subtotal - discount + taxes + charges + rounding = total */
    TJ_SUM_INCL,   /* taxes printed "included": subtotal = total, with a tax */
    TJ_PAY,        /* paid - change = total, with change */
    TJ_PAID_EQ,    /* paid = total, no change (a card payment) */
    TJ_ITEMS,      /* the items sum to the subtotal (or to a total with no parts) */
    TJ_NO_GRAND,   /* no total chosen at all */
    TJ_DERIVED_PAY, /* no printed figure is the total: paid - change is */
    TJ_SUM_FAILS,  /* a subtotal, a tax and a total chosen whose parts do not add up */
    TJ_SUM_SHORT,  /* a subtotal below the total and no tax chosen: a part was not read */
    TJ_PAY_FAILS,  /* paid and change chosen, and paid - change is not the total */
    TJ_GRAND_BELOW, /* the total is below the subtotal with no discount */
    TJ_JOINT_COUNT
} tc_joint;

extern const char *const tc_joint_names[TJ_JOINT_COUNT];

/* Weights in hundredths (models/totals.txt: "1.5" is 150). */
typedef struct tc_weights {
    int w[TC_ROLE_COUNT][TF_FEATURE_COUNT];
    int joint[TJ_JOINT_COUNT];
    /* A candidate is considered for a role only when its score there is at
     * least this (hundredths); "floor" lines of totals.txt, per role. */
    int floor[TC_ROLE_COUNT];
} tc_weights;

/* Parse models/totals.txt from the loaded list (ROLE FEATURE WEIGHT lines):
 * an unknown role or feature, or a malformed weight, is DF_E_CORRUPT_FILE
 * naming the line. */
df_code tc_weights_load(const df_model_list *l, tc_weights *out, df_err *err);

/* ---- candidates ------------------------------------------------------------ */

/* Words between a label and its figure still counted as near. */
#define TC_LABEL_NEAR_WORDS 3
/* Text this many times the page's median word height is "big" (a total
 * printed double height). */
#define TC_BIG_HEIGHT 1.3f
/* A tax printed per rate ("IGST @ 12% 8,740.80" and "IGST @ 18% 16,133.40")
 * is one candidate of the summed rows, up to this many. */
#define TC_MAX_RATES 4
/* A score no floor admits. */
#define TC_IMPOSSIBLE (-1000000)
/* Candidates kept per document (a long item list has hundreds of figures;
 * the totals are among the labelled ones and the last ones). */
#define TC_MAX_CANDIDATES 512

typedef struct tc_cand {
    int64_t v;           /* hundredths, as printed (negative when printed so) */
    int decimals;        /* decimal digits written */
    int page;            /* 0-based */
    size_t line;         /* layout line */
    size_t row;          /* layout row */
    float x0;            /* left edge, points */
    size_t start, end;   /* byte span on that line */
    int token;           /* the printed figure it reads (repair variants share it) */
    int members[TC_MAX_RATES]; /* a tax printed per rate: the tokens of the rows it sums,
                                  -1 past the last (or for a figure as printed) */
    int64_t rate;        /* the first rate printed on its row (hundredths of a percent), 0 none */
    int label_role;      /* role of its label, -1 none, -2 a label of no total */
    int label_prio;      /* labels.txt priority of that label */
    int weak;            /* a variant believed only where a tax and the sum confirm it (a
                            "sign?" digit of ocr-confusions.txt dropped) */
    char strip;          /* a variant's repair: the leading digit dropped ('0'..'9'), 'p'
                            for a decimal point put back; 0 for a figure as read */
    float f[TF_FEATURE_COUNT]; /* the evidence */
    int score[TC_ROLE_COUNT];  /* tc_score: hundredths */
} tc_cand;

typedef struct tc_set {
    tc_cand *v;
    size_t n;
    int derive_total; /* rule totals.derived_total is on */
    int tax_by_need;  /* rule totals.tax_by_need is on */
    int pay_tie;      /* rule totals.pay_tie is on */
    /* Labels found with no figure (for the second reading and the
     * subtotal-from-items fallback), first of each. */
    int lost[TC_ROLE_COUNT];
    int lost_page[TC_ROLE_COUNT];
    size_t lost_line[TC_ROLE_COUNT], lost_at[TC_ROLE_COUNT], lost_end[TC_ROLE_COUNT];
} tc_set;

/* Every figure of the document with its evidence. Returns DF_E_NO_MEMORY
 * only. */
df_code tc_collect(const fx_doc *d, tc_set *out);
void tc_set_free(tc_set *s);

/* Fill every candidate's score[] from the weights. */
void tc_score(const tc_weights *w, tc_set *s);

/* The chosen candidate per role (index into s->v, -1 for none). */
typedef struct tc_choice {
    int pick[TC_ROLE_COUNT];
    int tax2;  /* a second tax (VAT at another rate), added to pick[TC_TAX]; -1 none */
    int derived;          /* pick[TC_GRAND] is -1 but the total is derived_v: paid - change */
    int64_t derived_v;
    int score;
} tc_choice;

/* The best assignment. `items` (may be NULL or empty) adds the items-sum
 * term. */
void tc_choose(const tc_weights *w, const tc_set *s, const df_extraction *items, tc_choice *out);

#endif
