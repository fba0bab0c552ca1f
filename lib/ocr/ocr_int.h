/*
 * ocr_int.h — what the files of lib/ocr share: one page's words as they
 * are read (ocr.c) and read again where unsure (unsure.c).
 *
 * Private to lib/ocr.
 */
#ifndef DF_OCR_INT_H
#define DF_OCR_INT_H

#include "ocr/ocr.h"
#include "ocr/preprocess.h"

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

/* Tesseract's page segmentation mode 7: the image is one text line. */
#define DF_OCR_PSM_SINGLE_LINE 7
/* The words of a page. Words whose text is NULL gave their place to a
 * second reading and are dropped by df_ocr_buf_compact. line_h is kept
 * only when the page is read again (NULL otherwise). */
typedef struct word_buf {
    df_word *w;
    size_t n, cap;
    float *line_h; /* height of each word's text line, in points */
} word_buf;

/* A page as the second readings see it: the size of the prepared pixels
 * (page->pix scaled by scale; Tesseract holds its own copy), the
 * resolution told to Tesseract, points per pixel, and the settings of the
 * first reading. */
typedef struct ocr_page_ctx {
    df_ocr_pool *pool;
    const df_ocr_opts *o;
    int page_no;
    int img_w, img_h;
    int tess_dpi;
    double px_to_pt;
} ocr_page_ctx;

/* TessBaseAPIRecognize under the deadline and cancel flag of o, its CPU
 * added to the pool's recognition counter (ocr.c). */
df_code df_ocr_recognize(df_ocr_pool *pool, TessBaseAPI *api, const df_ocr_opts *o, int page_no,
                         df_err *err);
/* The words api recognised, boxes scaled by px_to_pt, appended to b. */
df_code df_ocr_collect_words(TessBaseAPI *api, double px_to_pt, word_buf *b, df_err *err);
/* Drop the words that gave their place up (text NULL), keeping the order. */
void df_ocr_buf_compact(word_buf *b);
int df_ocr_alnum_count(const char *s);

/* unsure.c: the least sure of b's words read again with api, whose image
 * is the page as read (see there). */
void df_ocr_reread_unsure(const ocr_page_ctx *c, TessBaseAPI *api, word_buf *b);

#endif
