/*
 * replay.c — extraction without OCR, for working on the extractors.
 *
 * Changing a rule in lib/extract and measuring it means OCRing every
 * labelled document again: minutes per experiment on two cores, although
 * the words OCR hands the extractors have not changed. This tool saves each
 * document's pages (geometry and words with boxes and confidences) once,
 * then runs layout, extraction and validation again from them in seconds,
 * printing what `docflow extract` prints, for `docflow eval --results`:
 *
 *   replay dump CACHE [--jobs N] FILE|DIR...   extract normally (the JSON
 *                                 array on stdout) and save CACHE/<name>.words
 *   replay run CACHE [FILE...]    the JSON array again from CACHE (every
 *                                 .words file, or those of FILE's names)
 *   replay text CACHE [FILE...]   their text as the extractors read it
 *
 * What differs from the real pipeline: no pixels are kept, so the
 * extractors' second readings of a region (df_reread) find nothing. Figures
 * for a commit message come from `docflow eval` itself; replay is for the
 * loop in between. The cache knows nothing of the OCR code: dump again when
 * lib/ocr or lib/decode changed.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <docflow/docflow.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/internal.h"
#include "core/job.h"

#define REPLAY_MAGIC "docflow-words 1"

/* ---- the cache file ----------------------------------------------------- */

/* Word text on one line: backslash, newline and carriage return escaped. */
static void put_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\\\", f);
        else if (*s == '\n')
            fputs("\\n", f);
        else if (*s == '\r')
            fputs("\\r", f);
        else
            fputc(*s, f);
    }
    fputc('\n', f);
}

static char *get_text(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    for (; *s && *s != '\n'; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int save_doc(const char *cache, const char *path, const df_job *j)
{
    char out[8192], tmp[8200];
    snprintf(out, sizeof out, "%s/%s.words", cache, base_name(path));
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "%s\n%d %zu\n", REPLAY_MAGIC, (int)j->doc.format, j->doc.npages);
    put_text(f, path);
    for (size_t i = 0; i < j->doc.npages; i++) {
        const df_page *p = &j->doc.pages[i];
        fprintf(f, "page %d %d %d %.17g %.17g %d %zu\n", p->width, p->height, p->dpi, p->width_pt,
                p->height_pt, p->has_text_layer, p->nwords);
        for (size_t k = 0; k < p->nwords; k++) {
            const df_word *w = &p->words[k];
            fprintf(f, "%.9g %.9g %.9g %.9g %.9g ", w->box[0], w->box[1], w->box[2], w->box[3],
                    w->conf);
            put_text(f, w->text);
        }
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return -1;
    return rename(tmp, out);
}

/* Fill j's pages from a cache file; returns the path it was made from. */
static char *load_doc(const char *file, df_job *j)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return NULL;
    char *line = NULL, *path = NULL;
    size_t cap = 0;
    int fmt = 0, ok = 0;
    size_t np = 0;
    if (getline(&line, &cap, f) > 0 && !strncmp(line, REPLAY_MAGIC, strlen(REPLAY_MAGIC)) &&
        getline(&line, &cap, f) > 0 && sscanf(line, "%d %zu", &fmt, &np) == 2 && np < 100000 &&
        getline(&line, &cap, f) > 0 && (path = get_text(line)) &&
        (j->doc.pages = calloc(np ? np : 1, sizeof *j->doc.pages))) {
        j->doc.npages = j->doc.cap = np;
        j->doc.format = (df_format)fmt;
        ok = 1;
        for (size_t i = 0; i < np && ok; i++) {
            df_page *p = &j->doc.pages[i];
            ok = getline(&line, &cap, f) > 0 &&
                 sscanf(line, "page %d %d %d %lg %lg %d %zu", &p->width, &p->height, &p->dpi,
                        &p->width_pt, &p->height_pt, &p->has_text_layer, &p->nwords) == 7 &&
                 (p->words = calloc(p->nwords ? p->nwords : 1, sizeof *p->words));
            for (size_t k = 0; ok && k < p->nwords; k++) {
                df_word *w = &p->words[k];
                int at = 0;
                ok = getline(&line, &cap, f) > 0 &&
                     sscanf(line, "%g %g %g %g %g %n", &w->box[0], &w->box[1], &w->box[2],
                            &w->box[3], &w->conf, &at) == 5 &&
                     (w->text = get_text(line + at));
            }
        }
    }
    free(line);
    fclose(f);
    if (!ok) {
        free(path);
        return NULL;
    }
    return path;
}

/* ---- dump: the real pipeline, saving the pages before they are dropped --- */

typedef struct dump_pool {
    df_engine *e;
    const char *cache;
    char **paths;
    char **json;
    int n, next, failed;
    pthread_mutex_t lock;
} dump_pool;

static char *dump_one(dump_pool *pool, int idx)
{
    const char *path = pool->paths[idx];
    df_job j = {0};
    if (df_job_start_file(&j, pool->e, path) != DF_OK)
        return NULL;
    df_reader *rd = NULL;
    if (df_job_open(&j, NULL, &rd) == DF_OK) {
        df_ocr_lease lease = {pool->e->ocr, NULL};
        for (size_t i = 0; i < j.doc.npages; i++) {
            df_err err = {0};
            if (df_job_page(&j, rd, &lease, i, &err) != DF_OK) {
                df_job_fail(&j, i, &err);
                break;
            }
        }
        df_ocr_lease_end(&lease);
    }
    df_reader_free(rd);
    if (j.err.code == DF_OK && save_doc(pool->cache, path, &j) != 0) {
        fprintf(stderr, "replay: %s: cannot write its cache file: %s\n", path, strerror(errno));
        pool->failed = 1;
    }
    df_result *r = df_job_finish(&j);
    df_job_release_data(&j);
    char *s = r ? df_result_to_json(r, (uint64_t)idx, path, 0) : NULL;
    df_result_free(r);
    return s;
}

static void *dump_worker(void *arg)
{
    dump_pool *pool = arg;
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        int i = pool->next++;
        pthread_mutex_unlock(&pool->lock);
        if (i >= pool->n)
            return NULL;
        pool->json[i] = dump_one(pool, i);
    }
}

static int has_doc_suffix(const char *name)
{
    static const char *ext[] = {".pdf", ".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff",
                                ".bmp", ".heic", ".heif", ".avif"};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof ext / sizeof *ext; i++)
        if (!strcasecmp(dot, ext[i]))
            return 1;
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* FILE stays; DIR becomes its documents (and those of DIR/docs), by name. */
static void add_paths(const char *arg, char ***paths, int *n)
{
    struct stat st;
    char sub[4096];
    if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
        *paths = realloc(*paths, (size_t)(*n + 1) * sizeof **paths);
        (*paths)[(*n)++] = strdup(arg);
        return;
    }
    snprintf(sub, sizeof sub, "%s/docs", arg);
    if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
        arg = sub;
    struct dirent **ents;
    int k = scandir(arg, &ents, NULL, by_name);
    for (int i = 0; i < k; i++) {
        if (ents[i]->d_name[0] != '.' && has_doc_suffix(ents[i]->d_name)) {
            char p[8192];
            snprintf(p, sizeof p, "%s/%s", arg, ents[i]->d_name);
            *paths = realloc(*paths, (size_t)(*n + 1) * sizeof **paths);
            (*paths)[(*n)++] = strdup(p);
        }
        free(ents[i]);
    }
    if (k >= 0)
        free(ents);
}

static void print_array(char **json, int n)
{
    printf("[\n");
    for (int i = 0, first = 1; i < n; i++) {
        if (!json[i])
            continue;
        printf("%s%s", first ? "" : ",\n", json[i]);
        first = 0;
    }
    printf("\n]\n");
}

static int cmd_dump(df_engine *e, const char *cache, int jobs, char **args, int nargs)
{
    dump_pool pool = {.e = e, .cache = cache, .lock = PTHREAD_MUTEX_INITIALIZER};
    for (int i = 0; i < nargs; i++)
        add_paths(args[i], &pool.paths, &pool.n);
    if (mkdir(cache, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "replay: cannot make %s: %s\n", cache, strerror(errno));
        return 1;
    }
    pool.json = calloc(pool.n ? (size_t)pool.n : 1, sizeof *pool.json);
    pthread_t th[16];
    int started = 0;
    for (int i = 1; i < jobs && i < 16; i++)
        if (pthread_create(&th[started], NULL, dump_worker, &pool) == 0)
            started++;
    dump_worker(&pool);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    print_array(pool.json, pool.n);
    for (int i = 0; i < pool.n; i++) {
        free(pool.json[i]);
        free(pool.paths[i]);
    }
    free(pool.json);
    free(pool.paths);
    return pool.failed;
}

/* ---- run: layout, extraction, validation from the cache ------------------ */

static int print_text; /* `replay text`: df_result_text instead of JSON */

/* The result object with a "text" key: `docflow eval --results` then also
 * scores extraction given what OCR read. Takes json. */
static char *with_text(char *json, const char *text)
{
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    free(json);
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "text", text);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static char *run_one(df_engine *e, const char *file, int idx)
{
    df_job j = {0};
    static const char one = 0;
    if (df_job_start_memory(&j, e, &one, 1, "replay") != DF_OK)
        return NULL;
    char *path = load_doc(file, &j);
    if (!path) {
        fprintf(stderr, "replay: %s: not a cache file\n", file);
        df_doc_clear(&j.doc);
        df_result_free(df_job_finish(&j));
        return NULL;
    }
    free(j.r->name);
    j.r->name = path;
    j.r->format = df_format_name(j.doc.format);
    df_result *r = df_job_finish(&j);
    char *s = NULL;
    if (r && print_text)
        printf("==> %s <==\n%s\n", r->name, df_result_text(r));
    else if (r)
        s = with_text(df_result_to_json(r, (uint64_t)idx, r->name, 0), df_result_text(r));
    df_result_free(r);
    return s;
}

static int cmd_run(df_engine *e, const char *cache, char **names, int nnames)
{
    char **files = NULL;
    int n = 0;
    if (nnames) {
        files = calloc((size_t)nnames, sizeof *files);
        for (int i = 0; i < nnames; i++) {
            char p[8192];
            snprintf(p, sizeof p, "%s/%s.words", cache, base_name(names[i]));
            files[n++] = strdup(p);
        }
    } else {
        struct dirent **ents;
        int k = scandir(cache, &ents, NULL, by_name);
        if (k < 0) {
            fprintf(stderr, "replay: cannot read %s\n", cache);
            return 1;
        }
        files = calloc(k ? (size_t)k : 1, sizeof *files);
        for (int i = 0; i < k; i++) {
            size_t len = strlen(ents[i]->d_name);
            if (len > 6 && !strcmp(ents[i]->d_name + len - 6, ".words")) {
                char p[8192];
                snprintf(p, sizeof p, "%s/%s", cache, ents[i]->d_name);
                files[n++] = strdup(p);
            }
            free(ents[i]);
        }
        free(ents);
    }
    char **json = calloc(n ? (size_t)n : 1, sizeof *json);
    for (int i = 0; i < n; i++)
        json[i] = run_one(e, files[i], i);
    if (!print_text)
        print_array(json, n);
    for (int i = 0; i < n; i++) {
        free(json[i]);
        free(files[i]);
    }
    free(json);
    free(files);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "dump") && strcmp(argv[1], "run") && strcmp(argv[1], "text"))) {
        fprintf(stderr, "usage: replay dump CACHE [--jobs N] FILE|DIR...\n"
                        "       replay run CACHE [FILE...]\n"
                        "       replay text CACHE [FILE...]\n");
        return 2;
    }
    df_code code;
    char msg[DF_ERROR_MAX];
    df_options *opts = df_options_new();
    /* DF_REPLAY_WITHOUT=rule,rule: the rules switched off, as eval --without */
    const char *wo = getenv("DF_REPLAY_WITHOUT");
    char list[4096];
    snprintf(list, sizeof list, "%s", wo ? wo : "");
    char *save = NULL;
    for (char *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save))
        if (df_options_disable_rule(opts, id) != DF_OK) {
            fprintf(stderr, "replay: no rule %s\n", id);
            return 2;
        }
    df_engine *e = df_engine_new(opts, &code, msg);
    df_options_free(opts);
    if (!e) {
        fprintf(stderr, "replay: %s\n", msg);
        return 1;
    }
    int rc;
    if (!strcmp(argv[1], "dump")) {
        int jobs = 1, first = 3;
        if (argc > 4 && !strcmp(argv[3], "--jobs")) {
            jobs = atoi(argv[4]);
            first = 5;
        }
        rc = cmd_dump(e, argv[2], jobs < 1 ? 1 : jobs, argv + first, argc - first);
    } else {
        print_text = !strcmp(argv[1], "text");
        rc = cmd_run(e, argv[2], argv + 3, argc - 3);
    }
    df_engine_free(e);
    return rc;
}
