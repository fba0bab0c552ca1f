/*
 * classify.c — document type from scored keywords (models/doctype.txt).
 *
 * Every keyword found on word boundaries adds its weight to its type; a
 * keyword in the first lines of the document (the title area) counts
 * double, since "TAX INVOICE" at the top says more than "invoice" in the
 * terms. The type with the highest score wins when it is positive; ties go
 * to the type listed first in the file's order of appearance in the text.
 * An order's or a quote's keyword that labels a number or an id on its
 * line ("Purchase Order  599099", "Purchase Order: PO-36949") names the
 * document an invoice refers to: a quarter of its weight, never doubled
 * (a label, not a title).
 * A document no keyword names ("Bonnr.", "Kassamedewerker" are no words of
 * the file) but whose total a payment line checks ("V PAY 54,82") is a
 * receipt: what it records is a sale paid for (rule doctype.payment).
 */
#include "extract/fields_int.h"

#include <string.h>

#include "extract/chars.h"

#define CL_MAX_TYPES 16
/* Bytes of the text that count as the title area. */
#define CL_TOP_BYTES 600

static const char *const known[] = {"invoice", "receipt", "credit_note", "debit_note",
                                    "purchase_order", "quotation"};

/* Whether a number that is no amount, or an id with a digit, follows at
 * text[end..] on the same line, after spaces, ':', '#', '.' or "No"
 * ("Order No. 4711"). */
static int refers_to_number(const char *text, size_t end, size_t len)
{
    size_t i = end;
    while (i < len && (text[i] == ' ' || text[i] == ':' || text[i] == '#' || text[i] == '.'))
        i++;
    if (i + 1 < len && (text[i] == 'N' || text[i] == 'n') &&
        (text[i + 1] == 'o' || text[i + 1] == 'O'))
        for (i += 2; i < len && (text[i] == ' ' || text[i] == ':' || text[i] == '.'); i++)
            ;
    if (i >= len || !df_c_alnum((unsigned char)text[i]))
        return 0;
    /* a number, or an id with a digit ("PO-36949"): no word of a title */
    size_t j = i, digits = 0;
    while (j < len && text[j] != ' ' && text[j] != '\n')
        digits += df_c_digit((unsigned char)text[j++]) != 0;
    if (digits == 0)
        return 0;
    /* an amount ("Change: 0.50", "CASH 20.00") is what a payment word
     * labels, no reference */
    return !(j - i >= 4 && (text[j - 3] == '.' || text[j - 3] == ',') &&
             df_c_digit((unsigned char)text[j - 2]) && df_c_digit((unsigned char)text[j - 1]));
}

const char *df_classify_text(const df_fields_model *m, const char *text, size_t len,
                             const char **category)
{
    const char *types[CL_MAX_TYPES];
    long score[CL_MAX_TYPES];
    size_t first[CL_MAX_TYPES];
    size_t nt = 0;
    int refs = m && !df_rule_off(&m->rules_off, DF_RULE_DOCTYPE_REFERENCE);
    for (size_t i = 0; m && i < len; i++) {
        if (i > 0 && df_c_alnum((unsigned char)text[i - 1]))
            continue;
        const df_model_entry *e = df_model_match(&m->doctype, text, i, len);
        if (!e)
            continue;
        size_t end = i + e->klen;
        if (end < len && df_c_alnum((unsigned char)text[end]))
            continue;
        size_t t = 0;
        while (t < nt && strcmp(types[t], e->val) != 0)
            t++;
        if (t == nt) {
            if (nt == CL_MAX_TYPES)
                continue;
            types[nt] = e->val;
            score[nt] = 0;
            first[nt] = i;
            nt++;
        }
        long w = e->num * (i < CL_TOP_BYTES ? 2 : 1);
        /* "Purchase Order  599099", "Quote # 4711": an order or a quote
         * whose number is given is the one an invoice refers to; a label,
         * not a title, wherever it stands */
        if (refs && (strcmp(e->val, "purchase_order") == 0 || strcmp(e->val, "quotation") == 0) &&
            refers_to_number(text, end, len) && e->num > 0)
            w = (e->num + 3) / 4;
        score[t] += w;
        i = end - 1;
    }
    long best = 0;
    const char *type = NULL;
    size_t bf = 0;
    for (size_t t = 0; t < nt; t++)
        if (score[t] > best || (score[t] == best && type && first[t] < bf)) {
            best = score[t];
            type = types[t];
            bf = first[t];
        }
    const char *out = "other";
    for (size_t k = 0; type && k < sizeof known / sizeof *known; k++)
        if (strcmp(type, known[k]) == 0)
            out = known[k];
    if (category)
        *category = strcmp(out, "other") == 0 ? "other" : "financial";
    return out;
}

void fx_classify(fx_doc *d, df_extraction *x)
{
    x->document_type = df_classify_text(d->m, d->all, d->all_len, &x->document_category);
}

void fx_classify_by_payment(const fx_doc *d, df_extraction *x)
{
    if (!x->document_type || strcmp(x->document_type, "other") != 0 ||
        !x->totals[DF_TOT_GRAND].has || !d->paid.has || !fx_rule_on(d, DF_RULE_DOCTYPE_PAYMENT))
        return;
    x->document_type = "receipt";
    x->document_category = "financial";
}
