/* recall_match.h — "is this labelled value in this text?" rules used by
 * `docflow recall` (and unit-tested in tests/unit/test_recall_match.c). */
#ifndef DF_RECALL_MATCH_H
#define DF_RECALL_MATCH_H

/* Upper-case ASCII letters, fold every run of non-alphanumerics into one
 * space, trim. Returns a malloc'd string. */
char *df_match_normalize(const char *s);

/* label's normalised form occurs in text's normalised form on word
 * boundaries. An empty label never matches. */
int df_match_name(const char *text, const char *label);

/* WildReceipt labels have every space removed ("KOREANRESTAURANT"): label,
 * upper-cased and without any non-alphanumeric character, occurs in text
 * reduced the same way. No word boundaries are left to check. An empty
 * label never matches. */
int df_match_compact(const char *text, const char *label);

/* label occurs in text exactly as printed, not inside a longer number. */
int df_match_verbatim(const char *text, const char *label);

/* Same, ignoring ASCII case ("18 MAR 2018" is in "18 Mar 2018") and how
 * many spaces or tabs stand between words ("25 Mar  2018": docflow's text
 * sets words as far apart as they were printed); a line break still
 * separates. */
int df_match_verbatim_ci(const char *text, const char *label);

/* A number in text equals value within 0.005, reading every grouping style:
 * 1,23,456.00  1,234.56  1.234,56  1 234,56  1234.56 */
int df_match_amount(const char *text, double value);

/* Same, the value taken from a label like "RM 436.20" or "$9.00". */
int df_match_amount_str(const char *text, const char *label);

/* An ISO date (YYYY-MM-DD) printed in text in a common form: 01/07/2024,
 * 01-07-2024, 01.07.2024, 01/07/24, 2024-07-01, 01-Jul-2024, 1 July 2024,
 * July 1, 2024, Jul 01 2024 ... (case-insensitive; a run of spaces or tabs
 * in text counts as one space). */
int df_match_iso_date(const char *text, const char *iso);

#endif
