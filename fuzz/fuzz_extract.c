/*
 * fuzz_extract.c — libFuzzer harness for the field extractors (lib/extract/).
 *
 * The extractors read whatever OCR made of a page: labels next to garbage,
 * amounts in odd places, receipt lists with broken "q x p" rows, company
 * numbers, rules of dashes. The bytes are read as words (as fuzz_layout.c
 * does, with a receipt and invoice vocabulary), laid out, and every field is
 * extracted and validated, with a second reader that answers from the same
 * words; the result is checked for what the schema promises (items with a
 * description, finite values). Build and run:
 *
 *   see fuzz/README.md; target fuzz_extract
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/fields.h"
#include "fuzz_model.h"
#include "layout/layout.h"
#include "validate/validate.h"

#define FUZZ_MAX_WORDS 1024

static const char *const vocab[] = {
    "Sub-Total", "Total", "TOTAL RM", "CASH", "CHANGE", "2", "x", "14.90", "29.80", "SDN 8HD",
    "S/B", "(126926-H)", "002043319-W", "GSTIN", "27AAPFU0939F1ZV", "Date:", "21/05/2018Time",
    "03 Apr2018", "-----------", "Item", "Qty", "Rate", "Amount", "SST ID:", "W10-1808-3200",
    "Rounding", "-0.02", "GST 6%", "4.13", "Tel:", "+603-8130", "|", "Invoice No", "1,23,456.00",
    "Rupees", "Only", "Visa", "RM", "NO. 53,", "45400", "CGST", "9%", "HSN/SAC", "Description",
    "SGST", "CGS", "NTC-232", "a", "3400", "Lot 3,", "18%", "L",
    /* till rows and tax summaries of other languages */
    "1,587", "kg", "EUR/kg", "7,79", "15,58", "A", "19%", "Aktionsrabatt", "1,61-", "SUMME",
    "Gesamt", "netto", "USt", "Brutto", "32,42", "z.", "Hd.", "Tax", "ID", "No.:", "44", "24",
    "Prodotto/Servizio", "Articolo", "Descrizione", "Valore"};

static char *copy(const char *s)
{
    size_t len = strlen(s) + 1;
    char *d = malloc(len);
    if (d)
        memcpy(d, s, len);
    return d;
}

static df_fields_model *model(void)
{
    static df_fields_model *m;
    static int tried;
    if (!tried) {
        tried = 1;
        char dir[4096];
        fuzz_models_dir(dir, sizeof dir);
        m = df_fields_model_load(dir, NULL);
        if (!m)
            __builtin_trap();
    }
    return m;
}

static void check(const df_extraction *x)
{
    for (size_t i = 0; i < x->nitems; i++)
        if (!x->items[i].description)
            __builtin_trap();
    const df_fstr *s[] = {&x->vendor_name, &x->vendor_address, &x->vendor_tax_id,
                          &x->invoice_number, &x->date, &x->currency};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        if (s[i]->s && strlen(s[i]->s) > 1u << 20)
            __builtin_trap();
}

/* The second reader (df_reread) answers with one of the page's own words:
 * fuzzed text for reread.c to parse. Asking about a page that does not
 * exist, or a band that is not a finite box, is a bug. */
typedef struct fake_reader {
    const df_word *w;
    size_t n;
} fake_reader;

static char *fake_read(void *ctx, size_t page, const float box[4], int attempt)
{
    const fake_reader *f = ctx;
    if (page != 0 || attempt < 0)
        __builtin_trap();
    for (int i = 0; i < 4; i++)
        if (!(box[i] == box[i]) || box[i] > 1e6f || box[i] < -1e6f)
            __builtin_trap();
    if (box[0] > box[2] || box[1] > box[3])
        __builtin_trap();
    return f->n ? copy(f->w[((size_t)attempt * 7) % f->n].text) : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const df_fields_model *m = model();
    df_word *w = calloc(FUZZ_MAX_WORDS, sizeof *w);
    size_t n = 0;
    if (!w)
        return 0;
    /* 6 bytes a word: flags, x and y (uint16, quarter points), text length;
     * then the text bytes, or a vocabulary word. Heights are one font size
     * so rows form as on a real page. */
    while (size >= 6 && n < FUZZ_MAX_WORDS) {
        uint8_t f = data[0], tl = data[5] % 16;
        uint16_t x = (uint16_t)(data[1] | data[2] << 8), y = (uint16_t)(data[3] | data[4] << 8);
        data += 6;
        size -= 6;
        char text[24];
        if (f & 0x80) {
            snprintf(text, sizeof text, "%s", vocab[(f + tl) % (sizeof vocab / sizeof *vocab)]);
        } else {
            size_t k = tl < size ? tl : size;
            memcpy(text, data, k);
            text[k] = '\0';
            data += k;
            size -= k;
        }
        if (!text[0])
            continue;
        df_word *d = &w[n++];
        d->text = copy(text);
        if (!d->text) {
            n--;
            break;
        }
        d->box[0] = (float)(x % 2400) / 4.0f;
        d->box[1] = (float)(y % 3360) / 4.0f;
        d->box[2] = d->box[0] + 6.0f * (float)strlen(text);
        d->box[3] = d->box[1] + 10.0f;
        d->conf = (float)(f & 0x7f);
    }
    df_layout *lay = NULL;
    if (df_layout_build(w, n, 595, 842, &lay, NULL) == DF_OK) {
        const df_layout *pages[1] = {lay};
        df_extraction x;
        fake_reader fr = {w, n};
        df_reread rr = {fake_read, &fr};
        if (df_extract_fields(m, pages, 1, &rr, &x, NULL) == DF_OK) {
            check(&x);
            df_validation v;
            df_validate(m->base, &x, "", 2024, 6, 1, &v);
            if (v.nerrors > DF_VALIDATION_MAX || v.nwarnings > DF_VALIDATION_MAX)
                __builtin_trap();
            df_extraction_clear(&x);
        }
        df_layout_free(lay);
    }
    for (size_t i = 0; i < n; i++)
        free(w[i].text);
    free(w);
    return 0;
}
