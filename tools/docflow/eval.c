/*
 * eval.c — `docflow eval DIR...`: extraction accuracy on a labelled folder.
 *
 * Where `docflow recall` asks whether a value is in the text at all, this
 * asks whether the extractors returned it. Per field it counts accuracy
 * where the truth is not null and false positives where it is null (a value
 * invented for a document that has none is a different failure from a
 * missed one), line items as micro-F1, grouped by kind, variant and layout,
 * and the reliability of confidence_score (documents in five score bins
 * against the share of their fields that are right).
 * Folder formats: ../shared/devset/README.md; figures: docs/eval.md.
 *
 * Results come from libdocflow through the public API, or with --results
 * from a JSON array as `docflow extract` prints it, so the tool can be
 * tested without a working extractor and can score other systems.
 */
#include "cli.h"
#include "eval.h"
#include "eval_compare.h"
#include "recall_fields.h"

#include <docflow/docflow.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum eval_rule { R_CODE, R_NAME, R_TAXID, R_ISO_DATE, R_AMOUNT, R_BOOL, R_CER, R_DATE_LABEL,
                 R_AMOUNT_LABEL, R_COMPACT_NAME, R_COMPACT_CER };

/* F(name, truth path, result path, rule, table head, recall name) */
#define F(n, t, p, r, h, rc) {.name = n, .truth = t, .pred = p, .rule = r, .abbrev = h, .recall = rc}

static const eval_field synthetic_fields[] = {
    F("document_type", "document_type", "extraction.document_type", R_CODE, "type", NULL),
    F("document_category", "document_category", "extraction.document_category", R_CODE, "categ",
      NULL),
    F("vendor.name", "vendor.name", "extraction.vendor.name", R_NAME, "vendor", "vendor_name"),
    F("vendor.tax_id", "vendor.tax_id", "extraction.vendor.tax_id", R_TAXID, "taxid",
      "vendor_tax_id"),
    F("invoice_number", "document_meta.invoice_number", "extraction.document_meta.invoice_number",
      R_NAME, "inv_no", "invoice_number"),
    F("date", "document_meta.date", "extraction.document_meta.date", R_ISO_DATE, "date", "date"),
    F("currency", "document_meta.currency", "extraction.document_meta.currency", R_CODE, "curr",
      NULL),
    F("subtotal", "financial.totals.subtotal", "extraction.financial.totals.subtotal", R_AMOUNT,
      "subtot", NULL),
    F("cgst", "financial.totals.cgst", "extraction.financial.totals.cgst", R_AMOUNT, "cgst", NULL),
    F("sgst", "financial.totals.sgst", "extraction.financial.totals.sgst", R_AMOUNT, "sgst", NULL),
    F("igst", "financial.totals.igst", "extraction.financial.totals.igst", R_AMOUNT, "igst", NULL),
    F("tax", "financial.totals.tax", "extraction.financial.totals.tax", R_AMOUNT, "tax", NULL),
    F("grand_total", "financial.totals.grand_total", "extraction.financial.totals.grand_total",
      R_AMOUNT, "total", "grand_total"),
    F("math_valid", "math_valid", "validation.math_valid", R_BOOL, "math", NULL),
};

static const eval_field sroie_fields[] = {
    F("vendor.name", "company", "extraction.vendor.name", R_NAME, "vendor", "company"),
    F("vendor.address", "address", "extraction.vendor.address", R_CER, "addr", "address"),
    F("date", "date", "extraction.document_meta.date", R_DATE_LABEL, "date", "date"),
    F("grand_total", "total", "extraction.financial.totals.grand_total", R_AMOUNT_LABEL, "total",
      "total"),
    {.name = "currency", .pred = "extraction.document_meta.currency", .rule = R_CODE,
     .fixed = "MYR", .abbrev = "curr"},
};

/* A GST invoice's tax is printed as parts; WildReceipt's one `tax` label
 * is compared with their sum when the result has no single tax. */
static const char *const gst_parts[] = {"extraction.financial.totals.cgst",
                                        "extraction.financial.totals.sgst",
                                        "extraction.financial.totals.igst", NULL};

static const eval_field wildreceipt_fields[] = {
    F("vendor.name", "company", "extraction.vendor.name", R_COMPACT_NAME, "vendor", "company"),
    F("vendor.address", "address", "extraction.vendor.address", R_COMPACT_CER, "addr", "address"),
    {.name = "date", .truth = "date", .pred = "extraction.document_meta.date", .rule = R_ISO_DATE,
     .abbrev = "date", .alt = "date_alt", .recall = "date"},
    F("subtotal", "subtotal", "extraction.financial.totals.subtotal", R_AMOUNT, "subtot",
      "subtotal"),
    {.name = "tax", .truth = "tax", .pred = "extraction.financial.totals.tax", .rule = R_AMOUNT,
     .abbrev = "tax", .pred_sum = gst_parts, .recall = "tax"},
    F("grand_total", "total", "extraction.financial.totals.grand_total", R_AMOUNT, "total",
      "total"),
};
#undef F

typedef struct eval_opts {
    int jobs, limit, mismatches;
    const char *json_out, *baseline, *write_baseline, *results;
    const char *without[64]; /* --without: rules switched off */
    int nwithout;
} eval_opts;

static const cJSON *jpath(const cJSON *o, const char *path)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = o;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save))
        cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, tok) : NULL;
    return cur;
}

static int present(const cJSON *v)
{
    return v && !cJSON_IsNull(v);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* A predicted amount: a JSON number, or a string read like a label. */
static int pred_amount(const cJSON *v, double *out)
{
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        return 1;
    }
    return cJSON_IsString(v) && df_eval_parse_amount_label(v->valuestring, out) == 0;
}

/* Is prediction `p` right for truth `t` (both present) under `rule`?
 * `fixed` replaces t for constant expectations. */
static int judge(int rule, const cJSON *t, const char *fixed, const cJSON *p)
{
    const char *ts = fixed ? fixed : cJSON_IsString(t) ? t->valuestring : NULL;
    const char *ps = cJSON_IsString(p) ? p->valuestring : NULL;
    double tv, pv;
    char iso[11];
    switch (rule) {
    case R_CODE: return ts && ps && df_eval_code_eq(ts, ps);
    case R_NAME: return ts && ps && df_eval_name_eq(ts, ps);
    case R_TAXID: return ts && ps && df_eval_tax_id_eq(ts, ps);
    case R_ISO_DATE: return ts && ps && !strcmp(ts, ps);
    case R_CER: return ts && ps && df_eval_cer(ts, ps) <= DF_EVAL_ADDRESS_CER + 1e-9;
    case R_COMPACT_NAME: return ts && ps && df_eval_compact_eq(ts, ps);
    case R_COMPACT_CER: return ts && ps && df_eval_compact_cer(ts, ps) <= DF_EVAL_ADDRESS_CER + 1e-9;
    case R_DATE_LABEL: return ts && ps && df_eval_parse_date_label(ts, iso) == 0 && !strcmp(iso, ps);
    case R_BOOL: return cJSON_IsBool(t) && cJSON_IsBool(p) && cJSON_IsTrue(t) == cJSON_IsTrue(p);
    case R_AMOUNT:
        return cJSON_IsNumber(t) && pred_amount(p, &pv) && df_eval_amount_eq(t->valuedouble, pv);
    case R_AMOUNT_LABEL:
        return ts && df_eval_parse_amount_label(ts, &tv) == 0 && pred_amount(p, &pv) &&
               df_eval_amount_eq(tv, pv);
    }
    return 0;
}

static void add_mismatch(eval_folder *f, const char *doc, const char *field, const cJSON *t,
                         const char *fixed, const cJSON *p)
{
    char *ts = fixed ? NULL : t ? cJSON_PrintUnformatted(t) : NULL;
    char *ps = p ? cJSON_PrintUnformatted(p) : NULL;
    char *line = NULL;
    if (asprintf(&line, "%s %s: expected %s, got %s", doc, field, fixed ? fixed : ts ? ts : "null",
                 ps ? ps : "null") < 0)
        line = NULL;
    free(ts);
    free(ps);
    if (!line)
        return;
    if (f->nmismatches == f->capmismatches) {
        int cap = f->capmismatches ? 2 * f->capmismatches : 64;
        char **m = realloc(f->mismatches, (size_t)cap * sizeof *m);
        if (!m) {
            free(line);
            return;
        }
        f->mismatches = m;
        f->capmismatches = cap;
    }
    f->mismatches[f->nmismatches++] = line;
}

static eval_group *group_for(eval_folder *f, int dim, const cJSON *v)
{
    const char *name = cJSON_IsString(v) ? v->valuestring : "(none)";
    for (int i = 0; i < f->ngroups[dim]; i++)
        if (!strcmp(f->groups[dim][i].name, name))
            return &f->groups[dim][i];
    if (f->ngroups[dim] == EVAL_MAX_GROUPS)
        return NULL; /* more distinct values than a table can show: skip */
    eval_group *g = &f->groups[dim][f->ngroups[dim]++];
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "%s", name);
    return g;
}

static void tally(eval_count *c, int truth_present, int pred_present, int right)
{
    if (truth_present) {
        c->n++;
        c->correct += right;
    } else {
        c->null_n++;
        c->fp += pred_present;
    }
}

/* Line items reduced to description and total; NULL-safe. */
static df_eval_item *items_of(const cJSON *arr, size_t *n)
{
    *n = 0;
    int k = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
    df_eval_item *it = calloc(k ? (size_t)k : 1, sizeof *it);
    const cJSON *e, *list = k ? arr : NULL;
    if (!it)
        return NULL;
    cJSON_ArrayForEach(e, list) {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "description");
        double tot;
        it[*n].description = cJSON_IsString(d) ? d->valuestring : "";
        it[*n].has_total = pred_amount(cJSON_GetObjectItemCaseSensitive(e, "total"), &tot);
        it[*n].total = it[*n].has_total ? tot : 0;
        (*n)++;
    }
    return it;
}

/* The predicted value of field fd: its path, else (pred_sum) the sum of
 * the parts present, built in *tmp (the caller deletes it). */
static const cJSON *predicted(const eval_field *fd, const cJSON *result, cJSON **tmp)
{
    *tmp = NULL;
    const cJSON *p = result ? jpath(result, fd->pred) : NULL;
    if (present(p) || !fd->pred_sum || !result)
        return p;
    double sum = 0, v;
    int any = 0;
    for (const char *const *part = fd->pred_sum; *part; part++)
        if (pred_amount(jpath(result, *part), &v))
            sum += v, any = 1;
    return any ? (*tmp = cJSON_CreateNumber(sum)) : p;
}

static void score_doc(eval_folder *f, const eval_doc *d, const cJSON *truth, const cJSON *result)
{
    eval_group *g[EVAL_NDIMS] = {NULL, NULL, NULL};
    if (f->synthetic) {
        g[EVAL_BY_KIND] = group_for(f, EVAL_BY_KIND, jpath(truth, "meta.kind"));
        g[EVAL_BY_VARIANT] = group_for(f, EVAL_BY_VARIANT, jpath(truth, "variant"));
        g[EVAL_BY_LAYOUT] = group_for(f, EVAL_BY_LAYOUT, jpath(truth, "layout"));
    }
    for (int k = 0; k < EVAL_NDIMS; k++)
        if (g[k])
            g[k]->docs++;
    int scored = 0, scored_right = 0;
    /* the text the extractors read: from this run, or saved in the result */
    const cJSON *jt = result ? cJSON_GetObjectItemCaseSensitive(result, "text") : NULL;
    const char *text = d->text ? d->text : cJSON_IsString(jt) ? jt->valuestring : NULL;
    recall_hit hits[RECALL_MAX_HITS];
    int nhits = text ? recall_check(f->format, truth, text, hits) : 0;
    for (int i = 0; i < f->nfields; i++) {
        const eval_field *fd = &f->fields[i];
        const cJSON *t = fd->truth ? jpath(truth, fd->truth) : NULL;
        if (fd->truth && !t)
            continue; /* a field this truth format does not have is not scored */
        cJSON *tmp;
        const cJSON *p = predicted(fd, result, &tmp);
        const cJSON *alt = fd->alt ? jpath(truth, fd->alt) : NULL;
        int tp = fd->fixed ? 1 : present(t), pp = present(p);
        int right = tp && pp &&
                    (judge(fd->rule, t, fd->fixed, p) || (present(alt) && judge(fd->rule, alt, NULL, p)));
        tally(&f->f[i], tp, pp, right);
        for (int h = 0; h < nhits && tp && fd->recall; h++)
            if (!strcmp(hits[h].field, fd->recall) && hits[h].hit) {
                f->f[i].in_text++;
                f->f[i].right_in_text += right;
            }
        scored += tp, scored_right += right;
        for (int k = 0; k < EVAL_NDIMS; k++)
            if (g[k])
                tally(&g[k]->f[i], tp, pp, right);
        if (((tp && !right) || (!tp && pp)) && !f->validation)
            add_mismatch(f, d->name, fd->name, t, fd->fixed, p);
        cJSON_Delete(tmp);
    }
    /* Reliability: the document's score against the share of its scored
     * fields that are right. No result or no score counts as 0. */
    const cJSON *cs = result ? jpath(result, "extraction.confidence_score") : NULL;
    double conf = cJSON_IsNumber(cs) ? cs->valuedouble : 0.0;
    df_eval_rel_add(f->rel, conf, scored, scored_right);
    for (int k = 0; k < EVAL_NDIMS; k++)
        if (g[k])
            df_eval_rel_add(g[k]->rel, conf, scored, scored_right);
    if (!f->synthetic)
        return;
    size_t nt, np;
    df_eval_item *ti = items_of(jpath(truth, "financial.line_items"), &nt);
    df_eval_item *pi = items_of(result ? jpath(result, "extraction.financial.line_items") : NULL, &np);
    long m = ti && pi ? df_eval_match_items(ti, nt, pi, np) : 0;
    if (m < 0)
        m = 0;
    f->li_matched += m, f->li_pred += (long)np, f->li_truth += (long)nt;
    for (int k = 0; k < EVAL_NDIMS; k++)
        if (g[k])
            g[k]->li_matched += m, g[k]->li_pred += (long)np, g[k]->li_truth += (long)nt;
    if (((size_t)m != nt || (size_t)m != np) && !f->validation) {
        char line[512];
        snprintf(line, sizeof line, "%zu items", nt);
        cJSON *e = cJSON_CreateString(line);
        snprintf(line, sizeof line, "%zu items, %ld matched", np, m);
        cJSON *gt = cJSON_CreateString(line);
        add_mismatch(f, d->name, "line_items", e, NULL, gt);
        cJSON_Delete(e);
        cJSON_Delete(gt);
    }
    free(ti);
    free(pi);
}

/* --results: the result whose file_key has this document's base name. */
static const cJSON *find_result(const cJSON *results, const char *name)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, results) {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(r, "file_key");
        if (cJSON_IsString(k) && !strcmp(base_name(k->valuestring), name))
            return r;
    }
    return NULL;
}

static int eval_folder_run(eval_folder *f, const eval_opts *o, df_engine *eng, const cJSON *results)
{
    int n;
    eval_doc *docs = eval_list_docs(f, o->limit, &n);
    if (!docs) {
        cli_printf(stderr, "docflow eval: cannot read %s\n", f->dir);
        return -1;
    }
    switch (f->format) {
    case EVAL_FMT_SYNTHETIC:
        f->fields = synthetic_fields;
        f->nfields = (int)(sizeof synthetic_fields / sizeof synthetic_fields[0]);
        break;
    case EVAL_FMT_WILDRECEIPT:
        f->fields = wildreceipt_fields;
        f->nfields = (int)(sizeof wildreceipt_fields / sizeof wildreceipt_fields[0]);
        break;
    default:
        f->fields = sroie_fields;
        f->nfields = (int)(sizeof sroie_fields / sizeof sroie_fields[0]);
    }
    if (!results)
        eval_extract_all(eng, docs, n, o->jobs);
    for (int i = 0; i < n; i++) {
        char *text = eval_slurp(docs[i].label);
        cJSON *truth = text ? cJSON_Parse(text) : NULL;
        free(text);
        if (!truth) {
            cli_printf(stderr, "docflow eval: %s: cannot read the labels\n", docs[i].label);
            free(docs[i].json);
            free(docs[i].text);
            continue;
        }
        cJSON *own = docs[i].json ? cJSON_Parse(docs[i].json) : NULL;
        const cJSON *res = results ? find_result(results, docs[i].name) : own;
        /* A failed or missing result scores as "nothing predicted". */
        const cJSON *err = res ? cJSON_GetObjectItemCaseSensitive(res, "error") : NULL;
        if (!res || present(err)) {
            f->failed++;
            const cJSON *msg = err ? cJSON_GetObjectItemCaseSensitive(err, "message") : NULL;
            if (!f->validation)
                cli_printf(stderr, "docflow eval: %s: %s\n", docs[i].name,
                           cJSON_IsString(msg) ? msg->valuestring : "no result");
        }
        f->docs++;
        /* not its empty extraction: a failed result's "other" is no prediction */
        score_doc(f, &docs[i], truth, present(err) ? NULL : res);
        cJSON_Delete(own);
        cJSON_Delete(truth);
        free(docs[i].json);
        free(docs[i].text);
    }
    free(docs);
    return 0;
}

static void eval_folder_free(eval_folder *f)
{
    for (int i = 0; i < f->nmismatches; i++)
        free(f->mismatches[i]);
    free(f->mismatches);
}

#define EVAL_USAGE "usage: docflow eval [--jobs N] [--limit N] [--json FILE] [--baseline FILE]\n" \
                   "                    [--write-baseline FILE] [--mismatches] [--results FILE.json]\n" \
                   "                    [--without RULE[,RULE...]] DIR...\n" \
                   "       docflow eval --rules\n"

/* --without a,b: each id must name a rule (docflow eval --rules lists them). */
static int add_without(eval_opts *o, char *list)
{
    char *save = NULL;
    for (char *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        size_t i = 0, n = df_rule_count();
        while (i < n && strcmp(df_rule_id(i), id) != 0)
            i++;
        if (i == n || o->nwithout == 64) {
            fprintf(stderr, "docflow eval: --without %s: %s (docflow eval --rules lists them)\n", id,
                    i == n ? "no such rule" : "too many rules");
            return -1;
        }
        o->without[o->nwithout++] = df_rule_id(i);
    }
    return 0;
}

static void print_rules(void)
{
    for (size_t i = 0; i < df_rule_count(); i++)
        printf("%-28s %s\n", df_rule_id(i), df_rule_description(i));
}

int cmd_eval(int argc, char **argv)
{
    enum { O_JOBS = 256, O_LIMIT, O_JSON, O_BASE, O_WBASE, O_MIS, O_RES, O_WITHOUT, O_RULES };
    static const struct option longopts[] = {
        {"jobs", required_argument, NULL, O_JOBS}, {"limit", required_argument, NULL, O_LIMIT},
        {"json", required_argument, NULL, O_JSON}, {"baseline", required_argument, NULL, O_BASE},
        {"write-baseline", required_argument, NULL, O_WBASE},
        {"mismatches", no_argument, NULL, O_MIS}, {"results", required_argument, NULL, O_RES},
        {"without", required_argument, NULL, O_WITHOUT}, {"rules", no_argument, NULL, O_RULES},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    eval_opts o = {1, 0, 0, NULL, NULL, NULL, NULL, {NULL}, 0};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case O_JOBS: case O_LIMIT: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 1 || v > (ch == O_JOBS ? 64 : 1000000)) {
                cli_printf(stderr, "docflow eval: %s needs a positive integer%s, got '%s'\n",
                           ch == O_JOBS ? "--jobs" : "--limit", ch == O_JOBS ? " up to 64" : "",
                           optarg);
                return 2;
            }
            *(ch == O_JOBS ? &o.jobs : &o.limit) = (int)v;
            break;
        }
        case O_JSON: o.json_out = optarg; break;
        case O_BASE: o.baseline = optarg; break;
        case O_WBASE: o.write_baseline = optarg; break;
        case O_MIS: o.mismatches = 1; break;
        case O_RES: o.results = optarg; break;
        case O_WITHOUT:
            if (add_without(&o, optarg) != 0)
                return 2;
            break;
        case O_RULES: print_rules(); return 0;
        case 'h': fputs(EVAL_USAGE, stdout); return 0;
        default: fputs(EVAL_USAGE, stderr); return 2;
        }
    }
    if (optind >= argc) {
        fputs(EVAL_USAGE, stderr);
        return 2;
    }
    for (int i = optind; i < argc; i++)
        if (o.mismatches && eval_is_validation(argv[i])) {
            cli_printf(stderr, "docflow eval: %s is a validation split: it is measured in aggregate "
                               "only, so --mismatches is refused for it\n", argv[i]);
            return 2;
        }
    cJSON *results = NULL;
    df_engine *eng = NULL;
    if (o.results && o.nwithout) {
        fputs("docflow eval: --without needs an extraction; it cannot score saved --results\n", stderr);
        return 2;
    }
    if (o.results) {
        char *text = eval_slurp(o.results);
        results = text ? cJSON_Parse(text) : NULL;
        free(text);
        if (!cJSON_IsArray(results)) {
            cli_printf(stderr, "docflow eval: %s: not a JSON array of results\n", o.results);
            cJSON_Delete(results);
            return 2;
        }
    } else {
        df_code code;
        char msg[DF_ERROR_MAX];
        df_options *opts = df_options_new();
        for (int i = 0; opts && i < o.nwithout; i++)
            df_options_disable_rule(opts, o.without[i]);
        eng = opts ? df_engine_new(opts, &code, msg) : NULL;
        if (!opts)
            code = DF_E_NO_MEMORY, snprintf(msg, sizeof msg, "out of memory");
        df_options_free(opts);
        if (!eng) {
            fprintf(stderr, "docflow eval: cannot start: %s (%s)\n", msg, df_code_name(code));
            return 1;
        }
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "folders", cJSON_CreateArray());
    cJSON_AddItemToObject(root, "figures", cJSON_CreateObject());
    df_eval_rel all[DF_EVAL_REL_BINS + 1];
    memset(all, 0, sizeof all);
    int rc = 0, nfolders = 0;
    for (int i = optind; i < argc; i++) {
        eval_folder *f = calloc(1, sizeof *f);
        if (!f)
            break;
        f->dir = argv[i];
        size_t len = strlen(argv[i]);
        while (len > 1 && argv[i][len - 1] == '/')
            len--;
        snprintf(f->label, sizeof f->label, "%.*s", (int)len, argv[i]);
        memmove(f->label, base_name(f->label), strlen(base_name(f->label)) + 1);
        if (eval_folder_run(f, &o, eng, results) == 0) {
            eval_print_folder(f, o.mismatches);
            eval_json_folder(root, f);
            for (int b = 0; b <= DF_EVAL_REL_BINS; b++) {
                all[b].docs += f->rel[b].docs;
                all[b].conf_sum += f->rel[b].conf_sum;
                all[b].fields += f->rel[b].fields;
                all[b].right += f->rel[b].right;
            }
            nfolders++;
        } else {
            rc = 1;
        }
        eval_folder_free(f);
        free(f);
    }
    df_engine_free(eng);
    cJSON_Delete(results);
    if (nfolders > 1) {
        printf("all folders (%d)\n", nfolders);
        eval_print_reliability(all, 2);
        printf("\n");
    }
    cJSON_AddItemToObject(root, "reliability", eval_reliability_json(all));
    if (o.json_out && eval_write_json(root, o.json_out) != 0)
        rc = 1;
    if (o.write_baseline) {
        cJSON *b = cJSON_CreateObject();
        cJSON_AddItemReferenceToObject(b, "figures", cJSON_GetObjectItem(root, "figures"));
        if (eval_write_json(b, o.write_baseline) != 0)
            rc = 1;
        cJSON_Delete(b);
    }
    if (o.baseline) {
        int b = eval_check_baseline_file(root, o.baseline);
        if (b)
            rc = b;
    }
    cJSON_Delete(root);
    return rc;
}
