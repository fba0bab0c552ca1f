/*
 * rules.h — the registry of the extractors' rules, one table (rules.c).
 *
 * A rule is a piece of evidence, a piece of arithmetic or a repair the
 * extractors apply on top of reading labels and figures. Each has a stable
 * id, a line in docs/rules.md (what, why, its test, its ablation figures)
 * and can be switched off for one engine (df_options_disable_rule), which
 * is how `docflow eval --without RULE` measures what it is worth. Rules of
 * the totals chooser that are weights (features, joint terms) are switched
 * off by zeroing their weights; the others are checked in the code with
 * fx_rule_on. Modelled on SQLite's one table of built-in functions: adding a
 * rule is one line here, one in rules.c and one in docs/rules.md.
 */
#ifndef DF_EXTRACT_RULES_H
#define DF_EXTRACT_RULES_H

#include <stddef.h>
#include <stdint.h>

typedef enum df_rule_kind {
    DF_RULE_CODE,    /* checked with fx_rule_on where it applies */
    DF_RULE_FEATURE, /* a tcand.h evidence feature: its weights go to zero */
    DF_RULE_JOINT    /* a tcand.h joint term: its weight goes to zero */
} df_rule_kind;

typedef struct df_rule_def {
    const char *id;   /* "totals.sum", stable: docs and scripts name it */
    df_rule_kind kind;
    int index;        /* tc_feature or tc_joint for those kinds; -1 for code */
    const char *what; /* one line, for `docflow eval --rules` */
} df_rule_def;

/* Rules checked in code, in the order of df_rules[] (rules.c). */
enum {
    DF_RULE_VARIANT_SIGN,     /* a currency sign read as a leading digit: a variant without it */
    DF_RULE_VARIANT_POINT,    /* a decimal point lost: a variant in hundredths */
    DF_RULE_LABEL_BESIDE,     /* a label in the row's column to the left, or on the line above */
    DF_RULE_DERIVED_TOTAL,    /* no printed total: paid - change */
    DF_RULE_LABEL_COLUMN,     /* a title heading a figure's column labels it */
    DF_RULE_REREAD_TOTAL,     /* a total its figures contradict read again */
    DF_RULE_REREAD_DATE,      /* a date label without a date read again */
    DF_RULE_REREAD_INVOICE,   /* an invoice number cut by a speck read again */
    DF_RULE_SUBTOTAL_ITEMS,   /* the items' sum printed outside the items is the subtotal */
    DF_RULE_WORDS,            /* the amount in words vouches for a total and its repair */
    DF_RULE_GST_INDIA,        /* CGST/SGST/IGST labels name India's GST halves only in India */
    DF_RULE_INCL_TAX,         /* "incl. btw 9%  0,91": also read as the tax the total included */
    DF_RULE_VENDOR_PRICES,    /* no vendor name on or below the page's first price */
    DF_RULE_ITEMS_DESC_LETTERS, /* of two description columns, the one with the words */
    DF_RULE_ITEMS_TOTAL_AMOUNTS, /* an untitled column of amounts after the price: the totals */
    DF_RULE_ITEMS_DETAIL_BELOW, /* "2 x 7,79" under a receipt item itemises it */
    DF_RULE_ITEMS_CLOSING_SUM,  /* receipt items prove themselves by the figure closing them */
    DF_RULE_SUMMARY_COLUMNS,    /* a tax summary's sum row: its figures named by their titles */
    DF_RULE_VENDOR_ATTENTION,   /* a name over "z. Hd." / "Attn:" is the addressee's */
    DF_RULE_ITEMS_LIST_OVER_TABLE, /* a table's items without totals cede to a proven list */
    DF_RULE_ITEMS_FIGURE_IN_NAME,  /* "Pils 0,25" over "1 x 3,60  3,60": the figure is the name's */
    DF_RULE_DOCTYPE_PAYMENT,       /* no keyword, a total a payment checks: a receipt */
    DF_RULE_META_RECEIPT_ORDER,    /* a receipt numbered only by its order: that number */
    DF_RULE_DOCTYPE_REFERENCE,     /* "Purchase Order 599099": a reference, no title */
    DF_RULE_ITEMS_CHARGE_AMONG,    /* "Coperto 2,60" among a till's items does not end them */
    DF_RULE_TOTALS_DUE_NOT_NET,    /* the amount due a tip raised, tax included, is no subtotal */
    DF_RULE_ITEMS_UNPROVEN_TABLE,  /* a table's items no total proves cede to a proven list */
    DF_RULE_ITEMS_PAYMENT_AFTER,   /* "Carta cucina" above the total is no card payment */
    DF_RULE_META_OTHER_DATE_VALUE, /* the date another date's label takes is not the invoice's */
    DF_RULE_TOTALS_DISCOUNT_TERMS, /* a discount on a line with a date: payment terms */
    DF_RULE_ITEMS_POINT_BY_SUM,    /* an item's total without its point, put back by the sum */
    DF_RULE_TOTALS_TAX_INDEX,      /* "TAX1", "Tax 2": the digit numbers the tax, no figure */
    DF_RULE_TOTALS_TAX_BY_NEED,    /* the figure total - subtotal is the tax its label lost */
    DF_RULE_VENDOR_DEBRIS,         /* short unsure words at the name line's ends are debris */
    DF_RULE_META_TILL_DATE,        /* a till's glued date through OCR's look-alikes: "JUNO3'14" */
    DF_RULE_VENDOR_STREET,         /* "642 Midland road": a number and a street type, no name */
    DF_RULE_VENDOR_ZIP_END,        /* "Layton, UT 84041" ends a US address */
    DF_RULE_VENDOR_ADDRESS_WORD,   /* an address holds three letters in a row, or is none */
    DF_RULE_TOTALS_PAY_TIE,        /* paid figures the labels cannot tell apart: the sum decides */
    DF_RULE_VENDOR_ADDRESS_PRICE,  /* a line ending in a price ends the vendor's address */
    DF_RULE_CODE_COUNT
};

extern const df_rule_def df_rules[];
extern const size_t df_rule_total; /* entries of df_rules */

/* Index into df_rules of `id`, or -1. */
int df_rule_find(const char *id);

/* A set of switched-off rules (bit i: df_rules[i]). */
#define DF_RULE_SET_WORDS 2
typedef struct df_rule_set {
    uint64_t off[DF_RULE_SET_WORDS];
} df_rule_set;

static inline int df_rule_off(const df_rule_set *s, size_t i)
{
    return s && i < 64 * DF_RULE_SET_WORDS && (s->off[i / 64] >> (i % 64) & 1);
}

#endif
