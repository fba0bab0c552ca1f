/* recall_fields.c — the per-format field lists of recall_fields.h. */
#include "recall_fields.h"

#include "eval.h"
#include "recall_match.h"

#include <stdio.h>
#include <string.h>

static const cJSON *jget(const cJSON *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = o;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save))
        cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, tok) : NULL;
    return cur;
}

static const char *jstr(const cJSON *o, const char *path)
{
    const cJSON *v = jget(o, path);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

typedef struct hits {
    recall_hit *v;
    int n;
} hits;

static void add(hits *h, const char *field, const char *label, int hit)
{
    if (h->n == RECALL_MAX_HITS)
        return;
    recall_hit *r = &h->v[h->n++];
    r->field = field;
    snprintf(r->label, sizeof r->label, "%s", label);
    r->hit = hit;
}

static void add_amount(hits *h, const char *field, const cJSON *lab, const char *path,
                       const char *text)
{
    const cJSON *v = jget(lab, path);
    if (!cJSON_IsNumber(v))
        return;
    char label[64];
    snprintf(label, sizeof label, "%.2f", v->valuedouble);
    add(h, field, label, df_match_amount(text, v->valuedouble));
}

/* SROIE: {company, date, address, total}, as printed. */
static void sroie(hits *h, const cJSON *lab, const char *text)
{
    const char *v;
    if ((v = jstr(lab, "total")))
        add(h, "total", v, df_match_amount_str(text, v));
    if ((v = jstr(lab, "date")))
        add(h, "date", v, df_match_verbatim_ci(text, v));
    if ((v = jstr(lab, "company")))
        add(h, "company", v, df_match_name(text, v));
    if ((v = jstr(lab, "address")))
        add(h, "address", v, df_match_name(text, v));
}

/* Synthetic: the expected extraction object. */
static void synthetic(hits *h, const cJSON *t, const char *text)
{
    const char *v;
    add_amount(h, "grand_total", t, "financial.totals.grand_total", text);
    if ((v = jstr(t, "document_meta.date")))
        add(h, "date", v, df_match_iso_date(text, v));
    if ((v = jstr(t, "vendor.name")))
        add(h, "vendor_name", v, df_match_name(text, v));
    if ((v = jstr(t, "vendor.tax_id")))
        add(h, "vendor_tax_id", v, df_match_name(text, v));
    if ((v = jstr(t, "document_meta.invoice_number")))
        add(h, "invoice_number", v, df_match_name(text, v));
}

/* WildReceipt: labels whose spaces were removed; numeric amounts; an ISO
 * date, the other reading of an ambiguous one (date_alt) and the date as
 * printed (date_raw, one or more boxes). */
static void wildreceipt(hits *h, const cJSON *lab, const char *text)
{
    const char *v;
    add_amount(h, "total", lab, "total", text);
    add_amount(h, "subtotal", lab, "subtotal", text);
    add_amount(h, "tax", lab, "tax", text);
    if ((v = jstr(lab, "date"))) {
        const char *alt = jstr(lab, "date_alt");
        int hit = df_match_iso_date(text, v) || (alt && df_match_iso_date(text, alt));
        const cJSON *raw, *raws = cJSON_GetObjectItemCaseSensitive(lab, "date_raw");
        cJSON_ArrayForEach(raw, raws)
            hit = hit || (cJSON_IsString(raw) && df_match_compact(text, raw->valuestring));
        add(h, "date", v, hit);
    }
    if ((v = jstr(lab, "company")))
        add(h, "company", v, df_match_compact(text, v));
    if ((v = jstr(lab, "address")))
        add(h, "address", v, df_match_compact(text, v));
}

int recall_check(int format, const cJSON *lab, const char *text, recall_hit *out)
{
    hits h = {out, 0};
    if (format == EVAL_FMT_SYNTHETIC)
        synthetic(&h, lab, text ? text : "");
    else if (format == EVAL_FMT_WILDRECEIPT)
        wildreceipt(&h, lab, text ? text : "");
    else
        sroie(&h, lab, text ? text : "");
    return h.n;
}
