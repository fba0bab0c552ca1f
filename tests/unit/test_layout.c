/*
 * test_layout.c — the layout stage: lines, rows, blocks, reading order,
 * tables and the text rendering, on synthetic word lists whose geometry is
 * stated here (fonts are modelled as 0.5 em per character, 0.28 em spaces,
 * 1.2 em box height), on the real text-layer words of the sample invoice,
 * and on hostile input (invalid boxes, 100k-word pages).
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "layout/layout.h"

/* ---- word lists ---------------------------------------------------------- */

typedef struct wl {
    df_word *w;
    size_t n, cap;
} wl;

static void add_word(wl *l, const char *text, float x0, float y0, float x1, float y1, float conf)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->w = realloc(l->w, l->cap * sizeof *l->w);
        ck_assert_ptr_nonnull(l->w);
    }
    df_word *w = &l->w[l->n++];
    w->text = text ? strdup(text) : NULL;
    w->box[0] = x0;
    w->box[1] = y0;
    w->box[2] = x1;
    w->box[3] = y1;
    w->conf = conf;
}

static void wl_free(wl *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->w[i].text);
    free(l->w);
    memset(l, 0, sizeof *l);
}

static float text_width(const char *s, float pt)
{
    return (float)strlen(s) * 0.5f * pt;
}

/* Set space-separated text left-aligned at x; returns the right end. */
static float put(wl *l, const char *text, float x, float top, float pt)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    float end = x;
    for (char *save, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        float w = text_width(t, pt);
        add_word(l, t, x, top, x + w, top + 1.2f * pt, 100);
        end = x + w;
        x = end + 0.28f * pt;
    }
    return end;
}

/* One word right-aligned at xr. */
static void put_right(wl *l, const char *word, float xr, float top, float pt)
{
    add_word(l, word, xr - text_width(word, pt), top, xr, top + 1.2f * pt, 100);
}

/* Rotate every box about (cx, cy) by deg (text rising to the right) and keep
 * the axis-aligned bounding box, as OCR of a skewed scan reports it. */
static void rotate(wl *l, float cx, float cy, double deg)
{
    double a = deg * 3.14159265358979 / 180.0, c = cos(a), s = sin(a);
    for (size_t i = 0; i < l->n; i++) {
        float *b = l->w[i].box, nb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (int k = 0; k < 4; k++) {
            double dx = b[k & 1 ? 2 : 0] - cx, dy = b[k & 2 ? 3 : 1] - cy;
            float x = (float)(cx + dx * c + dy * s), y = (float)(cy - dx * s + dy * c);
            nb[0] = fminf(nb[0], x);
            nb[1] = fminf(nb[1], y);
            nb[2] = fmaxf(nb[2], x);
            nb[3] = fmaxf(nb[3], y);
        }
        memcpy(b, nb, sizeof nb);
    }
}

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* Deterministic shuffle: layout must not depend on input order. */
static void shuffle(wl *l, uint32_t seed)
{
    for (size_t i = l->n; i > 1; i--) {
        size_t j = rnd(&seed) % i;
        df_word t = l->w[i - 1];
        l->w[i - 1] = l->w[j];
        l->w[j] = t;
    }
}

/* A receipt's item header: Item, then Qty, Rate, Amount right-aligned. */
static void put_item_header(wl *l, float y, float pt)
{
    put(l, "Item", 20, y, pt);
    put_right(l, "Qty", 150, y, pt);
    put_right(l, "Rate", 200, y, pt);
    put_right(l, "Amount", 260, y, pt);
}

/* One row of the grid the GST tests set: description at 70, HSN/SAC at
 * 300, quantity, rate and amount right-aligned at 380, 460, 560. */
static void put_grid_row(wl *l, float y, float pt, const char *const v[5])
{
    put(l, v[0], 70, y, pt);
    put(l, v[1], 300, y, pt);
    put_right(l, v[2], 380, y, pt);
    put_right(l, v[3], 460, y, pt);
    put_right(l, v[4], 560, y, pt);
}

static df_layout *build(const wl *l)
{
    df_layout *lay = NULL;
    df_err err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(df_layout_build(l->w, l->n, 595, 842, &lay, &err), DF_OK);
    ck_assert_ptr_nonnull(lay);
    return lay;
}

static const char *line_text(const df_layout *lay, size_t li)
{
    static char buf[4096];
    const df_layout_line *L = &lay->lines[li];
    buf[0] = '\0';
    for (size_t k = 0; k < L->nwords; k++) {
        if (k)
            strcat(buf, " ");
        strncat(buf, lay->words[L->first + k].text, sizeof buf - strlen(buf) - 2);
    }
    return buf;
}

/* Every word in exactly one line, every line in one block and one row. */
static void check_invariants(const df_layout *lay)
{
    size_t next = 0;
    for (size_t li = 0; li < lay->nlines; li++) {
        ck_assert_uint_eq(lay->lines[li].first, next);
        ck_assert_uint_gt(lay->lines[li].nwords, 0);
        next += lay->lines[li].nwords;
    }
    ck_assert_uint_eq(next, lay->nwords);
    next = 0;
    for (size_t b = 0; b < lay->nblocks; b++) {
        ck_assert_uint_eq(lay->blocks[b].first, next);
        for (size_t k = 0; k < lay->blocks[b].nlines; k++)
            ck_assert_uint_eq(lay->lines[next + k].block, b);
        next += lay->blocks[b].nlines;
    }
    ck_assert_uint_eq(next, lay->nlines);
    unsigned char *seen = calloc(lay->nlines + 1, 1);
    next = 0;
    for (size_t r = 0; r < lay->nrows; r++) {
        ck_assert_uint_eq(lay->rows[r].first, next);
        for (size_t k = 0; k < lay->rows[r].nlines; k++) {
            size_t li = lay->row_lines[next + k];
            ck_assert_uint_lt(li, lay->nlines);
            ck_assert(!seen[li]);
            seen[li] = 1;
            ck_assert_uint_eq(lay->lines[li].row, r);
        }
        next += lay->rows[r].nlines;
    }
    ck_assert_uint_eq(next, lay->nlines);
    free(seen);
}

/* Column (in bytes; the texts are ASCII) where the last `needle` on the
 * first rendered line containing `marker` ends; -1 when absent. */
static long end_col(const char *text, const char *marker, const char *needle)
{
    const char *m = strstr(text, marker);
    if (!m)
        return -1;
    const char *start = m;
    while (start > text && start[-1] != '\n')
        start--;
    const char *end = strchr(m, '\n');
    long best = -1;
    for (const char *p = start; (p = strstr(p, needle)) && (!end || p < end); p++)
        best = (long)(p - start) + (long)strlen(needle);
    return best;
}

/* ---- lines, rows, blocks ---------------------------------------------------------- */

static const char *vendor[] = {"Acme Technologies Pvt Ltd", "No. 42, 3rd Cross, Indiranagar",
                               "Bengaluru, Karnataka 560038", "GSTIN: 29AABCA1234K1ZU"};
static const char *meta_label[] = {"Invoice No:", "Invoice Date:", "Due Date:"};
static const char *meta_value[] = {"INV-2024-001", "01/07/2024", "31/07/2024"};

static void two_column_header(wl *l)
{
    put(l, vendor[0], 40, 80, 14); /* bold name, taller than the rest */
    for (int i = 1; i < 4; i++)
        put(l, vendor[i], 40, 98 + 12 * (i - 1), 9.5f);
    for (int i = 0; i < 3; i++) {
        put(l, meta_label[i], 360, 84 + 14 * i, 9.5f);
        put(l, meta_value[i], 445, 84 + 14 * i, 9.5f);
    }
}

START_TEST(two_columns_read_left_then_right)
{
    wl l = {0};
    two_column_header(&l);
    shuffle(&l, 7);
    df_layout *lay = build(&l);
    check_invariants(lay);
    ck_assert_uint_eq(lay->nblocks, 2);
    ck_assert_uint_eq(lay->nlines, 7);
    ck_assert_uint_eq(lay->blocks[0].nlines, 4);
    for (size_t i = 0; i < 4; i++)
        ck_assert_str_eq(line_text(lay, lay->blocks[0].first + i), vendor[i]);
    ck_assert_uint_eq(lay->blocks[1].nlines, 3);
    for (size_t i = 0; i < 3; i++) {
        char want[64];
        snprintf(want, sizeof want, "%s %s", meta_label[i], meta_value[i]);
        ck_assert_str_eq(line_text(lay, lay->blocks[1].first + i), want);
    }
    ck_assert_str_eq(lay->words[0].text, "Acme");
    /* Rows keep the page-wide view: the name and "Invoice No:" share a row. */
    ck_assert_uint_eq(lay->rows[0].nlines, 2);
    ck_assert_uint_eq(lay->lines[lay->row_lines[0]].block, 0);
    ck_assert_uint_eq(lay->lines[lay->row_lines[1]].block, 1);
    ck_assert(fabsf(lay->skew_deg) < 0.01f);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

START_TEST(mixed_heights_share_a_line)
{
    wl l = {0};
    /* 7 pt label and 12 pt value on one baseline (bottoms at 120). */
    put(&l, "Grand Total:", 300, 120 - 1.2f * 7, 7);
    put_right(&l, "46,610.00", 549, 120 - 1.2f * 12, 12);
    /* A 7 pt note right under it is another line. */
    put(&l, "(inclusive of taxes)", 300, 122, 7);
    df_layout *lay = build(&l);
    check_invariants(lay);
    ck_assert_uint_eq(lay->nrows, 2);
    ck_assert_uint_eq(lay->rows[0].nlines, 2); /* label and value: a column gap */
    ck_assert_str_eq(line_text(lay, lay->row_lines[0]), "Grand Total:");
    ck_assert_str_eq(line_text(lay, lay->row_lines[1]), "46,610.00");
    ck_assert_float_eq_tol(lay->lines[lay->row_lines[0]].baseline, 120, 0.01);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

static const char *para[] = {
    "Payment is due within thirty days of the invoice date shown above",
    "Please quote the invoice number with every payment you make to us",
    "Goods once sold will not be taken back or exchanged under any terms",
    "Interest at eighteen percent a year is charged on overdue amounts",
    "All disputes are subject to the jurisdiction of courts in Bengaluru",
};

static void skewed_paragraph(double deg)
{
    wl l = {0};
    for (int i = 0; i < 5; i++)
        put(&l, para[i], 60, 100 + 14 * i, 10);
    /* ~320 pt lines: at 3° they drift 17 pt, more than a line pitch. */
    rotate(&l, 60, 100, deg);
    shuffle(&l, 11);
    df_layout *lay = build(&l);
    check_invariants(lay);
    ck_assert_float_eq_tol(lay->skew_deg, deg, 0.3);
    ck_assert_uint_eq(lay->nlines, 5);
    ck_assert_uint_eq(lay->nrows, 5);
    ck_assert_uint_eq(lay->nblocks, 1);
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(line_text(lay, i), para[i]);
    df_layout_free(lay);
    wl_free(&l);
}

START_TEST(skewed_paragraph_rising) { skewed_paragraph(3.0); }
END_TEST
START_TEST(skewed_paragraph_falling) { skewed_paragraph(-3.0); }
END_TEST

/* ---- tables ------------------------------------------------------------------- */

static const char *hdr_kw[] = {"Description", "HSN/SAC", "Qty", "Rate", "Amount"};
static const char *stop_kw[] = {"Subtotal", "CGST", "SGST", "Total"};
static const char *items[4][5] = {
    {"Laptop Stand, Aluminium", "8473", "10", "1,250.00", "12,500.00"},
    {"Wireless Keyboard and Mouse Combo, black", "8471", "5", "2,400.00", "12,000.00"},
    {"USB-C Docking Station", "8471", "2", "7,500.00", "15,000.00"},
    {"Annual Maintenance Support", "998713", "1", "15,000.00", "15,000.00"},
};
static const char *totals[4][2] = {
    {"Subtotal", "54,500.00"}, {"CGST @ 9%", "4,905.00"},
    {"SGST @ 9%", "4,905.00"}, {"Total", "64,310.00"},
};

/* Description | HSN/SAC | Qty | Rate | Amount with right-aligned figures;
 * item 2's description wraps after "Mouse". */
static void invoice_table(wl *l)
{
    put(l, "Tax Invoice", 40, 200, 12); /* something above, not part of it */
    float y = 260, pt = 9.5f;
    put(l, "Description", 66, y, pt);
    put(l, "HSN/SAC", 286, y, pt);
    put_right(l, "Qty", 374, y, pt);
    put_right(l, "Rate", 454, y, pt);
    put_right(l, "Amount", 549, y, pt);
    for (int i = 0; i < 4; i++) {
        y += 20;
        put(l, i == 1 ? "Wireless Keyboard and Mouse" : items[i][0], 66, y, pt);
        put(l, items[i][1], 286, y, pt);
        for (int c = 2; c < 5; c++)
            put_right(l, items[i][c], c == 2 ? 374 : c == 3 ? 454 : 549, y, pt);
        if (i == 1) {
            y += 11.5f;
            put(l, "Combo, black", 66, y, pt);
        }
    }
    for (int i = 0; i < 4; i++) {
        y += i == 3 ? 20 : 15;
        put(l, totals[i][0], 384, y, 10);
        put_right(l, totals[i][1], 549, y, 10);
    }
    put(l, "Amount in words: Rupees Sixty Four Thousand Three Hundred Ten Only", 40, y + 25, 9.5f);
}

static void check_invoice_table(const df_table *t)
{
    ck_assert_uint_eq(t->ncols, 5);
    for (size_t c = 0; c < 5; c++)
        ck_assert_str_eq(t->header.cells[c].text, hdr_kw[c]);
    ck_assert_uint_eq(t->nbody, 4);
    ck_assert_uint_eq(t->nrows, 8);
    for (size_t r = 0; r < 4; r++) {
        ck_assert_int_eq(t->rows[r].kind, DF_TROW_BODY);
        ck_assert_uint_eq(t->rows[r].nlines, r == 1 ? 2 : 1);
        for (size_t c = 0; c < 5; c++)
            ck_assert_str_eq(t->rows[r].cells[c].text, items[r][c]);
    }
    for (size_t r = 0; r < 4; r++) {
        const df_table_row *row = &t->rows[4 + r];
        ck_assert_int_eq(row->kind, DF_TROW_TRAILER);
        /* The label starts under Rate's widened column ("15,000.00"). */
        ck_assert_str_eq(row->cells[3].text, totals[r][0]);
        ck_assert_str_eq(row->cells[4].text, totals[r][1]);
        for (size_t c = 0; c < 3; c++) {
            ck_assert_str_eq(row->cells[c].text, "");
            ck_assert_uint_eq(row->cells[c].nwords, 0);
            ck_assert_float_eq(row->cells[c].box[0], t->col_x[2 * c]);
        }
    }
}

START_TEST(table_with_wrapped_description)
{
    wl l = {0};
    invoice_table(&l);
    shuffle(&l, 3);
    df_layout *lay = build(&l);
    check_invariants(lay);
    df_table_spec spec = {hdr_kw, 5, stop_kw, 4, 0};
    df_table *t = NULL;
    size_t nt = 0;
    df_err err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, &err), DF_OK);
    ck_assert_uint_eq(nt, 1);
    check_invoice_table(&t[0]);
    ck_assert_float_eq_tol(t[0].rows[1].cells[0].box[3], 260 + 40 + 11.5 + 1.2 * 9.5, 0.01);
    df_tables_free(t, nt);

    /* Without stop phrases the summary rows are recognised by their shape. */
    spec.stop_words = NULL;
    spec.nstop = 0;
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, &err), DF_OK);
    ck_assert_uint_eq(nt, 1);
    check_invoice_table(&t[0]);
    df_tables_free(t, nt);

    /* And without keywords at all, by geometry. */
    ck_assert_int_eq(df_layout_find_tables(lay, NULL, &t, &nt, &err), DF_OK);
    ck_assert_uint_eq(nt, 1);
    check_invoice_table(&t[0]);
    df_tables_free(t, nt);

    /* Keywords that are not on the page: nothing. */
    const char *other[] = {"Particulars", "Unit Price", "Net Value"};
    df_table_spec none = {other, 3, NULL, 0, 0};
    ck_assert_int_eq(df_layout_find_tables(lay, &none, &t, &nt, &err), DF_OK);
    ck_assert_uint_eq(nt, 0);
    ck_assert_ptr_null(t);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

/* A receipt's item list: rules of dashes around the body, and a long
 * description printed on its own line above its figures. */
START_TEST(receipt_table_with_rules_and_description_above)
{
    wl l = {0};
    float pt = 9.5f, y = 100;
    put(&l, "--------------------------------------------", 20, y, pt);
    y += 12;
    put_item_header(&l, y, pt);
    y += 12;
    put(&l, "--------------------------------------------", 20, y, pt);
    static const char *const rows[][4] = {{"Butter Croissant", "2", "1.95", "3.90"},
                                          {"Sparkling Water 500ml", "", "", ""},
                                          {"", "2", "1.20", "2.40"},
                                          {"Bacon Roll", "1", "4.25", "4.25"}};
    for (int i = 0; i < 4; i++) {
        y += 12;
        if (rows[i][0][0])
            put(&l, rows[i][0], 20, y, pt);
        if (rows[i][1][0]) {
            put_right(&l, rows[i][1], 150, y, pt);
            put_right(&l, rows[i][2], 200, y, pt);
            put_right(&l, rows[i][3], 260, y, pt);
        }
    }
    y += 12;
    put(&l, "--------------------------------------------", 20, y, pt);
    y += 12;
    put(&l, "Items: 3", 20, y, pt);
    put(&l, "Qty:", 200, y, pt);
    put_right(&l, "5", 260, y, pt);
    y += 12;
    put(&l, "Sub Total", 20, y, pt);
    put_right(&l, "10.55", 260, y, pt);
    df_layout *lay = build(&l);
    const char *kw[] = {"Item", "Qty", "Rate", "Amount"};
    const char *stop[] = {"Sub Total"};
    df_table_spec spec = {kw, 4, stop, 1, 0};
    df_table *t = NULL;
    size_t nt = 0;
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
    ck_assert_uint_eq(nt, 1);
    ck_assert_uint_eq(t[0].nbody, 3);
    ck_assert_str_eq(t[0].rows[0].cells[0].text, "Butter Croissant");
    ck_assert_str_eq(t[0].rows[0].cells[3].text, "3.90");
    ck_assert_uint_eq(t[0].rows[0].nlines, 1);
    ck_assert_str_eq(t[0].rows[1].cells[0].text, "Sparkling Water 500ml");
    ck_assert_str_eq(t[0].rows[1].cells[3].text, "2.40");
    ck_assert_uint_eq(t[0].rows[1].nlines, 2);
    ck_assert_str_eq(t[0].rows[2].cells[0].text, "Bacon Roll");
    /* the rule under the items ends the table: "Items: 3" is no item */
    ck_assert_uint_eq(t[0].nrows, 3);
    df_tables_free(t, nt);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

START_TEST(receipt_description_line_is_one_cell)
{
    /* A receipt prints each item's name on its own line above its figures,
     * set apart from the header by white space: the name is one cell even
     * where it runs under the Qty title, and the body starts up to
     * DF_TABLE_MAX_HEADER_GAP line heights below the header. */
    for (int k = 0; k < 2; k++) {
        wl l = {0};
        float pt = 9.5f, h = 1.2f * pt, y = 100;
        put_item_header(&l, y, pt);
        y += h + (k == 0 ? 3.0f : 4.0f) * h;
        /* words set wide apart, as a photo's OCR boxes them: "Eggs" and
         * "x6" are nearer the Qty title than the Item title */
        float x = 20;
        const char *name[] = {"Free", "Range", "Eggs", "x6"};
        for (int w = 0; w < 4; w++)
            x = put(&l, name[w], x, y, pt) + 9;
        y += 12;
        put_right(&l, "1", 150, y, pt);
        put_right(&l, "2.15", 200, y, pt);
        put_right(&l, "2.15", 260, y, pt);
        df_layout *lay = build(&l);
        const char *kw[] = {"Item", "Qty", "Rate", "Amount"};
        df_table_spec spec = {kw, 4, NULL, 0, 0};
        df_table *t = NULL;
        size_t nt = 0;
        ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
        if (k == 1) {
            ck_assert_uint_eq(nt, 0); /* too far below: no body */
        } else {
            ck_assert_uint_eq(nt, 1);
            ck_assert_uint_eq(t[0].nbody, 1);
            ck_assert_str_eq(t[0].rows[0].cells[0].text, "Free Range Eggs x6");
            ck_assert_str_eq(t[0].rows[0].cells[1].text, "1");
            ck_assert_str_eq(t[0].rows[0].cells[3].text, "2.15");
        }
        df_tables_free(t, nt);
        df_layout_free(lay);
        wl_free(&l);
    }
}
END_TEST

START_TEST(specks_beside_the_table)
{
    /* A photo's background read as words right of the Amount column: unsure
     * ones and lone punctuation are specks and the table goes on; a sure
     * word there is text beside the table and ends it. */
    for (int k = 0; k < 2; k++) {
        wl l = {0};
        float pt = 9.5f, y = 100;
        put_item_header(&l, y, pt);
        for (int i = 0; i < 3; i++) {
            y += 14;
            put(&l, i == 1 ? "Whiteboard" : "Box File", 20, y, pt);
            put_right(&l, "2", 150, y, pt);
            put_right(&l, "1.20", 200, y, pt);
            put_right(&l, "2.40", 260, y, pt);
            if (i == 0)
                add_word(&l, "ATR", 330, y, 350, y + 1.2f * pt, k == 0 ? 24 : 96);
            if (i == 1)
                add_word(&l, ":", 340, y, 342, y + 1.2f * pt, 90); /* no letter: a speck */
        }
        df_layout *lay = build(&l);
        const char *kw[] = {"Item", "Qty", "Rate", "Amount"};
        df_table_spec spec = {kw, 4, NULL, 0, 0};
        df_table *t = NULL;
        size_t nt = 0;
        ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
        if (k == 0) {
            ck_assert_uint_eq(nt, 1);
            ck_assert_uint_eq(t[0].nbody, 3);
            ck_assert_str_eq(t[0].rows[0].cells[3].text, "2.40");
            ck_assert_str_eq(t[0].rows[1].cells[0].text, "Whiteboard");
        } else {
            ck_assert(nt == 0 || t[0].nbody == 0);
        }
        df_tables_free(t, nt);
        df_layout_free(lay);
        wl_free(&l);
    }
}
END_TEST

START_TEST(header_on_two_lines)
{
    /* Titles broken over two lines, as narrow GST columns often are. */
    wl l = {0};
    float y = 100, pt = 9;
    put(&l, "Description", 60, y, pt);
    put(&l, "HSN/", 250, y, pt);
    put_right(&l, "Qty", 340, y, pt);
    put_right(&l, "Unit", 420, y, pt);
    put_right(&l, "Taxable", 540, y, pt);
    put(&l, "SAC", 250, y + 11, pt);
    put_right(&l, "Price", 420, y + 11, pt);
    put_right(&l, "Value", 540, y + 11, pt);
    put(&l, "Printer paper A4", 60, y + 30, pt);
    put(&l, "4802", 250, y + 30, pt);
    put_right(&l, "20", 340, y + 30, pt);
    put_right(&l, "250.00", 420, y + 30, pt);
    put_right(&l, "5,000.00", 540, y + 30, pt);
    put(&l, "Toner", 60, y + 48, pt);
    put(&l, "8443", 250, y + 48, pt);
    put_right(&l, "2", 340, y + 48, pt);
    put_right(&l, "3,100.00", 420, y + 48, pt);
    put_right(&l, "6,200.00", 540, y + 48, pt);
    df_layout *lay = build(&l);
    const char *kw[] = {"Description", "Qty", "Unit", "Taxable"};
    df_table_spec spec = {kw, 4, NULL, 0, 0};
    df_table *t = NULL;
    size_t nt = 0;
    for (int geometry = 0; geometry < 2; geometry++) {
        ck_assert_int_eq(df_layout_find_tables(lay, geometry ? NULL : &spec, &t, &nt, NULL), DF_OK);
        ck_assert_uint_eq(nt, 1);
        static const char *head[] = {"Description", "HSN/ SAC", "Qty", "Unit Price",
                                     "Taxable Value"};
        ck_assert_uint_eq(t[0].ncols, 5);
        ck_assert_uint_eq(t[0].header.nlines, 2);
        for (size_t c = 0; c < 5; c++)
            ck_assert_str_eq(t[0].header.cells[c].text, head[c]);
        ck_assert_uint_eq(t[0].nbody, 2);
        ck_assert_uint_eq(t[0].nrows, 2);
        ck_assert_str_eq(t[0].rows[0].cells[0].text, "Printer paper A4");
        ck_assert_str_eq(t[0].rows[1].cells[3].text, "3,100.00");
        ck_assert_str_eq(t[0].rows[1].cells[4].text, "6,200.00");
        df_tables_free(t, nt);
    }
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

START_TEST(header_with_serial_column_on_flanking_lines)
{
    /* Tally-style: "Sl" above and "No." below the title line, left of the
     * first keyword; "Description of Goods / Services" is one title; an
     * unlabelled subtotal under the Amount column is a trailer. */
    wl l = {0};
    float y = 100, pt = 9;
    put(&l, "Sl", 40, y - 6, pt);
    put(&l, "Description of Goods / Services", 70, y, pt);
    put(&l, "HSN/SAC", 300, y, pt);
    put_right(&l, "Qty", 380, y, pt);
    put_right(&l, "Rate", 460, y, pt);
    put_right(&l, "Amount", 560, y, pt);
    put(&l, "No.", 38, y + 6, pt);
    put(&l, "1", 44, y + 22, pt);
    put(&l, "Printed Visiting Cards", 70, y + 22, pt);
    put(&l, "4911", 300, y + 22, pt);
    put_right(&l, "5", 380, y + 22, pt);
    put_right(&l, "305.00", 460, y + 22, pt);
    put_right(&l, "1,525.00", 560, y + 22, pt);
    put(&l, "2", 44, y + 40, pt);
    put(&l, "Standee Roll-up", 70, y + 40, pt);
    put(&l, "4911", 300, y + 40, pt);
    put_right(&l, "5", 380, y + 40, pt);
    put_right(&l, "2,500.00", 460, y + 40, pt);
    put_right(&l, "12,500.00", 560, y + 40, pt);
    put_right(&l, "14,025.00", 560, y + 58, pt);
    df_layout *lay = build(&l);
    const char *kw[] = {"Description of Goods", "Services", "HSN/SAC", "Qty", "Rate", "Amount"};
    df_table_spec spec = {kw, 6, NULL, 0, 0};
    df_table *t = NULL;
    size_t nt = 0;
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
    ck_assert_uint_eq(nt, 1);
    static const char *head[] = {"No.", "Description of Goods / Services", "HSN/SAC", "Qty",
                                 "Rate", "Amount"};
    ck_assert_uint_eq(t[0].ncols, 6);
    for (size_t c = 0; c < 6; c++)
        ck_assert_str_eq(t[0].header.cells[c].text, head[c]);
    ck_assert_uint_eq(t[0].nbody, 2);
    ck_assert_str_eq(t[0].rows[0].cells[0].text, "1");
    ck_assert_str_eq(t[0].rows[0].cells[1].text, "Printed Visiting Cards");
    ck_assert_str_eq(t[0].rows[1].cells[5].text, "12,500.00");
    ck_assert_uint_eq(t[0].nrows, 3);
    ck_assert_int_eq(t[0].rows[2].kind, DF_TROW_TRAILER);
    ck_assert_str_eq(t[0].rows[2].cells[5].text, "14,025.00");
    df_tables_free(t, nt);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

START_TEST(serial_column_without_title)
{
    /* The serial numbers have no title at all: the first body row opens an
     * untitled column for its "1" left of "Description". A row with more
     * than a number out there, or a number too long for a serial ("1234"),
     * is no row of this table. */
    for (int k = 0; k < 3; k++) {
        wl l = {0};
        float y = 100, pt = 9;
        put(&l, "Description of Goods / Services", 70, y, pt);
        put(&l, "HSN/SAC", 300, y, pt);
        put_right(&l, "Qty", 380, y, pt);
        put_right(&l, "Rate", 460, y, pt);
        put_right(&l, "Amount", 560, y, pt);
        put(&l, k == 0 ? "1" : k == 1 ? "1 Ref" : "1234", 30, y + 22, pt);
        put(&l, "Pulse Oximeter", 70, y + 22, pt);
        put(&l, "9018", 300, y + 22, pt);
        put_right(&l, "3", 380, y + 22, pt);
        put_right(&l, "1,150.00", 460, y + 22, pt);
        put_right(&l, "3,450.00", 560, y + 22, pt);
        put(&l, "2", 30, y + 40, pt);
        put(&l, "Syringe 5 ml", 70, y + 40, pt);
        put(&l, "9018", 300, y + 40, pt);
        put_right(&l, "25", 380, y + 40, pt);
        put_right(&l, "349.00", 460, y + 40, pt);
        put_right(&l, "8,725.00", 560, y + 40, pt);
        df_layout *lay = build(&l);
        const char *kw[] = {"Description of Goods", "Services", "HSN/SAC", "Qty", "Rate", "Amount"};
        df_table_spec spec = {kw, 6, NULL, 0, 0};
        df_table *t = NULL;
        size_t nt = 0;
        ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
        if (k > 0) {
            ck_assert(nt == 0 || t[0].nbody == 0);
        } else {
            ck_assert_uint_eq(nt, 1);
            ck_assert_uint_eq(t[0].ncols, 6);
            ck_assert_str_eq(t[0].header.cells[0].text, "");
            ck_assert_str_eq(t[0].header.cells[1].text, "Description of Goods / Services");
            ck_assert_uint_eq(t[0].nbody, 2);
            ck_assert_str_eq(t[0].rows[0].cells[0].text, "1");
            ck_assert_str_eq(t[0].rows[0].cells[1].text, "Pulse Oximeter");
            ck_assert_str_eq(t[0].rows[1].cells[0].text, "2");
            ck_assert_str_eq(t[0].rows[1].cells[5].text, "8,725.00");
        }
        df_tables_free(t, nt);
        df_layout_free(lay);
        wl_free(&l);
    }
}
END_TEST

START_TEST(specks_between_titles_are_no_columns)
{
    /* A scanned grid's rules leave specks in the header row: ":" between
     * "Description" and "HSN/SAC" is no column, so a long description runs
     * on under it in one cell ("... (Strip of 10)"); a speck first in the
     * row stands for a serial number's lost title and keeps its column. */
    wl l = {0};
    float y = 100, pt = 9;
    static const char *const head[5] = {"Description", "HSN/SAC", "Qty", "Rate", "Amount"};
    static const char *const row1[5] = {"Amoxicillin 500 mg Capsules (Strip of 10)", "3004", "50",
                                        "77.00", "3,850.00"};
    static const char *const row2[5] = {"Cotton Roll", "3005", "4", "209.50", "838.00"};
    put(&l, "=", 40, y, pt);
    put(&l, ":", 200, y, pt);
    put(&l, "|", 240, y, pt);
    put_grid_row(&l, y, pt, head);
    put(&l, "1", 42, y + 22, pt);
    put_grid_row(&l, y + 22, pt, row1);
    put(&l, "2", 42, y + 40, pt);
    put_grid_row(&l, y + 40, pt, row2);
    df_layout *lay = build(&l);
    df_table_spec spec = {hdr_kw, 5, stop_kw, 4, 0};
    df_table *t = NULL;
    size_t nt = 0;
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
    ck_assert_uint_eq(nt, 1);
    ck_assert_uint_eq(t[0].ncols, 6);
    ck_assert_str_eq(t[0].header.cells[0].text, "=");
    ck_assert_str_eq(t[0].header.cells[1].text, "Description");
    ck_assert_str_eq(t[0].header.cells[2].text, "HSN/SAC");
    ck_assert_uint_eq(t[0].nbody, 2);
    ck_assert_str_eq(t[0].rows[0].cells[0].text, "1");
    ck_assert_str_eq(t[0].rows[0].cells[1].text, "Amoxicillin 500 mg Capsules (Strip of 10)");
    ck_assert_str_eq(t[0].rows[0].cells[2].text, "3004");
    ck_assert_str_eq(t[0].rows[1].cells[5].text, "838.00");
    df_tables_free(t, nt);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

/* "Prodotto/Servizio": a title naming two things with a slash is titled by
 * its first; without it the header has too few titles to be one. */
START_TEST(slash_title_matches_its_first_word)
{
    wl l = {0};
    float pt = 9;
    static const char *kw[] = {"Prodotto", "Totale"};
    put(&l, "Prodotto/Servizio", 40, 100, pt);
    put(&l, "Totale EUR", 400, 100, pt);
    put(&l, "Hosting web mensile", 40, 118, pt);
    put(&l, "26,86", 400, 118, pt);
    df_layout *lay = build(&l);
    df_table_spec spec = {kw, 2, stop_kw, 4, 2};
    df_table *t = NULL;
    size_t nt = 0;
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
    ck_assert_uint_eq(nt, 1);
    ck_assert_uint_eq(t[0].ncols, 2);
    ck_assert_str_eq(t[0].header.cells[0].text, "Prodotto/Servizio");
    ck_assert_str_eq(t[0].rows[0].cells[0].text, "Hosting web mensile");
    df_tables_free(t, nt);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

START_TEST(listed_titles_a_word_space_apart_are_one)
{
    /* "Descrizione articolo", "Prezzo unit.": two listed titles a word
     * space apart are one title, not two columns (the description's last
     * words went to a column of their own) */
    wl l = {0};
    float pt = 9;
    static const char *kw[] = {"Descrizione", "Articolo", "Q.ta", "Prezzo", "Unit", "Importo"};
    put(&l, "Descrizione articolo", 40, 100, pt);
    put(&l, "Q.ta", 300, 100, pt);
    put(&l, "Prezzo unit.", 360, 100, pt);
    put(&l, "Importo", 470, 100, pt);
    static const char *const rows[2][4] = {{"Pannello LED 60 x 60", "23", "70,84", "1.629,32"},
                                           {"Monitor 27 pollici", "1", "281,86", "281,86"}};
    for (int r = 0; r < 2; r++) {
        float y = 118 + 16 * (float)r;
        put(&l, rows[r][0], 40, y, pt);
        put(&l, rows[r][1], 300, y, pt);
        put(&l, rows[r][2], 360, y, pt);
        put(&l, rows[r][3], 470, y, pt);
    }
    df_layout *lay = build(&l);
    df_table_spec spec = {kw, 6, stop_kw, 4, 0};
    df_table *t = NULL;
    size_t nt = 0;
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
    ck_assert_uint_eq(nt, 1);
    ck_assert_uint_eq(t[0].ncols, 4);
    ck_assert_str_eq(t[0].header.cells[0].text, "Descrizione articolo");
    ck_assert_str_eq(t[0].header.cells[2].text, "Prezzo unit.");
    ck_assert_uint_eq(t[0].nbody, 2);
    ck_assert_str_eq(t[0].rows[0].cells[0].text, "Pannello LED 60 x 60");
    ck_assert_str_eq(t[0].rows[1].cells[3].text, "281,86");
    df_tables_free(t, nt);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

START_TEST(stray_speck_ends_no_cell)
{
    /* "Detention Charges      Foe": a cell's last word far after the one
     * before it and read with little confidence is dirt, not description;
     * the same word read surely, or close by, stays. */
    static const struct {
        float x, conf;
        const char *want;
    } cases[] = {
        {219, 27, "Detention Charges"},
        {219, 80, "Detention Charges Foe"},
        {150, 27, "Detention Charges Foe"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        wl l = {0};
        float y = 100, pt = 9;
        static const char *const head[5] = {"Description of Goods / Services", "HSN/SAC", "Qty",
                                            "Rate", "Amount"};
        static const char *const row[5] = {"Detention Charges", "996511", "1", "2,300.00",
                                           "2,300.00"};
        put_grid_row(&l, y, pt, head);
        put_grid_row(&l, y + 22, pt, row);
        add_word(&l, "Foe", cases[k].x, y + 22, cases[k].x + 15, y + 22 + pt, cases[k].conf);
        df_layout *lay = build(&l);
        df_table_spec spec = {hdr_kw, 5, stop_kw, 4, 0};
        df_table *t = NULL;
        size_t nt = 0;
        ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
        ck_assert_uint_eq(nt, 1);
        ck_assert_uint_eq(t[0].nbody, 1);
        ck_assert_str_eq(t[0].rows[0].cells[0].text, cases[k].want);
        ck_assert_str_eq(t[0].rows[0].cells[1].text, "996511");
        df_tables_free(t, nt);
        df_layout_free(lay);
        wl_free(&l);
    }
}
END_TEST

START_TEST(first_item_description_is_no_header_line)
{
    /* A receipt: the first item's description on a line of its own, a
     * line apart under the header, its figures below. It has no digit, like
     * a title's second line ("Unit" over "Price"), but a title's second line
     * is set tight under the first; this one is an item. */
    for (int tight = 0; tight < 2; tight++) {
        wl l = {0};
        float y = 100, pt = 9, d = tight ? 10 : 22;
        put(&l, "Item", 14, y, pt);
        put_right(&l, "Qty", 126, y, pt);
        put_right(&l, "Rate", 170, y, pt);
        put_right(&l, "Amount", 219, y, pt);
        put(&l, "Pain au chocolat", 14, y + d, pt);
        put_right(&l, "1", 126, y + d + 11, pt);
        put_right(&l, "1.60", 170, y + d + 11, pt);
        put_right(&l, "1.60", 219, y + d + 11, pt);
        put(&l, "Croissant", 14, y + d + 22, pt);
        put_right(&l, "1", 126, y + d + 22, pt);
        put_right(&l, "1.40", 170, y + d + 22, pt);
        put_right(&l, "1.40", 219, y + d + 22, pt);
        df_layout *lay = build(&l);
        static const char *kw[] = {"Item", "Qty", "Rate", "Amount"};
        df_table_spec spec = {kw, 4, NULL, 0, 0};
        df_table *t = NULL;
        size_t nt = 0;
        ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
        ck_assert_uint_eq(nt, 1);
        if (tight) { /* set tight: the header's second line, as before */
            ck_assert_str_eq(t[0].header.cells[0].text, "Item Pain au chocolat");
            ck_assert_uint_eq(t[0].nbody, 2);
        } else {
            ck_assert_str_eq(t[0].header.cells[0].text, "Item");
            ck_assert_uint_eq(t[0].nbody, 2);
            ck_assert_str_eq(t[0].rows[0].cells[0].text, "Pain au chocolat");
            ck_assert_str_eq(t[0].rows[0].cells[3].text, "1.60");
            ck_assert_str_eq(t[0].rows[1].cells[0].text, "Croissant");
        }
        df_tables_free(t, nt);
        df_layout_free(lay);
        wl_free(&l);
    }
}
END_TEST

START_TEST(wide_word_space_stays_in_its_cell)
{
    /* OCR's boxes leave some word spaces wider than others ("(25  kg"):
     * 0.7 line heights after the word before it, under no title, a word
     * stays in that word's cell, though the next title is nearer than its
     * own narrow one. A gap of two line heights is a column's. */
    for (int wide = 0; wide < 2; wide++) {
        wl l = {0};
        float y = 100, pt = 9, h = 1.2f * pt;
        put(&l, "Item", 47, y, pt);
        put(&l, "HSN/SAC", 188, y, pt);
        put_right(&l, "Qty", 276, y, pt);
        put_right(&l, "Rate", 321, y, pt);
        put_right(&l, "Amount", 373, y, pt);
        float e = put(&l, "Basmati Rice Premium (25", 47, y + 22, pt);
        float x = e + (wide ? 2.0f : 0.7f) * h;
        add_word(&l, "kg", x, y + 22, x + 9, y + 22 + h, 96);
        put(&l, "1006", 188, y + 22, pt);
        put_right(&l, "6", 276, y + 22, pt);
        put_right(&l, "2,700.00", 321, y + 22, pt);
        put_right(&l, "16,200.00", 373, y + 22, pt);
        df_layout *lay = build(&l);
        static const char *kw[] = {"Item", "HSN/SAC", "Qty", "Rate", "Amount"};
        df_table_spec spec = {kw, 5, NULL, 0, 0};
        df_table *t = NULL;
        size_t nt = 0;
        ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
        ck_assert_uint_eq(nt, 1);
        ck_assert_uint_eq(t[0].nbody, 1);
        ck_assert_str_eq(t[0].rows[0].cells[0].text,
                         wide ? "Basmati Rice Premium (25" : "Basmati Rice Premium (25 kg");
        ck_assert_str_eq(t[0].rows[0].cells[1].text, wide ? "kg 1006" : "1006");
        df_tables_free(t, nt);
        df_layout_free(lay);
        wl_free(&l);
    }
}
END_TEST

START_TEST(table_survives_ocr_noise)
{
    /* The same table as OCR would see it: boxes jittered by up to 1 pt,
     * tight to the ink (shorter than the font's box), 1° skew, varied
     * confidence. The structure must not change. */
    wl l = {0};
    invoice_table(&l);
    uint32_t seed = 42;
    for (size_t i = 0; i < l.n; i++) {
        float *b = l.w[i].box;
        for (int k = 0; k < 4; k++)
            b[k] += (float)(rnd(&seed) % 200) / 100.0f - 1.0f;
        b[1] += (float)(rnd(&seed) % 250) / 100.0f; /* no ascender */
        l.w[i].conf = 55.0f + (float)(rnd(&seed) % 45);
    }
    rotate(&l, 300, 300, 1.0);
    df_layout *lay = build(&l);
    check_invariants(lay);
    df_table_spec spec = {hdr_kw, 5, stop_kw, 4, 0};
    df_table *t = NULL;
    size_t nt = 0;
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
    ck_assert_uint_eq(nt, 1);
    check_invoice_table(&t[0]);
    ck_assert_float_lt(t[0].rows[0].cells[4].conf, 100);
    df_tables_free(t, nt);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

START_TEST(render_keeps_amounts_aligned)
{
    wl l = {0};
    invoice_table(&l);
    df_layout *lay = build(&l);
    char *text = df_layout_render(lay);
    ck_assert_ptr_nonnull(text);
    long col = end_col(text, "Amount", "Amount");
    ck_assert_int_gt(col, 0);
    const char *markers[] = {"Laptop", "Wireless", "USB-C", "Annual", "Subtotal", "CGST", "SGST",
                             "Total "};
    const char *amounts[] = {"12,500.00", "12,000.00", "15,000.00", "15,000.00",
                             "54,500.00", "4,905.00", "4,905.00", "64,310.00"};
    for (int i = 0; i < 8; i++)
        ck_assert_msg(end_col(text, markers[i], amounts[i]) == col,
                      "%s ends at column %ld, not %ld:\n%s", amounts[i],
                      end_col(text, markers[i], amounts[i]), col, text);
    /* Rates too, and the wrapped description stays under its column. */
    ck_assert_int_eq(end_col(text, "Laptop", "1,250.00"), end_col(text, "USB-C", "7,500.00"));
    ck_assert_int_eq(end_col(text, "Combo", "Combo") - 5, end_col(text, "Laptop", "Laptop") - 6);
    free(text);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

/* ---- the sample invoice's text layer -------------------------------------------- */

static df_doc g_doc;

static const df_page *sample_page(void)
{
    if (g_doc.npages)
        return &g_doc.pages[0];
    FILE *f = fopen(DF_FIXTURES_DIR "/sample-invoice.pdf", "rb");
    ck_assert_ptr_nonnull(f);
    static uint8_t buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    df_decode_opts o = {10u << 20, 50, 100000000u, {NULL, NULL}, 0, NULL};
    df_err err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(df_decode(buf, len, &o, &g_doc, &err), DF_OK);
    ck_assert_uint_eq(g_doc.npages, 1);
    ck_assert_uint_gt(g_doc.pages[0].nwords, 100);
    return &g_doc.pages[0];
}

static const char *sample_rows[3][6] = {
    {"1", "Laptop Stand, Aluminium", "8473", "10", "1,250.00", "12,500.00"},
    {"2", "Wireless Keyboard and Mouse Combo", "8471", "5", "2,400.00", "12,000.00"},
    {"3", "Annual Maintenance Support", "998713", "1", "15,000.00", "15,000.00"},
};

static void check_sample_table(const df_table *t)
{
    static const char *head[] = {"#", "Description", "HSN/SAC", "Qty", "Rate", "Amount"};
    static const char *trail[4][2] = {{"Subtotal", "39,500.00"}, {"CGST @ 9%", "3,555.00"},
                                      {"SGST @ 9%", "3,555.00"}, {"Grand Total INR", "46,610.00"}};
    ck_assert_uint_eq(t->ncols, 6);
    for (size_t c = 0; c < 6; c++)
        ck_assert_str_eq(t->header.cells[c].text, head[c]);
    ck_assert_uint_eq(t->nbody, 3);
    ck_assert_uint_eq(t->nrows, 7);
    for (size_t r = 0; r < 3; r++)
        for (size_t c = 0; c < 6; c++)
            ck_assert_str_eq(t->rows[r].cells[c].text, sample_rows[r][c]);
    for (size_t r = 0; r < 4; r++) {
        ck_assert_int_eq(t->rows[3 + r].kind, DF_TROW_TRAILER);
        ck_assert_str_eq(t->rows[3 + r].cells[4].text, trail[r][0]);
        ck_assert_str_eq(t->rows[3 + r].cells[5].text, trail[r][1]);
    }
}

START_TEST(sample_invoice_structure)
{
    const df_page *p = sample_page();
    df_layout *lay = NULL;
    ck_assert_int_eq(df_layout_build(p->words, p->nwords, p->width_pt, p->height_pt, &lay, NULL),
                     DF_OK);
    check_invariants(lay);
    ck_assert_uint_eq(lay->nwords, p->nwords);
    ck_assert_uint_eq(lay->dropped, 0);
    /* Reading order: logo, title, vendor block, then the meta block beside
     * it, then Bill To before Ship To. */
    size_t vendor_b = SIZE_MAX, meta_b = SIZE_MAX, bill_b = SIZE_MAX, ship_b = SIZE_MAX;
    for (size_t li = 0; li < lay->nlines; li++) {
        const char *s = line_text(lay, li);
        if (!strcmp(s, "Acme Technologies Pvt Ltd"))
            vendor_b = lay->lines[li].block;
        else if (!strcmp(s, "Invoice No: INV-2024-001"))
            meta_b = lay->lines[li].block;
        else if (!strcmp(s, "Bill To:"))
            bill_b = lay->lines[li].block;
        else if (!strcmp(s, "Ship To:"))
            ship_b = lay->lines[li].block;
    }
    ck_assert_uint_eq(vendor_b, 2);
    ck_assert_uint_eq(meta_b, 3);
    ck_assert_uint_eq(bill_b, 4);
    ck_assert_uint_eq(ship_b, 5);
    ck_assert_uint_eq(lay->blocks[vendor_b].nlines, 6);
    ck_assert_str_eq(line_text(lay, lay->blocks[vendor_b].first + 5), "Phone: +91 80 4123 4567");
    ck_assert_uint_eq(lay->blocks[meta_b].nlines, 5);

    const char *kw[] = {"Description", "HSN/SAC", "Qty", "Rate", "Amount"};
    const char *stop[] = {"Subtotal", "CGST", "SGST", "Grand Total"};
    df_table_spec spec = {kw, 5, stop, 4, 0};
    df_table *t = NULL;
    size_t nt = 0;
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
    ck_assert_uint_eq(nt, 1);
    check_sample_table(&t[0]);
    df_tables_free(t, nt);
    ck_assert_int_eq(df_layout_find_tables(lay, NULL, &t, &nt, NULL), DF_OK);
    ck_assert_uint_eq(nt, 1);
    check_sample_table(&t[0]);
    df_tables_free(t, nt);

    char *text = df_layout_render(lay);
    long col = end_col(text, "Laptop", "12,500.00");
    ck_assert_int_gt(col, 0);
    ck_assert_int_eq(end_col(text, "Wireless", "12,000.00"), col);
    ck_assert_int_eq(end_col(text, "Annual", "15,000.00"), col);
    ck_assert_int_eq(end_col(text, "Subtotal", "39,500.00"), col);
    ck_assert_int_eq(end_col(text, "CGST", "3,555.00"), col);
    ck_assert_int_eq(end_col(text, "Grand Total", "46,610.00"), col);
    ck_assert_ptr_nonnull(strstr(text, "Invoice No:"));
    free(text);
    df_layout_free(lay);
}
END_TEST

START_TEST(input_order_does_not_matter)
{
    const df_page *p = sample_page();
    wl l = {0};
    for (size_t i = 0; i < p->nwords; i++)
        add_word(&l, p->words[i].text, p->words[i].box[0], p->words[i].box[1],
                 p->words[i].box[2], p->words[i].box[3], p->words[i].conf);
    df_layout *a = build(&l);
    char *ta = df_layout_render(a);
    for (uint32_t seed = 1; seed <= 3; seed++) {
        shuffle(&l, seed);
        df_layout *b = build(&l);
        char *tb = df_layout_render(b);
        ck_assert_str_eq(ta, tb);
        ck_assert_uint_eq(a->nblocks, b->nblocks);
        for (size_t i = 0; i < a->nwords; i++)
            ck_assert_str_eq(a->words[i].text, b->words[i].text);
        free(tb);
        df_layout_free(b);
    }
    free(ta);
    df_layout_free(a);
    wl_free(&l);
}
END_TEST

/* ---- hostile input ---------------------------------------------------------------- */

START_TEST(invalid_words_are_dropped)
{
    wl l = {0};
    add_word(&l, "ok", 10, 10, 30, 20, 90);
    add_word(&l, "nan", NAN, 10, 30, 20, 90);
    add_word(&l, "inf", 10, INFINITY, 30, 20, 90);
    add_word(&l, "huge", 1e30f, 10, 2e30f, 20, 90);
    add_word(&l, "far", -200000, 10, -199990, 20, 90);
    add_word(&l, "", 10, 30, 30, 40, 90);
    add_word(&l, NULL, 10, 30, 30, 40, 90);
    add_word(&l, " \t\r\n", 10, 30, 30, 40, 90);
    add_word(&l, "rev", 60, 20, 40, 10, NAN);      /* reversed corners */
    add_word(&l, "flat", 100, 15, 100, 15, 500);  /* zero size */
    add_word(&l, "neg", -50, -30, -20, -20, -5);  /* off the page, still finite */
    char long_text[3001];
    for (int i = 0; i < 1000; i++)
        memcpy(long_text + 3 * i, "\xE2\x82\xAC", 3); /* "€" x 1000 */
    long_text[3000] = '\0';
    add_word(&l, long_text, 200, 10, 900, 20, 100);
    df_layout *lay = build(&l);
    check_invariants(lay);
    ck_assert_uint_eq(lay->nwords, 5);
    ck_assert_uint_eq(lay->dropped, 7);
    for (size_t i = 0; i < lay->nwords; i++) {
        const df_word *w = &lay->words[i];
        ck_assert(w->box[0] < w->box[2] && w->box[1] < w->box[3]);
        ck_assert(w->conf >= 0 && w->conf <= 100);
        if (!strcmp(w->text, "rev"))
            ck_assert(w->box[0] == 40 && w->box[3] == 20 && w->conf == 0);
        if (!strcmp(w->text, "flat"))
            ck_assert(w->box[2] - w->box[0] >= DF_LAYOUT_MIN_SIZE && w->conf == 100);
        if (w->text[0] == '\xE2')
            ck_assert_uint_eq(strlen(w->text), 1023); /* cut between characters */
    }
    char *text = df_layout_render(lay);
    ck_assert_ptr_nonnull(text);
    free(text);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

/* A second reading of a tall word's pixels ("mi" inside "Umiya") and the
 * second copy of a word drawn twice go; words that only touch or overlap a
 * little, and a small word beside (not inside) a big one, stay. */
START_TEST(fragments_inside_words_are_dropped)
{
    wl l = {0};
    add_word(&l, "mi", 54, 60, 68, 67, 95);         /* inside Umiya */
    add_word(&l, "Umiya", 45, 58, 83, 70, 12);
    add_word(&l, "Software", 88, 57, 143, 67, 96);
    add_word(&l, "war", 112, 60, 136, 67, 96);      /* inside Software */
    add_word(&l, "Total", 200, 100, 240, 112, 90);
    add_word(&l, "Total", 200, 100, 240, 112, 90);  /* drawn twice */
    add_word(&l, "Rs.", 236, 100, 256, 112, 90);    /* overlaps Total by 20 % */
    add_word(&l, "5", 300, 100, 306, 112, 90);      /* small, beside */
    add_word(&l, "500.00", 307, 100, 350, 112, 90);
    df_layout *lay = build(&l);
    check_invariants(lay);
    ck_assert_uint_eq(lay->dropped, 3);
    ck_assert_uint_eq(lay->nwords, 6);
    int total = 0;
    for (size_t i = 0; i < lay->nwords; i++) {
        const char *t = lay->words[i].text;
        ck_assert_msg(strcmp(t, "mi") && strcmp(t, "war"), "fragment %s kept", t);
        total += !strcmp(t, "Total");
    }
    ck_assert_int_eq(total, 1);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

/* A word split where OCR read its middle letters twice ("Technologi" +
 * "gies" over the same "gi"), or its last letter again beside it
 * ("Residency" "y"), is one word; neighbours that merely share a letter
 * across a space stay two. */
START_TEST(split_words_are_joined)
{
    wl l = {0};
    add_word(&l, "Nilgiri", 41, 55, 82, 64, 93);
    add_word(&l, "Technologi", 87, 55, 163, 64, 92); /* 7.6 pt a letter */
    add_word(&l, "gies", 151.5, 55, 179, 64, 92);    /* starts 1.5 letters inside */
    add_word(&l, "Residency", 40, 80, 95, 90, 96);
    add_word(&l, "y", 95.5, 82, 101, 92, 84);         /* touching, the same letter */
    add_word(&l, "Ltd", 105, 80, 125, 90, 95);
    add_word(&l, "cash", 40, 120, 70, 130, 95);
    add_word(&l, "house", 74, 120, 110, 130, 95);    /* a space apart: two words */
    df_layout *lay = build(&l);
    check_invariants(lay);
    int tech = 0, res = 0, house = 0;
    for (size_t i = 0; i < lay->nwords; i++) {
        const char *t = lay->words[i].text;
        ck_assert_msg(strcmp(t, "gies") && strcmp(t, "y"), "piece %s kept", t);
        tech += !strcmp(t, "Technologies");
        res += !strcmp(t, "Residency");
        house += !strcmp(t, "house");
        if (!strcmp(t, "Technologies"))
            ck_assert_float_eq_tol(lay->words[i].box[2], 179, 0.01);
    }
    ck_assert_int_eq(tech, 1);
    ck_assert_int_eq(res, 1);
    ck_assert_int_eq(house, 1);
    ck_assert_uint_eq(lay->nwords, 6);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

START_TEST(empty_and_invalid_arguments)
{
    df_layout *lay = NULL;
    df_err err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(df_layout_build(NULL, 0, NAN, -1, &lay, &err), DF_OK);
    ck_assert_uint_eq(lay->nwords + lay->nlines + lay->nrows + lay->nblocks, 0);
    ck_assert(lay->page_w == 0 && lay->page_h == 0);
    char *text = df_layout_render(lay);
    ck_assert_str_eq(text, "");
    free(text);
    df_table *t = (df_table *)1;
    size_t nt = 9;
    const char *kw[] = {"Qty", NULL, "   ", "a b c d e f g h i"};
    df_table_spec spec = {kw, 4, kw, 4, 1};
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, &err), DF_OK);
    ck_assert_ptr_null(t);
    ck_assert_uint_eq(nt, 0);
    df_layout_free(lay);
    df_layout_free(NULL);
    df_tables_free(NULL, 0);
    ck_assert_ptr_null(df_layout_render(NULL));
    ck_assert_int_eq(df_layout_build(NULL, 3, 0, 0, &lay, &err), DF_E_INVALID_ARGUMENT);
    ck_assert_str_ne(err.msg, "");
    ck_assert_int_eq(df_layout_build(NULL, 0, 0, 0, NULL, NULL), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_layout_find_tables(NULL, NULL, &t, &nt, NULL), DF_E_INVALID_ARGUMENT);
}
END_TEST

/* 100k words in shapes that defeat naive algorithms: every word in one spot,
 * all on one row, all in one column, a dense grid, uniform noise. Each must
 * lay out (sort-based passes; capped searches) and keep the invariants. */
static void big_page(int shape)
{
    wl l = {0};
    uint32_t seed = 99 + (uint32_t)shape;
    const char *kw[] = {"Amount", "Qty", "Rate", "Description"};
    for (size_t i = 0; i < 100000; i++) {
        char text[16];
        snprintf(text, sizeof text, i % 7 ? "w%zu" : "%zu.00", i);
        float x, y, w = 20, h = 10;
        switch (shape) {
        case 0: x = 100; y = 100; break;
        case 1: x = (float)i * 0.9f; y = 100; w = 0.8f; break;
        case 2: x = 100; y = (float)i * 0.9f; h = 0.8f; break;
        case 3: x = (float)(i % 250) * 45; y = (float)(i / 250) * 14; break;
        default:
            x = (float)(rnd(&seed) % 60000) / 100.0f;
            y = (float)(rnd(&seed) % 85000) / 100.0f;
            w = 1 + (float)(rnd(&seed) % 6000) / 100.0f;
            h = 0.1f + (float)(rnd(&seed) % 3000) / 100.0f;
        }
        add_word(&l, i < 4 ? kw[i] : text, x, y, x + w, y + h, 90);
    }
    df_layout *lay = build(&l);
    check_invariants(lay);
    if (shape < 4) /* noise has words inside words: fragments (layout.h) */
        ck_assert_uint_eq(lay->nwords, 100000);
    ck_assert_uint_eq(lay->nwords + lay->dropped, 100000);
    char *text = df_layout_render(lay);
    ck_assert_ptr_nonnull(text);
    free(text);
    df_table_spec spec = {kw, 4, NULL, 0, 0};
    df_table *t = NULL;
    size_t nt = 0;
    ck_assert_int_eq(df_layout_find_tables(lay, &spec, &t, &nt, NULL), DF_OK);
    df_tables_free(t, nt);
    ck_assert_int_eq(df_layout_find_tables(lay, NULL, &t, &nt, NULL), DF_OK);
    ck_assert_uint_le(nt, DF_TABLE_MAX_TABLES);
    df_tables_free(t, nt);
    df_layout_free(lay);
    wl_free(&l);
}

START_TEST(big_pages) { big_page(_i); }
END_TEST

START_TEST(word_limit)
{
    wl l = {0};
    for (size_t i = 0; i < DF_LAYOUT_MAX_WORDS + 5; i++)
        add_word(&l, i % 2 ? "x" : "y", (float)(i % 500) * 6, (float)(i / 500) * 12,
                 (float)(i % 500) * 6 + 5, (float)(i / 500) * 12 + 10, 100);
    df_layout *lay = build(&l);
    ck_assert_uint_eq(lay->nwords, DF_LAYOUT_MAX_WORDS);
    ck_assert_uint_eq(lay->dropped, 5);
    df_layout_free(lay);
    wl_free(&l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("layout");
    TCase *t = tcase_create("layout");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, two_columns_read_left_then_right);
    tcase_add_test(t, mixed_heights_share_a_line);
    tcase_add_test(t, skewed_paragraph_rising);
    tcase_add_test(t, skewed_paragraph_falling);
    tcase_add_test(t, table_with_wrapped_description);
    tcase_add_test(t, header_on_two_lines);
    tcase_add_test(t, receipt_table_with_rules_and_description_above);
    tcase_add_test(t, header_with_serial_column_on_flanking_lines);
    tcase_add_test(t, serial_column_without_title);
    tcase_add_test(t, specks_between_titles_are_no_columns);
    tcase_add_test(t, listed_titles_a_word_space_apart_are_one);
    tcase_add_test(t, slash_title_matches_its_first_word);
    tcase_add_test(t, stray_speck_ends_no_cell);
    tcase_add_test(t, first_item_description_is_no_header_line);
    tcase_add_test(t, wide_word_space_stays_in_its_cell);
    tcase_add_test(t, receipt_description_line_is_one_cell);
    tcase_add_test(t, specks_beside_the_table);
    tcase_add_test(t, table_survives_ocr_noise);
    tcase_add_test(t, render_keeps_amounts_aligned);
    tcase_add_test(t, sample_invoice_structure);
    tcase_add_test(t, input_order_does_not_matter);
    tcase_add_test(t, invalid_words_are_dropped);
    tcase_add_test(t, fragments_inside_words_are_dropped);
    tcase_add_test(t, split_words_are_joined);
    tcase_add_test(t, empty_and_invalid_arguments);
    tcase_add_loop_test(t, big_pages, 0, 5);
    tcase_add_test(t, word_limit);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    df_doc_clear(&g_doc);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
