/* result.c — read access to a finished df_result. */
#include "core/internal.h"

#include <stdlib.h>

void df_result_free(df_result *r)
{
    if (!r)
        return;
    free(r->message);
    free(r->name);
    free(r->pages);
    free(r->text);
    df_extraction_clear(&r->extraction);
    free(r);
}

df_code df_result_code(const df_result *r)
{
    return r ? r->code : DF_E_INVALID_ARGUMENT;
}

const char *df_result_error_message(const df_result *r)
{
    return r && r->message ? r->message : "";
}

const char *df_result_format(const df_result *r)
{
    return r && r->format ? r->format : "";
}

size_t df_result_page_count(const df_result *r)
{
    return r ? r->npages : 0;
}

df_code df_result_page(const df_result *r, size_t index, df_page_info *info)
{
    if (!r || !info || index >= r->npages)
        return DF_E_INVALID_ARGUMENT;
    *info = r->pages[index];
    return DF_OK;
}

const char *df_result_text(const df_result *r)
{
    return r && r->code == DF_OK && r->text ? r->text : "";
}

uint64_t df_result_tokens_used(const df_result *r)
{
    return r && r->code == DF_OK ? r->tokens_used : 0;
}

void df_free(void *p)
{
    free(p);
}
