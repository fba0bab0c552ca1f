/* test_api.c — the public contract: codes, options, engine, results, JSON,
 * locale independence, silence on stdout/stderr. */
#include <check.h>
#include <cjson/cJSON.h>
#include <docflow/docflow.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#define SAMPLE DF_FIXTURES_DIR "/sample-invoice.pdf"

static cJSON *result_to_cjson(const df_result *r, const char *key)
{
    char *s = df_result_to_json(r, 7, key, 0);
    ck_assert_ptr_nonnull(s);
    cJSON *j = cJSON_Parse(s);
    ck_assert_msg(j != NULL, "invalid JSON: %s", s);
    df_free(s);
    return j;
}

START_TEST(code_names_are_stable)
{
    ck_assert_str_eq(df_code_name(DF_OK), "ok");
    ck_assert_str_eq(df_code_name(DF_E_FILE_TOO_LARGE), "file_too_large");
    ck_assert_str_eq(df_code_name(DF_E_TRUNCATED_FILE), "truncated_file");
    ck_assert_str_eq(df_code_name(DF_E_UNSUPPORTED_FORMAT), "unsupported_format");
    ck_assert_str_eq(df_code_name(DF_E_PASSWORD_PROTECTED), "password_protected");
    ck_assert_str_eq(df_code_name((df_code)999), "unknown_error");
    ck_assert_str_eq(df_code_name((df_code)-1), "unknown_error");
    for (int c = DF_OK; c <= DF_E_INTERNAL; c++)
        ck_assert_str_ne(df_code_name((df_code)c), "unknown_error");
    ck_assert_str_eq(df_version(), DF_VERSION_STRING);
}
END_TEST

START_TEST(options_validate_input)
{
    df_options *o = df_options_new();
    ck_assert_ptr_nonnull(o);
    ck_assert_uint_eq(df_options_get_limit(o, DF_LIMIT_FILE_BYTES), 10u * 1024 * 1024);
    ck_assert_uint_eq(df_options_get_limit(o, DF_LIMIT_PAGES), 50);
    ck_assert_uint_eq(df_options_get_limit(o, DF_LIMIT_PAGE_PIXELS), 100000000u);
    ck_assert_uint_eq(df_options_get_limit(o, DF_LIMIT_PAGE_SECONDS), 60);
    ck_assert_int_eq(df_options_set_limit(o, DF_LIMIT_PAGES, 0), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_options_set_limit(o, (df_limit)42, 5), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_options_set_limit(o, DF_LIMIT_PAGES, 3), DF_OK);
    ck_assert_uint_eq(df_options_get_limit(o, DF_LIMIT_PAGES), 3);
    ck_assert_int_eq(df_options_set_languages(o, "eng+hin"), DF_OK);
    ck_assert_int_eq(df_options_set_languages(o, ""), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_options_set_languages(o, "eng++hin"), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_options_set_languages(o, "eng+"), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_options_set_languages(o, "../x"), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_options_set_languages(NULL, "eng"), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_options_set_tessdata(o, "/nowhere"), DF_OK);
    ck_assert_int_eq(df_options_set_tessdata(o, NULL), DF_OK);
    df_options_free(o);
    df_options_free(NULL);
}
END_TEST

START_TEST(engine_copies_options)
{
    df_options *o = df_options_new();
    df_options_set_limit(o, DF_LIMIT_FILE_BYTES, 16);
    df_code code = DF_E_INTERNAL;
    char msg[DF_ERROR_MAX] = "x";
    df_engine *e = df_engine_new(o, &code, msg);
    df_options_free(o); /* the engine must not depend on it any more */
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(code, DF_OK);
    df_result *r = NULL;
    ck_assert_int_eq(df_extract_file(e, SAMPLE, &r), DF_E_FILE_TOO_LARGE);
    ck_assert_ptr_nonnull(strstr(df_result_error_message(r), "sample-invoice.pdf"));
    ck_assert_ptr_nonnull(strstr(df_result_error_message(r), "limit of 16 bytes"));
    df_result_free(r);
    df_engine_free(e);
    df_engine_free(NULL);
}
END_TEST

START_TEST(memory_errors_name_the_input)
{
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    df_result *r = NULL;
    ck_assert_int_eq(df_extract_memory(e, "", 0, "empty.pdf", &r), DF_E_EMPTY_FILE);
    ck_assert_str_eq(df_result_error_message(r), "empty.pdf: the file is empty (0 bytes)");
    ck_assert_uint_eq(df_result_page_count(r), 0);
    df_result_free(r);

    const char text[] = "Just some notes, not a document.\n";
    ck_assert_int_eq(df_extract_memory(e, text, sizeof text - 1, "notes.txt", &r),
                     DF_E_UNSUPPORTED_FORMAT);
    ck_assert_ptr_nonnull(strstr(df_result_error_message(r), "notes.txt: unsupported format"));
    ck_assert_ptr_nonnull(strstr(df_result_error_message(r), "PDF, JPEG, PNG, WEBP, TIFF, BMP"));
    df_result_free(r);

    ck_assert_int_eq(df_extract_memory(e, NULL, 5, "x", &r), DF_E_INVALID_ARGUMENT);
    df_result_free(r);
    ck_assert_int_eq(df_extract_memory(NULL, text, 3, "x", &r), DF_E_INVALID_ARGUMENT);
    df_result_free(r);
    ck_assert_int_eq(df_extract_memory(e, text, 3, "x", NULL), DF_E_INVALID_ARGUMENT);
    df_engine_free(e);
}
END_TEST

START_TEST(file_errors)
{
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    df_result *r = NULL;
    ck_assert_int_eq(df_extract_file(e, "/nonexistent/invoice.pdf", &r), DF_E_FILE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(df_result_error_message(r), "/nonexistent/invoice.pdf: "));
    df_result_free(r);
    ck_assert_int_eq(df_extract_file(e, DF_FIXTURES_DIR, &r), DF_E_IO);
    ck_assert_ptr_nonnull(strstr(df_result_error_message(r), "not a regular file"));
    df_result_free(r);
    df_engine_free(e);
}
END_TEST

/* 1 when s is valid UTF-8 (df_utf8_sanitize leaves it as it is). */
static int is_utf8(const char *s)
{
    char *t = df_utf8_sanitize(s);
    int same = t && strcmp(s, t) == 0;
    df_free(t);
    return same;
}

#define FFFD "\xEF\xBF\xBD"

/* Linux file names may hold any byte but '/' and NUL: such a file is read
 * by its real name, and the result names it with U+FFFD for each byte that
 * is not UTF-8 (issue 17). */
START_TEST(names_that_are_not_utf8)
{
    char dir[] = "/tmp/df-api-XXXXXX", path[128], cmd[512];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/inv\xFF\xFE-\xC3(.pdf", dir);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", SAMPLE, path);
    ck_assert_int_eq(system(cmd), 0);
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    df_result *r = NULL;
    ck_assert_int_eq(df_extract_file(e, path, &r), DF_OK);
    char want[160];
    snprintf(want, sizeof want, "%s/inv" FFFD FFFD "-" FFFD "(.pdf", dir);
    cJSON *j = result_to_cjson(r, NULL);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "file_key")->valuestring, want);
    cJSON_Delete(j);
    /* a caller's own file_key is repaired the same way */
    char *s = df_result_to_json(r, 0, "batch/\xFF\xC3(.pdf", DF_JSON_PRETTY);
    ck_assert(is_utf8(s));
    df_free(s);
    j = result_to_cjson(r, "batch/\xFF\xC3(.pdf");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "file_key")->valuestring, "batch/" FFFD FFFD "(.pdf");
    cJSON_Delete(j);
    df_result_free(r);

    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(df_extract_file(e, path, &r), DF_E_FILE_NOT_FOUND);
    ck_assert(is_utf8(df_result_error_message(r)));
    ck_assert_ptr_nonnull(strstr(df_result_error_message(r), want));
    df_result_free(r);
    rmdir(dir);

    ck_assert_int_eq(df_extract_memory(e, "", 0, "caf\xE9.png", &r), DF_E_EMPTY_FILE);
    ck_assert_str_eq(df_result_error_message(r), "caf" FFFD ".png: the file is empty (0 bytes)");
    df_result_free(r);
    df_engine_free(e);
}
END_TEST

START_TEST(failed_result_json_shape)
{
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    df_result *r = NULL;
    df_extract_memory(e, "", 0, "a.png", &r);
    cJSON *j = result_to_cjson(r, "batch/input/0007.png");
    ck_assert_int_eq(cJSON_GetObjectItem(j, "file_index")->valueint, 7);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "file_key")->valuestring, "batch/input/0007.png");
    /* the shape of a success, empty (what the hosted API's clients read) */
    cJSON *x = cJSON_GetObjectItem(j, "extraction");
    ck_assert(cJSON_IsObject(x));
    ck_assert_str_eq(cJSON_GetObjectItem(x, "document_type")->valuestring, "other");
    ck_assert_str_eq(cJSON_GetObjectItem(x, "document_category")->valuestring, "other");
    ck_assert(cJSON_GetObjectItem(x, "confidence_score")->valuedouble == 0);
    cJSON *fin = cJSON_GetObjectItem(x, "financial");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(fin, "line_items")), 0);
    cJSON *tot = cJSON_GetObjectItem(fin, "totals"), *t;
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(tot, "grand_total")));
    cJSON_ArrayForEach(t, tot)
        ck_assert(cJSON_IsNull(t));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(x, "vendor"), "name")));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(x, "document_meta"), "date")));
    cJSON *v = cJSON_GetObjectItem(j, "validation");
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(v, "math_valid")));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(v, "errors")), 0);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "tokens_used")->valueint, 0);
    cJSON *err = cJSON_GetObjectItem(j, "error");
    ck_assert_str_eq(cJSON_GetObjectItem(err, "code")->valuestring, "empty_file");
    ck_assert_str_eq(cJSON_GetObjectItem(err, "message")->valuestring,
                     "a.png: the file is empty (0 bytes)");
    cJSON_Delete(j);
    df_result_free(r);
    df_engine_free(e);
}
END_TEST

/* df_sniff_format names what extraction reports as the format (expected.tsv),
 * from the first bytes only. */
START_TEST(sniff_format_from_first_bytes)
{
    static const char *const files[][2] = {
        {"sample-invoice.pdf", "pdf"}, {"invoice.png", "png"}, {"invoice.jpg", "jpeg"},
        {"invoice.webp", "webp"}, {"invoice-lzw.tif", "tiff"}, {"bmp-8bit.bmp", "bmp"},
        {"invoice.heic", "heif"}, {"invoice.avif", "heif"}, {"wrong-extension.jpg", "tiff"},
        {"invoice-png-named.pdf", "png"}, {"bad/notes.txt", ""}, {"bad/empty.pdf", ""}};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", DF_FIXTURES_DIR, files[i][0]);
        unsigned char head[DF_SNIFF_BYTES];
        FILE *f = fopen(path, "rb");
        ck_assert_ptr_nonnull(f);
        size_t n = fread(head, 1, sizeof head, f);
        fclose(f);
        ck_assert_msg(!strcmp(df_sniff_format(head, n), files[i][1]), "%s: sniffed '%s'",
                      files[i][0], df_sniff_format(head, n));
    }
    /* and extraction agrees on one file whose name says otherwise */
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    df_result *r = NULL;
    df_extract_file(e, DF_FIXTURES_DIR "/bad/corrupt.pdf", &r);
    ck_assert_str_eq(df_result_format(r), "pdf");
    df_result_free(r);
    df_engine_free(e);
    ck_assert_str_eq(df_sniff_format(NULL, 5), "");
    /* a PDF header after 1000 bytes of junk is found in the first DF_SNIFF_BYTES */
    char junk[DF_SNIFF_BYTES];
    memset(junk, ' ', sizeof junk);
    memcpy(junk + 1000, "%PDF-1.4", 8);
    ck_assert_str_eq(df_sniff_format(junk, sizeof junk), "pdf");
    ck_assert_str_eq(df_sniff_format(junk, 1004), ""); /* cut inside the header */
}
END_TEST

START_TEST(sample_result_json)
{
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    df_result *r = NULL;
    ck_assert_int_eq(df_extract_file(e, SAMPLE, &r), DF_OK);
    ck_assert_str_eq(df_result_format(r), "pdf");
    ck_assert_uint_eq(df_result_page_count(r), 1);
    df_page_info p;
    ck_assert_int_eq(df_result_page(r, 0, &p), DF_OK);
    ck_assert_int_eq(df_result_page(r, 1, &p), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_result_page(r, 0, &p), DF_OK);
    ck_assert_int_eq(p.has_text_layer, 1);
    ck_assert_int_eq(p.dpi, 300);
    ck_assert_double_eq_tol(p.width_pt, 595, 0.01);  /* the sample's MediaBox */
    ck_assert_double_eq_tol(p.height_pt, 842, 0.01);
    ck_assert_uint_gt(df_result_tokens_used(r), 20);
    cJSON *j = result_to_cjson(r, NULL);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "file_key")->valuestring, SAMPLE);
    ck_assert_ptr_null(cJSON_GetObjectItem(j, "error"));
    cJSON *pg = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "pages"), 0);
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(pg, "has_text_layer")));
    ck_assert_int_eq(cJSON_GetObjectItem(pg, "width")->valueint, p.width);
    cJSON_Delete(j);
    df_result_free(r);
    df_engine_free(e);
}
END_TEST

/* LC_NUMERIC=de_DE must change no number docflow prints. The locale is built
 * into a private LOCPATH so the test needs no system locale configuration. */
START_TEST(numbers_ignore_locale)
{
    /* the same document under C and under de_DE must give the same JSON */
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    df_result *r = NULL;
    ck_assert_int_eq(df_extract_file(e, DF_FIXTURES_DIR "/invoice.png", &r), DF_OK);
    char *in_c = df_result_to_json(r, 0, NULL, 0);
    df_result_free(r);

    df_test_use_de_locale();
    ck_assert_int_eq(df_extract_file(e, DF_FIXTURES_DIR "/invoice.png", &r), DF_OK);
    char *s = df_result_to_json(r, 0, NULL, 0);
    /* 1240 px at 150 dpi = 595.2 pt: a number with a fraction */
    ck_assert_msg(strstr(s, "\"width_pt\":595.2,") != NULL, "%s", s);
    ck_assert_ptr_null(strstr(s, "595,2"));
    ck_assert_str_eq(s, in_c);
    df_free(s);
    df_free(in_c);
    df_result_free(r);
    df_engine_free(e);
    setlocale(LC_ALL, "C");
}
END_TEST

/* The library must not write to stdout or stderr, even for broken input. */
START_TEST(library_is_silent)
{
    char out[] = "/tmp/df-silent-XXXXXX";
    int fd = mkstemp(out);
    ck_assert_int_ge(fd, 0);
    fflush(stdout);
    fflush(stderr);
    int save1 = dup(1), save2 = dup(2);
    dup2(fd, 1);
    dup2(fd, 2);
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    const char *files[] = {SAMPLE, DF_FIXTURES_DIR "/bad/corrupt.pdf", DF_FIXTURES_DIR "/bad/truncated.jpg",
                           DF_FIXTURES_DIR "/bad/truncated.png", DF_FIXTURES_DIR "/bad/truncated.tif",
                           DF_FIXTURES_DIR "/bad/truncated.heic", DF_FIXTURES_DIR "/bad/corrupt.png"};
    int failures = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        df_result *r = NULL;
        failures += df_extract_file(e, files[i], &r) != DF_OK;
        df_result_free(r);
    }
    df_engine_free(e);
    fflush(stdout);
    fflush(stderr);
    dup2(save1, 1);
    dup2(save2, 2);
    close(save1);
    close(save2);
    struct stat st;
    fstat(fd, &st);
    close(fd);
    unlink(out);
    ck_assert_int_eq(failures, 6);
    ck_assert_msg(st.st_size == 0, "library wrote %lld bytes to stdout/stderr", (long long)st.st_size);
}
END_TEST


struct diag_count {
    pthread_mutex_t lock;
    int n;
};

static void count_diag(void *ud, df_diag_level level, const char *msg)
{
    struct diag_count *c = ud;
    ck_assert_ptr_nonnull(msg);
    ck_assert_int_le(level, DF_DIAG_ERROR);
    pthread_mutex_lock(&c->lock);
    c->n++;
    pthread_mutex_unlock(&c->lock);
}

struct diag_text {
    pthread_mutex_t lock;
    int not_utf8;
    int quoted; /* MuPDF's message quoting the resource name was seen */
};

static void check_diag(void *ud, df_diag_level level, const char *msg)
{
    struct diag_text *d = ud;
    (void)level;
    pthread_mutex_lock(&d->lock);
    d->not_utf8 += !is_utf8(msg);
    d->quoted += strstr(msg, "resource 'Caf" FFFD "'") != NULL;
    pthread_mutex_unlock(&d->lock);
}

/* MuPDF quotes names from the file in its messages, byte for byte: a
 * Latin-1 resource name reaches the callback with U+FFFD, not as a stray
 * \xE9 (the PDF has no xref: MuPDF rebuilds it). */
START_TEST(diagnostics_are_utf8)
{
    static const char pdf[] =
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>"
        "\nendobj\n4 0 obj\n<< /Length 8 >>\nstream\n/Caf\xE9 gs\nendstream\nendobj\n"
        "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
    struct diag_text d = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
    df_options *o = df_options_new();
    df_options_set_diagnostics(o, check_diag, &d);
    df_engine *e = df_engine_new(o, NULL, NULL);
    df_options_free(o);
    df_result *r = NULL;
    df_extract_memory(e, pdf, sizeof pdf - 1, "latin1.pdf", &r);
    df_result_free(r);
    df_engine_free(e);
    ck_assert_int_eq(d.not_utf8, 0);
    ck_assert_int_gt(d.quoted, 0);
}
END_TEST

/* Library warnings (here MuPDF repairing a broken file) reach the callback. */
START_TEST(diagnostics_reach_callback)
{
    struct diag_count c = {PTHREAD_MUTEX_INITIALIZER, 0};
    df_options *o = df_options_new();
    df_options_set_diagnostics(o, count_diag, &c);
    df_engine *e = df_engine_new(o, NULL, NULL);
    df_options_free(o);
    df_result *r = NULL;
    ck_assert_int_ne(df_extract_file(e, DF_FIXTURES_DIR "/bad/corrupt.pdf", &r), DF_OK);
    df_result_free(r);
    df_engine_free(e);
    ck_assert_int_gt(c.n, 0);
}
END_TEST

struct worker {
    df_engine *engine;
    const char *path;
    df_code want;
    int mismatches;
    char *first_json;
};

static void *extract_repeatedly(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 2; i++) { /* twice: the second run compares with the first */
        df_result *r = NULL;
        if (df_extract_file(w->engine, w->path, &r) != w->want)
            w->mismatches++;
        char *j = df_result_to_json(r, 0, NULL, 0);
        if (!w->first_json)
            w->first_json = j;
        else {
            if (strcmp(j, w->first_json) != 0)
                w->mismatches++;
            df_free(j);
        }
        df_result_free(r);
    }
    return NULL;
}

/* One engine shared by several threads gives each the same answers. */
START_TEST(engine_shared_between_threads)
{
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    struct worker w[6] = {
        {e, SAMPLE, DF_OK, 0, NULL},
        {e, DF_FIXTURES_DIR "/invoice-scanned.pdf", DF_OK, 0, NULL},
        {e, DF_FIXTURES_DIR "/invoice.jpg", DF_OK, 0, NULL},
        {e, DF_FIXTURES_DIR "/invoice-multipage.tif", DF_OK, 0, NULL},
        {e, DF_FIXTURES_DIR "/invoice.heic", DF_OK, 0, NULL},
        {e, DF_FIXTURES_DIR "/bad/truncated.png", DF_E_TRUNCATED_FILE, 0, NULL},
    };
    pthread_t t[6];
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, extract_repeatedly, &w[i]), 0);
    for (int i = 0; i < 6; i++) {
        pthread_join(t[i], NULL);
        ck_assert_msg(w[i].mismatches == 0, "%s: %d mismatches", w[i].path, w[i].mismatches);
        df_free(w[i].first_json);
    }
    df_engine_free(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api");
    TCase *t = tcase_create("api");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, code_names_are_stable);
    tcase_add_test(t, options_validate_input);
    tcase_add_test(t, engine_copies_options);
    tcase_add_test(t, memory_errors_name_the_input);
    tcase_add_test(t, names_that_are_not_utf8);
    tcase_add_test(t, file_errors);
    tcase_add_test(t, failed_result_json_shape);
    tcase_add_test(t, sniff_format_from_first_bytes);
    tcase_add_test(t, sample_result_json);
    tcase_add_test(t, numbers_ignore_locale);
    tcase_add_test(t, library_is_silent);
    tcase_add_test(t, diagnostics_reach_callback);
    tcase_add_test(t, diagnostics_are_utf8);
    tcase_add_test(t, engine_shared_between_threads);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
