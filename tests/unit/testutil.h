/* testutil.h — helpers several Check suites share (header-only: each suite
 * is its own executable). */
#ifndef DF_TESTUTIL_H
#define DF_TESTUTIL_H

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Switch the process to de_DE.UTF-8 (decimal comma), building the locale
 * into a private LOCPATH with localedef when the system has none (package
 * `locales`, a test dependency). Fails the test when that is impossible: a
 * locale test that silently ran in "C" would prove nothing. */
static inline void df_test_use_de_locale(void)
{
    if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
        static char dir[] = "/tmp/df-locale-XXXXXX";
        char cmd[256];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", dir);
        int rc = system(cmd); /* localedef warns on some locales yet succeeds */
        (void)rc;
        setenv("LOCPATH", dir, 1);
        ck_assert_msg(setlocale(LC_ALL, "de_DE.UTF-8") != NULL,
                      "cannot build de_DE.UTF-8 (scripts/install-deps --test installs locales)");
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir); /* glibc has mapped what it needs */
        rc = system(cmd);
        (void)rc;
    }
    char probe[8];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    ck_assert_str_eq(probe, "1,5");
}

#ifdef DF_DECODE_H
/* Decode a fixture with generous limits; fails the test on any error. */
static inline void df_test_decode_file(const char *path, df_doc *doc)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    df_decode_opts o = {.max_file_bytes = 1u << 30, .max_pages = 50, .max_pixels = 100000000};
    df_err err = {0};
    memset(doc, 0, sizeof *doc);
    ck_assert_msg(df_decode(buf, (size_t)n, &o, doc, &err) == DF_OK, "%s: %s", path, err.msg);
    free(buf);
}
#endif

/* Run a suite, free it, and turn its result into main()'s exit status. */
static inline int df_test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#if defined(DF_EXTRACT_RULES_H) && defined(DF_EXTRACT_FIELDS_H)
/* The source tree's models with the rules named in ids (NULL-ended)
 * switched off; fails the test when one is no rule. */
static inline df_fields_model *df_test_model_without(const char *const *ids)
{
    df_err err = {0};
    df_fields_model *m = df_fields_model_load(DF_SOURCE_DIR "/models", &err);
    ck_assert_msg(m != NULL, "%s", err.msg);
    df_rule_set off = {{0}};
    for (size_t k = 0; ids[k]; k++) {
        int i = df_rule_find(ids[k]);
        ck_assert_msg(i >= 0, "no rule %s", ids[k]);
        off.off[i / 64] |= UINT64_C(1) << (i % 64);
    }
    df_fields_model_rules(m, &off);
    return m;
}
#endif

#ifdef DF_EXTRACT_MODEL_H
/* The source tree's models/, or NULL after printing why. */
static inline df_model *df_test_load_model(void)
{
    df_err err = {0};
    df_model *m = df_model_load(DF_SOURCE_DIR "/models", &err);
    if (!m)
        fprintf(stderr, "model: %s\n", err.msg);
    return m;
}
#endif

#endif
