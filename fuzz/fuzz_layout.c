/*
 * fuzz_layout.c — libFuzzer harness for the layout stage (lib/layout/).
 *
 * Layout is fed by OCR, whose boxes are whatever a noisy scan makes of a
 * page, so it must survive any geometry: NaN, infinities, reversed and
 * degenerate boxes, thousands of words in one spot, header keywords in odd
 * places. The bytes are read as a list of words; every structural invariant
 * of the result is checked, then tables are searched (by keywords and by
 * geometry) and the page is rendered. Build and run:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I lib -I include \
 *     $(pkg-config --cflags lept) fuzz/fuzz_layout.c lib/core/error.c \
 *     lib/layout/{layout,lines,blocks,phrases,tables,render}.c -lm -o /tmp/fuzz_layout
 *   /tmp/fuzz_layout -max_total_time=60 /tmp/corpus_layout
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout.h"

/* Enough words for several tables, few enough for thousands of runs a second. */
#define FUZZ_MAX_WORDS 2048

static const char *const vocab[] = {"Description", "HSN/SAC", "Qty", "Rate", "Amount", "#",
                                    "Subtotal", "Total", "CGST", "1,250.00", "12,500.00", "Item",
                                    "Unit Price", "x", "10", ":"};
static const char *const header_kw[] = {"Description", "HSN/SAC", "Qty", "Rate", "Amount",
                                        "Unit Price", "Item"};
static const char *const stop_kw[] = {"Subtotal", "Total", "CGST"};

static char *copy(const char *s)
{
    size_t len = strlen(s) + 1;
    char *d = malloc(len);
    if (d)
        memcpy(d, s, len);
    return d;
}

static void check(const df_layout *lay, size_t n_in)
{
    if (lay->nwords + lay->dropped != n_in)
        __builtin_trap();
    size_t next = 0;
    for (size_t li = 0; li < lay->nlines; li++) {
        const df_layout_line *L = &lay->lines[li];
        if (L->first != next || L->nwords == 0 || L->row >= lay->nrows || L->block >= lay->nblocks)
            __builtin_trap();
        next += L->nwords;
    }
    if (next != lay->nwords)
        __builtin_trap();
    next = 0;
    for (size_t b = 0; b < lay->nblocks; b++) {
        if (lay->blocks[b].first != next || lay->blocks[b].nlines == 0)
            __builtin_trap();
        next += lay->blocks[b].nlines;
    }
    if (next != lay->nlines)
        __builtin_trap();
    next = 0;
    for (size_t r = 0; r < lay->nrows; r++) {
        if (lay->rows[r].first != next || lay->rows[r].nlines == 0)
            __builtin_trap();
        for (size_t k = 0; k < lay->rows[r].nlines; k++)
            if (lay->lines[lay->row_lines[next + k]].row != r)
                __builtin_trap();
        next += lay->rows[r].nlines;
    }
    if (next != lay->nlines)
        __builtin_trap();
    for (size_t i = 0; i < lay->nwords; i++) {
        const df_word *w = &lay->words[i];
        if (!w->text || !w->text[0] || !(w->box[0] < w->box[2]) || !(w->box[1] < w->box[3]) ||
            !(w->conf >= 0 && w->conf <= 100))
            __builtin_trap();
    }
}

static void tables(const df_layout *lay, const df_table_spec *spec)
{
    df_table *t = NULL;
    size_t nt = 0;
    if (df_layout_find_tables(lay, spec, &t, &nt, NULL) != DF_OK)
        return;
    for (size_t i = 0; i < nt; i++) {
        if (t[i].ncols == 0 || t[i].nbody == 0 || t[i].nbody > t[i].nrows)
            __builtin_trap();
        for (size_t r = 0; r <= t[i].nrows; r++) {
            const df_table_row *row = r ? &t[i].rows[r - 1] : &t[i].header;
            for (size_t c = 0; c < t[i].ncols; c++)
                if (!row->cells[c].text || strlen(row->cells[c].text) > 1u << 20)
                    __builtin_trap();
        }
    }
    df_tables_free(t, nt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const float special[4] = {NAN, INFINITY, -INFINITY, 1e30f};
    df_word *w = calloc(FUZZ_MAX_WORDS, sizeof *w);
    size_t n = 0;
    if (!w)
        return 0;
    /* 8 bytes a word: flags, x and y (int16, quarter points), width, height,
     * text length; then the text bytes, or a vocabulary word. */
    while (size >= 8 && n < FUZZ_MAX_WORDS) {
        uint8_t f = data[0];
        int16_t x = (int16_t)(data[1] | data[2] << 8), y = (int16_t)(data[3] | data[4] << 8);
        uint8_t ww = data[5], hh = data[6], tl = data[7] % 12;
        data += 8;
        size -= 8;
        char text[16];
        if (f & 0x80) {
            snprintf(text, sizeof text, "%s", vocab[(f + tl) % (sizeof vocab / sizeof *vocab)]);
        } else {
            size_t k = tl < size ? tl : size;
            memcpy(text, data, k);
            text[k] = '\0';
            data += k;
            size -= k;
        }
        df_word *d = &w[n++];
        d->text = copy(text);
        d->box[0] = x / 4.0f;
        d->box[1] = y / 4.0f;
        d->box[2] = d->box[0] + ww / 4.0f;
        d->box[3] = d->box[1] + hh / 8.0f;
        d->conf = (float)f - 20.0f;
        if (f & 0x40)
            d->box[f & 3] = special[(f >> 2) & 3];
    }
    df_layout *lay = NULL;
    if (df_layout_build(w, n, 595, 842, &lay, NULL) == DF_OK) {
        check(lay, n);
        df_table_spec spec = {header_kw, sizeof header_kw / sizeof *header_kw,
                              stop_kw, sizeof stop_kw / sizeof *stop_kw, 0};
        tables(lay, &spec);
        tables(lay, NULL);
        char *text = df_layout_render(lay);
        if (!text)
            __builtin_trap();
        free(text);
        df_layout_free(lay);
    }
    for (size_t i = 0; i < n; i++)
        free(w[i].text);
    free(w);
    return 0;
}
