/* cli.h — subcommands of the docflow tool, one file each. */
#ifndef DF_CLI_H
#define DF_CLI_H

#include <docflow/docflow.h>

#include <stddef.h>
#include <stdio.h>

/* fprintf to f with the whole text repaired to valid UTF-8 first (print.c):
 * for every line that quotes a path or a label, which may hold any bytes.
 * Returns 0, or -1 when the write failed. */
int cli_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Exit status of extract and batch (130: interrupted by SIGINT/SIGTERM). */
enum { EXIT_ALL_OK = 0, EXIT_SOME_FAILED = 1, EXIT_USAGE = 2, EXIT_CANCELLED = 130 };

/* `docflow recall`: how often labelled values appear in the text docflow
 * (or another OCR command) reads. tools/docflow/recall.c. */
int cmd_recall(int argc, char **argv);

/* `docflow eval`: extraction accuracy per field on a labelled folder, with
 * a baseline check for CI. tools/docflow/eval.c, docs/eval.md. */
int cmd_eval(int argc, char **argv);

/* `docflow extract` and `docflow batch` share one code path: main.c parses
 * the options into this, batch.c runs a df_batch and writes the output.
 * extract is the same run with one worker and no progress. */
struct cli_batch {
    unsigned json_flags; /* DF_JSON_PRETTY */
    int text;            /* --text: "==> FILE <==" and the text, input order */
    int ndjson;          /* --ndjson: one compact object per line, completion order */
    int progress;        /* progress lines/bar on stderr (batch without --quiet) */
    int jobs;            /* workers; 0 = the library's default (processors) */
    const char *out;     /* --out FILE: written via a temp file and rename; NULL: stdout */
};

/* The documents of a run, in input order (owned strings). */
struct cli_files {
    char **v;
    size_t n, cap;
};

/* Collect the FILE|DIR arguments. With `expand_dirs`, a directory becomes
 * its supported files (recursively, hidden names skipped, sorted by path);
 * anything else, missing paths included, is passed through. Returns 0, or
 * EXIT_USAGE after printing why (a directory without supported files). */
int cli_collect_files(char **args, int nargs, int expand_dirs, struct cli_files *out);
void cli_files_free(struct cli_files *files);

/* Extract every file and write the output. Returns the exit status. */
int cli_run_batch(df_engine *eng, const struct cli_batch *cfg, const struct cli_files *files);

#endif
