/*
 * taxscan.c — finds tax ids in OCR text (df_taxid_find in taxid.h).
 *
 * OCR often splits an id into pieces ("29 AABCA 1234K 1ZX"), so candidates
 * are gathered across single spaces, but an id must start and end on a word
 * boundary, which keeps neighbouring words from being glued on.
 */
#include <stdio.h>
#include <string.h>

#include "extract/chars.h"
#include "extract/taxid.h"

#define MAX_CHARS 18

typedef struct cand {
    char c[MAX_CHARS + 1]; /* upper-cased alphanumerics */
    size_t end[MAX_CHARS]; /* byte end of each char in the text */
    int spaced[MAX_CHARS]; /* a space came before char k */
    int n;
    int odd;               /* holds a ')' or '|' */
} cand;

static void gather(const char *s, size_t p, size_t len, int lax, cand *c)
{
    memset(c, 0, sizeof *c);
    size_t i = p;
    while (i < len && c->n < MAX_CHARS) {
        int sp = 0;
        size_t k = df_c_space(s, i, len);
        if (k && c->n > 0 && i + k < len && df_c_alnum((unsigned char)s[i + k])) {
            i += k;
            sp = 1;
        }
        /* OCR's ')' for 'J' and '|' for 'I' inside an id (never its first
         * char): kept, for the GSTIN repair to read by position; a '('
         * is kept to be dropped as a stray */
        int inner = lax && c->n > 0 && !sp && i + 1 < len && (s[i] == ')' || s[i] == '|' || s[i] == '(') &&
                    df_c_alnum((unsigned char)s[i + 1]);
        /* ... or ')' as a GSTIN's last char, its check character J */
        inner |= lax && c->n == 14 && !sp && i < len && s[i] == ')';
        if (i >= len || (!df_c_alnum((unsigned char)s[i]) && !inner))
            break;
        c->spaced[c->n] = sp;
        c->c[c->n] = (char)df_c_toupper((unsigned char)s[i]);
        c->odd |= !df_c_alnum((unsigned char)s[i]);
        c->end[c->n++] = ++i;
    }
}

/* The first n chars of the candidate end on a word boundary. */
static int ends_word(const char *s, size_t len, const cand *c, int n)
{
    size_t e = c->end[n - 1];
    return e >= len || !df_c_alnum((unsigned char)s[e]);
}

static int any_space(const cand *c, int n)
{
    for (int k = 1; k < n; k++)
        if (c->spaced[k])
            return 1;
    return 0;
}

static void put(df_taxid *t, df_taxid_kind kind, const char *value, size_t vlen, const char *country,
                size_t start, size_t end)
{
    memset(t, 0, sizeof *t);
    t->kind = kind;
    snprintf(t->value, sizeof t->value, "%.*s", (int)vlen, value);
    snprintf(t->country, sizeof t->country, "%s", country);
    t->start = start;
    t->end = end;
    t->repaired_pos = -1;
}

/* A GSTIN in the first 15 chars of c, or in its first 16 without one
 * stray ')' or '|' ("21XMZPB9466)J1ZU"), or without a 2 before its Z
 * ("21KNMCO0827C22ZV", "27RBBFA1247B12ZN": OCR reads the Z as "2Z"). */
static int try_gstin(const char *s, size_t p, size_t len, const cand *c, df_taxid *t)
{
    for (int drop = -1; drop < 16; drop++) {
        cand w = *c;
        if (drop >= 0) {
            int stray = c->odd && !df_c_alnum((unsigned char)c->c[drop]);
            int two = drop == 13 && c->c[13] == '2' && c->c[14] == 'Z';
            if (c->n < 16 || !(stray || two))
                continue;
            memmove(w.c + drop, w.c + drop + 1, (size_t)(w.n - drop));
            memmove(w.end + drop, w.end + drop + 1, (size_t)(w.n - drop - 1) * sizeof *w.end);
            memmove(w.spaced + drop, w.spaced + drop + 1, (size_t)(w.n - drop - 1) * sizeof *w.spaced);
            w.n--;
        }
        if (w.n < 15 || !ends_word(s, len, &w, 15))
            continue;
        char fixed[16];
        int pos, r = df_gstin_repair(w.c, 15, fixed, &pos);
        /* repair across inserted spaces would be too generous a guess */
        if (r == 1 || (r == 2 && !any_space(&w, 15))) {
            put(t, DF_TAXID_GSTIN, fixed, 15, "IN", p, w.end[14]);
            t->repaired = r == 2 || drop >= 0;
            t->repaired_pos = drop >= 0 && (pos < 0 || drop < pos) ? drop : pos;
            t->checked = 1;
            return 1;
        }
    }
    return 0;
}

/* 1 when OCR may have read one glyph twice, as a and its neighbour n: the
 * same character or a look-alike ("MO0", "S17Z"). Wider than
 * df_gstin_repair's substitution groups: "17" is one 1 read twice, though
 * a 7 is never read for a 1 on its own. */
static int doubled(char a, char n)
{
    static const char *const groups[] = {"O0D", "I1L7", "S5", "B8", "Z2", "G6"};
    if (a == n)
        return 1;
    for (size_t g = 0; g < sizeof groups / sizeof *groups; g++)
        if (strchr(groups[g], a) && strchr(groups[g], n))
            return 1;
    return 0;
}

/* A GSTIN OCR added one character inside ("27NCMPA9871S17Z8",
 * "07WXWCMO0317S1ZS"): 16 characters with no space in them, of which
 * exactly one GSTIN is left by dropping a character that doubles its
 * neighbour, valid as it then reads. A character at either end is a
 * neighbour glued on, not dropped. */
static int try_gstin_extra(const char *s, size_t p, size_t len, const cand *c, df_taxid *t)
{
    /* "32PWDC(CS5821Q3ZC": a stray '(' as well; it goes first */
    for (int k = 1; k < 16 && k < c->n; k++) {
        if (c->c[k] != '(')
            continue;
        cand d = *c;
        for (int q = k; q + 1 < c->n; q++) {
            d.c[q] = c->c[q + 1];
            d.end[q] = c->end[q + 1];
            d.spaced[q] = c->spaced[q + 1];
        }
        d.n = c->n - 1;
        d.c[d.n] = '\0';
        return strchr(d.c, '(') == NULL && try_gstin_extra(s, p, len, &d, t);
    }
    if (c->n < 16 || !ends_word(s, len, c, 16) || any_space(c, 16))
        return 0;
    char found[16] = "", buf[16];
    int nfound = 0, at = -1;
    for (int drop = 1; drop < 15; drop++) {
        if (!doubled(c->c[drop], c->c[drop - 1]) && !doubled(c->c[drop], c->c[drop + 1]))
            continue;
        int k = 0;
        for (int q = 0; q < 16; q++)
            if (q != drop)
                buf[k++] = c->c[q];
        buf[15] = '\0';
        if (!df_gstin_valid(buf, 15) || (nfound && strcmp(buf, found) == 0))
            continue;
        if (++nfound > 1)
            return 0;
        memcpy(found, buf, sizeof found);
        at = drop;
    }
    if (nfound != 1)
        return 0;
    put(t, DF_TAXID_GSTIN, found, 15, "IN", p, c->end[15]);
    t->repaired = 1;
    t->repaired_pos = at;
    t->checked = 1;
    return 1;
}

static int try_at(const char *s, size_t p, size_t len, df_taxid *t)
{
    cand c;
    gather(s, p, len, 1, &c);
    if (try_gstin(s, p, len, &c, t) || try_gstin_extra(s, p, len, &c, t))
        return 1;
    if (c.odd)
        gather(s, p, len, 0, &c); /* the other ids have no look-alike reading */
    if (c.n >= 4 && df_c_upper((unsigned char)c.c[0]) && df_c_upper((unsigned char)c.c[1]))
        for (int n = c.n < 16 ? c.n : 16; n >= 6; n--) {
            int checked;
            if (ends_word(s, len, &c, n) && df_euvat_valid(c.c, (size_t)n, &checked)) {
                put(t, DF_TAXID_EU_VAT, c.c, (size_t)n, "", p, c.end[n - 1]);
                memcpy(t->country, c.c, 2);
                t->checked = checked;
                return 1;
            }
        }
    if (c.n >= 10 && !any_space(&c, 10) && ends_word(s, len, &c, 10) && df_pan_valid(c.c, 10)) {
        put(t, DF_TAXID_PAN, c.c, 10, "IN", p, c.end[9]);
        return 1;
    }
    if (c.n >= 12 && !any_space(&c, 12) && ends_word(s, len, &c, 12) && df_my_gst_valid(c.c, 12)) {
        put(t, DF_TAXID_MY_GST, c.c, 12, "MY", p, c.end[11]);
        return 1;
    }
    if (p + 17 <= len && df_my_sst_valid(s + p, 17) &&
        (p + 17 == len || !df_c_alnum((unsigned char)s[p + 17]))) {
        put(t, DF_TAXID_MY_SST, s + p, 17, "MY", p, p + 17);
        return 1;
    }
    return 0;
}

size_t df_taxid_find(const char *text, size_t len, df_taxid *out, size_t max)
{
    size_t n = 0;
    if (!text || !out)
        return 0;
    for (size_t p = 0; p < len && n < max; p++) {
        if (!df_c_alnum((unsigned char)text[p]) || (p > 0 && df_c_alnum((unsigned char)text[p - 1])))
            continue;
        if (try_at(text, p, len, &out[n])) {
            p = out[n].end - 1;
            n++;
        }
    }
    return n;
}
