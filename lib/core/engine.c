/* engine.c — df_engine: an immutable copy of the options, the loaded rule
 * models and the OCR pool (which guards itself), shareable by threads.
 *
 * The models directory is the first of: df_options_set_models_dir; the
 * environment variable DOCFLOW_MODELS; the installed DF_MODELS_DIR (a
 * compile-time define) when it holds the models; the source tree's models/,
 * found from this file's own path: __FILE__ is absolute in this build (CMake
 * passes absolute source paths), so stripping "lib/core/engine.c" from it
 * gives the source root. That last fallback is what lets an uninstalled
 * build (tests, ./build/docflow) run without any setting. An explicit
 * option or DOCFLOW_MODELS that cannot be loaded is an error, never skipped. */
#include "core/internal.h"
#include "ocr/ocr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef DF_MODELS_DIR
#define DF_MODELS_DIR "/usr/local/share/docflow/models"
#endif

#define DF_ENGINE_SELF "lib/core/engine.c"

/* The source tree's models/ from __FILE__, or "" when __FILE__ is relative. */
static void source_models_dir(char *buf, size_t cap)
{
    const char *f = __FILE__;
    size_t n = strlen(f), s = strlen(DF_ENGINE_SELF);
    buf[0] = '\0';
    if (f[0] != '/' || n < s || strcmp(f + n - s, DF_ENGINE_SELF) != 0)
        return;
    snprintf(buf, cap, "%.*smodels", (int)(n - s), f);
}

static df_fields_model *load_models(const df_options *o, df_err *err)
{
    if (o->models_dir)
        return df_fields_model_load(o->models_dir, err);
    const char *env = getenv("DOCFLOW_MODELS");
    if (env && *env)
        return df_fields_model_load(env, err);
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/labels.txt", DF_MODELS_DIR);
    if (access(probe, R_OK) == 0)
        return df_fields_model_load(DF_MODELS_DIR, err);
    char src[4096];
    source_models_dir(src, sizeof src);
    if (src[0]) {
        snprintf(probe, sizeof probe, "%s/labels.txt", src);
        if (access(probe, R_OK) == 0)
            return df_fields_model_load(src, err);
    }
    df_err_set(err, DF_E_FILE_NOT_FOUND,
               "no rule models found: set df_options_set_models_dir or DOCFLOW_MODELS "
               "(searched %s%s%s)", DF_MODELS_DIR, src[0] ? " and " : "", src);
    return NULL;
}

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
        e->opts.models_dir = opts->models_dir ? strdup(opts->models_dir) : NULL;
    }
    int incomplete = !e || !e->opts.languages || (opts->tessdata && !e->opts.tessdata) ||
                     (opts->models_dir && !e->opts.models_dir);
    df_options_free(defaults);
    if (incomplete) {
        df_engine_free(e);
        set_failure(code, errmsg, DF_E_NO_MEMORY, "out of memory creating the engine");
        return NULL;
    }
    df_err err = {0};
    e->model = load_models(&e->opts, &err);
    if (!e->model) {
        df_engine_free(e);
        set_failure(code, errmsg, err.code, err.msg);
        return NULL;
    }
    df_fields_model_rules(e->model, &e->opts.rules_off);
    /* A missing language must fail here, once, not on every scanned page. */
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
    free(e->opts.models_dir);
    df_fields_model_free(e->model);
    free(e);
}
