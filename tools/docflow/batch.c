/*
 * batch.c — the one code path behind `docflow extract` and `docflow batch`.
 *
 * Why it exists: a run over many documents should use every core, show how
 * far it got, survive Ctrl-C with the finished results written, and still
 * print exactly what `extract` always printed. Both commands therefore hand
 * their files to one df_batch (extract with one worker and no progress) and
 * this file turns the batch's callbacks into output:
 *  - the JSON array (or --text) in input order, streamed as soon as the
 *    prefix of results is complete; results finishing early wait here;
 *  - --ndjson: one line per result in completion order, flushed at once;
 *  - progress on stderr (a bar on a terminal, else plain lines);
 *  - --out FILE: a temp file next to FILE, renamed over it when complete.
 * It also expands directory arguments for batch. Files are opened by their
 * names' own bytes; where a name is printed (--text headers, messages) it
 * goes through cli_printf, valid UTF-8 like everything the library gives.
 */
#include <docflow/docflow.h>

#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* File list and directory expansion                                   */
/* ------------------------------------------------------------------ */

static int files_push(struct cli_files *f, const char *path)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        char **v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return -1;
        f->v = v;
        f->cap = cap;
    }
    if (!(f->v[f->n] = strdup(path)))
        return -1;
    f->n++;
    return 0;
}

void cli_files_free(struct cli_files *files)
{
    for (size_t i = 0; i < files->n; i++)
        free(files->v[i]);
    free(files->v);
    files->v = NULL;
    files->n = files->cap = 0;
}

static int supported_name(const char *name)
{
    static const char *const exts[] = {"pdf", "jpg", "jpeg", "png", "webp", "tif", "tiff",
                                       "bmp", "heic", "heif", "avif"};
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return 0;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (!strcasecmp(dot + 1, exts[i]))
            return 1;
    return 0;
}

/* Directories being walked, to stop at a symlink loop. */
struct walk_stack {
    dev_t dev[64];
    ino_t ino[64];
    int depth;
};

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    int slash = n > 0 && dir[n - 1] == '/';
    char *p = malloc(n + strlen(name) + 2);
    if (p)
        sprintf(p, "%s%s%s", dir, slash ? "" : "/", name);
    return p;
}

static int walk_dir(const char *dir, struct walk_stack *st, struct cli_files *out);

/* One directory entry: recurse into directories, keep supported files. */
static int walk_entry(const char *path, const char *name, struct walk_stack *st,
                      struct cli_files *out)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return 0; /* dangling symlink or vanished: not a document */
    if (S_ISDIR(sb.st_mode))
        return walk_dir(path, st, out);
    if (S_ISREG(sb.st_mode) && supported_name(name))
        return files_push(out, path);
    return 0;
}

static int walk_dir(const char *dir, struct walk_stack *st, struct cli_files *out)
{
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return 0;
    for (int i = 0; i < st->depth; i++)
        if (st->dev[i] == sb.st_dev && st->ino[i] == sb.st_ino)
            return 0; /* a loop */
    DIR *d = opendir(dir);
    if (!d || st->depth == 64) {
        cli_printf(stderr, "docflow: skipping directory %s: %s\n", dir,
                   d ? "nested too deeply" : strerror(errno));
        if (d)
            closedir(d);
        return 0;
    }
    st->dev[st->depth] = sb.st_dev;
    st->ino[st->depth++] = sb.st_ino;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = join_path(dir, e->d_name);
        rc = path ? walk_entry(path, e->d_name, st, out) : -1;
        free(path);
    }
    st->depth--;
    closedir(d);
    return rc;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory argument: its supported files, sorted. */
static int expand_dir(const char *dir, struct cli_files *out)
{
    struct walk_stack st = {.depth = 0};
    size_t first = out->n;
    if (access(dir, R_OK | X_OK) != 0) {
        cli_printf(stderr, "docflow: cannot read directory %s: %s\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    if (walk_dir(dir, &st, out) != 0) {
        fprintf(stderr, "docflow: out of memory\n");
        return EXIT_SOME_FAILED;
    }
    if (out->n == first) {
        cli_printf(stderr, "docflow: %s: no supported files in this directory\n", dir);
        return EXIT_USAGE;
    }
    qsort(out->v + first, out->n - first, sizeof *out->v, cmp_path);
    return 0;
}

int cli_collect_files(char **args, int nargs, int expand_dirs, struct cli_files *out)
{
    for (int i = 0; i < nargs; i++) {
        struct stat sb;
        if (expand_dirs && stat(args[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            int rc = expand_dir(args[i], out);
            if (rc != 0)
                return rc;
        } else if (files_push(out, args[i]) != 0) {
            fprintf(stderr, "docflow: out of memory\n");
            return EXIT_SOME_FAILED;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The run: shared state of the callbacks                              */
/* ------------------------------------------------------------------ */

struct run {
    const struct cli_batch *cfg;
    const struct cli_files *files;
    df_batch *batch;
    FILE *out;
    const df_result **ready; /* results waiting for their turn (input order) */
    size_t next;             /* first index not yet written */
    size_t failed;
    int write_error;         /* an output write failed */
    pthread_mutex_t lock;    /* the two kinds of callback may overlap */
    /* progress */
    int tty;
    int bar_shown;           /* a bar is on the terminal line */
    double interval;         /* seconds between plain lines */
    double last_shown;       /* elapsed_seconds of the last line or bar */
    size_t shown_docs, shown_pages; /* what it said, to skip repeats */
    size_t cancelled;        /* results with error code "cancelled" */
};

/* Leave the terminal line free for a message (caller holds the lock). */
static void clear_bar(struct run *r)
{
    if (r->bar_shown) {
        fputs("\r\033[K", stderr);
        r->bar_shown = 0;
    }
}

/* ------------------------------------------------------------------ */
/* Output                                                               */
/* ------------------------------------------------------------------ */

static void write_text(struct run *r, size_t i, const df_result *res)
{
    const char *text = df_result_text(res);
    size_t n = strlen(text);
    cli_printf(r->out, "==> %s <==\n", r->files->v[i]);
    fputs(text, r->out);
    if (n > 0 && text[n - 1] != '\n')
        fputc('\n', r->out);
}

static void write_json(struct run *r, size_t i, const df_result *res)
{
    unsigned flags = r->cfg->ndjson ? 0 : r->cfg->json_flags;
    char *json = df_result_to_json(res, (uint64_t)i, r->files->v[i], flags);
    if (!json) {
        clear_bar(r);
        cli_printf(stderr, "docflow: %s: out of memory\n", r->files->v[i]);
        r->write_error = 1;
        return;
    }
    fputs(json, r->out);
    if (r->cfg->ndjson)
        fputc('\n', r->out);
    else
        fputs(i + 1 < r->files->n ? ",\n" : "\n", r->out);
    df_free(json);
}

static void write_result(struct run *r, size_t i, const df_result *res)
{
    if (r->cfg->text)
        write_text(r, i, res);
    else
        write_json(r, i, res);
}

/* Write the complete prefix of results in input order. */
static void write_ready(struct run *r)
{
    size_t before = r->next;
    while (r->next < r->files->n && r->ready[r->next]) {
        write_result(r, r->next, r->ready[r->next]);
        r->next++;
    }
    if (r->next != before)
        fflush(r->out);
}

static void report_failure(struct run *r, const df_result *res)
{
    if (df_result_code(res) == DF_OK)
        return;
    r->failed++;
    if (df_result_code(res) == DF_E_CANCELLED) {
        r->cancelled++; /* summed up once at the end */
        return;
    }
    clear_bar(r);
    fprintf(stderr, "docflow: %s\n", df_result_error_message(res));
}

static void on_result(void *ud, size_t index, const df_result *res)
{
    struct run *r = ud;
    if (index >= r->files->n || !res)
        return;
    pthread_mutex_lock(&r->lock);
    if (!r->ready[index]) {
        r->ready[index] = res;
        report_failure(r, res);
        if (r->cfg->ndjson) {
            write_json(r, index, res);
            fflush(r->out);
        } else {
            write_ready(r);
        }
    }
    pthread_mutex_unlock(&r->lock);
}

/* After df_batch_run: results that never came through the callback
 * (cancelled ones, or a library that skips the callback for them). */
static void write_rest(struct run *r)
{
    for (size_t i = 0; i < r->files->n; i++) {
        if (r->ready[i])
            continue;
        const df_result *res = df_batch_result(r->batch, i);
        if (!res) {
            cli_printf(stderr, "docflow: %s: no result from the library\n", r->files->v[i]);
            r->write_error = 1;
            continue;
        }
        on_result(r, i, res);
    }
}

/* ------------------------------------------------------------------ */
/* Progress                                                             */
/* ------------------------------------------------------------------ */

static void format_eta(double s, char *buf, size_t len)
{
    if (s < 0)
        snprintf(buf, len, "estimating time left");
    else if (s < 120)
        snprintf(buf, len, "about %.0f s left", s);
    else if (s < 7200)
        snprintf(buf, len, "about %.0f min left", s / 60);
    else
        snprintf(buf, len, "about %.1f h left", s / 3600);
}

static void format_progress(const df_batch_progress *p, char *buf, size_t len)
{
    char eta[64];
    double rate = p->elapsed_seconds > 0 ? (double)p->pages_done / p->elapsed_seconds : 0;
    format_eta(p->seconds_remaining, eta, sizeof eta);
    snprintf(buf, len, "%zu/%zu files, %zu/%zu pages, %.1f pages/s, %s", p->docs_done,
             p->docs_total, p->pages_done, p->pages_total, rate, eta);
}

static void on_progress(void *ud, const df_batch_progress *p)
{
    struct run *r = ud;
    char line[256];
    pthread_mutex_lock(&r->lock);
    double wait = r->tty ? 0.2 : r->interval;
    int last = p->docs_done == p->docs_total;
    int news = p->docs_done != r->shown_docs || p->pages_done != r->shown_pages;
    if (news && (p->elapsed_seconds - r->last_shown >= wait || (r->tty && last))) {
        r->last_shown = p->elapsed_seconds;
        r->shown_docs = p->docs_done;
        r->shown_pages = p->pages_done;
        format_progress(p, line, sizeof line);
        if (r->tty) {
            fprintf(stderr, "\r\033[Kdocflow: %s", line);
            r->bar_shown = 1;
        } else {
            fprintf(stderr, "docflow: %s\n", line);
        }
        fflush(stderr);
    }
    pthread_mutex_unlock(&r->lock);
}

static double progress_interval(void)
{
    const char *s = getenv("DOCFLOW_PROGRESS_SECONDS");
    char *end;
    if (!s || !*s)
        return 5;
    double v = strtod(s, &end);
    return (*end || v < 0 || v != v) ? 5 : v;
}

static void print_summary(struct run *r, int cancelled)
{
    df_batch_progress p;
    df_batch_get_progress(r->batch, &p);
    clear_bar(r);
    if (cancelled)
        fprintf(stderr, "docflow: interrupted: %zu of %zu files finished, the rest cancelled\n",
                r->files->n - r->cancelled, r->files->n);
    if (r->cfg->progress)
        fprintf(stderr, "docflow: done: %zu files (%zu failed) in %.1f s\n", r->files->n,
                r->failed, p.elapsed_seconds);
}

/* ------------------------------------------------------------------ */
/* Ctrl-C                                                               */
/* ------------------------------------------------------------------ */

static df_batch *volatile g_batch;
static const int g_signals[2] = {SIGINT, SIGTERM};

/* SA_RESETHAND restores the default action: a second Ctrl-C kills. */
static void on_signal(int sig)
{
    (void)sig;
    if (g_batch)
        df_batch_cancel(g_batch);
}

/* Catch SIGINT/SIGTERM during the run, saving the old actions in `old`. A
 * signal the caller ignores (nohup, `cmd &` without job control) stays
 * ignored, as in other tools. */
static void catch_signals(df_batch *batch, struct sigaction old[2])
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    g_batch = batch;
    for (int i = 0; i < 2; i++)
        if (sigaction(g_signals[i], NULL, &old[i]) == 0 && old[i].sa_handler != SIG_IGN)
            sigaction(g_signals[i], &sa, NULL);
}

static void restore_signals(const struct sigaction old[2])
{
    for (int i = 0; i < 2; i++)
        sigaction(g_signals[i], &old[i], NULL);
    g_batch = NULL;
}

/* ------------------------------------------------------------------ */
/* --out: a temp file in the same directory, renamed when complete      */
/* ------------------------------------------------------------------ */

static char *temp_name_for(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dirlen;
    char *tmp = malloc(dirlen + strlen(base) + 16);
    if (tmp)
        sprintf(tmp, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
    return tmp;
}

static FILE *open_out(const char *path, char **tmp)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) { /* found before the work, not after */
        cli_printf(stderr, "docflow: cannot write %s: it is a directory\n", path);
        return NULL;
    }
    *tmp = temp_name_for(path);
    if (!*tmp)
        return NULL;
    int fd = mkstemp(*tmp);
    if (fd < 0) {
        cli_printf(stderr, "docflow: cannot write %s: %s\n", path, strerror(errno));
        free(*tmp);
        *tmp = NULL;
        return NULL;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask); /* like a file the shell would create */
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(*tmp);
        free(*tmp);
        *tmp = NULL;
    }
    return f;
}

/* Flush and close the output. With --out, rename the temp file over it
 * when the output is `complete`, else remove the temp file. */
static int finish_out(struct run *r, char *tmp, int complete)
{
    int err = fflush(r->out) != 0 || ferror(r->out);
    int saved = errno;
    if (tmp) {
        if (fclose(r->out) != 0 && !err) {
            err = 1;
            saved = errno;
        }
        if (!err && complete && rename(tmp, r->cfg->out) != 0) {
            err = 1;
            saved = errno;
        }
        if (err || !complete)
            unlink(tmp);
        free(tmp);
    }
    if (err)
        cli_printf(stderr, "docflow: writing %s failed: %s\n",
                   r->cfg->out ? r->cfg->out : "the output", strerror(saved));
    return err ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* The run                                                              */
/* ------------------------------------------------------------------ */

static df_batch *make_batch(df_engine *eng, struct run *r)
{
    df_batch *b = df_batch_new(eng);
    if (!b)
        return NULL;
    for (size_t i = 0; i < r->files->n; i++)
        if (df_batch_add_file(b, r->files->v[i]) != DF_OK) {
            df_batch_free(b);
            return NULL;
        }
    if (df_batch_set_workers(b, r->cfg->jobs) != DF_OK) {
        df_batch_free(b);
        return NULL;
    }
    df_batch_set_on_result(b, on_result, r);
    if (r->cfg->progress)
        df_batch_set_progress(b, on_progress, r);
    return b;
}

static void init_run(struct run *r, const struct cli_batch *cfg, const struct cli_files *files)
{
    memset(r, 0, sizeof *r);
    r->cfg = cfg;
    r->files = files;
    r->tty = cfg->progress && isatty(STDERR_FILENO);
    r->interval = progress_interval();
    pthread_mutex_init(&r->lock, NULL);
}

/* Batch, output and signals are set up; run and write everything. */
static int run_and_write(struct run *r)
{
    if (!r->cfg->text && !r->cfg->ndjson)
        fputs("[\n", r->out);
    struct sigaction old[2];
    catch_signals(r->batch, old);
    df_code rc = df_batch_run(r->batch);
    restore_signals(old);
    write_rest(r);
    if (!r->cfg->text && !r->cfg->ndjson)
        fputs("]\n", r->out);
    print_summary(r, rc == DF_E_CANCELLED);
    if (rc == DF_E_CANCELLED)
        return EXIT_CANCELLED;
    if (rc != DF_OK) {
        fprintf(stderr, "docflow: the batch failed: %s\n", df_code_name(rc));
        return EXIT_SOME_FAILED;
    }
    return r->failed || r->write_error ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}

int cli_run_batch(df_engine *eng, const struct cli_batch *cfg, const struct cli_files *files)
{
    struct run r;
    char *tmp = NULL;
    int rc = EXIT_SOME_FAILED, ran = 0;
    init_run(&r, cfg, files);
    r.ready = calloc(files->n ? files->n : 1, sizeof *r.ready);
    r.batch = r.ready ? make_batch(eng, &r) : NULL;
    if (!r.batch)
        fprintf(stderr, "docflow: out of memory\n");
    else if ((r.out = cfg->out ? open_out(cfg->out, &tmp) : stdout) != NULL) {
        rc = run_and_write(&r);
        ran = 1;
    }
    if (r.out && finish_out(&r, tmp, ran && !r.write_error) != 0 && rc != EXIT_CANCELLED)
        rc = EXIT_SOME_FAILED;
    if (r.batch)
        df_batch_free(r.batch);
    free(r.ready);
    pthread_mutex_destroy(&r.lock);
    return rc;
}
