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
#include "recall_fields.h"

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
        cli_printf(stderr, "miss %s %s: %s\n", doc, field, label);
}

static void run_one(recall_run *run, const char *docpath, const char *labelpath, int format)
{
    char *label_text = eval_slurp(labelpath);
    cJSON *lab = label_text ? cJSON_Parse(label_text) : NULL;
    free(label_text);
    if (!lab) {
        cli_printf(stderr, "docflow recall: %s: cannot read labels\n", labelpath);
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
    if (format == EVAL_FMT_WILDRECEIPT) { /* every folder of a format shows the same rows */
        static const char *const order[] = {"total", "subtotal", "tax", "date", "company", "address"};
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
            stat_for(run, order[i]);
    }
    recall_hit hits[RECALL_MAX_HITS];
    int n = recall_check(format, lab, text, hits);
    for (int i = 0; i < n; i++)
        count(run, doc, hits[i].field, hits[i].label, hits[i].hit);
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
        cli_printf(stderr, "docflow recall: cannot read %s\n", dir);
        run->failed++;
        return;
    }
    for (int i = 0; i < n; i++)
        run_one(run, docs[i].path, docs[i].label, f.format);
    free(docs);
}

static void print_table(const recall_run *run, const char *dir)
{
    cli_printf(stdout, "%s (%d documents%s)\n", dir, run->docs,
               run->command ? ", external command" : "");
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
            cli_printf(stderr, "docflow recall: %s is a validation split: it is measured in aggregate "
                               "only, so --verbose is refused for it\n", argv[i]);
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
