/*
 * text.h — a document's words as plain text, for df_result_text.
 *
 * The text is the layout stage's rendering of each page (reading order,
 * columns kept aligned), so it is the same whether the words came from OCR
 * or from a PDF text layer. Private to lib/.
 */
#ifndef DF_CORE_TEXT_H
#define DF_CORE_TEXT_H

#include "decode/decode.h"

/* Every page rendered by df_layout_render, pages separated by '\f'. Returns
 * a malloc'd string ("" for no words), or NULL when out of memory. */
char *df_doc_text(const df_doc *doc);

#endif
