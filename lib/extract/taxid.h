/*
 * taxid.h — tax registration numbers: validation, OCR repair, scanning.
 *
 * A tax id identifies the vendor, so a wrong one is worse than none. Each
 * format is checked as far as it is public: shape always, check digits
 * where the algorithm is published and simple.
 *
 * - GSTIN (India, 15 chars): state code 01-38, 97 or 99; the PAN (5 letters,
 *   4 digits, 1 letter); entity digit/letter 1-9A-Z; 'Z'; check character.
 *   Check: over the first 14 chars in base 36 (0-9 = 0-9, A-Z = 10-35) with
 *   factors 1,2,1,2,..., sum each product's quotient and remainder by 36;
 *   check = (36 - sum % 36) % 36 as a base-36 digit.
 * - PAN (India, 10 chars): AAAAA9999A, 4th letter in CPHFATBLJG.
 * - EU VAT by prefix: DE (9 digits, ISO 7064 MOD 11,10), FR (2-char key +
 *   9-digit SIREN; numeric key checked), GB (9 or 12 digits, GD/HA+3), IT
 *   (11 digits, Luhn), ES (X9999999X), NL (9 digits B 2 digits), BE (10
 *   digits starting 0/1, mod 97), AT (U + 8 digits), IE (1234567X[X] or
 *   1X23456X).
 * - Malaysia: GST id, 12 digits starting "00" (001234567890); SST id
 *   "W10-1808-31001234" (letter, 2 digits, 4 digits, 8 digits).
 *
 * All inputs are byte ranges (no NUL needed); spaces are not allowed by the
 * validators (normalise first) but are tolerated by the scanner.
 */
#ifndef DF_VALIDATE_TAXID_H
#define DF_VALIDATE_TAXID_H

#include <stddef.h>

typedef enum df_taxid_kind {
    DF_TAXID_NONE = 0,
    DF_TAXID_GSTIN,
    DF_TAXID_PAN,
    DF_TAXID_EU_VAT,
    DF_TAXID_MY_GST,
    DF_TAXID_MY_SST,
    DF_TAXID_LABELLED /* named by its label ("EIN: 98-2507789"), shape only (vendor.c) */
} df_taxid_kind;

/* The GSTIN check character for the first 14 chars of s (upper-case digits
 * and letters), or 0 when one of them is not [0-9A-Z]. */
char df_gstin_check_char(const char *s);

/* 1 when s[0..len) is a valid GSTIN: shape, state code and check char. */
int df_gstin_valid(const char *s, size_t len);

/* Validate s[0..len) (upper-case, no spaces) or repair one OCR confusion
 * (O/0/D, I/1/L, S/5, B/8, Z/2, G/6) at one position, keeping each position's
 * class (digit/letter) and accepting a repair only if exactly one candidate
 * is valid. When no single change verifies, every character of the wrong
 * class for its position (a digit among the PAN's letters, ')' for 'J') is
 * read as its look-alike of the right class, all at once (at most
 * DF_GSTIN_SHAPE_MAX_FIXES of them), and the check character must verify
 * that. Returns 1 valid as is (*pos = -1), 2 repaired
 * (*pos = the first 0-based position changed), 0 not a GSTIN. out gets the
 * 15 chars + NUL. */
#define DF_GSTIN_SHAPE_MAX_FIXES 3
int df_gstin_repair(const char *s, size_t len, char out[16], int *pos);

/* 1 when s[0..len) is a PAN with a valid entity letter. */
int df_pan_valid(const char *s, size_t len);

/* 1 when s[0..len) (country prefix included, "DE123456788") has the format of
 * its country and passes the check where one is implemented (*checked = 1
 * then). 0 for unknown prefixes or bad ids. checked may be NULL. */
int df_euvat_valid(const char *s, size_t len, int *checked);

int df_my_gst_valid(const char *s, size_t len); /* 12 digits, "00" first */
int df_my_sst_valid(const char *s, size_t len); /* W10-1808-31001234 */

typedef struct df_taxid {
    df_taxid_kind kind;
    char value[24];     /* normalised: upper-case, no spaces (SST keeps '-') */
    char country[3];    /* "IN", "MY" or the EU prefix */
    size_t start, end;  /* byte span in the text */
    int repaired;       /* GSTIN repaired by one substitution */
    int repaired_pos;   /* position changed, -1 when none */
    int checked;        /* a check digit was verified */
} df_taxid;

/* Find up to max tax ids in text[0..len), left to right, without overlaps.
 * Ids may contain single spaces ("29 AABCA 1234K 1ZX") and may be preceded
 * by letters only across a non-alphanumeric boundary. A PAN inside a GSTIN
 * is not reported again. Returns the number found (<= max). */
size_t df_taxid_find(const char *text, size_t len, df_taxid *out, size_t max);

#endif
