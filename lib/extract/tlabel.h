/*
 * tlabel.h — the labels of the totals (tlabel.c): the label a figure of
 * the page pairs with, and the figures that are no money, for the totals'
 * candidates (tcand.c).
 */
#ifndef DF_EXTRACT_TLABEL_H
#define DF_EXTRACT_TLABEL_H

#include <stddef.h>

#include "extract/amount.h"
#include "extract/fields_int.h"

/* A label on a line: where it is, what it labels. */
typedef struct tc_label {
    size_t start, end;
    int role;  /* tc_role, or -2: a label of something else */
    int prio;
    int rate;  /* a rate follows it ("Total 6% supplies", "VAT 19%") */
    int incl;  /* a total's label naming its tax, then a rate: "incl. btw 9%" */
} tc_label;

/* Labels one line holds, at most. */
#define TC_MAX_LINE_LABELS 8

/* The labels of L in reading order, at most max (titles: L is a row of
 * column titles, whose labels end at a column's gap). Returns how many. */
size_t tc_line_labels(const fx_doc *d, const fx_line *L, int titles, tc_label *out, size_t max);

/* 1 when figure a on L is no money: a rate, part of a date, a year, an
 * id, a figure with three decimals where the document writes two. */
int tc_no_money(const fx_doc *d, const fx_line *L, const df_amount *a);

/* The label of the line left of L on its row, or of the line just above
 * L's figure at [x0, x1) when the figure is alone on its line: *lab and
 * *rel (TF_REL_ROW or TF_REL_ABOVE) set, 1; else 0. */
int tc_label_beside(const fx_doc *d, const fx_line *L, float x0, float x1, int alone,
                    tc_label *lab, int *rel);

/* The title over L's figure at [x0, x1) in the nearest row of titles above
 * (two labels or more): *lab and *rel (TF_REL_COLUMN) set, 1; else 0. */
int tc_label_in_header(const fx_doc *d, const fx_line *L, float x0, float x1, tc_label *lab,
                       int *rel);

#endif
