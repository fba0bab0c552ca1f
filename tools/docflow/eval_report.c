/* eval_report.c — what `docflow eval` prints and writes: the per-folder
 * tables, the --json document, and the --baseline check. Figures are
 * percentages rounded to 2 decimals so a baseline file written on one
 * machine compares exactly on another. */
#include "cli.h"
#include "eval.h"
#include "eval_compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double pct(int num, int den)
{
    return den ? round(10000.0 * num / den) / 100.0 : 0.0;
}

static double round2(double v)
{
    return round(100.0 * v) / 100.0;
}

static const char *rel_names[DF_EVAL_REL_BINS + 1] = {"[0.0,0.2)", "[0.2,0.4)", "[0.4,0.6)",
                                                        "[0.6,0.8)", "[0.8,1.0]", ">= 0.9"};

void eval_print_reliability(const df_eval_rel *bins, int indent)
{
    printf("%*sconfidence_score reliability (fields: scored fields, truth not null)\n", indent, "");
    printf("%*s%-10s %5s %6s %7s %7s %8s\n", indent, "", "score", "docs", "mean", "fields", "right",
           "right%");
    for (int b = 0; b <= DF_EVAL_REL_BINS; b++) {
        const df_eval_rel *r = &bins[b];
        char mean[16] = "-", acc[16] = "-";
        if (r->docs)
            snprintf(mean, sizeof mean, "%.3f", r->conf_sum / r->docs);
        if (r->fields)
            snprintf(acc, sizeof acc, "%.1f%%", 100.0 * (double)r->right / (double)r->fields);
        printf("%*s%-10s %5d %6s %7ld %7ld %8s\n", indent, "", rel_names[b], r->docs, mean,
               r->fields, r->right, acc);
    }
}

static cJSON *rel_bin_json(const df_eval_rel *r, double from, double to)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "from", from);
    cJSON_AddNumberToObject(o, "to", to);
    cJSON_AddNumberToObject(o, "docs", r->docs);
    if (r->docs)
        cJSON_AddNumberToObject(o, "mean_confidence",
                                round(10000.0 * r->conf_sum / r->docs) / 10000.0);
    else
        cJSON_AddNullToObject(o, "mean_confidence");
    cJSON_AddNumberToObject(o, "fields", (double)r->fields);
    cJSON_AddNumberToObject(o, "fields_right", (double)r->right);
    if (r->fields)
        cJSON_AddNumberToObject(o, "accuracy",
                                round(10000.0 * (double)r->right / (double)r->fields) / 100.0);
    else
        cJSON_AddNullToObject(o, "accuracy");
    return o;
}

cJSON *eval_reliability_json(const df_eval_rel *bins)
{
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    for (int b = 0; b < DF_EVAL_REL_BINS; b++)
        cJSON_AddItemToArray(arr, rel_bin_json(&bins[b], (double)b / DF_EVAL_REL_BINS,
                                               (double)(b + 1) / DF_EVAL_REL_BINS));
    cJSON_AddItemToObject(o, "bins", arr);
    cJSON_AddItemToObject(o, "at_least_0_9",
                          rel_bin_json(&bins[DF_EVAL_REL_BINS], DF_EVAL_REL_HIGH, 1.0));
    return o;
}

static void print_groups(const eval_folder *f, int dim, const char *title)
{
    if (!f->ngroups[dim])
        return;
    printf("\n  accuracy %% by %s (- = no non-null truth)\n  %-16s %5s", title, title, "docs");
    for (int i = 0; i < f->nfields; i++)
        printf(" %6s", f->fields[i].abbrev);
    printf(" %6s %7s\n", "li_F1", "conf.9");
    for (int g = 0; g < f->ngroups[dim]; g++) {
        const eval_group *gr = &f->groups[dim][g];
        printf("  %-16s %5d", gr->name, gr->docs);
        for (int i = 0; i < f->nfields; i++) {
            if (gr->f[i].n)
                printf(" %6.1f", pct(gr->f[i].correct, gr->f[i].n));
            else
                printf(" %6s", "-");
        }
        double p, r, f1;
        df_eval_prf(gr->li_matched, gr->li_pred, gr->li_truth, &p, &r, &f1);
        printf(" %6.1f %7d\n", 100.0 * f1, gr->rel[DF_EVAL_REL_BINS].docs);
    }
}

void eval_print_folder(const eval_folder *f, int show_mismatches)
{
    cli_printf(stdout, "%s (%s, %d documents, %d without a result)\n", f->dir,
               eval_format_name(f->format), f->docs, f->failed);
    int texts = 0; /* the text is known: show extraction given what OCR read */
    for (int i = 0; i < f->nfields; i++)
        texts |= f->f[i].in_text > 0;
    printf("  %-18s %5s %7s %9s %7s %6s", "field", "n", "correct", "accuracy", "null_n", "fp");
    printf(texts ? " %7s %10s\n" : "\n", "in_text", "given_text");
    for (int i = 0; i < f->nfields; i++) {
        const eval_count *c = &f->f[i];
        char acc[16] = "-", given[16] = "-";
        if (c->n)
            snprintf(acc, sizeof acc, "%.1f%%", pct(c->correct, c->n));
        if (c->in_text)
            snprintf(given, sizeof given, "%.1f%%", pct(c->right_in_text, c->in_text));
        printf("  %-18s %5d %7d %9s %7d %6d", f->fields[i].name, c->n, c->correct, acc, c->null_n,
               c->fp);
        if (texts && f->fields[i].recall)
            printf(" %7d %10s", c->in_text, given);
        printf("\n");
    }
    if (texts)
        printf("  (in_text: of n, how many the document's text contains; given_text: how many of\n"
               "   those are right, extraction given what OCR read)\n");
    if (f->synthetic) {
        double p, r, f1;
        df_eval_prf(f->li_matched, f->li_pred, f->li_truth, &p, &r, &f1);
        printf("\n  line items: %ld true, %ld predicted, %ld matched; P %.1f%%  R %.1f%%  F1 %.1f%%\n",
               f->li_truth, f->li_pred, f->li_matched, 100 * p, 100 * r, 100 * f1);
        print_groups(f, EVAL_BY_KIND, "kind");
        print_groups(f, EVAL_BY_VARIANT, "variant");
        print_groups(f, EVAL_BY_LAYOUT, "layout");
        printf("  (conf.9: documents with confidence_score >= 0.9)\n");
    }
    printf("\n");
    eval_print_reliability(f->rel, 2);
    if (show_mismatches && f->nmismatches) {
        printf("\n  mismatches (%d)\n", f->nmismatches);
        for (int i = 0; i < f->nmismatches; i++)
            cli_printf(stdout, "  %s\n", f->mismatches[i]);
    }
    printf("\n");
}

static cJSON *count_json(const eval_count *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n", c->n);
    cJSON_AddNumberToObject(o, "correct", c->correct);
    if (c->n)
        cJSON_AddNumberToObject(o, "accuracy", pct(c->correct, c->n));
    else
        cJSON_AddNullToObject(o, "accuracy");
    cJSON_AddNumberToObject(o, "null_n", c->null_n);
    cJSON_AddNumberToObject(o, "false_positives", c->fp);
    cJSON_AddNumberToObject(o, "in_text", c->in_text);
    if (c->in_text)
        cJSON_AddNumberToObject(o, "accuracy_given_text", pct(c->right_in_text, c->in_text));
    return o;
}

static cJSON *prf_json(long m, long np, long nt)
{
    double p, r, f1;
    df_eval_prf(m, np, nt, &p, &r, &f1);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "truth", (double)nt);
    cJSON_AddNumberToObject(o, "predicted", (double)np);
    cJSON_AddNumberToObject(o, "matched", (double)m);
    cJSON_AddNumberToObject(o, "precision", round2(100 * p));
    cJSON_AddNumberToObject(o, "recall", round2(100 * r));
    cJSON_AddNumberToObject(o, "f1", round2(100 * f1));
    return o;
}

void eval_json_folder(cJSON *root, const eval_folder *f)
{
    static const char *dims[EVAL_NDIMS] = {"kind", "variant", "layout"};
    cJSON *o = cJSON_CreateObject(), *fields = cJSON_CreateObject();
    cJSON *figures = cJSON_GetObjectItem(root, "figures");
    cJSON_AddStringToObject(o, "dir", f->dir);
    cJSON_AddStringToObject(o, "name", f->label);
    cJSON_AddStringToObject(o, "format", eval_format_name(f->format));
    cJSON_AddNumberToObject(o, "docs", f->docs);
    cJSON_AddNumberToObject(o, "without_result", f->failed);
    char name[512];
    for (int i = 0; i < f->nfields; i++) {
        cJSON_AddItemToObject(fields, f->fields[i].name, count_json(&f->f[i]));
        /* Headline figures: accuracies only (higher is better), and only
         * where there is truth to be accurate about. */
        if (f->f[i].n) {
            snprintf(name, sizeof name, "%s/%s", f->label, f->fields[i].name);
            cJSON_AddNumberToObject(figures, name, pct(f->f[i].correct, f->f[i].n));
        }
    }
    cJSON_AddItemToObject(o, "fields", fields);
    if (f->synthetic) {
        cJSON_AddItemToObject(o, "line_items", prf_json(f->li_matched, f->li_pred, f->li_truth));
        double p, r, f1;
        df_eval_prf(f->li_matched, f->li_pred, f->li_truth, &p, &r, &f1);
        snprintf(name, sizeof name, "%s/line_items.f1", f->label);
        cJSON_AddNumberToObject(figures, name, round2(100 * f1));
    }
    cJSON_AddItemToObject(o, "reliability", eval_reliability_json(f->rel));
    cJSON *groups = cJSON_CreateObject();
    for (int d = 0; d < EVAL_NDIMS; d++) {
        if (!f->ngroups[d])
            continue;
        cJSON *dim = cJSON_CreateObject();
        for (int g = 0; g < f->ngroups[d]; g++) {
            const eval_group *gr = &f->groups[d][g];
            cJSON *go = cJSON_CreateObject(), *gf = cJSON_CreateObject();
            cJSON_AddNumberToObject(go, "docs", gr->docs);
            for (int i = 0; i < f->nfields; i++)
                cJSON_AddItemToObject(gf, f->fields[i].name, count_json(&gr->f[i]));
            cJSON_AddItemToObject(go, "fields", gf);
            cJSON_AddItemToObject(go, "line_items", prf_json(gr->li_matched, gr->li_pred, gr->li_truth));
            cJSON_AddItemToObject(go, "reliability", eval_reliability_json(gr->rel));
            cJSON_AddItemToObject(dim, gr->name, go);
        }
        cJSON_AddItemToObject(groups, dims[d], dim);
    }
    cJSON_AddItemToObject(o, "groups", groups);
    cJSON *mis = cJSON_CreateArray();
    for (int i = 0; i < f->nmismatches; i++)
        cJSON_AddItemToArray(mis, cJSON_CreateString(f->mismatches[i]));
    cJSON_AddItemToObject(o, "mismatches", mis);
    cJSON_AddItemToArray(cJSON_GetObjectItem(root, "folders"), o);
}

int eval_write_json(const cJSON *obj, const char *path)
{
    char *text = cJSON_Print(obj);
    FILE *fp = text ? fopen(path, "w") : NULL;
    int ok = fp && cli_printf(fp, "%s\n", text) == 0; /* valid UTF-8, whatever a path holds */
    if (fp && fclose(fp) != 0)
        ok = 0;
    free(text);
    if (!ok)
        cli_printf(stderr, "docflow eval: cannot write %s\n", path);
    return ok ? 0 : -1;
}

/* Figures of a {"figures": {name: number}} object as an array. */
static df_eval_figure *figures_of(const cJSON *obj, size_t *n)
{
    const cJSON *figs = cJSON_GetObjectItemCaseSensitive(obj, "figures"), *e;
    int k = cJSON_IsObject(figs) ? cJSON_GetArraySize(figs) : 0;
    df_eval_figure *out = calloc(k ? (size_t)k : 1, sizeof *out);
    *n = 0;
    if (!out || !k)
        return out;
    cJSON_ArrayForEach(e, figs) {
        if (cJSON_IsNumber(e) && e->string)
            out[(*n)++] = (df_eval_figure){e->string, e->valuedouble};
    }
    return out;
}

static void report_drop(void *ud, const char *name, double cur, double base, int missing)
{
    (void)ud;
    if (missing)
        cli_printf(stderr,
                   "docflow eval: below baseline: %s missing from this run (baseline %.2f)\n",
                   name, base);
    else
        cli_printf(stderr, "docflow eval: below baseline: %s %.2f < %.2f\n", name, cur, base);
}

int eval_check_baseline_file(const cJSON *root, const char *path)
{
    char *text = eval_slurp(path);
    cJSON *base = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(base, "figures"))) {
        cli_printf(stderr, "docflow eval: %s: not a baseline ({\"figures\": {...}})\n", path);
        cJSON_Delete(base);
        return 2;
    }
    size_t nc, nb;
    df_eval_figure *cur = figures_of(root, &nc), *bas = figures_of(base, &nb);
    int drops = cur && bas ? df_eval_check_baseline(cur, nc, bas, nb, report_drop, NULL) : 1;
    if (!drops)
        fprintf(stderr, "docflow eval: all %zu baseline figures hold\n", nb);
    free(cur);
    free(bas);
    cJSON_Delete(base);
    return drops ? 1 : 0;
}
