/*
 * model.c — loads the line-based rule files of models/ (see model.h).
 *
 * Model files are trusted more than documents but still checked: a bad line
 * is an error naming file and line, never a silent half-loaded model.
 */
#include "extract/model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/chars.h"

/* Model files are small word lists; anything bigger is a mistake. */
#define MODEL_MAX_BYTES (1u << 20)

static long parse_long(const char *s, int *ok)
{
    long v = 0;
    int neg = *s == '-';
    s += neg;
    *ok = *s != '\0';
    for (; *s; s++) {
        if (!df_c_digit((unsigned char)*s) || v > 100000000000000L) {
            *ok = 0;
            return 0;
        }
        v = v * 10 + (*s - '0');
    }
    return neg ? -v : v;
}

static int by_length_desc(const void *a, const void *b)
{
    const df_model_entry *x = a, *y = b;
    if (x->klen != y->klen)
        return x->klen < y->klen ? 1 : -1;
    return strcmp(x->key, y->key);
}

/* The plain letter of the Latin-1 letter C3 c (À..ÿ), or 0 for one that
 * has none (Æ, Ð, ×, Þ, ß, ...). */
static char bare_letter(unsigned char c)
{
    static const char low[] = "aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0\0";
    if (c < 0x80 || c > 0xBF)
        return 0;
    char b = low[(c - 0x80) & 0x1F];
    return c < 0xA0 && b ? (char)(b - 'a' + 'A') : b;
}

/* key without its accents into out (>= klen + 1 bytes): 1 when it had an
 * accent to drop and nothing without a plain letter. */
static int bare_key(const char *key, size_t klen, char *out)
{
    size_t o = 0;
    int dropped = 0;
    for (size_t i = 0; i < klen; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c == 0xC3 && i + 1 < klen) {
            char b = bare_letter((unsigned char)key[i + 1]);
            if (!b)
                return 0;
            out[o++] = b;
            i++;
            dropped = 1;
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return dropped;
}

static int has_key(const df_model_list *l, size_t n, const char *key)
{
    for (size_t k = 0; k < n; k++)
        if (df_c_prefix(l->v[k].key, 0, l->v[k].klen, key, strlen(key)) &&
            l->v[k].klen == strlen(key))
            return 1;
    return 0;
}

/* Each accented token's bare form as a token of its own (model.h). */
static df_code add_bare_keys(df_model_list *l, const char *name, df_err *err)
{
    size_t n = l->n, extra = 0, bytes = 0;
    for (size_t k = 0; k < n; k++)
        if (memchr(l->v[k].key, 0xC3, l->v[k].klen)) {
            extra++;
            bytes += l->v[k].klen + 1;
        }
    if (!extra)
        return DF_OK;
    df_model_entry *v = realloc(l->v, (n + extra) * sizeof *v);
    l->bare = malloc(bytes);
    if (v)
        l->v = v;
    if (!v || !l->bare)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory loading %s", name);
    char *p = l->bare;
    for (size_t k = 0; k < n; k++) {
        df_model_entry e = l->v[k];
        if (!memchr(e.key, 0xC3, e.klen) || !bare_key(e.key, e.klen, p) || has_key(l, l->n, p))
            continue;
        e.key = p;
        e.klen = strlen(p);
        l->v[l->n++] = e;
        p += e.klen + 1;
    }
    return DF_OK;
}

df_code df_model_load_list(const char *dir, const char *name, int nfields, int numeric,
                           long default_num, df_model_list *out, df_err *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return df_err_set(err, DF_E_INVALID_ARGUMENT, "model directory path is too long");
    FILE *f = fopen(path, "rb");
    if (!f)
        return df_err_set(err, errno == ENOENT ? DF_E_FILE_NOT_FOUND : DF_E_IO,
                          "cannot open model file %s: %s", path, strerror(errno));
    char *buf = malloc(MODEL_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory loading %s", name);
    }
    size_t n = fread(buf, 1, MODEL_MAX_BYTES + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n > MODEL_MAX_BYTES) {
        free(buf);
        return df_err_set(err, bad ? DF_E_IO : DF_E_FILE_TOO_LARGE, "model file %s %s", name,
                          bad ? "could not be read" : "is larger than 1 MiB");
    }
    buf[n] = '\0';
    size_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += buf[i] == '\n';
    out->v = calloc(lines, sizeof *out->v);
    out->buf = buf;
    if (!out->v)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory loading %s", name);
    char *p = buf;
    for (size_t lineno = 1; p < buf + n; lineno++) {
        char *eol = memchr(p, '\n', (size_t)(buf + n - p));
        char *next = eol ? eol + 1 : buf + n;
        if (eol)
            *eol = '\0';
        if (eol > p && eol[-1] == '\r')
            eol[-1] = '\0';
        if (*p && *p != '#') {
            char *fld[3] = {p, "", ""};
            int nf = 1;
            for (char *q = p; *q && nf < 3; q++)
                if (*q == '\t') {
                    *q = '\0';
                    fld[nf++] = q + 1;
                }
            if (strchr(fld[nf - 1], '\t') || nf < nfields || !*fld[0] || (nfields > 1 && !*fld[1]))
                return df_err_set(err, DF_E_CORRUPT_FILE, "model file %s line %zu: expected %d "
                                  "TAB-separated field(s)", name, lineno, nfields);
            df_model_entry *e = &out->v[out->n++];
            e->key = fld[0];
            e->klen = strlen(fld[0]);
            e->val = fld[1];
            e->extra = fld[2];
            e->line = lineno;
            int ok = 1;
            if (numeric == 2)
                e->num = parse_long(fld[1], &ok);
            else if (numeric == 3)
                e->num = *fld[2] ? parse_long(fld[2], &ok) : default_num;
            if (!ok)
                return df_err_set(err, DF_E_CORRUPT_FILE, "model file %s line %zu: not a number",
                                  name, lineno);
        }
        p = next;
    }
    df_code rc = add_bare_keys(out, name, err);
    if (rc != DF_OK)
        return rc;
    qsort(out->v, out->n, sizeof *out->v, by_length_desc);
    return DF_OK;
}

void df_model_list_free(df_model_list *l)
{
    free(l->v);
    free(l->buf);
    free(l->bare);
}

df_model *df_model_load(const char *dir, df_err *err)
{
    if (!dir) {
        df_err_set(err, DF_E_INVALID_ARGUMENT, "no model directory given");
        return NULL;
    }
    df_model *m = calloc(1, sizeof *m);
    if (!m) {
        df_err_set(err, DF_E_NO_MEMORY, "out of memory loading the model");
        return NULL;
    }
    if (df_model_load_list(dir, "currency.txt", 2, 3, 2, &m->currency, err) ||
        df_model_load_list(dir, "months.txt", 2, 2, 0, &m->months, err) ||
        df_model_load_list(dir, "numwords.txt", 2, 2, 0, &m->numwords, err) ||
        df_model_load_list(dir, "moneywords.txt", 2, 0, 0, &m->moneywords, err) ||
        df_model_load_list(dir, "wordlabels.txt", 1, 0, 0, &m->wordlabels, err)) {
        df_model_free(m);
        return NULL;
    }
    return m;
}

void df_model_free(df_model *m)
{
    if (!m)
        return;
    df_model_list_free(&m->currency);
    df_model_list_free(&m->months);
    df_model_list_free(&m->numwords);
    df_model_list_free(&m->moneywords);
    df_model_list_free(&m->wordlabels);
    df_model_list_free(&m->confusions);
    free(m);
}

const df_model_entry *df_model_match(const df_model_list *l, const char *s, size_t i, size_t len)
{
    if (!l || !s || i >= len)
        return NULL;
    if (df_c_alpha((unsigned char)s[i]) && i > 0 && df_c_alpha((unsigned char)s[i - 1]))
        return NULL;
    for (size_t k = 0; k < l->n; k++) {
        const df_model_entry *e = &l->v[k];
        if (!df_c_prefix(s, i, len, e->key, e->klen))
            continue;
        size_t end = i + e->klen;
        if (df_c_alpha((unsigned char)e->key[e->klen - 1]) && end < len &&
            df_c_alpha((unsigned char)s[end]))
            continue;
        return e;
    }
    return NULL;
}

int df_model_confused(const df_model *m, char a, char b)
{
    for (size_t k = 0; m && k < m->confusions.n; k++) {
        const df_model_entry *e = &m->confusions.v[k];
        char p = e->key[0], q = e->val[0];
        if (!e->val[1] && ((p == a && q == b) || (p == b && q == a)))
            return 1;
    }
    return 0;
}

int df_model_sign_digit(const df_model *m, char c)
{
    for (size_t k = 0; m && k < m->confusions.n; k++) {
        const df_model_entry *e = &m->confusions.v[k];
        if (e->key[0] == c && strcmp(e->val, "sign") == 0)
            return 1;
        if (e->key[0] == c && strcmp(e->val, "sign?") == 0)
            return 2;
    }
    return 0;
}

int df_model_weight(const char *s, int *out)
{
    int neg = *s == '-', v = 0, frac = 0, nfrac = 0, any = 0;
    if (*s == '-' || *s == '+')
        s++;
    for (; df_c_digit((unsigned char)*s); s++, any = 1)
        if ((v = v * 10 + (*s - '0')) > 100000)
            return -1;
    if (*s == '.')
        for (s++; df_c_digit((unsigned char)*s); s++, any = 1)
            if (nfrac < 2)
                frac = frac * 10 + (*s - '0'), nfrac++;
    if (!any || *s)
        return -1;
    while (nfrac < 2)
        frac *= 10, nfrac++;
    *out = (neg ? -1 : 1) * (v * 100 + frac);
    return 0;
}
