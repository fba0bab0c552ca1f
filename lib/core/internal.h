/*
 * internal.h — the shapes behind the public opaque handles.
 * Private to lib/: the CLI and applications see only docflow.h.
 */
#ifndef DF_CORE_INTERNAL_H
#define DF_CORE_INTERNAL_H

#include "core/error.h"
#include "docflow/docflow.h"
#include "extract/fields.h"
#include "extract/rules.h"
#include "validate/validate.h"

#define DF_DEFAULT_FILE_BYTES (10ull * 1024 * 1024)
#define DF_DEFAULT_PAGES 50ull
#define DF_DEFAULT_PAGE_PIXELS 100000000ull
#define DF_DEFAULT_PAGE_SECONDS 60ull
/* A 50-page scan takes about 60 s of OCR on one core; five times that is
 * room for a slow machine, and a bound on what one file can hold a worker. */
#define DF_DEFAULT_DOCUMENT_SECONDS 300ull
#define DF_LIMIT_COUNT 5

struct df_options {
    char *tessdata;   /* NULL = Tesseract's default search */
    char *languages;  /* "eng" by default */
    char *models_dir; /* NULL = $DOCFLOW_MODELS, DF_MODELS_DIR, then the source tree */
    uint64_t limits[DF_LIMIT_COUNT];
    df_diag diag;
    df_rule_set rules_off; /* df_options_disable_rule */
};

struct df_ocr_pool;

struct df_engine {
    struct df_options opts;  /* private copy; immutable after creation */
    struct df_ocr_pool *ocr; /* Tesseract handles; thread-safe, filled lazily */
    df_fields_model *model;  /* models/ rule data; immutable */
};

struct df_result {
    df_code code;
    char *message;    /* "name: cause" on failure, "" on success */
    char *name;       /* the path or name given at extraction */
    const char *format;
    df_page_info *pages;
    size_t npages;
    uint64_t tokens_used;
    char *text;       /* df_result_text; NULL on failure */
    int has_extraction;      /* extraction and validation below are set */
    df_extraction extraction;
    df_validation validation;
    double confidence;       /* confidence_score, 0..1 */
};

#endif
