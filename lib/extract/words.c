/*
 * words.c — number words to hundredths (grammar in words.h).
 *
 * The phrase is first cut into classified tokens; only then is it decided
 * which numbers belong to the major and which to the minor unit, because
 * that depends on where the minor word stands ("Fifty Paise" / "Paise Fifty").
 */
#include "extract/words.h"

#include <string.h>

#include "extract/chars.h"

#define MAX_TOKENS 64
#define MAX_VALUE 1000000000000000LL /* 10^15: beyond any invoice */
/* A phrase wrapped in its column goes on over at most this many line
 * breaks, on lines starting at most WRAP_SLACK columns right of it. */
#define MAX_WRAPS 2
#define WRAP_SLACK 2

enum kind { T_NUM, T_AND, T_MAJOR, T_MINOR, T_FILLER, T_FRAC };

typedef struct tok {
    enum kind kind;
    int64_t v;
    const char *iso;
    size_t start, end;
} tok;

static int sep(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '-' || c == ',' || c == '.' ||
           c == ':' || c == ';';
}

/* Classify the token at i; 0 when it is not part of an amount in words. */
static int classify(const df_model *m, const char *s, size_t i, size_t len, tok *t)
{
    t->start = i;
    if (df_c_digit((unsigned char)s[i])) { /* "50/100" */
        size_t j = i;
        int64_t v = 0;
        while (j < len && df_c_digit((unsigned char)s[j]) && j - i < 3)
            v = v * 10 + (s[j++] - '0');
        if (j - i > 2 || !df_c_prefix(s, j, len, "/100", 4) ||
            (j + 4 < len && df_c_alnum((unsigned char)s[j + 4])))
            return 0;
        t->kind = T_FRAC;
        t->v = v;
        t->end = j + 4;
        return 1;
    }
    size_t j = i;
    while (j < len && df_c_alpha((unsigned char)s[j]))
        j++;
    if (j == i || (j < len && (unsigned char)s[j] >= 0x80))
        return 0;
    const df_model_entry *e = df_model_match(&m->numwords, s, i, len);
    if (e && e->klen == j - i) {
        t->kind = T_NUM;
        t->v = e->num;
        t->end = j;
        return 1;
    }
    e = df_model_match(&m->moneywords, s, i, len);
    if (!e || e->klen < j - i)
        return 0;
    t->end = i + e->klen;
    t->iso = e->extra;
    if (!strcmp(e->val, "major"))
        t->kind = T_MAJOR;
    else if (!strcmp(e->val, "minor"))
        t->kind = T_MINOR;
    else
        t->kind = df_c_prefix(e->key, 0, e->klen, "and", 3) && e->klen == 3 ? T_AND : T_FILLER;
    return 1;
}

/* Column of byte i: bytes since the line's start. */
static size_t column(const char *s, size_t i)
{
    size_t c = 0;
    while (i > 0 && s[i - 1] != '\n' && s[i - 1] != '\f')
        i--, c++;
    return c;
}

/* "Rupees Six Lakh ... Forty      CGST  250,517.90" over "Six Only": a
 * phrase wrapped in its column, with the next column's text after it on
 * the line. When the phrase (first token a, last token z, not "Only")
 * stopped at byte `stop`, a column gap (two spaces) away on the same line,
 * it goes on where the next line's text starts, if that starts no further
 * right than the phrase did. Returns that byte, else 0. */
static size_t wrapped(const char *s, size_t len, const tok *a, const tok *z, size_t stop)
{
    if (z->end - z->start == 4 && df_c_prefix(s, z->start, len, "only", 4))
        return 0;
    const char *gap = stop > z->end && stop < len ? memchr(s + z->end, '\n', stop - z->end) : NULL;
    if (gap || stop >= len || stop < z->end + 2 || s[stop - 1] != ' ' || s[stop - 2] != ' ')
        return 0;
    const char *nl = memchr(s + stop, '\n', len - stop);
    if (!nl)
        return 0;
    size_t j = (size_t)(nl - s) + 1;
    while (j < len && s[j] == ' ')
        j++;
    return j < len && column(s, j) <= column(s, a->start) + WRAP_SLACK ? j : 0;
}

/* Value of the number words t[a..b) (other tokens skipped), -1 if there
 * are none, -2 when it exceeds MAX_VALUE. */
static int64_t eval(const tok *t, int a, int b)
{
    int64_t total = 0, cur = 0, top = 0;
    int any = 0;
    for (int k = a; k < b; k++) {
        if (t[k].kind != T_NUM)
            continue;
        int64_t v = t[k].v;
        any = 1;
        if (v < 100) {
            cur += v;
        } else if (v == 100) {
            cur = (cur ? cur : 1) * 100;
        } else if (v > top) {
            int64_t base = total + cur ? total + cur : 1;
            if (base > MAX_VALUE / v)
                return -2;
            total = base * v;
            top = v;
            cur = 0;
        } else {
            if ((cur ? cur : 1) > MAX_VALUE / v)
                return -2;
            total += (cur ? cur : 1) * v;
            cur = 0;
        }
        if (total > MAX_VALUE || cur > MAX_VALUE)
            return -2;
    }
    return any ? total + cur : -1;
}

int df_words_parse(const df_model *m, const char *s, size_t len, size_t from, df_words_amount *out)
{
    df_words_amount tmp;
    if (!out)
        out = &tmp;
    memset(out, 0, sizeof *out);
    if (!m || !s)
        return 0;
    tok t[MAX_TOKENS];
    int n = 0, nums = 0;
    size_t i = from;
    int jumps = 0;
    while (n < MAX_TOKENS) {
        while (i < len && sep((unsigned char)s[i]))
            i++;
        if (i >= len || !classify(m, s, i, len, &t[n])) {
            size_t next = n > 0 && jumps < MAX_WRAPS ? wrapped(s, len, &t[0], &t[n - 1], i) : 0;
            if (!next)
                break;
            i = next;
            jumps++;
            continue;
        }
        if (n == 0 && t[0].kind == T_AND)
            break;
        nums += t[n].kind == T_NUM;
        i = t[n++].end;
    }
    while (n > 0 && t[n - 1].kind == T_AND)
        n--;
    if (nums == 0)
        return 0;
    int k = 0;
    while (k < n && t[k].kind != T_MINOR && t[k].kind != T_FRAC)
        k++;
    int64_t major, minor = 0;
    if (k == n) {
        major = eval(t, 0, n);
    } else if (t[k].kind == T_FRAC) {
        major = eval(t, 0, k);
        minor = t[k].v;
    } else {
        int a = k + 1, b = a;
        while (b < n && t[b].kind == T_NUM)
            b++;
        if (b == a && k == n - 1 && k > 0 && t[k - 1].kind == T_AND) {
            /* "... Sixteen and Paise", the rest on a line OCR put elsewhere:
             * the whole units are known, the fraction is not */
            major = eval(t, 0, k - 1);
            a = b = k;
            out->partial = 1;
        } else if (b == a) { /* "... and Fifty Paise": the numbers just before */
            b = k;
            a = k;
            while (a > 0 && t[a - 1].kind == T_NUM)
                a--;
            major = eval(t, 0, a);
        } else {
            major = eval(t, 0, k);
        }
        minor = a < b ? eval(t, a, b) : 0;
    }
    if (major == -1)
        major = 0;
    if (major < 0 || minor < 0 || minor >= 100)
        return 0;
    for (int j = 0; j < n; j++)
        if ((t[j].kind == T_MAJOR || (t[j].kind == T_MINOR && !out->currency[0])) && t[j].iso &&
            strlen(t[j].iso) == 3)
            memcpy(out->currency, t[j].iso, 4);
    out->minor = major * 100 + minor;
    out->start = t[0].start;
    out->end = t[n - 1].end;
    return 1;
}

int df_words_say(const df_words_amount *w, int64_t v)
{
    return w->partial ? v >= 0 && v / 100 * 100 == w->minor : v == w->minor;
}

int df_words_find(const df_model *m, const char *s, size_t len, df_words_amount *out)
{
    df_words_amount tmp;
    if (!out)
        out = &tmp;
    memset(out, 0, sizeof *out);
    if (!m || !s)
        return 0;
    for (size_t p = 0; p < len; p++) {
        const df_model_entry *e = df_model_match(&m->wordlabels, s, p, len);
        if (!e)
            continue;
        if (df_words_parse(m, s, len, p, out) || df_words_parse(m, s, len, p + e->klen, out))
            return 1;
        /* "Amount Chargeable (in words)" ends in ')' — skip it and its colon */
        size_t q = p + e->klen;
        while (q < len && (s[q] == ')' || s[q] == ' ' || s[q] == ':'))
            q++;
        if (df_words_parse(m, s, len, q, out))
            return 1;
    }
    return 0;
}
