/*
 * date.c — finds and normalises dates (forms and rules in date.h).
 *
 * Each form is tried at a position in turn; the first complete, valid match
 * wins. Everything is bounded by the input length, nothing is copied.
 */
#include "extract/date.h"

#include <stdio.h>
#include <string.h>

#include "extract/chars.h"

typedef struct cur {
    const char *s;
    size_t len;
} cur;

int df_date_valid(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

int df_date_implausible(int y, int m, int d, int ty, int tm, int td)
{
    long v = (long)y * 10000 + m * 100 + d, limit = (long)(ty + 1) * 10000 + tm * 100 + td;
    return y < 2000 || v > limit;
}

/* Digits at i: count in *nd (stops after max+1), value returned. */
static int digits(const cur *c, size_t i, int max, int *nd)
{
    int v = 0, n = 0;
    while (i + (size_t)n < c->len && df_c_digit((unsigned char)c->s[i + n]) && n <= max) {
        v = v * 10 + (c->s[i + n] - '0');
        n++;
    }
    *nd = n;
    return v;
}

static int year_of(int v, int nd)
{
    if (nd == 4)
        return v;
    if (nd == 2)
        return v < 70 ? 2000 + v : 1900 + v;
    return -1;
}

/* A month name at i: its number, *end after it (and after a '.'), else 0. */
static int month_at(const df_model *m, const cur *c, size_t i, size_t *end)
{
    if (!m || i >= c->len || !df_c_alpha((unsigned char)c->s[i]))
        return 0;
    const df_model_entry *e = df_model_match(&m->months, c->s, i, c->len);
    if (!e || e->num < 1 || e->num > 12)
        return 0;
    *end = i + e->klen;
    if (*end < c->len && c->s[*end] == '.')
        (*end)++;
    return (int)e->num;
}

/* Bytes of an apostrophe at s[i] ("'15", "´15", "’15": a year's century
 * left out), 0 when none. */
static size_t apostrophe(const cur *c, size_t i)
{
    const unsigned char *u = (const unsigned char *)c->s;
    if (i < c->len && u[i] == '\'')
        return 1;
    if (i + 1 < c->len && u[i] == 0xC2 && u[i + 1] == 0xB4)
        return 2;
    if (i + 2 < c->len && u[i] == 0xE2 && u[i + 1] == 0x80 && u[i + 2] == 0x99)
        return 3;
    return 0;
}

/* The words some languages put between a written date's parts ("17 de
 * agosto de 2023", "3 di marzo"), each followed by a space. */
static size_t filler(const cur *c, size_t i)
{
    static const char *const words[] = {"de ", "del ", "di ", "du "};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        size_t n = strlen(words[k]);
        if (df_c_prefix(c->s, i, c->len, words[k], n))
            return n;
    }
    return 0;
}

/* Separators between the parts of a written date: spaces, '-', '/', '.',
 * ',', an apostrophe before a year, a filler word. */
static size_t skip_seps(const cur *c, size_t i, int *any)
{
    size_t start = i, k;
    int n = 0;
    while (i < c->len && n < 4) {
        if ((k = df_c_space(c->s, i, c->len)) > 0)
            i += k;
        else if (c->s[i] == '-' || c->s[i] == '/' || c->s[i] == '.' || c->s[i] == ',')
            i++;
        else if ((k = apostrophe(c, i)) > 0 || (i > start && (k = filler(c, i)) > 0))
            i += k;
        else
            break;
        n++;
    }
    *any = i > start;
    return i;
}

/* A day number with an optional ordinal suffix (1st, 2nd, 23rd, 4th). */
static int day_at(const cur *c, size_t i, size_t *end)
{
    int nd, v = digits(c, i, 2, &nd);
    if (nd < 1 || nd > 2)
        return 0;
    i += (size_t)nd;
    static const char *const ord[] = {"st", "nd", "rd", "th"};
    for (int k = 0; k < 4; k++)
        if (df_c_prefix(c->s, i, c->len, ord[k], 2) &&
            (i + 2 >= c->len || !df_c_alpha((unsigned char)c->s[i + 2]))) {
            i += 2;
            break;
        }
    *end = i;
    return v;
}

static int year_at(const cur *c, size_t i, size_t *end)
{
    int nd, v = digits(c, i, 4, &nd);
    *end = i + (size_t)nd;
    return year_of(v, nd);
}

/* Optional time after the date; extends *end when one is present. */
static void time_after(const cur *c, size_t i, df_date *d)
{
    size_t k = i, sp;
    if (k < c->len && (c->s[k] == 'T' || c->s[k] == ','))
        k++;
    while ((sp = df_c_space(c->s, k, c->len)) > 0)
        k += sp;
    int nd, h = digits(c, k, 2, &nd);
    if (nd < 1 || nd > 2 || k + (size_t)nd >= c->len || c->s[k + (size_t)nd] != ':')
        return;
    k += (size_t)nd + 1;
    int mi = digits(c, k, 2, &nd), s = 0;
    if (nd != 2)
        return;
    k += 2;
    if (k + 2 < c->len && c->s[k] == ':' && df_c_digit((unsigned char)c->s[k + 1]) &&
        df_c_digit((unsigned char)c->s[k + 2])) {
        s = (c->s[k + 1] - '0') * 10 + (c->s[k + 2] - '0');
        k += 3;
    }
    size_t a = k;
    while ((sp = df_c_space(c->s, a, c->len)) > 0)
        a += sp;
    int pm = -1;
    if (df_c_prefix(c->s, a, c->len, "am", 2))
        pm = 0;
    else if (df_c_prefix(c->s, a, c->len, "pm", 2))
        pm = 1;
    if (pm >= 0 && (a + 2 >= c->len || !df_c_alpha((unsigned char)c->s[a + 2]))) {
        if (h < 1 || h > 12)
            return;
        h = h % 12 + 12 * pm;
        k = a + 2;
    }
    if (h > 23 || mi > 59 || s > 60 || (k < c->len && df_c_alnum((unsigned char)c->s[k])))
        return;
    d->has_time = 1;
    d->hour = h;
    d->minute = mi;
    d->second = s;
    d->end = k;
}

static int finish(df_date *d, int y, int mo, int dd, size_t start, size_t end, const cur *c)
{
    if (!df_date_valid(y, mo, dd))
        return 0;
    /* the date must end a word; "T" may join an ISO time ("2024-07-01T10:33"),
     * and a word OCR glued to a four-digit year ("21/05/2018Time") cannot
     * belong to the date */
    int year_last = end >= 4 && df_c_digit((unsigned char)c->s[end - 1]) &&
                    df_c_digit((unsigned char)c->s[end - 2]) &&
                    df_c_digit((unsigned char)c->s[end - 3]) &&
                    df_c_digit((unsigned char)c->s[end - 4]) && (end == 4 || !df_c_digit((unsigned char)c->s[end - 5]));
    if (end < c->len && df_c_alnum((unsigned char)c->s[end]) &&
        !(c->s[end] == 'T' && end + 1 < c->len && df_c_digit((unsigned char)c->s[end + 1])) &&
        !(year_last && df_c_alpha((unsigned char)c->s[end])))
        return 0;
    d->year = y;
    d->month = mo;
    d->day = dd;
    d->start = start;
    d->end = end;
    snprintf(d->iso, sizeof d->iso, "%04d-%02d-%02d", y, mo, dd);
    time_after(c, end, d);
    return 1;
}

static int numeric(const cur *c, size_t p, df_date_order order, df_date *d)
{
    int n1, n2, n3;
    int a = digits(c, p, 4, &n1);
    size_t i = p + (size_t)n1;
    if (n1 < 1 || n1 > 4 || n1 == 3 || i >= c->len)
        return 0;
    char sep = c->s[i];
    if (sep != '/' && sep != '-' && sep != '.')
        return 0;
    int b = digits(c, ++i, 2, &n2);
    i += (size_t)n2;
    if (n2 < 1 || n2 > 2 || i >= c->len || c->s[i] != sep)
        return 0;
    /* "13.05. 2017": one space after the second dot, as German prints it */
    if (sep == '.' && i + 2 < c->len && c->s[i + 1] == ' ' && df_c_digit((unsigned char)c->s[i + 2]))
        i++;
    int v3 = digits(c, ++i, 4, &n3);
    i += (size_t)n3;
    if (n1 == 4)
        return n3 >= 1 && n3 <= 2 && finish(d, a, b, v3, p, i, c);
    int y = year_of(v3, n3);
    if (y < 0)
        return 0;
    int dd = order == DF_DATE_MDY ? b : a, mo = order == DF_DATE_MDY ? a : b;
    int pref = df_date_valid(y, mo, dd), other = df_date_valid(y, dd, mo);
    if (!pref && other) {
        int t = dd;
        dd = mo;
        mo = t;
        d->swapped = 1;
    }
    d->ambiguous = pref && other && a != b;
    return finish(d, y, mo, dd, p, i, c);
}

static int textual(const df_model *m, const cur *c, size_t p, df_date *d)
{
    size_t e1, e2, e3;
    int any;
    int mo, dd, y;
    if ((mo = month_at(m, c, p, &e1)) > 0) { /* July 1, 2024 / Jul 01 2024 */
        size_t i = skip_seps(c, e1, &any);
        if ((dd = day_at(c, i, &e2)) == 0)
            return 0;
        /* a till glues the day to the month ("MAY08'14", "Aug17'16"): the
         * year without its century, after an apostrophe, says date */
        if (!any && !apostrophe(c, e2))
            return 0;
        i = skip_seps(c, e2, &any);
        if (!any || (y = year_at(c, i, &e3)) < 0)
            return 0;
        return finish(d, y, mo, dd, p, e3, c);
    }
    int nd;
    int v = digits(c, p, 4, &nd);
    if (nd == 4) { /* 2024-Jul-01 */
        size_t i = skip_seps(c, p + 4, &any);
        if (!any || (mo = month_at(m, c, i, &e1)) == 0)
            return 0;
        i = skip_seps(c, e1, &any);
        if (!any || (dd = day_at(c, i, &e2)) == 0)
            return 0;
        return finish(d, v, mo, dd, p, e2, c);
    }
    if ((dd = day_at(c, p, &e1)) == 0) /* 1st July, 2024 / 01-Jul-24 */
        return 0;
    int any_before;
    size_t i = skip_seps(c, e1, &any_before);
    if ((mo = month_at(m, c, i, &e2)) == 0)
        return 0;
    /* OCR may glue the year to the month's name ("03 Apr2018"), but a token
     * with no separator at all ("01JUL2024") is a code, not a date (an
     * apostrophe before the year is one: a till's "29JAN'15") */
    i = skip_seps(c, e2, &any);
    if (!(any || any_before) || (y = year_at(c, i, &e3)) < 0)
        return 0;
    return finish(d, y, mo, dd, p, e3, c);
}

static int date_at(const df_model *m, const cur *c, size_t p, df_date_order order, df_date *d)
{
    memset(d, 0, sizeof *d);
    if (numeric(c, p, order, d))
        return 1;
    memset(d, 0, sizeof *d);
    if (textual(m, c, p, d))
        return 1;
    memset(d, 0, sizeof *d);
    return 0;
}

/* The caller's result, or tmp when it wants none; cleared. */
static df_date *cleared(df_date *out, df_date *tmp)
{
    out = out ? out : tmp;
    memset(out, 0, sizeof *out);
    return out;
}

int df_date_parse(const df_model *m, const char *s, size_t len, df_date_order order, df_date *out)
{
    df_date tmp;
    out = cleared(out, &tmp);
    if (!s)
        return 0;
    size_t a = 0, b = len;
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    cur c = {s, b};
    if (a >= b || !date_at(m, &c, a, order, out) || out->end != b) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    return 1;
}

int df_date_find(const df_model *m, const char *s, size_t len, size_t from, df_date_order order,
                 df_date *out)
{
    df_date tmp;
    out = cleared(out, &tmp);
    if (!s)
        return 0;
    cur c = {s, len};
    for (size_t p = from; p < len; p++) {
        if (p > 0 && df_c_alnum((unsigned char)s[p - 1]))
            continue;
        if (!df_c_alnum((unsigned char)s[p]))
            continue;
        if (date_at(m, &c, p, order, out))
            return 1;
    }
    return 0;
}

/* ---- a till's glued date as OCR misreads it --------------------------- */

/* The month whose three-letter abbreviation (models/months.txt) the three
 * bytes at s are, or are one letter off where no other month is as near
 * ("Nay" May, "0an" Jan; "Jzn" is Jan or Jun: none); 0 when none. Two of
 * the three must be letters. */
static int near_month(const df_model *m, const char *s)
{
    int letters = 0, found = 0;
    for (int k = 0; k < 3; k++)
        letters += df_c_alpha((unsigned char)s[k]) != 0;
    if (!m || letters < 2)
        return 0;
    int near = 0, twice = 0;
    for (size_t i = 0; i < m->months.n; i++) {
        const df_model_entry *e = &m->months.v[i];
        if (e->klen != 3 || e->num < 1 || e->num > 12)
            continue;
        int diff = 0;
        for (int k = 0; k < 3; k++)
            diff += df_c_lower((unsigned char)s[k]) != df_c_lower((unsigned char)e->key[k]);
        if (diff == 0)
            found = (int)e->num; /* as written: "JUN" is June, not one off Jan */
        else if (diff == 1) {
            twice |= near && near != (int)e->num;
            near = (int)e->num;
        }
    }
    return found ? found : twice ? 0 : near;
}

/* Two bytes as a day, with OCR's look-alikes of 0 and 1 (O, o; I, l, |)
 * for digits, one real digit at least; 0 when not a day. */
static int near_day(const char *s)
{
    int v = 0, real = 0;
    for (int k = 0; k < 2; k++) {
        unsigned char ch = (unsigned char)s[k];
        int dgt = df_c_digit(ch) ? ch - '0' : strchr("Oo", ch) ? 0 : strchr("Il|", ch) ? 1 : -1;
        if (!ch || dgt < 0)
            return 0;
        real += df_c_digit(ch) != 0;
        v = v * 10 + dgt;
    }
    return real && v >= 1 && v <= 31 ? v : 0;
}

int df_date_find_till(const df_model *m, const char *s, size_t len, size_t from, df_date *out)
{
    df_date tmp;
    out = cleared(out, &tmp);
    if (!s)
        return 0;
    cur c = {s, len};
    for (size_t p = from; p + 8 <= len; p++) {
        if ((p > 0 && df_c_alnum((unsigned char)s[p - 1])) || !df_c_alnum((unsigned char)s[p]))
            continue;
        size_t k = apostrophe(&c, p + 5), e;
        int y = k ? year_at(&c, p + 5 + k, &e) : -1;
        if (y < 0 || e != p + 7 + k)
            continue;
        int mo = near_month(m, s + p), dd = mo ? near_day(s + p + 3) : 0;
        if (!dd) { /* the day first: "290an'15" */
            dd = near_day(s + p);
            mo = dd ? near_month(m, s + p + 2) : 0;
        }
        if (mo && dd && finish(out, y, mo, dd, p, e, &c))
            return 1;
        memset(out, 0, sizeof *out);
    }
    return 0;
}