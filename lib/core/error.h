/*
 * error.h — how a failure travels inside the library.
 *
 * A stage that fails fills a df_err with a stable code and the cause in
 * words ("JPEG data ends after 812 of 4096 bytes"). Only the top level
 * (lib/core/extract.c) prefixes the file name, so stages never need it.
 */
#ifndef DF_CORE_ERROR_H
#define DF_CORE_ERROR_H

#include <stdarg.h>
#include "docflow/docflow.h"

typedef struct df_err {
    df_code code;
    char msg[DF_ERROR_MAX];
} df_err;

/* Record code and printf-style cause; returns code so callers can
 * `return df_err_set(err, DF_E_CORRUPT_FILE, "...")`. The first error
 * recorded wins: a later call does not overwrite it. err may be NULL. */
df_code df_err_set(df_err *err, df_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Diagnostics sink shared by every stage: routes third-party warnings to the
 * user's callback or drops them. */
typedef struct df_diag {
    df_diag_fn fn;
    void *userdata;
} df_diag;

void df_diag_emit(const df_diag *d, df_diag_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void df_diag_vemit(const df_diag *d, df_diag_level level, const char *fmt, va_list ap);

#endif
