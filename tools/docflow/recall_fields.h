/* recall_fields.h — which labelled values of one document are in a text.
 *
 * `docflow recall` counts them over a folder (the OCR ceiling); `docflow
 * eval` uses the same answer per document to score extraction given what
 * OCR read (a value the text does not contain is OCR's loss, not the
 * extractors'). One place decides, per label format, which fields exist
 * and how each is looked for (recall_match.h). */
#ifndef DF_RECALL_FIELDS_H
#define DF_RECALL_FIELDS_H

#include <cjson/cJSON.h>

#define RECALL_MAX_HITS 8

typedef struct recall_hit {
    const char *field; /* static name: "total", "date", "company", ... */
    char label[96];    /* the labelled value as shown in messages */
    int hit;           /* 1 when the text contains it */
} recall_hit;

/* The fields of `lab` (a label object of folder format `format`, enum
 * eval_format) that have a value, each with whether `text` contains it, in
 * a fixed order per format. Returns the count written to hits (at most
 * RECALL_MAX_HITS). */
int recall_check(int format, const cJSON *lab, const char *text, recall_hit *hits);

#endif
