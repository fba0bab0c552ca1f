/*
 * pool.c — the engine's Tesseract handles: where the language data is, and
 * a free list so each handle is initialised once and reused (see ocr.h).
 *
 * The checks done at engine creation are only "does the file exist": a
 * real Init would cost ≈ 55 ms per language set and would break the promise
 * that text-layer PDFs never load Tesseract.
 */
#include "ocr/ocr.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tesseract/capi.h>
#include <leptonica/allheaders.h>

struct df_ocr_pool {
    char *tessdata;           /* resolved directory */
    const char *tessdata_from; /* which setting chose it, for messages */
    char *languages;
    pthread_mutex_t lock;     /* guards everything below */
    TessBaseAPI **idle;
    size_t nidle, cap;
    uint64_t created;
    uint64_t recognize_ns, recognize_calls;
};

static int has_eng(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    int len = snprintf(path, sizeof path, "%s/eng.traineddata", dir);
    return len > 0 && (size_t)len < sizeof path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Order documented at df_ocr_pool_new (ocr.h). */
static const char *resolve_tessdata(const char *opt, const char **from)
{
    if (opt && *opt) {
        *from = "the tessdata option";
        return opt;
    }
    const char *env = getenv("TESSDATA_PREFIX");
    if (env && *env) {
        *from = "TESSDATA_PREFIX";
        return env;
    }
    if (has_eng(DF_OCR_INSTALLED_TESSDATA)) {
        *from = "docflow's installed model";
        return DF_OCR_INSTALLED_TESSDATA;
    }
    if (has_eng(DF_OCR_BUILD_TESSDATA)) {
        *from = "docflow's model in the build tree";
        return DF_OCR_BUILD_TESSDATA;
    }
    *from = "the default";
    return DF_OCR_DEFAULT_TESSDATA;
}

/* One '+'-separated language at a time: the list was validated by
 * df_options_set_languages, so names contain no '/' and no "..". */
static df_code check_languages(const df_ocr_pool *p, df_err *err)
{
    const char *s = p->languages;
    while (*s) {
        size_t n = strcspn(s, "+");
        char path[PATH_MAX];
        int len = snprintf(path, sizeof path, "%s/%.*s.traineddata", p->tessdata, (int)n, s);
        struct stat st;
        if (len < 0 || (size_t)len >= sizeof path)
            return df_err_set(err, DF_E_OCR_UNAVAILABLE,
                              "the tessdata directory path is too long: %s", p->tessdata);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            return df_err_set(err, DF_E_OCR_UNAVAILABLE,
                              "OCR language '%.*s' is not installed: no %.*s.traineddata in %s "
                              "(tessdata directory from %s; install tesseract-ocr-%.*s or set "
                              "the tessdata directory)",
                              (int)n, s, (int)n, s, p->tessdata, p->tessdata_from, (int)n, s);
        s += n;
        if (*s == '+')
            s++;
    }
    return DF_OK;
}

df_code df_ocr_pool_new(const char *tessdata, const char *languages, df_ocr_pool **out,
                        df_err *err)
{
    *out = NULL;
    /* Leptonica prints to stderr by default and offers only a process-wide
     * switch; the library must never print (documented at df_engine_new). */
    setMsgSeverity(L_SEVERITY_NONE);
    df_ocr_pool *p = calloc(1, sizeof *p);
    if (!p)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory creating the OCR pool");
    p->tessdata = strdup(resolve_tessdata(tessdata, &p->tessdata_from));
    p->languages = strdup(languages && *languages ? languages : "eng");
    if (!p->tessdata || !p->languages || pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p->tessdata);
        free(p->languages);
        free(p);
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory creating the OCR pool");
    }
    df_code rc = check_languages(p, err);
    if (rc != DF_OK) {
        df_ocr_pool_free(p);
        return rc;
    }
    *out = p;
    return DF_OK;
}

void df_ocr_pool_free(df_ocr_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nidle; i++) {
        TessBaseAPIEnd(p->idle[i]);
        TessBaseAPIDelete(p->idle[i]);
    }
    free(p->idle);
    pthread_mutex_destroy(&p->lock);
    free(p->tessdata);
    free(p->languages);
    free(p);
}

const char *df_ocr_pool_tessdata(const df_ocr_pool *p)
{
    return p->tessdata;
}

uint64_t df_ocr_pool_engines_created(df_ocr_pool *p)
{
    pthread_mutex_lock(&p->lock);
    uint64_t n = p->created;
    pthread_mutex_unlock(&p->lock);
    return n;
}

void df_ocr_pool_add_recognition(df_ocr_pool *p, uint64_t cpu_ns)
{
    pthread_mutex_lock(&p->lock);
    p->recognize_ns += cpu_ns;
    p->recognize_calls++;
    pthread_mutex_unlock(&p->lock);
}

void df_ocr_pool_recognition(df_ocr_pool *p, uint64_t *cpu_ns, uint64_t *calls)
{
    pthread_mutex_lock(&p->lock);
    *cpu_ns = p->recognize_ns;
    *calls = p->recognize_calls;
    pthread_mutex_unlock(&p->lock);
}

/* Init runs outside the lock: 55 ms is too long to hold up other threads
 * that only want to return or borrow an idle handle. */
static df_code create_handle(df_ocr_pool *p, TessBaseAPI **out, df_err *err)
{
    TessBaseAPI *api = TessBaseAPICreate();
    if (!api)
        return df_err_set(err, DF_E_NO_MEMORY, "out of memory creating a Tesseract handle");
    /* debug_file is one of Tesseract's process-global parameters: whatever
     * Tesseract would print (tprintf: "Warning: Invalid resolution ...",
     * "Estimating resolution as ...") goes to this file instead of stderr.
     * Setting it BEFORE Init also silences Init's own messages; the value
     * survives Init. Set on every handle so no handle depends on another. */
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    if (TessBaseAPIInit3(api, p->tessdata, p->languages) != 0) {
        TessBaseAPIDelete(api);
        return df_err_set(err, DF_E_OCR_UNAVAILABLE,
                          "Tesseract could not load the languages '%s' from %s "
                          "(is a .traineddata file damaged or made for another Tesseract?)",
                          p->languages, p->tessdata);
    }
    /* Tesseract's own faster search for fixed-pitch rows (tune_row_pitch2,
     * a bit count for the balance of each cut instead of a projection
     * walk). Receipts are printed in fixed pitch, and the slow search was
     * 2.7 % of all instructions on SROIE receipts, 0.33 % after (callgrind);
     * the words LSTM reads are the same on the tune splits but for word
     * spacing. */
    TessBaseAPISetVariable(api, "textord_fast_pitch_test", "1");
    pthread_mutex_lock(&p->lock);
    p->created++;
    pthread_mutex_unlock(&p->lock);
    *out = api;
    return DF_OK;
}

df_code df_ocr_pool_checkout(df_ocr_pool *p, TessBaseAPI **api, df_err *err)
{
    *api = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->nidle > 0)
        *api = p->idle[--p->nidle];
    pthread_mutex_unlock(&p->lock);
    return *api ? DF_OK : create_handle(p, api, err);
}

void df_ocr_pool_checkin(df_ocr_pool *p, TessBaseAPI *api)
{
    if (!api)
        return;
    /* Drop the page image and results now: an idle handle should hold only
     * its models, not the last document's pixels. */
    TessBaseAPIClear(api);
    pthread_mutex_lock(&p->lock);
    if (p->nidle == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4;
        TessBaseAPI **grown = realloc(p->idle, cap * sizeof *grown);
        if (grown) {
            p->idle = grown;
            p->cap = cap;
        }
    }
    int kept = p->nidle < p->cap;
    if (kept)
        p->idle[p->nidle++] = api;
    pthread_mutex_unlock(&p->lock);
    if (!kept) { /* out of memory for the list: losing the handle is cheaper than failing */
        TessBaseAPIEnd(api);
        TessBaseAPIDelete(api);
    }
}
