/* test_ocr_region.c — re-reading a region returns words in page coordinates. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "core/internal.h"
#include "decode/decode.h"
#include "ocr/ocr.h"

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc((size_t)n);
    ck_assert_uint_eq(fread(d, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return d;
}

static const df_word *find(const df_word *w, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(w[i].text, text))
            return &w[i];
    return NULL;
}

START_TEST(region_reread_keeps_page_coordinates)
{
    df_engine *e = df_engine_new(NULL, NULL, NULL);
    ck_assert_ptr_nonnull(e);
    size_t len;
    uint8_t *data = slurp(DF_FIXTURES_DIR "/invoice.png", &len);
    df_decode_opts o = {.max_file_bytes = 10u << 20, .max_pages = 50, .max_pixels = 100000000};
    df_doc doc = {0};
    df_err err = {0};
    ck_assert_int_eq(df_decode(data, len, &o, &doc, &err), DF_OK);
    df_ocr_opts oo = {0};
    df_word *w = NULL;
    size_t n = 0;
    ck_assert_int_eq(df_ocr_page(e->ocr, &doc.pages[0], &oo, &w, &n, &err), DF_OK);
    const df_word *total = find(w, n, "46,610.00");
    ck_assert_ptr_nonnull(total);

    /* the word's box with a margin, enlarged 2x, read as one line */
    float box[4] = {total->box[0] - 6, total->box[1] - 4, total->box[2] + 6, total->box[3] + 4};
    df_word *r = NULL;
    size_t rn = 0;
    ck_assert_int_eq(df_ocr_region(e->ocr, &doc.pages[0], box, 2.0, 0, &oo, &r, &rn, &err), DF_OK);
    const df_word *again = find(r, rn, "46,610.00");
    ck_assert_msg(again != NULL, "re-read gave %zu words", rn);
    for (int k = 0; k < 4; k++)
        ck_assert_msg(fabsf(again->box[k] - total->box[k]) < 2.0f, "box[%d] %.1f vs %.1f", k,
                      again->box[k], total->box[k]);
    df_ocr_words_free(r, rn);

    /* a region off the page or empty reads nothing, without error */
    float off[4] = {5000, 5000, 5100, 5100};
    ck_assert_int_eq(df_ocr_region(e->ocr, &doc.pages[0], off, 2.0, 0, &oo, &r, &rn, &err), DF_OK);
    ck_assert_uint_eq(rn, 0);
    ck_assert_int_eq(df_ocr_region(e->ocr, NULL, off, 2.0, 0, &oo, &r, &rn, &err),
                     DF_E_INVALID_ARGUMENT);

    df_ocr_words_free(w, n);
    df_doc_clear(&doc);
    free(data);
    df_engine_free(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ocr_region");
    TCase *t = tcase_create("region");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, region_reread_keeps_page_coordinates);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
