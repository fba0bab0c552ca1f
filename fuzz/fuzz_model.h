/* fuzz_model.h — the models/ rules for fuzz targets, loaded once from the
 * source tree (located from this file's path). Header-only: each target is
 * its own binary. */
#ifndef DF_FUZZ_MODEL_H
#define DF_FUZZ_MODEL_H

#include <stdio.h>
#include <string.h>

#include "extract/model.h"

/* The source tree's models/ directory, located from this file's path. */
static void fuzz_models_dir(char *dir, size_t cap)
{
    const char *f = __FILE__, *slash = strrchr(f, '/');
    snprintf(dir, cap, "%.*s/../models", slash ? (int)(slash - f) : 1, slash ? f : ".");
}

static const df_model *fuzz_model(void)
{
    static df_model *m;
    static int tried;
    if (!tried) {
        tried = 1;
        char dir[4096];
        fuzz_models_dir(dir, sizeof dir);
        m = df_model_load(dir, NULL);
        if (!m)
            __builtin_trap();
    }
    return m;
}

#endif
