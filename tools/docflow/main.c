/*
 * docflow — command-line front end to libdocflow.
 *
 * Uses only the public API (include/docflow/docflow.h), like any other
 * application would. Exit status: 0 all files succeeded, 1 any file failed,
 * 2 usage error, 130 interrupted. extract and batch share one code path
 * (batch.c); this file parses their options and dispatches the commands
 * (serve, accounts, keys and webhooks: the HTTP server, tools/server/).
 */
#include <docflow/docflow.h>

#include "cli.h"
#include "server.h" /* docflow serve|accounts|keys|webhooks: tools/server/ */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
        "usage: docflow extract [options] FILE...\n"
        "       docflow batch [--jobs N] [--out FILE] [--ndjson] [--quiet] [options] FILE|DIR...\n"
        "       docflow recall [--command 'CMD {}'] [--limit N] [--verbose] DIR...\n"
        "       docflow eval [--jobs N] [--limit N] [--json FILE] [--baseline FILE]\n"
        "                    [--write-baseline FILE] [--mismatches] [--results FILE.json]\n"
        "                    [--without RULE[,RULE...]] DIR...   (docflow eval --rules lists them)\n"
        "       docflow serve --data-dir DIR [--listen HOST:PORT] [--workers N] [...]\n"
        "       docflow accounts create|list|set-plan|rotate-secret ... --data-dir DIR\n"
        "       docflow keys create|list|revoke ... --data-dir DIR\n"
        "       docflow webhooks redeliver|show BATCH_ID --data-dir DIR\n"
        "       docflow --help | --version\n"
        "\n"
        "Extract invoices and receipts on this machine. Prints a JSON array with one\n"
        "result object per FILE, in the order given (with --text: each FILE's plain text).\n"
        "batch works on several files at once, expands each DIR recursively to the\n"
        "supported files in it (sorted by path; names starting with '.' skipped) and\n"
        "shows its progress on stderr; extract is the same with one worker, quietly.\n"
        "\n"
        "options for extract and batch:\n"
        "  --pretty              indent the JSON\n"
        "  --text                print each FILE's text instead of JSON, after a line\n"
        "                        \"==> FILE <==\" (lines of words; pages separated by \\f)\n"
        "  --tessdata DIR        directory with *.traineddata (default: $TESSDATA_PREFIX,\n"
        "                        else /usr/share/tesseract-ocr/5/tessdata)\n"
        "  --lang LANGS          OCR languages joined by '+' (default: eng)\n"
        "  --max-file-bytes N    per-file size limit (default 10485760)\n"
        "  --max-pages N         pages per document (default 50)\n"
        "  --max-pixels N        pixels per page (default 100000000)\n"
        "  --max-seconds N       time per document, every stage (default 300)\n"
        "  --verbose             print library diagnostics on stderr\n"
        "  --jobs N              worker threads, 1..256 (batch default: processors;\n"
        "                        extract default: 1)\n"
        "  --out FILE            write the output to FILE (replaced only when complete)\n"
        "  --ndjson              one compact result per line, as each file completes\n"
        "  --quiet               no progress on stderr (errors are still printed)\n"
        "\n"
        "Progress goes to stderr: a bar on a terminal, else a line at most every\n"
        "$DOCFLOW_PROGRESS_SECONDS seconds (default 5) and a final summary.\n"
        "Ctrl-C stops a run: finished results are written, the rest as \"cancelled\".\n"
        "\n"
        "exit status: 0 all files succeeded, 1 some failed, 2 usage error, 130 interrupted\n"
        "formats: %s\n", df_supported_formats());
}

static void print_diag(void *ud, df_diag_level level, const char *msg)
{
    static const char *names[] = {"debug", "info", "warning", "error"};
    (void)ud;
    fprintf(stderr, "docflow: %s: %s\n", names[level & 3], msg);
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0 || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

struct cli {
    df_options *opts;
    struct cli_batch run;
    const char *cmd; /* "extract" or "batch", for messages */
};

enum { O_PRETTY = 256, O_TEXT, O_TESSDATA, O_LANG, O_MAXBYTES, O_MAXPAGES, O_MAXPIXELS,
       O_MAXSECONDS, O_VERBOSE, O_JOBS, O_OUT, O_NDJSON, O_QUIET };

static int set_limit_option(struct cli *c, int ch, const char *arg)
{
    static const struct { int ch; const char *name; df_limit limit; } limits[] = {
        {O_MAXBYTES, "--max-file-bytes", DF_LIMIT_FILE_BYTES},
        {O_MAXPAGES, "--max-pages", DF_LIMIT_PAGES},
        {O_MAXPIXELS, "--max-pixels", DF_LIMIT_PAGE_PIXELS},
        {O_MAXSECONDS, "--max-seconds", DF_LIMIT_DOCUMENT_SECONDS},
    };
    size_t k = 0;
    while (limits[k].ch != ch)
        k++;
    uint64_t v;
    if (parse_u64(arg, &v) != 0) {
        cli_printf(stderr, "docflow: %s needs a positive integer, got '%s'\n", limits[k].name,
                   arg);
        return -1;
    }
    df_options_set_limit(c->opts, limits[k].limit, v);
    return 0;
}

static int set_jobs_option(struct cli *c, const char *arg)
{
    uint64_t v;
    if (parse_u64(arg, &v) != 0 || v > DF_BATCH_MAX_WORKERS) {
        cli_printf(stderr, "docflow: --jobs needs a number from 1 to %d, got '%s'\n",
                   DF_BATCH_MAX_WORKERS, arg);
        return -1;
    }
    c->run.jobs = (int)v;
    return 0;
}

/* One option; 0 when accepted, -1 on a usage error. */
static int apply_option(struct cli *c, int ch, char **argv)
{
    switch (ch) {
    case O_PRETTY: c->run.json_flags |= DF_JSON_PRETTY; return 0;
    case O_TEXT: c->run.text = 1; return 0;
    case O_NDJSON: c->run.ndjson = 1; return 0;
    case O_QUIET: c->run.progress = 0; return 0;
    case O_OUT: c->run.out = optarg; return 0;
    case O_JOBS: return set_jobs_option(c, optarg);
    case O_TESSDATA: df_options_set_tessdata(c->opts, optarg); return 0;
    case O_LANG:
        if (df_options_set_languages(c->opts, optarg) == DF_OK)
            return 0;
        cli_printf(stderr, "docflow: invalid --lang '%s' (expected e.g. eng or eng+hin)\n", optarg);
        return -1;
    case O_MAXBYTES: case O_MAXPAGES: case O_MAXPIXELS: case O_MAXSECONDS:
        return set_limit_option(c, ch, optarg);
    case O_VERBOSE: df_options_set_diagnostics(c->opts, print_diag, NULL); return 0;
    case 'h': usage(stdout); exit(EXIT_ALL_OK);
    case ':':
        cli_printf(stderr, "docflow: option '%s' needs a value\n", argv[optind - 1]);
        return -1;
    default:
        cli_printf(stderr, "docflow: unknown option '%s'\n", argv[optind - 1]);
        return -1;
    }
}

/* Returns the index of the first FILE argument, or -1 on a usage error. */
static int parse_args(int argc, char **argv, struct cli *c)
{
    static const struct option longopts[] = {
        {"pretty", no_argument, NULL, O_PRETTY},
        {"text", no_argument, NULL, O_TEXT},
        {"tessdata", required_argument, NULL, O_TESSDATA},
        {"lang", required_argument, NULL, O_LANG},
        {"max-file-bytes", required_argument, NULL, O_MAXBYTES},
        {"max-pages", required_argument, NULL, O_MAXPAGES},
        {"max-pixels", required_argument, NULL, O_MAXPIXELS},
        {"max-seconds", required_argument, NULL, O_MAXSECONDS},
        {"verbose", no_argument, NULL, O_VERBOSE},
        {"jobs", required_argument, NULL, O_JOBS},
        {"out", required_argument, NULL, O_OUT},
        {"ndjson", no_argument, NULL, O_NDJSON},
        {"quiet", no_argument, NULL, O_QUIET},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    opterr = 0; /* getopt would echo a bad option's bytes as they are: cli_printf does it */
    while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1)
        if (apply_option(c, ch, argv) != 0)
            return -1;
    if (c->run.text && c->run.ndjson) {
        fprintf(stderr, "docflow: --text and --ndjson cannot be combined\n");
        return -1;
    }
    if (optind >= argc) {
        fprintf(stderr, "docflow: %s needs at least one FILE\n", c->cmd);
        return -1;
    }
    return optind;
}

static int start_engine(df_options *opts, df_engine **eng)
{
    df_code code;
    char msg[DF_ERROR_MAX];
    *eng = df_engine_new(opts, &code, msg);
    if (*eng)
        return 0;
    cli_printf(stderr, "docflow: cannot start: %s (%s)\n", msg, df_code_name(code));
    return -1;
}

/* extract and batch: parse, collect the files, start the engine, run. */
static int cmd_extract_or_batch(int argc, char **argv, int batch)
{
    struct cli c = {df_options_new(), {0, 0, 0, batch, batch ? 0 : 1, NULL}, argv[0]};
    struct cli_files files = {NULL, 0, 0};
    df_engine *eng = NULL;
    int rc = EXIT_USAGE;
    if (!c.opts) {
        fprintf(stderr, "docflow: out of memory\n");
        return EXIT_SOME_FAILED;
    }
    int first = parse_args(argc, argv, &c);
    if (first < 0)
        fprintf(stderr, "Try 'docflow --help'.\n");
    else if (cli_collect_files(argv + first, argc - first, batch, &files) == 0)
        rc = start_engine(c.opts, &eng) == 0 ? cli_run_batch(eng, &c.run, &files)
                                              : EXIT_SOME_FAILED;
    df_options_free(c.opts);
    df_engine_free(eng);
    cli_files_free(&files);
    return rc;
}

int main(int argc, char **argv)
{
    /* a batch's workers share this process: see df_process_setup */
    df_process_setup(DF_PROCESS_ALL);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_ALL_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("docflow %s\n", df_version());
        return EXIT_ALL_OK;
    }
    if (!strcmp(argv[1], "recall"))
        return cmd_recall(argc - 1, argv + 1);
    if (!strcmp(argv[1], "eval"))
        return cmd_eval(argc - 1, argv + 1);
    if (!strcmp(argv[1], "extract"))
        return cmd_extract_or_batch(argc - 1, argv + 1, 0);
    if (!strcmp(argv[1], "batch"))
        return cmd_extract_or_batch(argc - 1, argv + 1, 1);
    if (!strcmp(argv[1], "serve"))
        return cmd_serve(argc - 1, argv + 1);
    if (!strcmp(argv[1], "accounts"))
        return cmd_accounts(argc - 1, argv + 1);
    if (!strcmp(argv[1], "keys"))
        return cmd_keys(argc - 1, argv + 1);
    if (!strcmp(argv[1], "webhooks"))
        return cmd_webhooks(argc - 1, argv + 1);
    cli_printf(stderr, "docflow: unknown command '%s'\nTry 'docflow --help'.\n", argv[1]);
    return EXIT_USAGE;
}
