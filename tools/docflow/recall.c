/*
 * recall.c — `docflow recall DIR`: OCR recall on a labelled folder.
 *
 * For each labelled document it asks: does the text the extractors receive
 * contain the labelled value at all? That bounds what any extractor can get
 * right, so it is the measure for the OCR and layout stages. The text comes
 * from libdocflow (df_result_text) or, with --command, from any program
 * printing text for a file ("tesseract {} - --psm 3" gives the raw baseline).
 *
 * Matching follows ../shared/devset/README.md: names and addresses after
 * upper-casing and folding non-alphanumerics to single spaces; amounts as
 * numbers in any grouping style; SROIE dates as printed, synthetic (ISO)
 * dates in any common printed form. WildReceipt labels have their spaces
 * removed, so names, addresses and printed dates are looked for in the text
 * with every non-alphanumeric removed too (df_match_compact).
 */
#include "cli.h"
#include "eval.h"
#include "recall_match.h"

#include <cjson/cJSON.h>
#include <docflow/docflow.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 8

typedef struct field_stat {
    const char *name;
    int found, total;
} field_stat;

typedef struct recall_run {
    df_engine *engine;
    const char *command; /* NULL: use libdocflow */
    int verbose;
    field_stat fields[MAX_FIELDS];
    int nfields, docs, failed;
} recall_run;

/* Quote a path for sh -c: '...' with embedded quotes escaped. */
static char *shell_command(const char *tmpl, const char *path)
{
    size_t need = strlen(tmpl) + 4 * strlen(path) + 3;
    char *out = malloc(need + 8), *o = out;
    if (!out)
        return NULL;
    for (const char *t = tmpl; *t; t++) {
        if (t[0] == '{' && t[1] == '}') {
            *o++ = '\'';
            for (const char *p = path; *p; p++) {
                if (*p == '\'') {
                    memcpy(o, "'\\''", 4);
                    o += 4;
                } else {
                    *o++ = *p;
                }
            }
            *o++ = '\'';
            t++;
        } else {
            *o++ = *t;
        }
    }
    *o = '\0';
    return out;
}

static char *text_from_command(const char *tmpl, const char *path)
{
    char *cmd = shell_command(tmpl, path);
    FILE *p = cmd ? popen(cmd, "r") : NULL;
    free(cmd);
    if (!p)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, p)) > 0) {
        n += got;
        if (n == cap) {
            char *q = realloc(buf, 2 * cap + 1);
            if (!q)
                break;
            buf = q;
            cap *= 2;
        }
    }
    pclose(p);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static char *document_text(recall_run *run, const char *path)
{
    if (run->command)
        return text_from_command(run->command, path);
    df_result *r = NULL;
    char *text = NULL;
    if (df_extract_file(run->engine, path, &r) == DF_OK)
        text = strdup(df_result_text(r));
    else
        fprintf(stderr, "docflow recall: %s\n", df_result_error_message(r));
    df_result_free(r);
    return text;
}

static field_stat *stat_for(recall_run *run, const char *name)
{
    for (int i = 0; i < run->nfields; i++)
        if (!strcmp(run->fields[i].name, name))
            return &run->fields[i];
    if (run->nfields == MAX_FIELDS)
        return NULL;
    run->fields[run->nfields] = (field_stat){name, 0, 0};
    return &run->fields[run->nfields++];
}

static void count(recall_run *run, const char *doc, const char *field, const char *label, int hit)
{
    field_stat *s = stat_for(run, field);
    if (!s)
        return;
    s->total++;
    s->found += hit;
    if (!hit && run->verbose)
        fprintf(stderr, "miss %s %s: %s\n", doc, field, label);
}

static const char *jstr(const cJSON *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = o;
    for (char *tok = strtok(buf, "."); tok && cur; tok = strtok(NULL, "."))
        cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
    return cJSON_IsString(cur) ? cur->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *path, int *ok)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = o;
    for (char *tok = strtok(buf, "."); tok && cur; tok = strtok(NULL, "."))
        cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
    *ok = cJSON_IsNumber(cur);
    return *ok ? cur->valuedouble : 0;
}

/* SROIE: <ID>.jpg with <ID>.json {company, date, address, total}. */
static void check_sroie(recall_run *run, const char *doc, const char *text, const cJSON *lab)
{
    const char *v;
    if ((v = jstr(lab, "total")))
        count(run, doc, "total", v, df_match_amount_str(text, v));
    if ((v = jstr(lab, "date")))
        count(run, doc, "date", v, df_match_verbatim_ci(text, v));
    if ((v = jstr(lab, "company")))
        count(run, doc, "company", v, df_match_name(text, v));
    if ((v = jstr(lab, "address")))
        count(run, doc, "address", v, df_match_name(text, v));
}

/* Synthetic: truth/<file>.json holds the expected extraction object. */
static void check_synthetic(recall_run *run, const char *doc, const char *text, const cJSON *t)
{
    const char *v;
    int ok;
    double total = jnum(t, "financial.totals.grand_total", &ok);
    if (ok) {
        char label[64];
        snprintf(label, sizeof label, "%.2f", total);
        count(run, doc, "grand_total", label, df_match_amount(text, total));
    }
    if ((v = jstr(t, "document_meta.date")))
        count(run, doc, "date", v, df_match_iso_date(text, v));
    if ((v = jstr(t, "vendor.name")))
        count(run, doc, "vendor_name", v, df_match_name(text, v));
    if ((v = jstr(t, "vendor.tax_id")))
        count(run, doc, "vendor_tax_id", v, df_match_name(text, v));
    if ((v = jstr(t, "document_meta.invoice_number")))
        count(run, doc, "invoice_number", v, df_match_name(text, v));
}

static void count_amount(recall_run *run, const char *doc, const char *field, const cJSON *lab,
                         const char *text)
{
    int ok;
    double v = jnum(lab, field, &ok);
    if (!ok)
        return;
    char label[64];
    snprintf(label, sizeof label, "%.2f", v);
    count(run, doc, field, label, df_match_amount(text, v));
}

/* WildReceipt: <id>.json with labels whose spaces were removed; numeric
 * amounts; an ISO date, the other reading of an ambiguous one (date_alt)
 * and the date as printed (date_raw, one or more boxes). */
static void check_wildreceipt(recall_run *run, const char *doc, const char *text, const cJSON *lab)
{
    static const char *const order[] = {"total", "subtotal", "tax", "date", "company", "address"};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        stat_for(run, order[i]); /* the same rows in the same order for every folder */
    const char *v;
    count_amount(run, doc, "total", lab, text);
    count_amount(run, doc, "subtotal", lab, text);
    count_amount(run, doc, "tax", lab, text);
    if ((v = jstr(lab, "date"))) {
        const char *alt = jstr(lab, "date_alt");
        int hit = df_match_iso_date(text, v) || (alt && df_match_iso_date(text, alt));
        const cJSON *raw, *raws = cJSON_GetObjectItemCaseSensitive(lab, "date_raw");
        cJSON_ArrayForEach(raw, raws)
            hit = hit || (cJSON_IsString(raw) && df_match_compact(text, raw->valuestring));
        count(run, doc, "date", v, hit);
    }
    if ((v = jstr(lab, "company")))
        count(run, doc, "company", v, df_match_compact(text, v));
    if ((v = jstr(lab, "address")))
        count(run, doc, "address", v, df_match_compact(text, v));
}

static void run_one(recall_run *run, const char *docpath, const char *labelpath, int format)
{
    char *label_text = eval_slurp(labelpath);
    cJSON *lab = label_text ? cJSON_Parse(label_text) : NULL;
    free(label_text);
    if (!lab) {
        fprintf(stderr, "docflow recall: %s: cannot read labels\n", labelpath);
        run->failed++;
        return;
    }
    char *text = document_text(run, docpath);
    run->docs++;
    if (!text) {
        run->failed++;
        text = strdup("");
    }
    const char *doc = strrchr(docpath, '/') ? strrchr(docpath, '/') + 1 : docpath;
    if (format == EVAL_FMT_SYNTHETIC)
        check_synthetic(run, doc, text, lab);
    else if (format == EVAL_FMT_WILDRECEIPT)
        check_wildreceipt(run, doc, text, lab);
    else
        check_sroie(run, doc, text, lab);
    free(text);
    cJSON_Delete(lab);
}

/* The labelled documents, listed the way `docflow eval` lists them. */
static void run_folder(recall_run *run, const char *dir, int limit)
{
    eval_folder f = {0};
    f.dir = dir;
    int n = 0;
    eval_doc *docs = eval_list_docs(&f, limit, &n);
    if (!docs) {
        fprintf(stderr, "docflow recall: cannot read %s\n", dir);
        run->failed++;
        return;
    }
    for (int i = 0; i < n; i++)
        run_one(run, docs[i].path, docs[i].label, f.format);
    free(docs);
}

static void print_table(const recall_run *run, const char *dir)
{
    printf("%s (%d documents%s)\n", dir, run->docs, run->command ? ", external command" : "");
    printf("  %-16s %7s %7s %8s\n", "field", "found", "total", "recall");
    for (int i = 0; i < run->nfields; i++) {
        const field_stat *s = &run->fields[i];
        printf("  %-16s %7d %7d %7.1f%%\n", s->name, s->found, s->total,
               s->total ? 100.0 * s->found / s->total : 0.0);
    }
}

int cmd_recall(int argc, char **argv)
{
    static const struct option longopts[] = {{"command", required_argument, NULL, 'c'},
                                             {"limit", required_argument, NULL, 'n'},
                                             {"verbose", no_argument, NULL, 'v'},
                                             {NULL, 0, NULL, 0}};
    recall_run run = {0};
    int ch, limit = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:n:v", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c': run.command = optarg; break;
        case 'n': limit = atoi(optarg); break;
        case 'v': run.verbose = 1; break;
        default:
            fprintf(stderr, "usage: docflow recall [--command 'CMD {}'] [--limit N] [--verbose] DIR...\n");
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: docflow recall [--command 'CMD {}'] [--limit N] [--verbose] DIR...\n");
        return 2;
    }
    for (int i = optind; i < argc; i++)
        if (run.verbose && eval_is_validation(argv[i])) {
            fprintf(stderr, "docflow recall: %s is a validation split: it is measured in aggregate only, "
                            "so --verbose is refused for it\n", argv[i]);
            return 2;
        }
    if (!run.command && !(run.engine = df_engine_new(NULL, NULL, NULL))) {
        fprintf(stderr, "docflow recall: cannot create the engine\n");
        return 1;
    }
    for (int i = optind; i < argc; i++) {
        recall_run one = run;
        one.nfields = one.docs = one.failed = 0;
        run_folder(&one, argv[i], limit);
        print_table(&one, argv[i]);
        run.failed += one.failed;
    }
    df_engine_free(run.engine);
    return run.failed ? 1 : 0;
}
