/* options.c — df_options: the settings an engine is created from. */
#include "core/internal.h"

#include <stdlib.h>
#include <string.h>

df_options *df_options_new(void)
{
    df_options *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->languages = strdup("eng");
    if (!o->languages) {
        free(o);
        return NULL;
    }
    o->limits[DF_LIMIT_FILE_BYTES] = DF_DEFAULT_FILE_BYTES;
    o->limits[DF_LIMIT_PAGES] = DF_DEFAULT_PAGES;
    o->limits[DF_LIMIT_PAGE_PIXELS] = DF_DEFAULT_PAGE_PIXELS;
    o->limits[DF_LIMIT_PAGE_SECONDS] = DF_DEFAULT_PAGE_SECONDS;
    o->limits[DF_LIMIT_DOCUMENT_SECONDS] = DF_DEFAULT_DOCUMENT_SECONDS;
    return o;
}

void df_options_free(df_options *o)
{
    if (!o)
        return;
    free(o->tessdata);
    free(o->languages);
    free(o->models_dir);
    free(o);
}

df_code df_options_set_tessdata(df_options *o, const char *dir)
{
    if (!o)
        return DF_E_INVALID_ARGUMENT;
    char *copy = NULL;
    if (dir && !(copy = strdup(dir)))
        return DF_E_NO_MEMORY;
    free(o->tessdata);
    o->tessdata = copy;
    return DF_OK;
}

/* A language list is one or more [A-Za-z0-9_-] names joined by '+'. */
static int languages_valid(const char *s)
{
    size_t run = 0;
    for (; *s; s++) {
        if (*s == '+') {
            if (run == 0)
                return 0;
            run = 0;
        } else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                   (*s >= '0' && *s <= '9') || *s == '_' || *s == '-') {
            run++;
        } else {
            return 0;
        }
    }
    return run > 0;
}

df_code df_options_set_languages(df_options *o, const char *langs)
{
    if (!o || !langs || !languages_valid(langs))
        return DF_E_INVALID_ARGUMENT;
    char *copy = strdup(langs);
    if (!copy)
        return DF_E_NO_MEMORY;
    free(o->languages);
    o->languages = copy;
    return DF_OK;
}

df_code df_options_set_limit(df_options *o, df_limit which, uint64_t value)
{
    if (!o || (unsigned)which >= DF_LIMIT_COUNT || value == 0)
        return DF_E_INVALID_ARGUMENT;
    o->limits[which] = value;
    return DF_OK;
}

uint64_t df_options_get_limit(const df_options *o, df_limit which)
{
    if (!o || (unsigned)which >= DF_LIMIT_COUNT)
        return 0;
    return o->limits[which];
}

void df_options_set_diagnostics(df_options *o, df_diag_fn fn, void *userdata)
{
    if (!o)
        return;
    o->diag.fn = fn;
    o->diag.userdata = userdata;
}

df_code df_options_set_models_dir(df_options *o, const char *dir)
{
    if (!o)
        return DF_E_INVALID_ARGUMENT;
    char *copy = NULL;
    if (dir && !(copy = strdup(dir)))
        return DF_E_NO_MEMORY;
    free(o->models_dir);
    o->models_dir = copy;
    return DF_OK;
}

df_code df_options_disable_rule(df_options *o, const char *id)
{
    int i = df_rule_find(id);
    if (!o || i < 0)
        return DF_E_INVALID_ARGUMENT;
    o->rules_off.off[i / 64] |= UINT64_C(1) << (i % 64);
    return DF_OK;
}

size_t df_rule_count(void)
{
    return df_rule_total;
}

const char *df_rule_id(size_t i)
{
    return i < df_rule_total ? df_rules[i].id : NULL;
}

const char *df_rule_description(size_t i)
{
    return i < df_rule_total ? df_rules[i].what : NULL;
}
