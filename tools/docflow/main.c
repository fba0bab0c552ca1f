/*
 * docflow — command-line front end to libdocflow.
 *
 * Uses only the public API (include/docflow/docflow.h), like any other
 * application would. Exit status: 0 all files succeeded, 1 any file failed,
 * 2 usage error.
 */
#include <docflow/docflow.h>

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_ALL_OK = 0, EXIT_SOME_FAILED = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
    fprintf(f,
        "usage: docflow extract [options] FILE...\n"
        "       docflow recall [--command 'CMD {}'] [--limit N] [--verbose] DIR...\n"
        "       docflow eval [--jobs N] [--limit N] [--json FILE] [--baseline FILE]\n"
        "                    [--write-baseline FILE] [--mismatches] [--results FILE.json] DIR...\n"
        "       docflow --help | --version\n"
        "\n"
        "Extract invoices and receipts on this machine. Prints a JSON array with one\n"
        "result object per FILE, in the order given (with --text: each FILE's plain text).\n"
        "\n"
        "options for extract:\n"
        "  --pretty              indent the JSON\n"
        "  --text                print each FILE's text instead of JSON, after a line\n"
        "                        \"==> FILE <==\" (lines of words; pages separated by \\f)\n"
        "  --tessdata DIR        directory with *.traineddata (default: $TESSDATA_PREFIX,\n"
        "                        else /usr/share/tesseract-ocr/5/tessdata)\n"
        "  --lang LANGS          OCR languages joined by '+' (default: eng)\n"
        "  --max-file-bytes N    per-file size limit (default 10485760)\n"
        "  --max-pages N         pages per document (default 50)\n"
        "  --max-pixels N        pixels per page (default 100000000)\n"
        "  --verbose             print library diagnostics on stderr\n"
        "\n"
        "exit status: 0 all files succeeded, 1 some failed, 2 usage error\n"
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
    unsigned json_flags;
    int text; /* --text: plain text instead of JSON */
};

/* Returns the index of the first file argument, or -1 on a usage error. */
static int parse_extract_args(int argc, char **argv, struct cli *c)
{
    enum { O_PRETTY = 256, O_TEXT, O_TESSDATA, O_LANG, O_MAXBYTES, O_MAXPAGES, O_MAXPIXELS, O_VERBOSE };
    static const struct option longopts[] = {
        {"pretty", no_argument, NULL, O_PRETTY},
        {"text", no_argument, NULL, O_TEXT},
        {"tessdata", required_argument, NULL, O_TESSDATA},
        {"lang", required_argument, NULL, O_LANG},
        {"max-file-bytes", required_argument, NULL, O_MAXBYTES},
        {"max-pages", required_argument, NULL, O_MAXPAGES},
        {"max-pixels", required_argument, NULL, O_MAXPIXELS},
        {"verbose", no_argument, NULL, O_VERBOSE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int ch;
    uint64_t v;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case O_PRETTY: c->json_flags |= DF_JSON_PRETTY; break;
        case O_TEXT: c->text = 1; break;
        case O_TESSDATA: df_options_set_tessdata(c->opts, optarg); break;
        case O_LANG:
            if (df_options_set_languages(c->opts, optarg) != DF_OK) {
                fprintf(stderr, "docflow: invalid --lang '%s' (expected e.g. eng or eng+hin)\n", optarg);
                return -1;
            }
            break;
        case O_MAXBYTES: case O_MAXPAGES: case O_MAXPIXELS:
            if (parse_u64(optarg, &v) != 0) {
                fprintf(stderr, "docflow: %s needs a positive integer, got '%s'\n",
                        argv[optind - 1], optarg);
                return -1;
            }
            df_options_set_limit(c->opts, ch == O_MAXBYTES ? DF_LIMIT_FILE_BYTES
                                 : ch == O_MAXPAGES ? DF_LIMIT_PAGES : DF_LIMIT_PAGE_PIXELS, v);
            break;
        case O_VERBOSE: df_options_set_diagnostics(c->opts, print_diag, NULL); break;
        case 'h': usage(stdout); exit(EXIT_ALL_OK);
        default: return -1;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "docflow: extract needs at least one FILE\n");
        return -1;
    }
    return optind;
}

/* Print results as they complete, keeping input order, so a long run shows
 * output early and a crash-free partial array is never buffered in memory. */
static int run_extract(df_engine *eng, char **files, int nfiles, unsigned flags)
{
    int failed = 0;
    fputs("[\n", stdout);
    for (int i = 0; i < nfiles; i++) {
        df_result *r = NULL;
        df_code rc = df_extract_file(eng, files[i], &r);
        char *json = r ? df_result_to_json(r, (uint64_t)i, files[i], flags) : NULL;
        if (!json) {
            fprintf(stderr, "docflow: %s: out of memory\n", files[i]);
            failed = 1;
        } else {
            fputs(json, stdout);
            fputs(i + 1 < nfiles ? ",\n" : "\n", stdout);
        }
        if (rc != DF_OK) {
            failed = 1;
            fprintf(stderr, "docflow: %s\n", r ? df_result_error_message(r) : files[i]);
        }
        df_free(json);
        df_result_free(r);
    }
    fputs("]\n", stdout);
    return failed ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}

/* --text: what OCR (or the text layer) read, for people checking a scan. */
static int run_text(df_engine *eng, char **files, int nfiles)
{
    int failed = 0;
    for (int i = 0; i < nfiles; i++) {
        df_result *r = NULL;
        df_code rc = df_extract_file(eng, files[i], &r);
        printf("==> %s <==\n", files[i]);
        const char *text = df_result_text(r);
        size_t n = strlen(text);
        fputs(text, stdout);
        if (n > 0 && text[n - 1] != '\n')
            fputc('\n', stdout);
        if (rc != DF_OK) {
            failed = 1;
            fprintf(stderr, "docflow: %s\n", r ? df_result_error_message(r) : files[i]);
        }
        df_result_free(r);
    }
    return failed ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}

static int cmd_extract(int argc, char **argv)
{
    struct cli c = {df_options_new(), 0, 0};
    if (!c.opts) {
        fprintf(stderr, "docflow: out of memory\n");
        return EXIT_SOME_FAILED;
    }
    int first = parse_extract_args(argc, argv, &c);
    if (first < 0) {
        fprintf(stderr, "Try 'docflow --help'.\n");
        df_options_free(c.opts);
        return EXIT_USAGE;
    }
    df_code code;
    char msg[DF_ERROR_MAX];
    df_engine *eng = df_engine_new(c.opts, &code, msg);
    df_options_free(c.opts);
    if (!eng) {
        fprintf(stderr, "docflow: cannot start: %s (%s)\n", msg, df_code_name(code));
        return EXIT_SOME_FAILED;
    }
    int rc = c.text ? run_text(eng, argv + first, argc - first)
                    : run_extract(eng, argv + first, argc - first, c.json_flags);
    df_engine_free(eng);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "docflow: writing the output failed: %s\n", strerror(errno));
        return EXIT_SOME_FAILED;
    }
    return rc;
}

int main(int argc, char **argv)
{
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
        return cmd_extract(argc - 1, argv + 1);
    fprintf(stderr, "docflow: unknown command '%s'\nTry 'docflow --help'.\n", argv[1]);
    return EXIT_USAGE;
}
