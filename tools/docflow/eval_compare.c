/* eval_compare.c — comparison rules of `docflow eval` (see eval_compare.h).
 * Locale-independent on purpose: only ASCII is classified, by hand. */
#include "eval_compare.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int is_alnum_ascii(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static unsigned char upper(unsigned char c)
{
    return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 32) : c;
}

/* The character at p (left bytes, left >= 1): its code point in *v and its
 * length; a byte that starts no well-formed sequence is its own unit with
 * its own value, so garbage input still has a length. */
static size_t next_cp(const unsigned char *p, size_t left, uint32_t *v)
{
    int extra = p[0] >= 0xF8   ? 0 /* no UTF-8 sequence starts so */
                : p[0] >= 0xF0 ? 3
                : p[0] >= 0xE0 ? 2
                : p[0] >= 0xC0 ? 1
                               : 0;
    uint32_t c = extra ? p[0] & (0x3F >> extra) : p[0];
    int ok = (size_t)extra < left;
    for (int j = 1; ok && j <= extra; j++) {
        if ((p[j] & 0xC0) != 0x80)
            ok = 0;
        else
            c = (c << 6) | (p[j] & 0x3F);
    }
    if (!ok) {
        *v = p[0];
        return 1;
    }
    *v = c;
    return 1 + (size_t)extra;
}

/* Whether the character at p (n bytes, n > 1: a well-formed sequence) is a
 * letter of a script rather than a sign: Latin-1's punctuation, currency
 * and marks (U+0080..U+00BF), '×' and '÷', and U+2000..U+2BFF (general
 * punctuation such as curly quotes, currency signs, letterlike symbols,
 * arrows, shapes) are signs, as is U+FFFD; beyond the BMP counts as a
 * script. A stray byte is no letter. */
static int letter_cp(uint32_t cp, size_t n)
{
    return n > 1 && cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && (cp < 0x2000 || cp >= 0x2C00) &&
           cp != 0xFFFD;
}

char *df_eval_norm(const char *s)
{
    if (!s)
        s = "";
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    int pending_space = 0;
    size_t left = strlen(s);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, left--) {
        int letter = is_alnum_ascii(*p);
        size_t unit = 1;
        if (*p >= 0x80) {
            uint32_t cp;
            unit = next_cp(p, left, &cp);
            letter = letter_cp(cp, unit);
        }
        if (letter) {
            if (pending_space && o > out)
                *o++ = ' ';
            pending_space = 0;
            /* Latin-1 lower-case letters (U+00E0..U+00FE but U+00F7 '÷',
             * bytes C3 A0..BE) upper-case as their ASCII ones do: "Café"
             * and "CAFÉ" are one name */
            if (p[0] == 0xC3 && p[1] >= 0xA0 && p[1] <= 0xBE && p[1] != 0xB7) {
                *o++ = (char)p[0];
                *o++ = (char)(p[1] - 0x20);
                p++;
                left--;
                continue;
            }
            if (unit > 1) {
                memcpy(o, p, unit);
                o += unit;
                p += unit - 1;
                left -= unit - 1;
                continue;
            }
            *o++ = (char)upper(*p);
        } else {
            pending_space = 1;
            p += unit - 1;
            left -= unit - 1;
        }
    }
    *o = '\0';
    return out;
}

/* Decode UTF-8 into code points; any byte that does not start a valid
 * sequence is its own unit, so garbage input still has a length. */
static uint32_t *code_points(const char *s, size_t *n)
{
    size_t len = strlen(s), k = 0;
    uint32_t *cp = malloc((len + 1) * sizeof *cp);
    if (!cp)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;)
        i += next_cp(p + i, len - i, &cp[k++]);
    *n = k;
    return cp;
}

size_t df_eval_levenshtein(const char *a, const char *b, size_t *len_a, size_t *len_b)
{
    size_t na = 0, nb = 0;
    uint32_t *ca = code_points(a ? a : "", &na), *cb = code_points(b ? b : "", &nb);
    size_t *row = malloc((nb + 1) * sizeof *row);
    size_t d = na > nb ? na : nb; /* out of memory: report the worst case */
    if (ca && cb && row) {
        for (size_t j = 0; j <= nb; j++)
            row[j] = j;
        for (size_t i = 1; i <= na; i++) {
            size_t diag = row[0];
            row[0] = i;
            for (size_t j = 1; j <= nb; j++) {
                size_t up = row[j];
                size_t best = diag + (ca[i - 1] != cb[j - 1]);
                if (up + 1 < best)
                    best = up + 1;
                if (row[j - 1] + 1 < best)
                    best = row[j - 1] + 1;
                row[j] = best;
                diag = up;
            }
        }
        d = row[nb];
    }
    if (len_a)
        *len_a = na;
    if (len_b)
        *len_b = nb;
    free(ca);
    free(cb);
    free(row);
    return d;
}

double df_eval_similarity(const char *a, const char *b)
{
    char *na = df_eval_norm(a), *nb = df_eval_norm(b);
    double sim = 0;
    if (na && nb) {
        size_t la, lb, d = df_eval_levenshtein(na, nb, &la, &lb);
        size_t m = la > lb ? la : lb;
        sim = m ? 1.0 - (double)d / (double)m : 1.0;
    }
    free(na);
    free(nb);
    return sim;
}

double df_eval_cer(const char *truth, const char *pred)
{
    char *nt = df_eval_norm(truth), *np = df_eval_norm(pred);
    double cer = 1.0;
    if (nt && np) {
        size_t lt, lp, d = df_eval_levenshtein(nt, np, &lt, &lp);
        cer = lt ? (double)d / (double)lt : (lp ? 1.0 : 0.0);
    }
    free(nt);
    free(np);
    return cer;
}

int df_eval_name_eq(const char *a, const char *b)
{
    char *na = df_eval_norm(a), *nb = df_eval_norm(b);
    int eq = na && nb && !strcmp(na, nb);
    free(na);
    free(nb);
    return eq;
}

char *df_eval_compact(const char *s)
{
    char *n = df_eval_norm(s), *o = n;
    if (!n)
        return NULL;
    for (const char *p = n; *p; p++)
        if (*p != ' ')
            *o++ = *p;
    *o = '\0';
    return n;
}

int df_eval_compact_eq(const char *a, const char *b)
{
    char *ca = df_eval_compact(a), *cb = df_eval_compact(b);
    int eq = ca && cb && !strcmp(ca, cb);
    free(ca);
    free(cb);
    return eq;
}

double df_eval_compact_cer(const char *truth, const char *pred)
{
    char *ct = df_eval_compact(truth), *cp = df_eval_compact(pred);
    double cer = 1.0;
    if (ct && cp) {
        size_t lt, lp, d = df_eval_levenshtein(ct, cp, &lt, &lp);
        cer = lt ? (double)d / (double)lt : (lp ? 1.0 : 0.0);
    }
    free(ct);
    free(cp);
    return cer;
}

/* Compare two strings after dropping bytes `skip` rejects, case-folded. */
static int eq_folded(const char *a, const char *b, int (*skip)(unsigned char))
{
    const unsigned char *p = (const unsigned char *)(a ? a : "");
    const unsigned char *q = (const unsigned char *)(b ? b : "");
    for (;;) {
        while (*p && skip(*p))
            p++;
        while (*q && skip(*q))
            q++;
        if (!*p || !*q)
            return !*p && !*q;
        if (upper(*p++) != upper(*q++))
            return 0;
    }
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int df_eval_tax_id_eq(const char *a, const char *b)
{
    return eq_folded(a, b, is_space);
}

int df_eval_code_eq(const char *a, const char *b)
{
    /* Codes have no inner spaces worth keeping; trimming = dropping them. */
    return eq_folded(a, b, is_space);
}

int df_eval_amount_eq(double a, double b)
{
    return fabs(a - b) <= DF_EVAL_AMOUNT_TOL + 1e-9;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* Read up to `max` digits; returns the count read (0: none). */
static int read_num(const char **s, int max, int *out)
{
    int n = 0, v = 0;
    while (n < max && **s >= '0' && **s <= '9') {
        v = v * 10 + (*(*s)++ - '0');
        n++;
    }
    *out = v;
    return (**s >= '0' && **s <= '9') ? 0 : n; /* too many digits: reject */
}

static int month_name(const char **s)
{
    static const char *names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                  "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    for (int m = 0; m < 12; m++) {
        const char *p = *s;
        int k = 0;
        while (k < 3 && upper((unsigned char)p[k]) == (unsigned char)names[m][k])
            k++;
        if (k == 3) {
            p += 3;
            while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
                p++; /* "DECEMBER" */
            *s = p;
            return m + 1;
        }
    }
    return 0;
}

int df_eval_parse_date_label(const char *label, char *iso)
{
    const char *s = label ? label : "";
    while (is_space((unsigned char)*s))
        s++;
    int a, b, c, na, nc;
    if (!(na = read_num(&s, 4, &a)))
        return -1;
    int sep_space = is_space((unsigned char)*s);
    while (*s == '/' || *s == '-' || *s == '.' || is_space((unsigned char)*s))
        s++;
    int y, m, d;
    if (na == 4) { /* ISO: year first */
        if (!read_num(&s, 2, &b) || (*s != '-' && *s != '/' && *s != '.'))
            return -1;
        s++;
        if (!read_num(&s, 2, &c))
            return -1;
        y = a, m = b, d = c;
    } else {
        if (na > 2)
            return -1;
        if (*s >= '0' && *s <= '9') {
            if (sep_space || !read_num(&s, 2, &b))
                return -1;
        } else if (!(b = month_name(&s))) {
            return -1;
        }
        while (*s == '/' || *s == '-' || *s == '.' || *s == ',' || is_space((unsigned char)*s))
            s++;
        if (!(nc = read_num(&s, 4, &c)) || nc == 1 || nc == 3)
            return -1;
        y = nc == 2 ? 2000 + c : c, m = b, d = a;
    }
    while (is_space((unsigned char)*s))
        s++;
    /* A trailing time ("25/12/2018 10:00") is tolerated; other text is not. */
    if (*s && !(*s >= '0' && *s <= '9'))
        return -1;
    if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2099 || d > days_in_month(y, m))
        return -1;
    iso[0] = (char)('0' + y / 1000), iso[1] = (char)('0' + y / 100 % 10);
    iso[2] = (char)('0' + y / 10 % 10), iso[3] = (char)('0' + y % 10);
    iso[4] = '-', iso[5] = (char)('0' + m / 10), iso[6] = (char)('0' + m % 10);
    iso[7] = '-', iso[8] = (char)('0' + d / 10), iso[9] = (char)('0' + d % 10);
    iso[10] = '\0';
    return 0;
}

int df_eval_parse_amount_label(const char *label, double *out)
{
    double v = 0, scale = 0;
    int digits = 0, neg = 0, seen = 0;
    for (const char *p = label ? label : ""; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (scale > 0) {
                v += (*p - '0') * scale;
                scale /= 10;
            } else {
                v = v * 10 + (*p - '0');
            }
            digits++;
            seen = 1;
        } else if (*p == '.') {
            if (scale > 0)
                return -1;
            scale = 0.1;
            seen = 1;
        } else if (*p == '-' && !seen) {
            neg = 1;
        }
    }
    if (!digits)
        return -1;
    *out = neg ? -v : v;
    return 0;
}

int df_eval_item_match(const df_eval_item *t, const df_eval_item *p)
{
    return t->has_total && p->has_total && df_eval_amount_eq(t->total, p->total) &&
           df_eval_similarity(t->description, p->description) >= DF_EVAL_ITEM_SIM - 1e-9;
}

/* Kuhn's augmenting path from truth item i. */
static int augment(size_t i, size_t np, const unsigned char *adj, long *owner, unsigned char *seen)
{
    for (size_t j = 0; j < np; j++) {
        if (!adj[i * np + j] || seen[j])
            continue;
        seen[j] = 1;
        if (owner[j] < 0 || augment((size_t)owner[j], np, adj, owner, seen)) {
            owner[j] = (long)i;
            return 1;
        }
    }
    return 0;
}

long df_eval_match_items(const df_eval_item *truth, size_t nt, const df_eval_item *pred, size_t np)
{
    if (!nt || !np)
        return 0;
    unsigned char *adj = malloc(nt * np), *seen = malloc(np);
    long *owner = malloc(np * sizeof *owner), matched = 0;
    if (!adj || !seen || !owner) {
        free(adj);
        free(seen);
        free(owner);
        return -1;
    }
    for (size_t i = 0; i < nt; i++)
        for (size_t j = 0; j < np; j++)
            adj[i * np + j] = (unsigned char)df_eval_item_match(&truth[i], &pred[j]);
    for (size_t j = 0; j < np; j++)
        owner[j] = -1;
    for (size_t i = 0; i < nt; i++) {
        memset(seen, 0, np);
        matched += augment(i, np, adj, owner, seen);
    }
    free(adj);
    free(seen);
    free(owner);
    return matched;
}

void df_eval_prf(long matched, long predicted, long truth, double *p, double *r, double *f1)
{
    if (!predicted && !truth) {
        *p = *r = *f1 = 1.0;
        return;
    }
    *p = predicted ? (double)matched / (double)predicted : 0.0;
    *r = truth ? (double)matched / (double)truth : 0.0;
    *f1 = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0.0;
}

int df_eval_check_baseline(const df_eval_figure *cur, size_t ncur, const df_eval_figure *base,
                           size_t nbase, df_eval_drop_fn report, void *ud)
{
    int failures = 0;
    for (size_t i = 0; i < nbase; i++) {
        const df_eval_figure *hit = NULL;
        for (size_t j = 0; j < ncur && !hit; j++)
            if (!strcmp(cur[j].name, base[i].name))
                hit = &cur[j];
        if (!hit || hit->value < base[i].value - 1e-6) {
            failures++;
            if (report)
                report(ud, base[i].name, hit ? hit->value : 0, base[i].value, !hit);
        }
    }
    return failures;
}

int df_eval_rel_bin(double conf)
{
    if (!(conf > 0)) /* also NaN */
        return 0;
    int b = (int)(conf * DF_EVAL_REL_BINS + 1e-9);
    return b >= DF_EVAL_REL_BINS ? DF_EVAL_REL_BINS - 1 : b;
}

void df_eval_rel_add(df_eval_rel *bins, double conf, int fields, int right)
{
    double c = conf > 0 ? conf > 1 ? 1 : conf : 0;
    df_eval_rel *b[2] = {&bins[df_eval_rel_bin(c)],
                         c >= DF_EVAL_REL_HIGH - 1e-9 ? &bins[DF_EVAL_REL_BINS] : NULL};
    for (int i = 0; i < 2; i++) {
        if (!b[i])
            continue;
        b[i]->docs++;
        b[i]->conf_sum += c;
        b[i]->fields += fields;
        b[i]->right += right;
    }
}
