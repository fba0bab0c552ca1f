/*
 * amount.c — money text to int64 hundredths (rules in amount.h).
 *
 * A number is first cut into digit groups and the separators between them;
 * only then is it decided which separator is the decimal mark, because that
 * depends on the whole number ("1,234" vs "1,234.56" vs "1.234,56").
 */
#include "extract/amount.h"

#include <stdio.h>
#include <string.h>

#include "extract/chars.h"

#define MAX_GROUPS 24
#define MAX_INT_DIGITS 15

typedef struct num {
    unsigned char dig[MAX_GROUPS][16]; /* digits of each group (values 0..9) */
    int gl[MAX_GROUPS];                /* digits in each group */
    char sep[MAX_GROUPS];              /* separator before group k (k >= 1): , . ' or ' ' */
    size_t gend[MAX_GROUPS];           /* byte end of group k */
    int ng;
    int truncated; /* more groups followed than fit: the full reading is not one */
    int repaired;
} num;

static int minus_len(const char *s, size_t i, size_t len)
{
    if (i < len && s[i] == '-')
        return 1;
    if (i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x88 &&
        (unsigned char)s[i + 2] == 0x92)
        return 3;
    return 0;
}

static size_t skip_spaces(const char *s, size_t i, size_t len)
{
    size_t k;
    while ((k = df_c_space(s, i, len)) > 0)
        i += k;
    return i;
}

/* The digit at s[i], or -1. Lenient mode reads OCR look-alikes as digits
 * only inside a number: touching a real digit, before or after. */
static int digit_at(const char *s, size_t i, size_t len, unsigned flags, int prev_digit)
{
    unsigned char c = (unsigned char)s[i];
    if (df_c_digit(c))
        return c - '0';
    if (!(flags & DF_AMT_LENIENT))
        return -1;
    int v = (c == 'O' || c == 'o') ? 0 : c == 'S' ? 5 : (c == 'l' || c == 'I' || c == '|') ? 1 : -1;
    if (v < 0)
        return -1;
    if (prev_digit || (i + 1 < len && df_c_digit((unsigned char)s[i + 1])))
        return v;
    if (i + 2 < len && (s[i + 1] == ',' || s[i + 1] == '.') && df_c_digit((unsigned char)s[i + 2]))
        return v;
    return -1;
}

/* Cut the number at s[i]; returns 0 when no digit starts there or it is too long. */
static int tokenize(const char *s, size_t i, size_t len, unsigned flags, num *n)
{
    memset(n, 0, sizeof *n);
    int prev_digit = 0;
    for (;;) {
        int k = n->ng, d;
        while (i < len && (d = digit_at(s, i, len, flags, prev_digit)) >= 0) {
            if (n->gl[k] == 16)
                return 0;
            if (!df_c_digit((unsigned char)s[i]))
                n->repaired = 1;
            n->dig[k][n->gl[k]++] = (unsigned char)d;
            prev_digit = 1;
            i++;
        }
        if (n->gl[k] == 0)
            return k > 0;
        n->gend[k] = i;
        if (++n->ng == MAX_GROUPS) { /* longer runs are read only up to a space cut */
            n->truncated = 1;
            return 1;
        }
        /* a separator counts only when a digit follows it */
        char sep = 0;
        size_t j = i, sl = df_c_space(s, i, len), seplen = 1;
        if (sl) {
            sep = ' ';
            j = i + sl;
            /* "$52    .97": OCR spread a figure's cents from it; two digits
             * or more before, exactly two after, nothing glued to them */
            size_t c = skip_spaces(s, i, len);
            if ((flags & DF_AMT_LENIENT) && n->ng == 1 && n->gl[0] >= 2 && c + 2 < len &&
                (s[c] == '.' || s[c] == ',') && df_c_digit((unsigned char)s[c + 1]) &&
                df_c_digit((unsigned char)s[c + 2]) &&
                (c + 3 >= len || !df_c_alnum((unsigned char)s[c + 3]))) {
                sep = s[c];
                j = c + 1;
            }
        } else if (i < len && (s[i] == ',' || s[i] == '.' || df_c_apos(s, i, len))) {
            sep = s[i] == ',' || s[i] == '.' ? s[i] : '\'';
            seplen = sep == '\'' ? df_c_apos(s, i, len) : 1;
            j = i + seplen;
            size_t sp = df_c_space(s, j, len);
            if ((flags & DF_AMT_LENIENT) && sep != '\'' && sp && j + sp < len &&
                df_c_digit((unsigned char)s[j + sp]))
                j += sp;
        }
        if (!sep || j >= len || !df_c_digit((unsigned char)s[j]))
            return 1;
        if (j > i + seplen && sep != ' ')
            n->repaired = 1;
        n->sep[n->ng] = sep;
        i = j;
        prev_digit = 0;
    }
}

static int grouping_ok(const num *n, int m)
{
    if (m == 1)
        return n->gl[0] <= MAX_INT_DIGITS;
    for (int k = 2; k < m; k++)
        if (n->sep[k] != n->sep[1])
            return 0;
    if (n->gl[0] > 3 || n->gl[m - 1] != 3)
        return 0;
    int western = 1, indian = n->gl[0] <= 2;
    for (int k = 1; k < m - 1; k++) {
        western &= n->gl[k] == 3;
        indian &= n->gl[k] == 2;
    }
    return western || indian;
}

/* Interpret groups 0..m-1: fills minor and decimals, 0 when not an amount. */
static int interpret(const num *n, int m, df_dec_style style, int64_t *minor, int *decimals)
{
    int dec = 0;
    char last = m > 1 ? n->sep[m - 1] : 0;
    if (last == '.' || last == ',') {
        if (m > 2) {
            int same_as_last = 1, same_among = 1;
            for (int k = 1; k < m - 1; k++) {
                same_as_last &= n->sep[k] == last;
                same_among &= n->sep[k] == n->sep[1];
            }
            if (same_as_last)
                dec = 0;
            else if (same_among)
                dec = 1;
            else
                return 0;
        } else if (n->gl[1] != 3 || n->gl[0] > 3 || (n->gl[0] == 1 && n->dig[0][0] == 0)) {
            dec = 1;
        } else {
            dec = (style == DF_DEC_DOT && last == '.') || (style == DF_DEC_COMMA && last == ',');
        }
    }
    int ig = dec ? m - 1 : m;
    if (dec && n->gl[m - 1] > 3)
        return 0;
    if (!grouping_ok(n, ig))
        return 0;
    int nd = 0;
    int64_t v = 0;
    for (int k = 0; k < ig; k++)
        for (int d = 0; d < n->gl[k]; d++) {
            if (++nd > MAX_INT_DIGITS && v > 0)
                return 0;
            v = v * 10 + n->dig[k][d];
        }
    int64_t frac = 0;
    int fd = dec ? n->gl[m - 1] : 0;
    for (int d = 0; d < fd; d++)
        frac = frac * 10 + n->dig[m - 1][d];
    if (fd == 1)
        frac *= 10;
    else if (fd == 3)
        frac = (frac + 5) / 10; /* half away from zero: the sign is applied later */
    if (v * 100 + frac >= 100000000000000000LL) /* rounding carried into a 16th digit */
        return 0;
    *minor = v * 100 + frac;
    *decimals = fd;
    return 1;
}

/* Parse an amount whose span starts exactly at p; returns the end or 0. */
static size_t scan_at(const df_model *m, const char *s, size_t p, size_t len, df_dec_style style,
                      unsigned flags, df_amount *out)
{
    memset(out, 0, sizeof *out);
    const df_model_list *cur = m ? &m->currency : NULL;
    size_t q = p;
    int paren = 0, neg = 0;
    for (int k = 0; k < 3 && q < len; k++) {
        const df_model_entry *e;
        size_t ml;
        if (s[q] == '(' && !paren) {
            paren = 1;
            q = skip_spaces(s, q + 1, len);
        } else if ((ml = (size_t)minus_len(s, q, len)) > 0 && !neg) {
            neg = 1;
            q += ml;
        } else if (!out->currency[0] && (e = df_model_match(cur, s, q, len)) != NULL) {
            snprintf(out->currency, sizeof out->currency, "%.3s", e->val);
            q = skip_spaces(s, q + e->klen, len);
        } else {
            break;
        }
    }
    if (q >= len || digit_at(s, q, len, flags, 0) < 0)
        return 0;
    num n;
    if (!tokenize(s, q, len, flags, &n))
        return 0;
    int use = 0, decimals = 0;
    int64_t minor = 0;
    /* longest reading first; shorter ones only where a space may have joined
     * two neighbouring numbers ("Qty 2 1,250.00") */
    for (int g = n.ng; g >= 1 && !use; g--)
        if (((g == n.ng && !n.truncated) || (g < n.ng && n.sep[g] == ' ')) &&
            interpret(&n, g, style, &minor, &decimals))
            use = g;
    if (!use)
        return 0;
    size_t r = n.gend[use - 1];
    int closed = !paren, slash_dash = 0;
    for (int k = 0; k < 4; k++) {
        size_t t = skip_spaces(s, r, len);
        const df_model_entry *e;
        if (r + 1 < len && s[r] == '/' && s[r + 1] == '-' && !slash_dash) {
            slash_dash = 1; /* Indian "Rs. 500/-": "and no paise", not a sign */
            r += 2;
        } else if (!neg && !paren && r < len && s[r] == '-' &&
            (r + 1 >= len || !df_c_alnum((unsigned char)s[r + 1]))) {
            neg = 1;
            r++;
        } else if (!closed && t < len && s[t] == ')') {
            closed = 1;
            r = t + 1;
        } else if (!out->currency[0] && (e = df_model_match(cur, s, t, len)) != NULL &&
                   !df_c_digit((unsigned char)e->key[0])) {
            snprintf(out->currency, sizeof out->currency, "%.3s", e->val);
            r = t + e->klen;
        } else if (!neg && decimals == 2 && t + 1 < len && s[t] == 'C' && s[t + 1] == 'R' &&
                   (t + 2 >= len || !df_c_alpha((unsigned char)s[t + 2]))) {
            neg = 1;
            r = t + 2;
        } else {
            break;
        }
    }
    if (!closed)
        return 0;
    if (paren)
        neg = 1;
    if (r < len && df_c_alnum((unsigned char)s[r]))
        return 0;
    out->minor = neg ? -minor : minor;
    out->negative = neg && minor != 0;
    out->decimals = decimals;
    out->repaired = n.repaired;
    out->start = p;
    out->end = r;
    return r;
}

int df_amount_parse(const df_model *m, const char *s, size_t len, df_dec_style style,
                    unsigned flags, df_amount *out)
{
    df_amount tmp;
    if (!out)
        out = &tmp;
    if (!s)
        return 0;
    size_t a = skip_spaces(s, 0, len), b = len;
    for (;;) {
        if (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
            b -= 1;
        else if (b >= a + 2 && df_c_space(s, b - 2, len) == 2)
            b -= 2;
        else if (b >= a + 3 && df_c_space(s, b - 3, len) == 3)
            b -= 3;
        else
            break;
    }
    if (a >= b)
        return 0;
    size_t end = scan_at(m, s, a, b, style, flags, out);
    if (end != b) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    return 1;
}

static int left_boundary(const char *s, size_t p)
{
    if (p == 0)
        return 1;
    unsigned char c = (unsigned char)s[p - 1];
    /* after "14:" a figure is minutes ("14:02"), or OCR's colon inside a
     * figure ("13,7719:33" for "13,775.31"): never an amount of its own */
    if (c == ':' && p >= 2 && df_c_digit((unsigned char)s[p - 2]))
        return 0;
    /* after "W18-1476-" or "2024/": the next group of an id, a date or a
     * range, never a figure of its own */
    if ((c == '-' || c == '/') && p >= 2 && df_c_alnum((unsigned char)s[p - 2]))
        return 0;
    if (c == 0x99 && p >= 3 && df_c_apos(s, p - 3, p) == 3)
        return 0; /* after "1’": a digit group, not a figure of its own */
    if (c == 0xBC && p >= 2 && df_c_apos(s, p - 2, p) == 2)
        return 0;
    return !df_c_alnum(c) && c != '.' && c != ',' && c != '\'';
}

/* A till's figure under one unit printed as its cents alone ("TAX .26",
 * "TOTAL TAX .00"): a dot, two digits, then no digit or separator; after
 * spaces that follow no digit ("3 .53" is a figure split by OCR, not 0.53).
 * Never where the document writes decimals with a comma. */
static int cents_only(const char *s, size_t p, size_t len, df_dec_style style, df_amount *out)
{
    if (style == DF_DEC_COMMA || s[p] != '.' || (p > 0 && s[p - 1] != ' ') || p + 2 >= len ||
        !df_c_digit((unsigned char)s[p + 1]) || !df_c_digit((unsigned char)s[p + 2]))
        return 0;
    if (p + 3 < len && (df_c_alnum((unsigned char)s[p + 3]) || s[p + 3] == '.' || s[p + 3] == ','))
        return 0;
    size_t b = p;
    while (b > 0 && s[b - 1] == ' ')
        b--;
    if (b > 0 && df_c_digit((unsigned char)s[b - 1]))
        return 0;
    memset(out, 0, sizeof *out);
    out->minor = (s[p + 1] - '0') * 10 + (s[p + 2] - '0');
    out->start = p;
    out->end = p + 3;
    out->decimals = 2;
    out->repaired = 1;
    return 1;
}

int df_amount_find(const df_model *m, const char *s, size_t len, size_t from, df_dec_style style,
                   unsigned flags, df_amount *out)
{
    df_amount tmp;
    if (!out)
        out = &tmp;
    if (!s)
        return 0;
    for (size_t p = from; p < len; p++) {
        if (!left_boundary(s, p))
            continue;
        if (scan_at(m, s, p, len, style, flags, out))
            return 1;
        if ((flags & DF_AMT_LENIENT) && cents_only(s, p, len, style, out))
            return 1;
        /* lenient: a currency sign OCR read as a letter glued to the figure
         * ("X767.78" for "₹767.78"); only a figure with two decimals */
        if ((flags & DF_AMT_LENIENT) && p + 1 < len && df_c_upper((unsigned char)s[p]) &&
            !strchr("OSIBLD", s[p]) && df_c_digit((unsigned char)s[p + 1]) &&
            scan_at(m, s, p + 1, len, style, flags, out)) {
            if (out->decimals == 2) {
                out->start = p;
                out->repaired = 1;
                return 1;
            }
        }
    }
    memset(out, 0, sizeof *out);
    return 0;
}

size_t df_amount_format(int64_t minor, char *buf, size_t cap)
{
    char tmp[32];
    size_t n = 0;
    uint64_t u = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    unsigned frac = (unsigned)(u % 100);
    u /= 100;
    tmp[n++] = (char)('0' + frac % 10);
    tmp[n++] = (char)('0' + frac / 10);
    tmp[n++] = '.';
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (minor < 0)
        tmp[n++] = '-';
    if (!buf || cap < n + 1)
        return 0;
    for (size_t k = 0; k < n; k++)
        buf[k] = tmp[n - 1 - k];
    buf[n] = '\0';
    return n;
}
