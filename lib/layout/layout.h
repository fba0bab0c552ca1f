/*
 * layout.h — stage 3: a page's words to its structure.
 *
 * The field extractors need to ask "what is to the right of this label",
 * "which block is the vendor's address" and "what are the line items"; they
 * should not care whether the words came from a PDF text layer (exact boxes)
 * or from OCR (noisy boxes, slight skew). This stage turns either into the
 * same structure:
 *
 *   words   copied and sorted into reading order;
 *   lines   runs of words on one baseline, split where a horizontal gap is
 *           so wide that it separates two columns (so a vendor line on the
 *           left and an "Invoice No:" line on the right are two lines);
 *   rows    the lines that share a y band across the whole page, left to
 *           right (what tables and "label ... value" lookups need);
 *   blocks  lines stacked into paragraphs/columns, in reading order:
 *           top to bottom, and left before right where the page has side by
 *           side columns (recursive XY cut);
 *   tables  found on request (df_layout_find_tables), by header keywords the
 *           caller owns, or by geometry alone.
 *
 * Everything is sort-based (O(n log n) for n words); every search that could
 * degrade on hostile geometry is capped by a named constant below. Boxes are
 * in points, origin top-left, like df_word. Private to lib/.
 */
#ifndef DF_LAYOUT_H
#define DF_LAYOUT_H

#include <stddef.h>

#include "core/error.h"
#include "decode/decode.h"

/* ---- limits (hostile input) ---------------------------------------------- */

/* Words kept per page; later ones are dropped and counted in `dropped`. A
 * dense A4 page at 300 dpi holds a few thousand words; 200k is far beyond any
 * real page and still lays out in well under a second. */
#define DF_LAYOUT_MAX_WORDS 200000
/* A word whose box lies this much inside a larger word's box is a second
 * reading of the same pixels and is dropped (layout.c, drop_fragments). */
#define DF_LAYOUT_FRAGMENT_COVER 0.7f
/* ...when its box has at most this share of the larger one's area (two
 * neighbours of similar size that overlap are two words; two copies of the
 * same text are one whatever their sizes). */
#define DF_LAYOUT_FRAGMENT_SIZE 0.8f
/* A word whose first letters repeat, over the same pixels, the last ones of
 * the word before it on the line ("Technologi" + "gies", "Residency" + "y")
 * is the rest of that word: joined to it, the repeated letters once, when
 * at most this many letters repeat (layout.c, join_split_words). */
#define DF_LAYOUT_SPLIT_MAX_REPEAT 3
/* Words compared with each word for that (x order). */
#define DF_LAYOUT_FRAGMENT_SCAN 64
/* A word with a coordinate beyond ±this many points (≈ 35 m) is dropped. */
#define DF_LAYOUT_MAX_COORD 100000.0f
/* Bytes of text kept per word (cut at a UTF-8 character boundary). */
#define DF_LAYOUT_MAX_WORD_BYTES 1024
/* Boxes thinner or shorter than this (points) are widened around their
 * centre, so ratios of heights and widths never divide by zero. */
#define DF_LAYOUT_MIN_SIZE 0.5f
/* Skew beyond this is not corrected: it is a rotated page, not a skewed one. */
#define DF_LAYOUT_MAX_SKEW_DEG 5.0
/* Most candidates examined for one word or line in any neighbour search; a
 * search that exceeds it settles for the best found so far. */
#define DF_LAYOUT_MAX_CANDIDATES 64
/* Depth of the XY cut; deeper regions are ordered top-to-bottom, left-to-right. */
#define DF_LAYOUT_MAX_CUT_DEPTH 48
/* Render grid: at most this many character columns per text line. */
#define DF_LAYOUT_RENDER_MAX_COLS 400

/* ---- tuning (ratios of the line height unless stated) -------------------- */

/* Two words are on one line when their vertical overlap is at least this
 * fraction of the smaller height (a 7 pt label beside a 10 pt bold value). */
#define DF_LAYOUT_LINE_OVERLAP 0.5
/* A horizontal gap wider than this many line heights splits a line into two
 * line segments (two columns at the same y). */
#define DF_LAYOUT_SPLIT_GAP 4.0
/* A line joins the block above when the vertical gap to the block's last line
 * is at most this many line heights and they overlap horizontally. */
#define DF_LAYOUT_BLOCK_GAP 0.8
/* A row cut into this many segments or more is a table row: its segments
 * are cells, never stacked into blocks (so a table reads row by row). */
#define DF_LAYOUT_TABULAR_SEGMENTS 3

typedef struct df_layout_line {
    size_t first, nwords;  /* words[first .. first + nwords), left to right */
    float box[4];          /* union of the word boxes */
    float baseline;        /* median bottom of the words ("baseline-ish") */
    float height;          /* median word height: a font-size proxy */
    size_t row;            /* index into rows */
    size_t block;          /* index into blocks */
} df_layout_line;

typedef struct df_layout_row {
    size_t first, nlines;  /* row_lines[first .. first + nlines), left to right */
    float box[4];
} df_layout_row;

typedef struct df_layout_block {
    size_t first, nlines;  /* lines[first .. first + nlines), top to bottom */
    float box[4];
} df_layout_block;

typedef struct df_layout {
    double page_w, page_h;  /* as given; 0 when unknown */
    df_word *words;         /* owned copies, in reading order */
    size_t nwords;
    df_layout_line *lines;  /* in reading order (block by block) */
    size_t nlines;
    df_layout_block *blocks;
    size_t nblocks;
    df_layout_row *rows;    /* top to bottom */
    size_t nrows;
    size_t *row_lines;      /* line indices, grouped by row (nlines entries) */
    float skew_deg;         /* page skew that was corrected; + = text rises to the right */
    float line_height;      /* median word height on the page */
    float char_width;       /* median advance per character */
    size_t dropped;         /* input words not kept: empty, non-finite, out of range, over
                             * limit, or a fragment inside a larger word */
} df_layout;

/* Lay out n words (not modified; the layout keeps its own copies). page_w_pt
 * and page_h_pt may be 0 (unknown). Invalid words are dropped, not errors:
 * NULL/empty/blank text, non-finite or out-of-range boxes. Reversed boxes are
 * reordered; conf is clamped to 0..100. n == 0 gives an empty layout.
 * Fails only with DF_E_INVALID_ARGUMENT (out == NULL, words == NULL with
 * n > 0) or DF_E_NO_MEMORY. */
df_code df_layout_build(const df_word *words, size_t n, double page_w_pt, double page_h_pt,
                        df_layout **out, df_err *err);
void df_layout_free(df_layout *lay);

/* ---- tables ----------------------------------------------------------------- */

/* Header keyword matches needed for a header row (when spec->min_header_hits is 0). */
#define DF_TABLE_MIN_HEADER_HITS 3
/* Geometry-only detection: a digit-free row of at least 3 cells (split at
 * gaps over one line height) as header, at least this many body rows below
 * it, and a column whose body cells are all figures (so an address beside
 * "Invoice No: ..." lines is not a table). */
#define DF_TABLE_MIN_GEOMETRY_ROWS 2
/* A row more than this many line heights below the previous one ends the
 * table; under the header, DF_TABLE_MAX_HEADER_GAP (a header is often set
 * apart from the body, on receipts by white space instead of a rule). */
#define DF_TABLE_MAX_ROW_GAP 2.5
#define DF_TABLE_MAX_HEADER_GAP 3.5
/* A word OCR is less sure of than this (0-100), or one without a letter or
 * digit, wholly beside the table's columns, is a speck, not text beside
 * the table: it neither ends the table nor lands in a cell. */
#define DF_TABLE_NOISE_CONF 30
/* Hostile pages (thousands of header-like rows) cannot make the search
 * quadratic: it stops after examining 64 row words per word on the page
 * (tables.c; a real page needs two or three). Most tables reported per page,
 * and most columns per table: */
#define DF_TABLE_MAX_TABLES 16
#define DF_TABLE_MAX_COLS 32

typedef struct df_table_spec {
    /* Header phrases ("Description", "HSN/SAC", "Unit Price"), matched to
     * consecutive words case-insensitively (ASCII), ignoring a trailing ':'
     * or '.'. NULL/0: detect tables by geometry only. */
    const char *const *header_words;
    size_t nheader;
    /* Phrases that start a summary row ("Subtotal", "Total", "CGST"): a row
     * whose first words are one ends the body (see df_table). May be NULL/0:
     * summary rows are then recognised by shape alone. */
    const char *const *stop_words;
    size_t nstop;
    unsigned min_header_hits;  /* distinct phrase matches; 0 = DF_TABLE_MIN_HEADER_HITS */
} df_table_spec;

typedef struct df_table_cell {
    const char *text;  /* words joined by single spaces ("" when empty); points into the table */
    float box[4];      /* union of its words; an empty cell gets column span x row band,
                        * so a caller may re-read that region */
    size_t nwords;
    float conf;        /* lowest word confidence; 100 when empty */
} df_table_cell;

typedef enum df_table_row_kind {
    DF_TROW_BODY = 0,  /* a line item */
    DF_TROW_TRAILER    /* a summary row under the body: "Subtotal ... 39,500.00" */
} df_table_row_kind;

typedef struct df_table_row {
    df_table_cell *cells;  /* ncols cells */
    float box[4];
    size_t nlines;         /* physical text rows merged into this row (wrapped cells) */
    df_table_row_kind kind;
} df_table_row;

/*
 * One table. Columns are the header's cells; body rows follow in order, then
 * trailer rows. Body ends at the first row that
 *   - starts with a stop phrase, or fills fewer than min(3, ncols) columns
 *     while having a number in the last column (it becomes a trailer), or
 *   - has a word outside the table's x range, or sits more than
 *     DF_TABLE_MAX_ROW_GAP line heights below the previous row (table ends).
 * A row that fills fewer than min(3, ncols) columns and has no number in
 * the last column continues the row above (a wrapped description): its
 * words are appended to the cells above, after a space (a text line held
 * until the next row decides its owner keeps a phrase in one cell: words
 * within 1.5 line heights of each other). Trailers continue
 * while rows start with a stop phrase or have a number in the last column.
 * Words go to the column whose title they overlap most; a word within a
 * word space of the previous one stays in its cell unless it sits under
 * another title; otherwise the nearest column, widened by the body words so
 * far (right-aligned figures are wider than their titles). So a trailer's
 * label lands in the column it sits under (often Rate), its figure in the
 * last column.
 * The header runs from the first to the last line segment of its row that
 * holds a keyword (unlisted titles in between or on those segments are
 * columns too; a "Page 1" far to the right is not; a speck with no letter
 * or digit after a title, a grid rule's remnant, is not). Rows without a
 * digit between the header and the first body row, each set tight (at most
 * a line height) under the one before, are the header's further lines
 * ("Unit" over "Price", at most 3 lines in all): merged into the titles
 * ("Unit Price"), counted in header.nlines; a digit-free row a line apart
 * is the first item's description. A cell's last word far (3 line heights)
 * after the one before it and read below DF_TABLE_NOISE_CONF is dirt, not
 * part of the cell. A first body row opening with
 * a serial number ("1") left of the first title gets an untitled column
 * for it (the "#" column printed without a title). Keywords match within one line,
 * so they should name the first line's words ("Unit", not "Unit Price").
 */
typedef struct df_table {
    size_t ncols;
    df_table_row header;   /* kind DF_TROW_BODY; cells are the column titles */
    float *col_x;          /* 2 * ncols: x0, x1 of each column (header and body words) */
    df_table_row *rows;    /* nbody body rows, then trailers */
    size_t nrows, nbody;
    float box[4];
    size_t first_row, last_row;  /* layout rows covered (header included) */
    char *pool;            /* owns every cell text */
} df_table;

/* Find tables. *out gets an array of *ntables tables (NULL when none), top to
 * bottom; free with df_tables_free. spec may be NULL (geometry only). */
df_code df_layout_find_tables(const df_layout *lay, const df_table_spec *spec,
                              df_table **out, size_t *ntables, df_err *err);
void df_tables_free(df_table *tables, size_t ntables);

/* ---- rendering ------------------------------------------------------------ */

/* The page as text on a character grid, one text line per row, words placed
 * at x / char_width (numbers by their right edge, so right-aligned amounts
 * stay in one column; words of running text one space apart), a blank line
 * where rows are far apart. Like
 * `pdftotext -layout`. NUL-terminated UTF-8, caller frees with free(); NULL
 * only when out of memory or lay is NULL. */
char *df_layout_render(const df_layout *lay);

#endif
