/* recall_match.c — matching rules of `docflow recall` (see recall_match.h).
 * Locale-free on purpose: no strtod, no toupper. */
#include "recall_match.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (unsigned char)c >= 0x80;
}
static char upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }

char *df_match_normalize(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    int space = 0;
    for (; *s; s++) {
        if (is_alnum(*s)) {
            if (space && o > out)
                *o++ = ' ';
            space = 0;
            *o++ = upper(*s);
        } else {
            space = 1;
        }
    }
    *o = '\0';
    return out;
}

/* df_match_normalize without its spaces. */
static char *compact(const char *s)
{
    char *n = df_match_normalize(s), *o = n;
    if (!n)
        return NULL;
    for (const char *p = n; *p; p++)
        if (*p != ' ')
            *o++ = *p;
    *o = '\0';
    return n;
}

int df_match_compact(const char *text, const char *label)
{
    char *t = compact(text), *l = compact(label);
    int hit = t && l && l[0] && strstr(t, l) != NULL;
    free(t);
    free(l);
    return hit;
}

int df_match_name(const char *text, const char *label)
{
    char *t = df_match_normalize(text), *l = df_match_normalize(label);
    int hit = 0;
    if (t && l && *l) {
        size_t ln = strlen(l);
        for (const char *p = strstr(t, l); p && !hit; p = strstr(p + 1, l))
            hit = (p == t || p[-1] == ' ') && (p[ln] == '\0' || p[ln] == ' ');
    }
    free(t);
    free(l);
    return hit;
}

int df_match_verbatim(const char *text, const char *label)
{
    size_t ln = strlen(label);
    if (!ln)
        return 0;
    for (const char *p = strstr(text, label); p; p = strstr(p + 1, label)) {
        int left = p == text || !is_digit(p[-1]) || !is_digit(label[0]);
        int right = !is_digit(p[ln]) || !is_digit(label[ln - 1]);
        if (left && right)
            return 1;
    }
    return 0;
}

/* s with every run of spaces and tabs as one space: how far apart OCR
 * set two words on a line is layout, not what was printed ("25 Mar  2018"
 * is the label "25 MAR 2018"). Line breaks stay. A malloc'd string. */
static char *squeeze(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    for (; *s; s++)
        if (!((*s == ' ' || *s == '\t') && o > out && o[-1] == ' '))
            *o++ = *s == '\t' ? ' ' : *s;
    *o = '\0';
    return out;
}

int df_match_verbatim_ci(const char *text, const char *label)
{
    char *t = squeeze(text), *l = squeeze(label);
    int hit = 0;
    if (t && l) {
        for (char *p = t; *p; p++)
            *p = upper(*p);
        for (char *p = l; *p; p++)
            *p = upper(*p);
        hit = df_match_verbatim(t, l);
    }
    free(t);
    free(l);
    return hit;
}

/* Value of digits with `dec` as the decimal separator; every other
 * separator is grouping. Returns NAN when the token is not a number that
 * way (two decimal separators). */
static double parse_as(const char *s, size_t n, char dec)
{
    double v = 0, scale = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(s[i])) {
            v = v * 10 + (s[i] - '0');
            if (scale)
                scale *= 10;
        } else if (s[i] == dec) {
            if (scale)
                return NAN;
            scale = 1;
        }
    }
    return scale ? v / scale : v;
}

int df_match_amount(const char *text, double value)
{
    for (const char *p = text; *p; p++) {
        if (!is_digit(*p) || (p > text && is_digit(p[-1])))
            continue;
        /* a token: digits with single separators between digit runs */
        const char *e = p;
        while (is_digit(*e) || ((*e == ',' || *e == '.' || *e == ' ' || *e == '\'') && is_digit(e[1])))
            e++;
        size_t n = (size_t)(e - p);
        /* any prefix of the token ending at a digit may be the amount
         * ("9.00 9.00" read as one token with a space) */
        for (size_t k = n; k > 0; k--) {
            if (!is_digit(p[k - 1]) || (k < n && is_digit(p[k])))
                continue;
            if (fabs(parse_as(p, k, '.') - value) < 0.005 || fabs(parse_as(p, k, ',') - value) < 0.005)
                return 1;
        }
    }
    return 0;
}

int df_match_amount_str(const char *text, const char *label)
{
    char digits[64];
    size_t n = 0;
    for (const char *s = label; *s && n + 1 < sizeof digits; s++)
        if (is_digit(*s) || *s == '.')
            digits[n++] = *s;
    digits[n] = '\0';
    if (!n)
        return 0;
    return df_match_amount(text, parse_as(digits, n, '.'));
}

static int contains_ci(const char *text, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = text; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && upper(p[i]) == upper(needle[i]))
            i++;
        if (i == n && (p == text || !is_alnum(p[-1])) && !is_alnum(p[n]))
            return 1;
    }
    return 0;
}

int df_match_iso_date(const char *text, const char *iso)
{
    static const char *mon[] = {"January", "February", "March", "April", "May", "June", "July",
                                "August", "September", "October", "November", "December"};
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
        return 0;
    char c[40][40];
    int n = 0;
    const char *M = mon[m - 1];
    const char *seps = "/-.";
    for (int s = 0; s < 3; s++) {
        snprintf(c[n++], 40, "%02d%c%02d%c%04d", d, seps[s], m, seps[s], y);
        snprintf(c[n++], 40, "%d%c%d%c%04d", d, seps[s], m, seps[s], y);
        snprintf(c[n++], 40, "%02d%c%02d%c%02d", d, seps[s], m, seps[s], y % 100);
        snprintf(c[n++], 40, "%02d%c%02d%c%04d", m, seps[s], d, seps[s], y);
        snprintf(c[n++], 40, "%04d%c%02d%c%02d", y, seps[s], m, seps[s], d);
        snprintf(c[n++], 40, "%02d%c%.3s%c%04d", d, seps[s], M, seps[s], y);
    }
    snprintf(c[n++], 40, "%d %s %04d", d, M, y);
    snprintf(c[n++], 40, "%02d %s %04d", d, M, y);
    snprintf(c[n++], 40, "%d %.3s %04d", d, M, y);
    snprintf(c[n++], 40, "%02d %.3s %04d", d, M, y);
    snprintf(c[n++], 40, "%s %d, %04d", M, d, y);
    snprintf(c[n++], 40, "%.3s %d, %04d", M, d, y);
    snprintf(c[n++], 40, "%.3s %02d %04d", M, d, y);
    snprintf(c[n++], 40, "%.3s %02d, %04d", M, d, y);
    char *t = squeeze(text);
    int hit = 0;
    for (int i = 0; t && !hit && i < n; i++)
        hit = contains_ci(t, c[i]);
    free(t);
    return hit;
}
