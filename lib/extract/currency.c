/*
 * currency.c — weighted vote of currency tokens (see currency.h).
 */
#include "extract/currency.h"

#include <string.h>

#include "extract/chars.h"

static df_currency_evidence *slot(df_currency_guess *g, const char *code)
{
    for (size_t k = 0; k < g->ncodes; k++)
        if (strncmp(g->ev[k].code, code, 3) == 0)
            return &g->ev[k];
    if (g->ncodes == DF_CURRENCY_MAX_CODES)
        return NULL;
    df_currency_evidence *e = &g->ev[g->ncodes++];
    memcpy(e->code, code, 3);
    e->code[3] = '\0';
    return e;
}

static void add(df_currency_guess *g, const char *code, int weight)
{
    df_currency_evidence *e = slot(g, code);
    if (e && e->score < 1000000) {
        e->count++;
        e->score += weight;
    }
}

/* A key spelled in letters counts only as a word of its own: "SEK" is no
 * currency inside "SEKSYEN", nor "Rp" inside "Corp"; and a code in
 * capitals only in capitals: "Sek" abbreviates the Malay "Seksyen". */
static int whole_word(const char *text, size_t len, size_t i, const df_model_entry *e)
{
    const unsigned char *t = (const unsigned char *)text;
    const unsigned char *k = (const unsigned char *)e->key;
    int caps = e->klen >= 2;
    for (size_t j = 0; j < e->klen && caps; j++)
        caps = k[j] >= 'A' && k[j] <= 'Z';
    if (caps && memcmp(t + i, k, e->klen) != 0)
        return 0;
    if (df_c_alpha(k[0]) && i > 0 && df_c_alpha(t[i - 1]))
        return 0;
    size_t end = i + e->klen;
    if (df_c_alpha(k[e->klen - 1]) && end < len && df_c_alpha(t[end]))
        return 0;
    return 1;
}

static int has_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (df_c_alpha((unsigned char)s[i]))
            return 1;
    return 0;
}

int df_currency_detect(const df_model *m, const char *text, size_t len,
                       const df_currency_context *ctx, df_currency_guess *out)
{
    df_currency_guess tmp;
    if (!out)
        out = &tmp;
    memset(out, 0, sizeof *out);
    if (!m || !text)
        return 0;
    /* A national tax id settles what a bare sign cannot: OCR reads "₹" as
     * "$", "¥" or "£" and no GST invoice is in yen. With one, only a
     * currency written in letters ("USD", "Euro", "US$") counts against it. */
    int id_context = ctx && (ctx->has_gstin || ctx->has_my_tax);
    for (size_t i = 0; i < len;) {
        const df_model_entry *e = df_model_match(&m->currency, text, i, len);
        if (e && strlen(e->val) == 3 && whole_word(text, len, i, e)) {
            if (!id_context || has_letter(e->key, e->klen))
                add(out, e->val, (int)e->num);
            i += e->klen;
        } else {
            i++;
        }
    }
    if (ctx && ctx->has_gstin)
        add(out, "INR", DF_CURRENCY_CONTEXT_WEIGHT);
    if (ctx && ctx->has_my_tax)
        add(out, "MYR", DF_CURRENCY_CONTEXT_WEIGHT);
    /* a VAT id tells the seller's country, not the invoice's currency for
     * sure: it weighs as one sign, so any written currency outweighs it */
    if (ctx && ctx->vat_code[0])
        add(out, ctx->vat_code, 1);
    /* stable insertion sort by score: equal scores keep first-seen order */
    for (size_t k = 1; k < out->ncodes; k++) {
        df_currency_evidence e = out->ev[k];
        size_t j = k;
        while (j > 0 && out->ev[j - 1].score < e.score) {
            out->ev[j] = out->ev[j - 1];
            j--;
        }
        out->ev[j] = e;
    }
    if (out->ncodes == 0 || out->ev[0].score <= 0)
        return 0;
    memcpy(out->code, out->ev[0].code, 4);
    out->score = out->ev[0].score;
    out->margin = out->score - (out->ncodes > 1 ? out->ev[1].score : 0);
    return 1;
}
