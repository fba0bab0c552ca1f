/* eval.h — state shared by eval.c (walking, extraction, scoring) and
 * eval_report.c (tables, --json, baselines) of `docflow eval`. */
#ifndef DF_EVAL_H
#define DF_EVAL_H

#include <cjson/cJSON.h>
#include <docflow/docflow.h>

#include "eval_compare.h"

#define EVAL_MAX_FIELDS 16
#define EVAL_MAX_GROUPS 48

/* One field's tally: `n` documents whose truth is not null (`correct` of
 * them right), `null_n` whose truth is null (`fp` of them given a value). */
typedef struct eval_count {
    int n, correct, null_n, fp;
    /* Of the n, how many the document's text contained (recall_fields.h)
     * and how many of those were right: extraction given what OCR read.
     * Counted only where the text is known. */
    int in_text, right_in_text;
} eval_count;

typedef struct eval_field {
    const char *name;  /* reported name */
    const char *truth; /* path in the truth object; NULL: constant `fixed` */
    const char *pred;  /* path in the result object */
    int rule;          /* enum eval_rule in eval.c */
    const char *fixed;
    const char *abbrev; /* column head in the compact tables */
    const char *alt;    /* another truth path also accepted (WildReceipt's date_alt), or NULL */
    /* When `pred` is null: the sum of these result paths, when any is
     * present (WildReceipt's tax against cgst + sgst + igst), or NULL. */
    const char *const *pred_sum;
    const char *recall; /* its name in recall_fields.h ("total"), or NULL */
} eval_field;

/* Documents sharing one kind, variant or layout value. */
typedef struct eval_group {
    char name[48];
    int docs;
    eval_count f[EVAL_MAX_FIELDS];
    long li_matched, li_pred, li_truth;
    df_eval_rel rel[DF_EVAL_REL_BINS + 1]; /* confidence_score reliability */
} eval_group;

enum { EVAL_BY_KIND, EVAL_BY_VARIANT, EVAL_BY_LAYOUT, EVAL_NDIMS };

/* The label formats of ../shared/devset/README.md. */
enum eval_format { EVAL_FMT_SROIE, EVAL_FMT_SYNTHETIC, EVAL_FMT_WILDRECEIPT };

/* "synthetic", "sroie" or "wildreceipt". */
const char *eval_format_name(int format);

typedef struct eval_folder {
    const char *dir;
    char label[256]; /* the folder's base name: figure names must not depend on paths */
    int synthetic;   /* format == EVAL_FMT_SYNTHETIC */
    int format;      /* enum eval_format: how labels are laid out and compared */
    int validation;  /* a validation split (name ends in "-val"): aggregates only */
    const eval_field *fields;
    int nfields;
    int docs, failed; /* failed: extraction error or no result for the file */
    eval_count f[EVAL_MAX_FIELDS];
    long li_matched, li_pred, li_truth;
    /* Documents by confidence_score: 5 bins, then the >= 0.9 line. */
    df_eval_rel rel[DF_EVAL_REL_BINS + 1];
    eval_group groups[EVAL_NDIMS][EVAL_MAX_GROUPS];
    int ngroups[EVAL_NDIMS];
    char **mismatches;
    int nmismatches, capmismatches;
} eval_folder;

typedef struct eval_doc {
    char path[4400], label[4400], name[256]; /* dir (4096) + name: no truncation */
    char *json; /* the result object as text; NULL: no result */
    char *text; /* the document's text as the extractors read it; NULL: unknown */
} eval_doc;

/* eval_docs.c */
/* The whole file as a NUL-terminated string (NULL: unreadable). */
char *eval_slurp(const char *path);
/* The labelled documents of f->dir in name order (at most `limit` when > 0);
 * sets f->format, f->synthetic and f->validation. NULL when the folder
 * cannot be read. */
eval_doc *eval_list_docs(eval_folder *f, int limit, int *count);
/* 1 when dir names a validation split: its base name ends in "-val".
 * Validation documents are looked at only in aggregate (devset README), so
 * the tools refuse per-document output for them. */
int eval_is_validation(const char *dir);
/* Fill docs[i].json and docs[i].text by extracting on `jobs` threads sharing `eng`. */
void eval_extract_all(df_engine *eng, eval_doc *docs, int n, int jobs);

/* eval_report.c */
void eval_print_folder(const eval_folder *f, int show_mismatches);
/* Adds this folder's figures and details to the --json document. */
void eval_json_folder(cJSON *root, const eval_folder *f);
/* The reliability table of confidence_score (bins: DF_EVAL_REL_BINS + 1),
 * printed with `indent` spaces, and as a JSON object. */
void eval_print_reliability(const df_eval_rel *bins, int indent);
cJSON *eval_reliability_json(const df_eval_rel *bins);
/* Returns 0 when every baseline figure holds, 1 when some dropped (named on
 * stderr), 2 when the baseline cannot be read. */
int eval_check_baseline_file(const cJSON *root, const char *path);
int eval_write_json(const cJSON *obj, const char *path);

#endif
