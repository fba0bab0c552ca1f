/* test_confidence.c — the document's confidence_score (lib/validate/confidence.c):
 * its range, what it rises and falls with, and the two anchors the devset
 * calibration promises (a complete, consistent text-layer document scores 1;
 * one missing optional field keeps it >= 0.9). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "validate/validate.h"

static char vendor[] = "Acme Traders", taxid[] = "27AAPFU0939F1ZV", invno[] = "INV-1",
            date[] = "2024-07-01", curr[] = "INR";

/* A complete invoice read from a text layer (every word confidence 1). */
static void full(df_extraction *x, df_validation *v)
{
    memset(x, 0, sizeof *x);
    memset(v, 0, sizeof *v);
    x->document_type = "invoice";
    x->document_category = "financial";
    x->vendor_name.s = vendor;
    x->vendor_tax_id.s = taxid;
    x->invoice_number.s = invno;
    x->date.s = date;
    x->currency.s = curr;
    x->totals[DF_TOT_SUBTOTAL].has = 1;
    x->totals[DF_TOT_GRAND].has = 1;
    x->mean_conf = 1.0;
    v->math_valid = 1;
}

static void add_issue(df_issue *list, size_t *n, const char *code)
{
    list[*n].code = code;
    snprintf(list[*n].message, sizeof list[*n].message, "%s", code);
    (*n)++;
}

START_TEST(range_and_anchors)
{
    df_extraction x;
    df_validation v;
    full(&x, &v);
    ck_assert_double_eq_tol(df_confidence_score(&x, &v), 1.0, 1e-12);
    /* One optional field missing: still in the >= 0.9 band. */
    x.totals[DF_TOT_SUBTOTAL].has = 0;
    double s = df_confidence_score(&x, &v);
    ck_assert(s >= 0.9 && s < 1.0);
    /* Nothing read at all. */
    memset(&x, 0, sizeof x);
    x.document_type = "other";
    ck_assert_double_eq(df_confidence_score(&x, &v), 0.0);
    ck_assert_double_eq(df_confidence_score(NULL, &v), 0.0);
    /* Out-of-range or NaN inputs still give [0, 1]. */
    full(&x, &v);
    x.mean_conf = 1.7;
    ck_assert_double_eq_tol(df_confidence_score(&x, &v), 1.0, 1e-12);
    x.mean_conf = -0.5;
    ck_assert_double_eq(df_confidence_score(&x, &v), 0.0);
    x.mean_conf = NAN;
    ck_assert_double_eq(df_confidence_score(&x, &v), 0.0);
    /* No validation ran: judged on the fields alone. */
    full(&x, &v);
    ck_assert_double_eq_tol(df_confidence_score(&x, NULL), 1.0, 1e-12);
    /* Every combination stays in [0, 1]. */
    for (int mask = 0; mask < 256; mask++) {
        full(&x, &v);
        x.mean_conf = (mask & 7) / 7.0;
        if (mask & 8) x.vendor_name.s = NULL;
        if (mask & 16) x.document_type = "other";
        if (mask & 32) x.totals[DF_TOT_GRAND].has = 0;
        if (mask & 64) add_issue(v.errors, &v.nerrors, "totals_mismatch");
        if (mask & 128) add_issue(v.warnings, &v.nwarnings, "gstin_repaired");
        s = df_confidence_score(&x, &v);
        ck_assert(s >= 0.0 && s <= 1.0);
    }
}
END_TEST

START_TEST(monotone_in_ocr_confidence)
{
    df_extraction x;
    df_validation v;
    full(&x, &v);
    double prev = -1;
    for (int i = 0; i <= 100; i++) {
        x.mean_conf = i / 100.0;
        double s = df_confidence_score(&x, &v);
        ck_assert(s >= prev);
        prev = s;
    }
    /* Strictly: a scan read at 0.6 is less sure than one read at 0.9. */
    x.mean_conf = 0.6;
    double lo = df_confidence_score(&x, &v);
    x.mean_conf = 0.9;
    ck_assert(df_confidence_score(&x, &v) > lo);
}
END_TEST

START_TEST(missing_fields_lower_it)
{
    df_extraction x;
    df_validation v;
    full(&x, &v);
    x.mean_conf = 0.9;
    double all = df_confidence_score(&x, &v);
    /* Each required field missing lowers the score, and more than an
     * optional one does. */
    full(&x, &v);
    x.mean_conf = 0.9;
    x.totals[DF_TOT_SUBTOTAL].has = 0;
    double no_sub = df_confidence_score(&x, &v);
    ck_assert(no_sub < all);
    full(&x, &v);
    x.mean_conf = 0.9;
    x.vendor_tax_id.s = NULL;
    ck_assert_double_eq_tol(df_confidence_score(&x, &v), no_sub, 1e-12);
    for (int k = 0; k < 6; k++) {
        full(&x, &v);
        x.mean_conf = 0.9;
        switch (k) {
        case 0: x.vendor_name.s = NULL; break;
        case 1: x.date.s = NULL; break;
        case 2: x.currency.s = NULL; break;
        case 3: x.totals[DF_TOT_GRAND].has = 0; break;
        case 4: x.document_type = "other"; break;
        case 5: x.invoice_number.s = NULL; break;
        }
        double s = df_confidence_score(&x, &v);
        ck_assert_msg(s < no_sub, "required field %d: %f not below %f", k, s, no_sub);
        /* and a second missing field lowers it again */
        x.totals[DF_TOT_SUBTOTAL].has = 0;
        ck_assert(df_confidence_score(&x, &v) < s);
    }
    /* A receipt is not expected to carry an invoice number. */
    full(&x, &v);
    x.document_type = "receipt";
    x.invoice_number.s = NULL;
    ck_assert_double_eq_tol(df_confidence_score(&x, &v), 1.0, 1e-12);
}
END_TEST

START_TEST(validation_lowers_it)
{
    df_extraction x;
    df_validation v;
    full(&x, &v);
    x.mean_conf = 0.95;
    double clean = df_confidence_score(&x, &v);
    add_issue(v.warnings, &v.nwarnings, "totals_mismatch");
    double warned = df_confidence_score(&x, &v);
    ck_assert(warned < clean);
    /* an error costs more than a warning */
    full(&x, &v);
    x.mean_conf = 0.95;
    v.math_valid = 0;
    add_issue(v.errors, &v.nerrors, "totals_mismatch");
    double one_err = df_confidence_score(&x, &v);
    ck_assert(one_err < warned);
    add_issue(v.errors, &v.nerrors, "cgst_sgst_unequal");
    ck_assert(df_confidence_score(&x, &v) < one_err);
    /* A GSTIN that needed repair is a warning like any other. */
    full(&x, &v);
    x.mean_conf = 0.95;
    add_issue(v.warnings, &v.nwarnings, "gstin_repaired");
    ck_assert_double_eq_tol(df_confidence_score(&x, &v), warned, 1e-12);
    /* missing_grand_total is not counted twice: the missing field already is. */
    full(&x, &v);
    x.mean_conf = 0.95;
    x.totals[DF_TOT_GRAND].has = 0;
    double no_total = df_confidence_score(&x, &v);
    v.math_valid = 0;
    add_issue(v.errors, &v.nerrors, "missing_grand_total");
    ck_assert_double_eq_tol(df_confidence_score(&x, &v), no_total, 1e-12);
    /* A text-layer document with a validation error falls below 0.95. */
    full(&x, &v);
    v.math_valid = 0;
    add_issue(v.errors, &v.nerrors, "line_items_mismatch");
    ck_assert(df_confidence_score(&x, &v) < 0.95);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("confidence");
    TCase *tc = tcase_create("score");
    tcase_add_test(tc, range_and_anchors);
    tcase_add_test(tc, monotone_in_ocr_confidence);
    tcase_add_test(tc, missing_fields_lower_it);
    tcase_add_test(tc, validation_lowers_it);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
