/*
 * json.c — stage 6: a df_result as the documented result object.
 *
 * The key set and order follow the hosted batch API's result schema
 * (file_index, file_key, extraction, validation, tokens_used) with docflow's
 * additive keys after them. cJSON prints numbers with '.' whatever the
 * process locale says (it swaps the locale's decimal point), which is what
 * keeps LC_NUMERIC out of our output.
 */
#include "core/internal.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Two decimals are exact enough for point sizes and avoid 595.2755905511812. */
static double round2(double v)
{
    return round(v * 100.0) / 100.0;
}

static cJSON *page_json(const df_page_info *p, size_t index)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "page", (double)(index + 1));
    cJSON_AddNumberToObject(o, "width", p->width);
    cJSON_AddNumberToObject(o, "height", p->height);
    if (p->dpi > 0)
        cJSON_AddNumberToObject(o, "dpi", p->dpi);
    else
        cJSON_AddNullToObject(o, "dpi");
    if (p->dpi > 0) {
        cJSON_AddNumberToObject(o, "width_pt", round2(p->width_pt));
        cJSON_AddNumberToObject(o, "height_pt", round2(p->height_pt));
    } else {
        cJSON_AddNullToObject(o, "width_pt");
        cJSON_AddNullToObject(o, "height_pt");
    }
    cJSON_AddBoolToObject(o, "has_text_layer", p->has_text_layer != 0);
    return o;
}

static cJSON *result_json(const df_result *r, uint64_t file_index, const char *file_key)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "file_index", (double)file_index);
    cJSON_AddStringToObject(o, "file_key", file_key ? file_key : r->name);
    cJSON_AddNullToObject(o, "extraction");
    cJSON_AddNullToObject(o, "validation");
    cJSON_AddNumberToObject(o, "tokens_used", r->code == DF_OK ? (double)r->tokens_used : 0);
    if (r->format && *r->format)
        cJSON_AddStringToObject(o, "format", r->format);
    else
        cJSON_AddNullToObject(o, "format");
    cJSON *pages = cJSON_AddArrayToObject(o, "pages");
    for (size_t i = 0; pages && i < r->npages; i++)
        cJSON_AddItemToArray(pages, page_json(&r->pages[i], i));
    if (r->code != DF_OK) {
        cJSON *e = cJSON_AddObjectToObject(o, "error");
        if (e) {
            cJSON_AddStringToObject(e, "code", df_code_name(r->code));
            cJSON_AddStringToObject(e, "message", r->message);
        }
    }
    return o;
}

char *df_result_to_json(const df_result *r, uint64_t file_index, const char *file_key,
                        unsigned flags)
{
    if (!r)
        return NULL;
    cJSON *o = result_json(r, file_index, file_key);
    if (!o)
        return NULL;
    /* cJSON hands out memory from its own allocator hooks, which we leave at
     * malloc/free, so df_free(free) can release it. */
    char *s = (flags & DF_JSON_PRETTY) ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}
