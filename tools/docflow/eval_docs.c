/* eval_docs.c — finding a labelled folder's documents and extracting them
 * for `docflow eval`. The layout is the one `docflow recall` walks (see
 * ../shared/devset/README.md). */
#include "eval.h"

#include <dirent.h>
#include <docflow/docflow.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *eval_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *p = realloc(buf, 2 * cap + 1);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

const char *eval_format_name(int format)
{
    return format == EVAL_FMT_SYNTHETIC ? "synthetic" : format == EVAL_FMT_WILDRECEIPT ? "wildreceipt"
                                                                                      : "sroie";
}

int eval_is_validation(const char *dir)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    return len >= 4 && !strncmp(dir + len - 4, "-val", 4);
}

/* WildReceipt labels carry `date_alt` (the other reading of an ambiguous
 * slash date) and `subtotal`; SROIE's have neither. The first label
 * decides for the folder. */
static int label_format(const char *label_path)
{
    char *text = eval_slurp(label_path);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    int wr = cJSON_IsObject(j) && cJSON_HasObjectItem(j, "date_alt") && cJSON_HasObjectItem(j, "subtotal");
    cJSON_Delete(j);
    free(text);
    return wr ? EVAL_FMT_WILDRECEIPT : EVAL_FMT_SROIE;
}

/* The documents of a folder, laid out as in `docflow recall`: with truth/
 * and docs/ it is synthetic, else <ID>.json next to <ID>.<image> (SROIE or
 * WildReceipt, told apart by the labels' keys). */
eval_doc *eval_list_docs(eval_folder *f, int limit, int *count)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/truth", f->dir);
    f->synthetic = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    f->format = f->synthetic ? EVAL_FMT_SYNTHETIC : EVAL_FMT_SROIE;
    f->validation = eval_is_validation(f->dir);
    snprintf(path, sizeof path, f->synthetic ? "%s/docs" : "%s", f->dir);
    struct dirent **ents;
    int n = scandir(path, &ents, NULL, by_name), k = 0;
    *count = 0;
    if (n < 0)
        return NULL;
    eval_doc *docs = calloc(n ? (size_t)n : 1, sizeof *docs);
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        if (docs && name[0] != '.' && !has_suffix(name, ".json") && (limit <= 0 || k < limit)) {
            eval_doc *d = &docs[k];
            snprintf(d->name, sizeof d->name, "%s", name);
            snprintf(d->path, sizeof d->path, "%s/%s", path, name);
            if (f->synthetic) {
                snprintf(d->label, sizeof d->label, "%s/truth/%s.json", f->dir, name);
            } else {
                snprintf(d->label, sizeof d->label, "%s/%s", f->dir, name);
                char *dot = strrchr(d->label, '.');
                if (dot && dot > strrchr(d->label, '/') && (size_t)(dot - d->label) + 6 <= sizeof d->label)
                    memcpy(dot, ".json", 6);
            }
            if (stat(d->label, &st) == 0)
                k++;
        }
        free(ents[i]);
    }
    free(ents);
    *count = k;
    if (k && !f->synthetic)
        f->format = label_format(docs[0].label);
    return docs;
}

typedef struct extract_pool {
    df_engine *engine;
    eval_doc *docs;
    int n, next;
    pthread_mutex_t lock;
} extract_pool;

static void *extract_worker(void *arg)
{
    extract_pool *pool = arg;
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        int i = pool->next++;
        pthread_mutex_unlock(&pool->lock);
        if (i >= pool->n)
            return NULL;
        df_result *r = NULL;
        df_extract_file(pool->engine, pool->docs[i].path, &r);
        pool->docs[i].json = r ? df_result_to_json(r, (uint64_t)i, pool->docs[i].path, 0) : NULL;
        pool->docs[i].text = r && df_result_code(r) == DF_OK ? strdup(df_result_text(r)) : NULL;
        df_result_free(r);
    }
}

/* Extraction is the slow part, so it alone runs on --jobs threads (the
 * engine is documented as shareable); scoring stays serial. */
void eval_extract_all(df_engine *eng, eval_doc *docs, int n, int jobs)
{
    extract_pool pool = {eng, docs, n, 0, PTHREAD_MUTEX_INITIALIZER};
    pthread_t th[64];
    int started = 0;
    for (int i = 1; i < jobs && i < 64; i++)
        if (pthread_create(&th[started], NULL, extract_worker, &pool) == 0)
            started++;
    extract_worker(&pool);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}
