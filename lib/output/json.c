/*
 * json.c — stage 6: a df_result as the documented result object.
 *
 * The key set and order follow the hosted batch API's result schema
 * (file_index, file_key, extraction, validation, tokens_used) with docflow's
 * additive keys after them. cJSON prints numbers with '.' whatever the
 * process locale says (it swaps the locale's decimal point), which is what
 * keeps LC_NUMERIC out of our output.
 *
 * The output is always valid UTF-8 (issue 17). Every stage already hands
 * over valid strings, but cJSON escapes only control characters and copies
 * any other byte as it is, and one ill-formed byte makes strict parsers
 * reject a whole batch's output; so, as the last line of defence, every
 * string and key of the tree is checked (lib/core/utf8.h) and repaired
 * before printing. A caller's file_key is repaired the same way.
 */
#include "core/internal.h"
#include "core/utf8.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
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

static void add_str(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

/* Amounts are exact hundredths; minor / 100.0 prints as the shortest
 * decimal that reads back to it, e.g. 46610 or 3555.5. */
static void add_amt(cJSON *o, const char *key, const df_famt *a)
{
    if (a->has)
        cJSON_AddNumberToObject(o, key, (double)a->minor / 100.0);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_src(cJSON *fields, const char *ptr, const df_field_src *s)
{
    if (!s->has || !fields)
        return;
    cJSON *f = cJSON_AddObjectToObject(fields, ptr);
    if (!f)
        return;
    cJSON_AddNumberToObject(f, "confidence", round2(s->conf));
    cJSON_AddNumberToObject(f, "page", s->page);
    cJSON *b = cJSON_AddArrayToObject(f, "bbox");
    for (int i = 0; b && i < 4; i++)
        cJSON_AddItemToArray(b, cJSON_CreateNumber(round2(s->box[i])));
}

static cJSON *extraction_json(const df_extraction *x, double confidence)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "document_type", x->document_type);
    cJSON_AddStringToObject(o, "document_category", x->document_category);
    cJSON_AddNumberToObject(o, "confidence_score", round2(confidence));
    cJSON *v = cJSON_AddObjectToObject(o, "vendor");
    if (v) {
        add_str(v, "name", x->vendor_name.s);
        add_str(v, "tax_id", x->vendor_tax_id.s);
        add_str(v, "address", x->vendor_address.s);
    }
    cJSON *c = cJSON_AddObjectToObject(o, "customer");
    if (c) {
        add_str(c, "name", x->customer_name.s);
        add_str(c, "tax_id", x->customer_tax_id.s);
    }
    cJSON *m = cJSON_AddObjectToObject(o, "document_meta");
    if (m) {
        add_str(m, "invoice_number", x->invoice_number.s);
        add_str(m, "date", x->date.s);
        add_str(m, "currency", x->currency.s);
    }
    cJSON *fin = cJSON_AddObjectToObject(o, "financial");
    cJSON *items = fin ? cJSON_AddArrayToObject(fin, "line_items") : NULL;
    for (size_t i = 0; items && i < x->nitems; i++) {
        const df_line_item *it = &x->items[i];
        cJSON *e = cJSON_CreateObject();
        if (!e)
            break;
        add_str(e, "description", it->description);
        add_str(e, "hsn_sac", it->hsn_sac);
        add_amt(e, "quantity", &it->quantity);
        add_amt(e, "unit_price", &it->unit_price);
        add_amt(e, "total", &it->total);
        add_amt(e, "tax_rate", &it->tax_rate);
        cJSON_AddItemToArray(items, e);
    }
    cJSON *tot = fin ? cJSON_AddObjectToObject(fin, "totals") : NULL;
    for (int t = 0; tot && t < DF_TOT_COUNT; t++)
        add_amt(tot, df_total_names[t], &x->totals[t]);
    cJSON *f = cJSON_AddObjectToObject(o, "fields");
    add_src(f, "/vendor/name", &x->vendor_name.src);
    add_src(f, "/vendor/tax_id", &x->vendor_tax_id.src);
    add_src(f, "/vendor/address", &x->vendor_address.src);
    add_src(f, "/customer/name", &x->customer_name.src);
    add_src(f, "/customer/tax_id", &x->customer_tax_id.src);
    add_src(f, "/document_meta/invoice_number", &x->invoice_number.src);
    add_src(f, "/document_meta/date", &x->date.src);
    for (size_t i = 0; i < x->nitems; i++) {
        char ptr[96];
        static const char *const k[] = {"quantity", "unit_price", "total", "tax_rate"};
        const df_famt *a[] = {&x->items[i].quantity, &x->items[i].unit_price, &x->items[i].total,
                              &x->items[i].tax_rate};
        for (int j = 0; j < 4; j++) {
            snprintf(ptr, sizeof ptr, "/financial/line_items/%zu/%s", i, k[j]);
            add_src(f, ptr, &a[j]->src);
        }
    }
    for (int t = 0; t < DF_TOT_COUNT; t++) {
        char ptr[64];
        snprintf(ptr, sizeof ptr, "/financial/totals/%s", df_total_names[t]);
        add_src(f, ptr, &x->totals[t].src);
    }
    return o;
}

static cJSON *issues_json(const df_issue *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++) {
        cJSON *e = cJSON_CreateObject();
        if (!e)
            break;
        cJSON_AddStringToObject(e, "code", v[i].code);
        cJSON_AddStringToObject(e, "message", v[i].message);
        cJSON_AddItemToArray(a, e);
    }
    return a;
}

static cJSON *validation_json(const df_validation *v)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddBoolToObject(o, "math_valid", v->math_valid != 0);
    cJSON_AddItemToObject(o, "errors", issues_json(v->errors, v->nerrors));
    cJSON_AddItemToObject(o, "warnings", issues_json(v->warnings, v->nwarnings));
    return o;
}

static cJSON *result_json(const df_result *r, uint64_t file_index, const char *file_key)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "file_index", (double)file_index);
    cJSON_AddStringToObject(o, "file_key", file_key ? file_key : r->name);
    if (r->code == DF_OK && r->has_extraction) {
        cJSON_AddItemToObject(o, "extraction", extraction_json(&r->extraction, r->confidence));
        cJSON_AddItemToObject(o, "validation", validation_json(&r->validation));
    } else {
        /* The same keys, empty: code written against the hosted API reads
         * extraction.document_type of every result, failed or not. */
        static const df_extraction none = {.document_type = "other",
                                           .document_category = "other"};
        static const df_validation none_valid = {.math_valid = 0};
        cJSON_AddItemToObject(o, "extraction", extraction_json(&none, 0));
        cJSON_AddItemToObject(o, "validation", validation_json(&none_valid));
    }
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

/* A malloc'd valid copy of s when it is not valid UTF-8, else NULL (also
 * when out of memory: *oom says which). */
static char *repaired(const char *s, int *oom)
{
    if (df_utf8_valid(s, strlen(s)))
        return NULL;
    char *t = df_utf8_sanitize(s);
    *oom |= !t;
    return t;
}

/* Repair every string value and key under node, siblings included. cJSON
 * allocates with malloc (its hooks are left alone), so its strings are
 * replaced with ours; a key added as a constant is not cJSON's to free.
 * Returns -1 when out of memory. */
static int repair_strings(cJSON *node)
{
    int oom = 0;
    for (cJSON *it = node; it && !oom; it = it->next) {
        char *t;
        if (cJSON_IsString(it) && it->valuestring && (t = repaired(it->valuestring, &oom))) {
            free(it->valuestring);
            it->valuestring = t;
        }
        if (it->string && (t = repaired(it->string, &oom))) {
            if (!(it->type & cJSON_StringIsConst))
                free(it->string);
            it->string = t;
            it->type &= ~cJSON_StringIsConst;
        }
        if (it->child && repair_strings(it->child) != 0)
            oom = 1;
    }
    return oom ? -1 : 0;
}

char *df_result_to_json(const df_result *r, uint64_t file_index, const char *file_key,
                        unsigned flags)
{
    if (!r)
        return NULL;
    cJSON *o = result_json(r, file_index, file_key);
    if (!o)
        return NULL;
    if (repair_strings(o) != 0) {
        cJSON_Delete(o);
        return NULL;
    }
    /* cJSON hands out memory from its own allocator hooks, which we leave at
     * malloc/free, so df_free(free) can release it. */
    char *s = (flags & DF_JSON_PRETTY) ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}
