/*
 * date.h — calendar dates in text to ISO "YYYY-MM-DD".
 *
 * Accepted forms (separators '/', '-', '.', the same one twice):
 *   01/07/2024  01-07-24  01.07.2024  2024-07-01  2024/07/01
 *   01-Jul-2024  1 July 2024  1st July, 2024  01 Jul 24  July 1, 2024
 *   Jul 01 2024  2024-Jul-01, a till's MAY08'14 and 29JAN'15 (day and
 *   month glued only before an apostrophe year), each optionally followed by a time
 *   ("10:33", "10:33:05", "10:33 PM", "T10:33") that is kept in the span.
 * Month names come from models/months.txt. Compact 20240701 is not a date
 * (it is far more often an invoice number).
 *
 * Numeric day/month order: day first (DF_DATE_DMY) unless the caller says
 * the document is US-style (DF_DATE_MDY). When the preferred reading is not
 * a real date and the other is (13/02/2024 under MDY), the other is used and
 * `swapped` is set; when both are valid and differ, `ambiguous` is set.
 * Two-digit years: 00-69 -> 2000-2069, 70-99 -> 1970-1999.
 * Every result is a real calendar date (leap years, month lengths).
 */
#ifndef DF_EXTRACT_DATE_H
#define DF_EXTRACT_DATE_H

#include <stddef.h>

#include "extract/model.h"

typedef enum df_date_order { DF_DATE_DMY = 0, DF_DATE_MDY = 1 } df_date_order;

typedef struct df_date {
    int year, month, day;
    int has_time, hour, minute, second; /* 24-hour clock */
    char iso[11];       /* "YYYY-MM-DD" */
    size_t start, end;  /* byte span in the input, time included */
    int ambiguous;      /* numeric day/month both valid and different */
    int swapped;        /* the hinted order was impossible, the other one used */
} df_date;

/* 1 when y-m-d is a real Gregorian date (year 1..9999). */
int df_date_valid(int y, int m, int d);

/* The whole of s[0..len) (surrounding spaces ignored) is one date. */
int df_date_parse(const df_model *m, const char *s, size_t len, df_date_order order, df_date *out);

/* The first date starting at or after byte `from`, on word boundaries. */
int df_date_find(const df_model *m, const char *s, size_t len, size_t from, df_date_order order,
                 df_date *out);

/* The first of a till's glued dates ("MAY08'14", "29JAN'15") at or after
 * `from` as OCR misreads them: the day's digits may be OCR's look-alikes
 * (O, o for 0; I, l, | for 1: "JUNO3'14") and the month's three letters
 * one off where no other month is as near ("Nay08'14", "290an'15"). Only
 * these five characters before an apostrophe and a two-digit year. For a
 * line df_date_find found no date on (rule meta.till_date). */
int df_date_find_till(const df_model *m, const char *s, size_t len, size_t from, df_date *out);

/* 1 when an invoice date is implausible: before 2000-01-01 or more than a
 * year after `today` (given by the caller, never read from the clock). */
int df_date_implausible(int y, int m, int d, int today_y, int today_m, int today_d);

#endif
