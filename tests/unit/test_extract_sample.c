/* test_extract_sample.c — the full extraction of fixtures/sample-invoice.pdf
 * (content in fixtures/README.md), field by field, through the public API. */
#include <check.h>
#include <cjson/cJSON.h>
#include <docflow/docflow.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE DF_FIXTURES_DIR "/sample-invoice.pdf"

static cJSON *root;

static cJSON *at(const char *path)
{
    /* "a/b/0/c" */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    cJSON *o = root;
    for (char *tok = strtok(buf, "/"); tok && o; tok = strtok(NULL, "/"))
        o = cJSON_IsArray(o) ? cJSON_GetArrayItem(o, atoi(tok)) : cJSON_GetObjectItemCaseSensitive(o, tok);
    ck_assert_msg(o != NULL, "missing %s", path);
    return o;
}

static void str_is(const char *path, const char *want)
{
    cJSON *o = at(path);
    ck_assert_msg(cJSON_IsString(o), "%s is not a string", path);
    ck_assert_str_eq(o->valuestring, want);
}

static void num_is(const char *path, double want)
{
    cJSON *o = at(path);
    ck_assert_msg(cJSON_IsNumber(o), "%s is not a number", path);
    ck_assert_msg(fabs(o->valuedouble - want) < 0.005, "%s: %f != %f", path, o->valuedouble, want);
}

static void null_is(const char *path)
{
    ck_assert_msg(cJSON_IsNull(at(path)), "%s is not null", path);
}

static void setup(void)
{
    df_code c;
    char msg[DF_ERROR_MAX];
    df_engine *e = df_engine_new(NULL, &c, msg);
    ck_assert_msg(e != NULL, "engine: %s", msg);
    df_result *r = NULL;
    ck_assert_int_eq(df_extract_file(e, SAMPLE, &r), DF_OK);
    char *s = df_result_to_json(r, 0, "sample-invoice.pdf", 0);
    root = cJSON_Parse(s);
    ck_assert_ptr_nonnull(root);
    df_free(s);
    df_result_free(r);
    df_engine_free(e);
}

static void teardown(void)
{
    cJSON_Delete(root);
}

START_TEST(type_and_parties)
{
    str_is("extraction/document_type", "invoice");
    str_is("extraction/document_category", "financial");
    str_is("extraction/vendor/name", "Acme Technologies Pvt Ltd");
    str_is("extraction/vendor/tax_id", "29AABCA1234K1ZU");
    str_is("extraction/vendor/address",
           "No. 42, 3rd Cross, Indiranagar, Bengaluru, Karnataka 560038, India");
    str_is("extraction/customer/name", "Bharat Retail Solutions LLP");
    str_is("extraction/customer/tax_id", "29AAGFB5678M1ZQ");
}
END_TEST

START_TEST(meta)
{
    str_is("extraction/document_meta/invoice_number", "INV-2024-001");
    str_is("extraction/document_meta/date", "2024-07-01");
    str_is("extraction/document_meta/currency", "INR");
}
END_TEST

START_TEST(line_items)
{
    ck_assert_int_eq(cJSON_GetArraySize(at("extraction/financial/line_items")), 3);
    static const struct {
        const char *desc, *hsn;
        double qty, price, total;
    } want[3] = {{"Laptop Stand, Aluminium", "8473", 10, 1250, 12500},
                 {"Wireless Keyboard and Mouse Combo", "8471", 5, 2400, 12000},
                 {"Annual Maintenance Support", "998713", 1, 15000, 15000}};
    for (int i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof p, "extraction/financial/line_items/%d/description", i);
        str_is(p, want[i].desc);
        snprintf(p, sizeof p, "extraction/financial/line_items/%d/hsn_sac", i);
        str_is(p, want[i].hsn);
        snprintf(p, sizeof p, "extraction/financial/line_items/%d/quantity", i);
        num_is(p, want[i].qty);
        snprintf(p, sizeof p, "extraction/financial/line_items/%d/unit_price", i);
        num_is(p, want[i].price);
        snprintf(p, sizeof p, "extraction/financial/line_items/%d/total", i);
        num_is(p, want[i].total);
        snprintf(p, sizeof p, "extraction/financial/line_items/%d/tax_rate", i);
        null_is(p); /* the table has no tax-rate column */
    }
}
END_TEST

START_TEST(totals_and_validation)
{
    num_is("extraction/financial/totals/subtotal", 39500);
    num_is("extraction/financial/totals/cgst", 3555);
    num_is("extraction/financial/totals/sgst", 3555);
    null_is("extraction/financial/totals/igst");
    null_is("extraction/financial/totals/tax");
    null_is("extraction/financial/totals/rounding");
    num_is("extraction/financial/totals/grand_total", 46610);
    ck_assert(cJSON_IsTrue(at("validation/math_valid")));
    ck_assert_int_eq(cJSON_GetArraySize(at("validation/errors")), 0);
    ck_assert_int_eq(cJSON_GetArraySize(at("validation/warnings")), 0);
    cJSON *c = at("extraction/confidence_score");
    ck_assert(c->valuedouble > 0.9 && c->valuedouble <= 1.0);
}
END_TEST

START_TEST(fields_and_keys)
{
    cJSON *g = at("extraction/fields");
    cJSON *f = cJSON_GetObjectItemCaseSensitive(g, "/financial/totals/grand_total");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(cJSON_GetObjectItem(f, "page")->valueint, 1);
    cJSON *b = cJSON_GetObjectItem(f, "bbox");
    ck_assert_int_eq(cJSON_GetArraySize(b), 4);
    /* the figure sits in the right half of an A4 page (595 pt wide) */
    ck_assert(cJSON_GetArrayItem(b, 0)->valuedouble > 297 && cJSON_GetArrayItem(b, 2)->valuedouble < 595);
    ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(g, "/vendor/tax_id"));
    /* key order of the result object */
    static const char *const keys[] = {"file_index", "file_key", "extraction", "validation",
                                       "tokens_used", "format", "pages"};
    cJSON *k = root->child;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++, k = k->next) {
        ck_assert_ptr_nonnull(k);
        ck_assert_str_eq(k->string, keys[i]);
    }
    static const char *const ex[] = {"document_type", "document_category", "confidence_score",
                                     "vendor", "customer", "document_meta", "financial", "fields"};
    k = at("extraction")->child;
    for (size_t i = 0; i < sizeof ex / sizeof *ex; i++, k = k->next) {
        ck_assert_ptr_nonnull(k);
        ck_assert_str_eq(k->string, ex[i]);
    }
}
END_TEST

START_TEST(models_dir_option)
{
    df_options *o = df_options_new();
    ck_assert_int_eq(df_options_set_models_dir(o, "/nonexistent/models"), DF_OK);
    df_code c = DF_OK;
    char msg[DF_ERROR_MAX];
    ck_assert_ptr_null(df_engine_new(o, &c, msg));
    ck_assert_int_eq(c, DF_E_FILE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(msg, "/nonexistent/models"));
    ck_assert_int_eq(df_options_set_models_dir(o, DF_SOURCE_DIR "/models"), DF_OK);
    df_engine *e = df_engine_new(o, &c, msg);
    ck_assert_msg(e != NULL, "%s", msg);
    df_engine_free(e);
    ck_assert_int_eq(df_options_set_models_dir(NULL, "x"), DF_E_INVALID_ARGUMENT);
    df_options_free(o);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("extract_sample");
    TCase *t = tcase_create("sample");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, type_and_parties);
    tcase_add_test(t, meta);
    tcase_add_test(t, line_items);
    tcase_add_test(t, totals_and_validation);
    tcase_add_test(t, fields_and_keys);
    suite_add_tcase(s, t);
    TCase *o = tcase_create("options");
    tcase_add_test(o, models_dir_option);
    suite_add_tcase(s, o);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
