/* eval_compare.h — the comparison rules of `docflow eval`, kept free of I/O
 * and cJSON so tests/unit/test_eval_compare.c can compile them directly.
 * The rules follow ../shared/devset/README.md; docs/eval.md explains them. */
#ifndef DF_EVAL_COMPARE_H
#define DF_EVAL_COMPARE_H

#include <stddef.h>

/* Amounts agree when they differ by at most this (the devset's rule). */
#define DF_EVAL_AMOUNT_TOL 0.01
/* Line items: description similarity needed for a match. */
#define DF_EVAL_ITEM_SIM 0.9
/* SROIE address: highest character error rate still counted right. */
#define DF_EVAL_ADDRESS_CER 0.1

/* Upper-case ASCII letters, fold every run of characters that are neither
 * ASCII letters/digits nor non-ASCII bytes (UTF-8 letters such as "é") into
 * one space, trim. Non-ASCII is kept rather than dropped so "Café" and
 * "Caf" stay different. Returns a malloc'd string (NULL: out of memory). */
char *df_eval_norm(const char *s);

/* Levenshtein distance counted in UTF-8 code points (a stray invalid byte
 * counts as one unit), so "é" vs "e" is one edit, not two. *len_a and
 * *len_b (may be NULL) receive the code-point lengths. */
size_t df_eval_levenshtein(const char *a, const char *b, size_t *len_a, size_t *len_b);

/* 1 - distance / max(length) on normalised strings; 1.0 when both are
 * empty after normalisation. */
double df_eval_similarity(const char *a, const char *b);

/* Character error rate: distance / truth length, on normalised strings.
 * An empty truth gives 0 for an empty prediction and 1 otherwise (no
 * division by zero, and a non-empty guess is never "right"). */
double df_eval_cer(const char *truth, const char *pred);

/* Names: equal after df_eval_norm. Tax ids: equal after removing
 * whitespace and upper-casing. Codes (currency, document type): equal
 * ignoring ASCII case and surrounding whitespace. */
int df_eval_name_eq(const char *a, const char *b);
int df_eval_tax_id_eq(const char *a, const char *b);
int df_eval_code_eq(const char *a, const char *b);

/* WildReceipt labels have every space removed ("KOREANRESTAURANT"), so
 * names and addresses are compared "compact": df_eval_norm, then without
 * its spaces (every non-alphanumeric ASCII character gone). */
char *df_eval_compact(const char *s);
int df_eval_compact_eq(const char *a, const char *b);
/* Character error rate of compact forms (df_eval_cer's conventions). */
double df_eval_compact_cer(const char *truth, const char *pred);

/* |a - b| <= 0.01 (with a hair of slack for binary rounding). */
int df_eval_amount_eq(double a, double b);

/* A SROIE date label as printed, day first, into "YYYY-MM-DD" (iso needs
 * 11 bytes): 25/12/2018, 9/2/2017, 25-12-18, 25.12.2018, 25 DEC 2018,
 * 15 JUN 18, and ISO 2018-12-25 (a 4-digit first number means year first).
 * Two-digit years are 20YY. Returns 0, or -1 when the label is not a
 * valid date. */
int df_eval_parse_date_label(const char *label, char *iso);

/* An amount label ("RM 3.30", "$8.70", "436.20") as a number: everything
 * but digits and the point is stripped; a leading '-' is kept (SROIE has a
 * refund of "-1.73"). Returns 0, or -1 when no digits remain or more than
 * one point. */
int df_eval_parse_amount_label(const char *label, double *out);

/* One line item reduced to what the match rule looks at. */
typedef struct df_eval_item {
    const char *description; /* NULL counts as "" */
    double total;
    int has_total; /* 0: total missing, never matches */
} df_eval_item;

int df_eval_item_match(const df_eval_item *truth, const df_eval_item *pred);

/* Largest number of truth items that can each be paired with a distinct
 * predicted item they match (maximum bipartite matching, augmenting
 * paths). Optimal, not greedy: with duplicates or near-duplicates a greedy
 * pass in truth order can spend a prediction that a later truth item
 * needed and under-count. Returns -1 when out of memory. */
long df_eval_match_items(const df_eval_item *truth, size_t nt,
                         const df_eval_item *pred, size_t np);

/* Micro precision/recall/F1 from summed counts. Conventions: nothing
 * predicted and nothing true is perfect (1,1,1); nothing predicted but
 * something true gives P = R = F1 = 0 (an empty answer must not look good);
 * something predicted but nothing true gives P = R = F1 = 0. */
void df_eval_prf(long matched, long predicted, long truth, double *p, double *r, double *f1);

/* A named headline figure (a percentage, higher is better). */
typedef struct df_eval_figure {
    const char *name;
    double value;
} df_eval_figure;

/* Called for each baseline figure the current run falls short of;
 * `missing` is 1 when the current run has no such figure at all. */
typedef void (*df_eval_drop_fn)(void *ud, const char *name, double current, double baseline,
                                int missing);

/* Compare a run with a baseline: every baseline figure must be present in
 * `cur` and not lower than its baseline value (1e-6 slack for rounding).
 * Figures only in `cur` are new and never fail. Returns the number of
 * failing figures. */
int df_eval_check_baseline(const df_eval_figure *cur, size_t ncur,
                           const df_eval_figure *base, size_t nbase,
                           df_eval_drop_fn report, void *ud);

/* ---- reliability of confidence_score ------------------------------------ */

/* Five bins of confidence_score: [0,0.2), [0.2,0.4), [0.4,0.6), [0.6,0.8),
 * [0.8,1.0], plus one more line for the documents scored >= 0.9. */
#define DF_EVAL_REL_BINS 5
#define DF_EVAL_REL_HIGH 0.9

/* One bin: `docs` documents, the sum of their scores, and of their scored
 * fields (truth not null) how many were right. */
typedef struct df_eval_rel {
    int docs;
    double conf_sum;
    long fields, right;
} df_eval_rel;

/* The bin of a score, 0..DF_EVAL_REL_BINS-1. Scores are clamped to [0,1]
 * (NaN counts as 0); a hair of slack (1e-9) keeps 0.6 in [0.6,0.8) however
 * it was rounded in the JSON. */
int df_eval_rel_bin(double conf);

/* Add one document (score `conf`, `fields` scored fields, `right` of them
 * right) to bins[0..DF_EVAL_REL_BINS-1] and, when conf >= 0.9, to
 * bins[DF_EVAL_REL_BINS]: bins needs DF_EVAL_REL_BINS + 1 entries. */
void df_eval_rel_add(df_eval_rel *bins, double conf, int fields, int right);

#endif
