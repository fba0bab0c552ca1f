/* text.c — plain text of a document from the layout stage (see text.h). */
#include "core/text.h"
#include "layout/layout.h"

#include <stdlib.h>
#include <string.h>

/* Page size in points for layout; pages of unknown dpi used 300 dpi for
 * their word boxes (lib/ocr), so the same assumption applies here. */
static void page_size_pt(const df_page *p, double *w, double *h)
{
    *w = p->width_pt > 0 ? p->width_pt : p->width * 72.0 / 300.0;
    *h = p->height_pt > 0 ? p->height_pt : p->height * 72.0 / 300.0;
}

static char *page_text(const df_page *p)
{
    if (p->nwords == 0)
        return strdup("");
    double w, h;
    page_size_pt(p, &w, &h);
    df_layout *lay = NULL;
    df_err err = {0};
    if (df_layout_build(p->words, p->nwords, w, h, &lay, &err) != DF_OK)
        return NULL;
    char *t = df_layout_render(lay);
    df_layout_free(lay);
    return t;
}

char *df_doc_text(const df_doc *doc)
{
    size_t len = 0, cap = 256;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t i = 0; i < doc->npages; i++) {
        char *t = page_text(&doc->pages[i]);
        if (!t) {
            free(out);
            return NULL;
        }
        size_t n = strlen(t);
        if (len + n + 2 > cap) {
            while (len + n + 2 > cap)
                cap *= 2;
            char *bigger = realloc(out, cap);
            if (!bigger) {
                free(t);
                free(out);
                return NULL;
            }
            out = bigger;
        }
        memcpy(out + len, t, n);
        len += n;
        if (i + 1 < doc->npages)
            out[len++] = '\f';
        out[len] = '\0';
        free(t);
    }
    return out;
}
