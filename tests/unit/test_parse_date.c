/* test_parse_date.c — dates to ISO (lib/extract/date.h): every common form,
 * day/month order and its fallback, two-digit years, validity, time, spans. */
#include <check.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/date.h"
#include "testutil.h"

static df_model *g_model;

static const char *iso(const char *s, df_date_order o)
{
    static df_date d;
    if (!df_date_parse(g_model, s, strlen(s), o, &d))
        return "none";
    return d.iso;
}

#define DATE(s, o, want) ck_assert_msg(strcmp(iso(s, o), want) == 0, "%s -> %s, want %s", s, iso(s, o), want)

START_TEST(numeric_forms)
{
    DATE("01/07/2024", DF_DATE_DMY, "2024-07-01");
    DATE("01/07/2024", DF_DATE_MDY, "2024-01-07");
    DATE("01-07-24", DF_DATE_DMY, "2024-07-01");
    DATE("1.7.2024", DF_DATE_DMY, "2024-07-01");
    DATE("01.07.2024", DF_DATE_DMY, "2024-07-01");
    DATE("2024-07-01", DF_DATE_MDY, "2024-07-01");
    DATE("2024/07/01", DF_DATE_DMY, "2024-07-01");
    DATE("13/02/2024", DF_DATE_MDY, "2024-02-13"); /* the hinted reading is impossible */
    DATE("02/13/2024", DF_DATE_DMY, "2024-02-13");
    DATE("31/12/99", DF_DATE_DMY, "1999-12-31");
    DATE("01/01/69", DF_DATE_DMY, "2069-01-01");
    DATE("01/01/70", DF_DATE_DMY, "1970-01-01");
    DATE("20240701", DF_DATE_DMY, "none");
    DATE("01/07-2024", DF_DATE_DMY, "none");
    DATE("13/13/2024", DF_DATE_DMY, "none");
    DATE("01/07/202", DF_DATE_DMY, "none");
    DATE("01/07/20245", DF_DATE_DMY, "none");
    DATE("001/07/2024", DF_DATE_DMY, "none");
    DATE("2024-7-1", DF_DATE_DMY, "2024-07-01");
    DATE("2024-13-01", DF_DATE_DMY, "none");
}
END_TEST

START_TEST(validity)
{
    DATE("29/02/2024", DF_DATE_DMY, "2024-02-29");
    DATE("29/02/2023", DF_DATE_DMY, "none");
    DATE("29/02/2000", DF_DATE_DMY, "2000-02-29");
    DATE("29/02/1900", DF_DATE_DMY, "none");
    DATE("31/04/2024", DF_DATE_DMY, "none");
    DATE("30/04/2024", DF_DATE_DMY, "2024-04-30");
    DATE("00/04/2024", DF_DATE_DMY, "none");
    DATE("31 Jun 2024", DF_DATE_DMY, "none");
    ck_assert(df_date_valid(2024, 2, 29));
    ck_assert(!df_date_valid(2100, 2, 29));
    ck_assert(!df_date_valid(0, 1, 1));
    ck_assert(!df_date_valid(2024, 0, 1));
}
END_TEST

START_TEST(textual_forms)
{
    DATE("01-Jul-2024", DF_DATE_DMY, "2024-07-01");
    DATE("1 July 2024", DF_DATE_DMY, "2024-07-01");
    DATE("July 1, 2024", DF_DATE_DMY, "2024-07-01");
    DATE("1st July 2024", DF_DATE_MDY, "2024-07-01");
    DATE("2nd Feb, 2024", DF_DATE_DMY, "2024-02-02");
    DATE("23rd Mar 24", DF_DATE_DMY, "2024-03-23");
    DATE("Jul 01 2024", DF_DATE_DMY, "2024-07-01");
    DATE("JUL 01, 2024", DF_DATE_DMY, "2024-07-01");
    DATE("Sept. 9, 2024", DF_DATE_DMY, "2024-09-09");
    DATE("01-jul-24", DF_DATE_DMY, "2024-07-01");
    DATE("01Jul2024", DF_DATE_DMY, "none");
    /* a till's dates: day and month glued, the year after an apostrophe */
    DATE("MAY08'14", DF_DATE_DMY, "2014-05-08");
    DATE("Aug17'16", DF_DATE_MDY, "2016-08-17");
    DATE("29JAN'15", DF_DATE_DMY, "2015-01-29");
    DATE("Aug172016", DF_DATE_DMY, "none");
    DATE("Aug17 2016", DF_DATE_DMY, "none");
    DATE("03 Apr2018", DF_DATE_DMY, "2018-04-03");
    DATE("03Apr 2018", DF_DATE_DMY, "2018-04-03");
    DATE("2024-Jul-01", DF_DATE_DMY, "2024-07-01");
    DATE("Julember 1, 2024", DF_DATE_DMY, "none");
    DATE("1 July", DF_DATE_DMY, "none");
}
END_TEST

/* Month names of models/months.txt in the languages docflow reads, the words
 * some put between a date's parts, a year with its century left out, and the
 * space German prints after the second dot. */
START_TEST(other_languages)
{
    DATE("3. März 2024", DF_DATE_DMY, "2024-03-03");
    DATE("17 de agosto de 2023", DF_DATE_DMY, "2023-08-17");
    DATE("1er janvier 2025", DF_DATE_DMY, "none"); /* "1er": no such ordinal */
    DATE("12 décembre 2024", DF_DATE_DMY, "2024-12-12");
    DATE("4 maart 2024", DF_DATE_DMY, "2024-03-04");
    DATE("3 marzo 2024", DF_DATE_DMY, "2024-03-03");
    DATE("19 Ogos 2025", DF_DATE_DMY, "2025-08-19");
    DATE("21NOV'15", DF_DATE_DMY, "2015-11-21");
    DATE("29JAN\xc2\xb4" "15", DF_DATE_DMY, "2015-01-29"); /* ´ */
    DATE("20Mar'17", DF_DATE_DMY, "2017-03-20");
    DATE("13.05. 2017", DF_DATE_DMY, "2017-05-13");
    DATE("13.05 .2017", DF_DATE_DMY, "none");
    /* a filler word opens no date and does not join a number to a month */
    DATE("de agosto de 2023", DF_DATE_DMY, "none");
}
END_TEST

START_TEST(times_and_flags)
{
    df_date d;
    const char *s = "01/07/2024 10:33";
    ck_assert(df_date_parse(g_model, s, strlen(s), DF_DATE_DMY, &d));
    ck_assert_int_eq(d.has_time, 1);
    ck_assert_int_eq(d.hour, 10);
    ck_assert_int_eq(d.minute, 33);
    s = "Jul 01 2024 10:33:05 PM";
    ck_assert(df_date_parse(g_model, s, strlen(s), DF_DATE_DMY, &d));
    ck_assert_int_eq(d.hour, 22);
    ck_assert_int_eq(d.second, 5);
    s = "2024-07-01T09:05";
    ck_assert(df_date_parse(g_model, s, strlen(s), DF_DATE_DMY, &d));
    ck_assert_int_eq(d.hour, 9);
    s = "01/07/2024 25:00";
    ck_assert(!df_date_parse(g_model, s, strlen(s), DF_DATE_DMY, &d)); /* time not taken */
    ck_assert(df_date_parse(g_model, "05/06/2024", 10, DF_DATE_DMY, &d));
    ck_assert_int_eq(d.ambiguous, 1);
    ck_assert_int_eq(d.swapped, 0);
    ck_assert(df_date_parse(g_model, "13/02/2024", 10, DF_DATE_MDY, &d));
    ck_assert_int_eq(d.swapped, 1);
    ck_assert_int_eq(d.ambiguous, 0);
    ck_assert(df_date_parse(g_model, "07/07/2024", 10, DF_DATE_DMY, &d));
    ck_assert_int_eq(d.ambiguous, 0);
}
END_TEST

START_TEST(find_spans)
{
    const char *t = "Invoice No: 2024/117 Date: 1st July, 2024 Due 15/08/2024 10:00 ref 20240701";
    df_date d;
    size_t len = strlen(t);
    ck_assert(df_date_find(g_model, t, len, 0, DF_DATE_DMY, &d));
    ck_assert_str_eq(d.iso, "2024-07-01");
    ck_assert_int_eq(strncmp(t + d.start, "1st July, 2024", d.end - d.start), 0);
    ck_assert_uint_eq(d.end - d.start, 14);
    ck_assert(df_date_find(g_model, t, len, d.end, DF_DATE_DMY, &d));
    ck_assert_str_eq(d.iso, "2024-08-15");
    ck_assert_int_eq(d.has_time, 1);
    ck_assert_int_eq(strncmp(t + d.start, "15/08/2024 10:00", d.end - d.start), 0);
    ck_assert(!df_date_find(g_model, t, len, d.end, DF_DATE_DMY, &d));
    ck_assert(!df_date_find(g_model, NULL, 0, 0, DF_DATE_DMY, &d));
    /* OCR glued the next word to a four-digit year: still the date */
    const char *g = "Date: 21/05/2018Time: 11:12";
    ck_assert(df_date_find(g_model, g, strlen(g), 0, DF_DATE_DMY, &d));
    ck_assert_str_eq(d.iso, "2018-05-21");
    ck_assert_uint_eq(d.end, 16);
    /* ... but not to a two-digit one, nor digits to a year */
    ck_assert(!df_date_find(g_model, "21/05/18Time", 12, 0, DF_DATE_DMY, &d));
    ck_assert(!df_date_find(g_model, "21/05/20189", 11, 0, DF_DATE_DMY, &d));
    ck_assert(!df_date_find(g_model, "x", 1, 9, DF_DATE_DMY, &d));
    /* the length is the limit: "01/07/2024" cut to "01/07/20" is a 2-digit year */
    ck_assert(df_date_parse(g_model, "01/07/2024", 8, DF_DATE_DMY, &d));
    ck_assert_str_eq(d.iso, "2020-07-01");
    /* without a model only numeric forms exist */
    ck_assert(!df_date_parse(NULL, "1 July 2024", 11, DF_DATE_DMY, &d));
    ck_assert(df_date_parse(NULL, "01/07/2024", 10, DF_DATE_DMY, &d));
}
END_TEST

static const char *till(const char *s)
{
    static df_date d;
    if (!df_date_find_till(g_model, s, strlen(s), 0, &d))
        return "none";
    return d.iso;
}

#define TILL(s, want) ck_assert_msg(strcmp(till(s), want) == 0, "%s -> %s, want %s", s, till(s), want)

/* A till's glued date as OCR misreads it (df_date_find_till). */
START_TEST(till_dates_misread)
{
    TILL("JUNO3'14 2:40PM", "2014-06-03"); /* O for 0 in the day; "JUN" as printed */
    TILL("Nay08'14 12:42PM", "2014-05-08"); /* May one letter off */
    TILL("290an'15 y", "2015-01-29");       /* the day first, J read as 0 */
    TILL("CHK 12 MAYl2'16", "2016-05-12");  /* l for 1, after other words */
    TILL("Aug17\u201916", "2016-08-17");    /* a typographic apostrophe */
    df_date d;
    const char *t = "Nay08'14 12:42PM";
    ck_assert(df_date_find_till(g_model, t, strlen(t), 0, &d));
    ck_assert_int_eq(d.has_time, 1);
    ck_assert_int_eq(d.hour, 12);
    ck_assert_uint_eq(d.start, 0);
    ck_assert_uint_eq(d.end, strlen(t));
    TILL("Jzn08'14", "none");  /* one off Jan and Jun alike */
    TILL("Maz08'14", "none");  /* Mar or May */
    TILL("N4y08'14", "none");  /* two letters off May */
    TILL("Nay0B'14", "none");  /* B looks like no digit */
    TILL("NayOO'14", "none");  /* no real digit in the day */
    TILL("Nay38'14", "none");  /* no such day */
    TILL("Nay08'145", "none"); /* a two-digit year only */
    TILL("Nay08'14X", "none"); /* the date must end a word */
    TILL("XNay08'14", "none"); /* ... and start one */
    TILL("Nay08 '14", "none"); /* glued: five characters, then the apostrophe */
    TILL("ABC12'34", "none");
    TILL("Nay08", "none");
    ck_assert(!df_date_find_till(g_model, NULL, 0, 0, &d));
    ck_assert(!df_date_find_till(NULL, t, strlen(t), 0, &d));
}
END_TEST

START_TEST(implausible)
{
    ck_assert(df_date_implausible(1999, 12, 31, 2026, 11, 28));
    ck_assert(!df_date_implausible(2000, 1, 1, 2026, 11, 28));
    ck_assert(!df_date_implausible(2027, 11, 28, 2026, 11, 28));
    ck_assert(df_date_implausible(2027, 11, 29, 2026, 11, 28));
    ck_assert(!df_date_implausible(2026, 11, 28, 2026, 11, 28));
}
END_TEST

START_TEST(locale_independent)
{
    const char *prev = setlocale(LC_ALL, NULL);
    char *saved = prev ? strdup(prev) : NULL;
    df_test_use_de_locale();
    DATE("01.07.2024", DF_DATE_DMY, "2024-07-01");
    DATE("1 July 2024", DF_DATE_DMY, "2024-07-01");
    setlocale(LC_ALL, saved ? saved : "C");
    free(saved);
}
END_TEST

int main(void)
{
    g_model = df_test_load_model();
    if (!g_model)
        return EXIT_FAILURE;
    Suite *s = suite_create("parse_date");
    TCase *t = tcase_create("date");
    tcase_add_test(t, numeric_forms);
    tcase_add_test(t, validity);
    tcase_add_test(t, textual_forms);
    tcase_add_test(t, other_languages);
    tcase_add_test(t, times_and_flags);
    tcase_add_test(t, find_spans);
    tcase_add_test(t, till_dates_misread);
    tcase_add_test(t, implausible);
    tcase_add_test(t, locale_independent);
    suite_add_tcase(s, t);
    int rc = df_test_run(s);
    df_model_free(g_model);
    return rc;
}
