/*
 * phrases.c — matching the caller's keyword phrases against words.
 *
 * Exists apart from tables.c because the rule is a contract with the
 * extractors' keyword lists in models/: a phrase is its space-separated
 * words, each matched to one page word, ASCII case-insensitively (no
 * locale), ignoring one trailing ':' or '.' on either side ("Qty." matches
 * "qty", "Invoice No:" matches "Invoice No"), and a word naming two things
 * with a slash matches its first ("Prodotto/Servizio", "Produkt/Leistung"
 * are titled by "Prodotto", "Produkt"). Non-ASCII bytes must match exactly.
 */
#include <stdlib.h>
#include <string.h>

#include "layout/layout_int.h"

static size_t strip_len(const char *s, size_t n)
{
    return n > 1 && (s[n - 1] == ':' || s[n - 1] == '.') ? n - 1 : n;
}

static int word_is(const char *text, const char *tok, size_t toklen)
{
    size_t n = strip_len(text, strlen(text));
    if (n > toklen && text[toklen] == '/' && toklen > 0 && tok[toklen - 1] != '/')
        n = toklen;
    if (n != toklen)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)text[i], y = (unsigned char)tok[i];
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return 0;
    }
    return 1;
}

/* Split caller phrases at spaces; phrases with no or too many words are skipped. */
df_lay_phrase *df_lay_phrases(const char *const *list, size_t n, size_t *np)
{
    *np = 0;
    df_lay_phrase *p = n ? calloc(n, sizeof *p) : NULL;
    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        df_lay_phrase *ph = &p[*np];
        ph->ntok = 0;
        int ok = list[i] != NULL;
        for (const char *s = list[i]; ok && *s;) {
            while (*s == ' ')
                s++;
            size_t len = strcspn(s, " ");
            if (len == 0)
                break;
            if (ph->ntok == DF_LAY_MAX_TOKENS) {
                ok = 0;
                break;
            }
            ph->tok[ph->ntok] = s;
            ph->len[ph->ntok++] = strip_len(s, len);
            s += len;
        }
        if (ok && ph->ntok > 0)
            (*np)++;
    }
    return p;
}

size_t df_lay_match(const df_layout *lay, const size_t *rw, const size_t *rseg, size_t nrw,
                    size_t j, const df_lay_phrase *ps, size_t nps)
{
    size_t best = 0;
    for (size_t p = 0; p < nps; p++) {
        const df_lay_phrase *ph = &ps[p];
        if (ph->ntok <= best || j + ph->ntok > nrw)
            continue;
        size_t k = 0;
        while (k < ph->ntok && rseg[j + k] == rseg[j] &&
               word_is(lay->words[rw[j + k]].text, ph->tok[k], ph->len[k]))
            k++;
        if (k == ph->ntok)
            best = k;
    }
    return best;
}
