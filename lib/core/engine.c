/* engine.c — df_engine: an immutable copy of the options plus the OCR pool
 * (which guards itself), shareable by threads. */
#include "core/internal.h"
#include "ocr/ocr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_failure(df_code *code, char *errmsg, df_code c, const char *msg)
{
    if (code)
        *code = c;
    if (errmsg)
        snprintf(errmsg, DF_ERROR_MAX, "%s", msg);
}

df_engine *df_engine_new(const df_options *opts, df_code *code, char *errmsg)
{
    df_options *defaults = NULL;
    if (!opts) {
        defaults = df_options_new();
        if (!defaults) {
            set_failure(code, errmsg, DF_E_NO_MEMORY, "out of memory creating the engine");
            return NULL;
        }
        opts = defaults;
    }
    df_engine *e = calloc(1, sizeof *e);
    if (e) {
        e->opts = *opts;
        e->opts.tessdata = opts->tessdata ? strdup(opts->tessdata) : NULL;
        e->opts.languages = strdup(opts->languages);
    }
    int incomplete = !e || !e->opts.languages || (opts->tessdata && !e->opts.tessdata);
    df_options_free(defaults);
    if (incomplete) {
        df_engine_free(e);
        set_failure(code, errmsg, DF_E_NO_MEMORY, "out of memory creating the engine");
        return NULL;
    }
    /* A missing language must fail here, once, not on every scanned page. */
    df_err err = {0};
    if (df_ocr_pool_new(e->opts.tessdata, e->opts.languages, &e->ocr, &err) != DF_OK) {
        df_engine_free(e);
        set_failure(code, errmsg, err.code, err.msg);
        return NULL;
    }
    set_failure(code, errmsg, DF_OK, "");
    return e;
}

void df_engine_free(df_engine *e)
{
    if (!e)
        return;
    df_ocr_pool_free(e->ocr);
    free(e->opts.tessdata);
    free(e->opts.languages);
    free(e);
}
