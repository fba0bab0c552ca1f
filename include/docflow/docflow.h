/*
 * docflow.h — the whole public contract of libdocflow.
 *
 * docflow reads invoices and receipts (PDF, JPEG, PNG, WEBP, TIFF, BMP,
 * HEIC/HEIF/AVIF) on the local machine and turns each into one JSON result
 * object. Everything a program may rely on is declared here; lib/ is private.
 *
 * Conventions
 *  - Every symbol starts with df_ (types, functions) or DF_ (constants).
 *  - Handles are opaque. Whoever receives a handle from a *_new or *_extract
 *    call owns it and releases it with the matching *_free call.
 *  - Functions that can fail return a df_code; DF_OK is 0. A human message
 *    is available from the object that failed (df_result_error_message) or
 *    is written into a caller buffer of DF_ERROR_MAX bytes.
 *  - The library never writes to stdout or stderr, never calls exit(), and
 *    never depends on the process locale: numbers are parsed and printed
 *    the same under LC_NUMERIC=de_DE.UTF-8 as under C.
 *  - Thread-safety is stated at each declaration.
 *
 * Licence: AGPL-3.0-or-later.
 */
#ifndef DOCFLOW_H
#define DOCFLOW_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DF_API __attribute__((visibility("default")))
#else
#define DF_API
#endif

#define DF_VERSION_MAJOR 0
#define DF_VERSION_MINOR 1
#define DF_VERSION_PATCH 0
#define DF_VERSION_STRING "0.1.0"

/* Size of caller-provided buffers that receive an error message. */
#define DF_ERROR_MAX 512

/*
 * Error codes. Each has a stable lower_snake_case name (df_code_name) that
 * appears as error.code in JSON results; the numbers may change between
 * releases, the names will not.
 */
typedef enum df_code {
    DF_OK = 0,
    DF_E_INVALID_ARGUMENT,   /* "invalid_argument": a NULL or out-of-range argument */
    DF_E_NO_MEMORY,          /* "out_of_memory" */
    DF_E_FILE_NOT_FOUND,     /* "file_not_found": the path does not exist */
    DF_E_IO,                 /* "io_error": the file exists but could not be read */
    DF_E_EMPTY_FILE,         /* "empty_file": zero bytes */
    DF_E_FILE_TOO_LARGE,     /* "file_too_large": more bytes than DF_LIMIT_FILE_BYTES */
    DF_E_TOO_MANY_PAGES,     /* "too_many_pages": more pages than DF_LIMIT_PAGES */
    DF_E_IMAGE_TOO_LARGE,    /* "image_too_large": a page above DF_LIMIT_PAGE_PIXELS */
    DF_E_UNSUPPORTED_FORMAT, /* "unsupported_format": not one of the formats docflow reads */
    DF_E_CORRUPT_FILE,       /* "corrupt_file": the format was recognised but the data is invalid */
    DF_E_TRUNCATED_FILE,     /* "truncated_file": the data ends before the format says it should */
    DF_E_PASSWORD_PROTECTED, /* "password_protected": a PDF that needs a user password */
    DF_E_OCR_UNAVAILABLE,    /* "ocr_unavailable": OCR data (tessdata/language) missing */
    DF_E_TIMEOUT,            /* "timeout": a page's OCR exceeded DF_LIMIT_PAGE_SECONDS or the
                                document DF_LIMIT_DOCUMENT_SECONDS */
    DF_E_CANCELLED,          /* "cancelled": the caller cancelled the work */
    DF_E_INTERNAL            /* "internal_error": a bug in docflow; please report it */
} df_code;

/* Stable name of a code ("file_too_large"); "unknown_error" for values out of
 * range. Returns a static string. Thread-safe. */
DF_API const char *df_code_name(df_code code);

/* Library version as "MAJOR.MINOR.PATCH". Static string. Thread-safe. */
DF_API const char *df_version(void);

/* Formats docflow reads, comma-separated, e.g. "PDF, JPEG, ...". Static. */
DF_API const char *df_supported_formats(void);

/*
 * The format of a document from its first bytes, decided exactly as the
 * df_extract_* functions decide it: "pdf", "jpeg", "png", "webp", "tiff",
 * "bmp", "heif" (HEIC, HEIF and AVIF), or "" when none matches. For a
 * program that must refuse an unsupported file before it has all of it
 * (the HTTP server answers 415 while the upload streams). Give the first
 * DF_SNIFF_BYTES bytes, or the whole file when it is shorter: a PDF's
 * "%PDF-" may follow up to 1019 bytes of junk. A "" answer is final; a
 * format named here can still fail to decode (corrupt_file, ...).
 * Static string. Thread-safe.
 */
#define DF_SNIFF_BYTES 1024
DF_API const char *df_sniff_format(const void *data, size_t len);

/* ------------------------------------------------------------------ */
/* Process-wide settings (optional, for programs running several workers) */
/* ------------------------------------------------------------------ */

#define DF_PROCESS_PREFAULT_PIXELS 0x1u   /* new pixel buffers written once a page */
#define DF_PROCESS_KEEP_FREED_MEMORY 0x2u /* freed memory reused, not given back */
#define DF_PROCESS_ALL 0x3u

/*
 * Allocator settings that belong to the program, which docflow never makes
 * by itself (like curl_global_init, this changes state other libraries of
 * the process share). The docflow tool calls it with DF_PROCESS_ALL.
 *
 * Why: with several workers (df_batch_set_workers > 1, or one engine per
 * thread) each new page of an image buffer Leptonica allocates is first
 * read and then written, and the kernel must then interrupt every other
 * core running the process to flush its old mapping. On 30 receipts with
 * 2 workers that was 166 000 interrupts, none with separate processes.
 *  - DF_PROCESS_PREFAULT_PIXELS: Leptonica's allocator (setPixMemoryManager)
 *    becomes malloc + one write per page, so a new page is mapped writable
 *    at once (74 interrupts on the same receipts). Freeing stays free().
 *  - DF_PROCESS_KEEP_FREED_MEMORY (glibc's malloc only; under another
 *    allocator, a sanitizer's included, it changes nothing): mallopt
 *    M_MMAP_THRESHOLD 64 MiB and M_TRIM_THRESHOLD 512 MiB, so page images
 *    come from the heap and freed memory is used again instead of being
 *    returned and faulted in anew. The process then keeps its peak size.
 * Returns DF_OK, or DF_E_INVALID_ARGUMENT for an unknown flag (nothing set).
 * Not thread-safe: call once, first thing, before any thread uses docflow,
 * Leptonica or malloc-heavy code; buffers allocated before stay valid.
 */
DF_API df_code df_process_setup(unsigned flags);

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

typedef struct df_options df_options;

typedef enum df_diag_level {
    DF_DIAG_DEBUG = 0,
    DF_DIAG_INFO = 1,
    DF_DIAG_WARNING = 2,
    DF_DIAG_ERROR = 3
} df_diag_level;

/*
 * Diagnostics callback: receives warnings that docflow or the libraries it
 * uses (MuPDF, libtiff, libjpeg, libpng, libheif, Tesseract) would otherwise
 * print. `message` is valid only during the call and has no trailing newline.
 * It may be called from any thread that runs an extraction, concurrently if
 * the engine is shared: make it thread-safe. Without a callback these
 * messages are dropped.
 * Exception: Tesseract's own messages are always dropped (Tesseract can
 * only send them to a file, for the whole process).
 */
typedef void (*df_diag_fn)(void *userdata, df_diag_level level, const char *message);

/*
 * Limits. What goes beyond one fails the document with the code named here.
 * DF_LIMIT_DOCUMENT_SECONDS bounds the whole extraction of one document on
 * a monotonic clock, from the start of df_extract_* (in a batch: from when
 * the document is opened): reading the file, decoding (MuPDF's
 * interpretation of a PDF page is interrupted between operators, JPEG
 * scans and TIFF pages are checked), OCR (each reading ends by the
 * document's deadline or the page's DF_LIMIT_PAGE_SECONDS, whichever comes
 * first) and extraction. The pages of a document read in parallel share
 * its one deadline. Past it the document fails with DF_E_TIMEOUT, its
 * message naming the file, the budget and where it stopped ("invoice.pdf:
 * the document exceeded its time budget of 300 s (stopped while drawing
 * page 2)"); a page already cut short is never returned as a result.
 */
typedef enum df_limit {
    DF_LIMIT_FILE_BYTES = 0,      /* default 10 MB (10 * 1024 * 1024 bytes): DF_E_FILE_TOO_LARGE */
    DF_LIMIT_PAGES = 1,           /* default 50 pages per document: DF_E_TOO_MANY_PAGES */
    DF_LIMIT_PAGE_PIXELS = 2,     /* default 100 megapixels per page (100,000,000):
                                     DF_E_IMAGE_TOO_LARGE */
    DF_LIMIT_PAGE_SECONDS = 3,    /* default 60 s of OCR per page: DF_E_TIMEOUT */
    DF_LIMIT_DOCUMENT_SECONDS = 4 /* default 300 s per document, all stages: DF_E_TIMEOUT */
} df_limit;

/* New options with defaults: tessdata from Tesseract's built-in search path,
 * languages "eng", the default limits, no diagnostics callback. Returns NULL
 * when out of memory. Free with df_options_free. An options object is not
 * thread-safe; the engine copies what it needs, so it may be freed right
 * after df_engine_new. */
DF_API df_options *df_options_new(void);
DF_API void df_options_free(df_options *opts);

/* Directory holding *.traineddata; NULL restores the default. The string is
 * copied. DF_E_NO_MEMORY on allocation failure.
 * The default, resolved by df_engine_new: the environment variable
 * TESSDATA_PREFIX (the tessdata directory itself) when set, else
 * /usr/share/tesseract-ocr/5/tessdata. */
DF_API df_code df_options_set_tessdata(df_options *opts, const char *dir);

/* Tesseract languages joined by '+', e.g. "eng" or "eng+hin". Copied.
 * DF_E_INVALID_ARGUMENT for an empty or malformed list. */
DF_API df_code df_options_set_languages(df_options *opts, const char *langs);

/* Directory of the rule models (models/: keywords, labels, column titles,
 * currencies...); NULL restores the default. The string is copied.
 * DF_E_NO_MEMORY on allocation failure, DF_E_INVALID_ARGUMENT for opts NULL.
 * The default, resolved by df_engine_new: the environment variable
 * DOCFLOW_MODELS when set, else the installed share/docflow/models, else the
 * source tree's models/ (an uninstalled build). A directory given here or by
 * DOCFLOW_MODELS that lacks a model file makes df_engine_new fail with the
 * loader's code (DF_E_FILE_NOT_FOUND, DF_E_CORRUPT_FILE naming file and line). */
DF_API df_code df_options_set_models_dir(df_options *opts, const char *dir);

/* Set one limit. `value` must be > 0: DF_E_INVALID_ARGUMENT otherwise. */
DF_API df_code df_options_set_limit(df_options *opts, df_limit which, uint64_t value);
DF_API uint64_t df_options_get_limit(const df_options *opts, df_limit which);

DF_API void df_options_set_diagnostics(df_options *opts, df_diag_fn fn, void *userdata);

/*
 * Rules. Beyond reading labels and figures, the extractors apply named
 * rules: evidence (the largest figure is likely the total), arithmetic
 * (subtotal + taxes = total, paid - change = total) and OCR repairs (a
 * currency sign read as a digit). docs/rules.md lists every rule with what
 * it is worth. df_options_disable_rule switches one off for engines created
 * from these options (`docflow eval --without RULE` measures a rule this
 * way); DF_E_INVALID_ARGUMENT for an unknown id. df_rule_count,
 * df_rule_id and df_rule_description list them (static strings; NULL out
 * of range). Thread-safe but for df_options_disable_rule (as every option).
 */
DF_API df_code df_options_disable_rule(df_options *opts, const char *id);
DF_API size_t df_rule_count(void);
DF_API const char *df_rule_id(size_t index);
DF_API const char *df_rule_description(size_t index);

/* ------------------------------------------------------------------ */
/* Engine                                                               */
/* ------------------------------------------------------------------ */

typedef struct df_engine df_engine;

/*
 * Create an engine from options (NULL: defaults). Create it once and reuse
 * it: it holds the loaded rules (models/, see df_options_set_models_dir) and
 * settings. On failure returns NULL, and,
 * when `code` / `errmsg` (DF_ERROR_MAX bytes) are not NULL, fills them.
 *
 * Thread-safety: an engine may be shared by any number of threads calling
 * the df_extract_* functions at once. df_engine_free must not run
 * concurrently with any other use of the same engine.
 *
 * OCR: every language of the configured list must have
 * <tessdata>/<lang>.traineddata; otherwise the engine is not created and
 * the code is DF_E_OCR_UNAVAILABLE, with a message naming the language and
 * the directory searched. Tesseract itself is loaded lazily, on the first
 * page that needs OCR (about 55 ms once per thread that extracts; a
 * document that only has text-layer pages never loads it).
 *
 * Process-wide side effect: Leptonica (used by Tesseract and the decoders)
 * can only be silenced for the whole process, so df_engine_new sets its
 * message severity to L_SEVERITY_NONE (setMsgSeverity). An application that
 * wants Leptonica's messages must set the severity again afterwards.
 */
DF_API df_engine *df_engine_new(const df_options *opts, df_code *code, char *errmsg);
DF_API void df_engine_free(df_engine *engine);

/* ------------------------------------------------------------------ */
/* Extraction                                                           */
/* ------------------------------------------------------------------ */

typedef struct df_result df_result;

/*
 * Extract one document. The format is detected from the content (magic
 * bytes), never from the name.
 *
 * On return *out is always set (unless `out` is NULL or out of memory) to a
 * result owned by the caller, also when extraction failed: the result then
 * carries the error code and a message naming the file and the cause, and
 * serialises to the documented error object. The return value equals
 * df_result_code(*out).
 *
 * df_extract_file reads `path`; df_extract_memory reads `len` bytes at
 * `data` (not retained after the call) and uses `name` (may be NULL) in
 * messages.
 *
 * Thread-safety: safe to call concurrently on one shared engine.
 *
 * Time: the call ends by DF_LIMIT_DOCUMENT_SECONDS, else DF_E_TIMEOUT (see
 * df_limit), overrunning it only by what a stage takes to notice: mostly
 * Tesseract's layout analysis of a page, which does not look at the clock
 * (2-3 s for a page of 20 megapixels).
 *
 * OCR and OpenMP: pages without a text layer are OCRed, each within the
 * DF_LIMIT_PAGE_SECONDS limit (DF_E_TIMEOUT otherwise). Tesseract's own
 * OpenMP threading is switched off for the duration of the call, for the
 * calling thread only: it is several times slower than one thread per
 * document, and far slower still when nested inside the caller's parallel
 * region. To use several cores, extract several documents at once (plain
 * threads or an OpenMP parallel region both work). The caller's
 * max-active-levels setting (omp_get_max_active_levels, also
 * OMP_MAX_ACTIVE_LEVELS) is restored before returning.
 * libdocflow defines four of libgomp's entry points (GOMP_parallel,
 * GOMP_parallel_sections, GOMP_sections_next, GOMP_sections_end_nowait) so
 * that, during these calls, Tesseract's one-thread regions run as plain
 * calls instead of through libgomp's team and barrier (a system call per
 * region, one region per LSTM step): about 14 % of OCR's CPU (bench/ocr.sh,
 * before and after in the same rounds). It also defines Leptonica's
 * pixWriteMem: during these calls the PNG Tesseract makes of each text line
 * before reading it is written at zlib level 0 (the same pixels, not
 * deflated). Every other call, the application's own OpenMP and Leptonica
 * included, is passed on unchanged. Plain threads get both; a thread
 * inside a team of several OpenMP threads gets the stored PNGs only (its
 * regions still work, at libgomp's cost).
 */
DF_API df_code df_extract_file(df_engine *engine, const char *path, df_result **out);
DF_API df_code df_extract_memory(df_engine *engine, const void *data, size_t len,
                                 const char *name, df_result **out);

/* ------------------------------------------------------------------ */
/* Results                                                              */
/* A result is immutable after extraction: reading it from several      */
/* threads at once is safe. Free it once with df_result_free.           */
/* ------------------------------------------------------------------ */

DF_API void df_result_free(df_result *result);

/* DF_OK, or why the document failed. */
DF_API df_code df_result_code(const df_result *result);

/* Message for a failed result ("invoice.pdf: truncated PDF ..."), "" on
 * success. Owned by the result. */
DF_API const char *df_result_error_message(const df_result *result);

/* Detected format: "pdf", "jpeg", "png", "webp", "tiff", "bmp", "heif";
 * "" when not detected. Owned by the result. */
DF_API const char *df_result_format(const df_result *result);

typedef struct df_page_info {
    int width;          /* pixels of the page image (rendered size for PDF pages) */
    int height;
    int dpi;            /* resolution; 0 when the file states none or an absurd one */
    int has_text_layer; /* 1 when the page carried extractable text (PDF) */
    double width_pt;    /* page size in points (1/72 inch); 0 when dpi unknown */
    double height_pt;
} df_page_info;

/* Number of pages decoded (0 for a failed result). */
DF_API size_t df_result_page_count(const df_result *result);

/* Fill *info for page `index` (0-based). DF_E_INVALID_ARGUMENT when out of
 * range. */
DF_API df_code df_result_page(const df_result *result, size_t index, df_page_info *info);

/* Text tokens read from the document (OCR words or text-layer words). */
DF_API uint64_t df_result_tokens_used(const df_result *result);

/*
 * The document's plain text: every page's words (text-layer or OCR), words
 * of a line separated by one space, each line ended by '\n', pages
 * separated by a form feed '\f'. Lines are found by a simple grouping
 * (words sorted top to bottom, then left to right within a line), which a
 * later release will replace by full reading order; do not rely on the
 * order across columns. "" for a failed result or a document without
 * words. Owned by the result.
 */
DF_API const char *df_result_text(const df_result *result);

/*
 * Serialise to the documented result object (see docs/result-schema.md):
 *   { "file_index", "file_key", "extraction", "validation", "tokens_used",
 *     "format", "pages": [...], "error" (failed results only) }
 * "extraction" holds document_type, document_category, confidence_score,
 * vendor, customer, document_meta, financial {line_items, totals} and
 * fields (where each value was read); "validation" {math_valid, errors,
 * warnings}. A failed result has both with the same keys, empty: type and
 * category "other", confidence_score 0, null values, no line items, null
 * totals, math_valid false, and its "error" {code, message}.
 * `file_key` may be NULL (the name given at extraction is used). `flags`:
 * DF_JSON_PRETTY for indented output. Returns a NUL-terminated string the
 * caller frees with df_free, or NULL when out of memory.
 */
#define DF_JSON_PRETTY 1u
DF_API char *df_result_to_json(const df_result *result, uint64_t file_index,
                               const char *file_key, unsigned flags);

/* Free memory returned by docflow (strings from df_result_to_json). */
DF_API void df_free(void *ptr);

/*
 * Every string docflow hands out (JSON, df_result_text, error messages,
 * diagnostics) is valid UTF-8: characters outside the BMP as 4-byte
 * sequences, and anything ill-formed — bytes of a file name that is not
 * UTF-8, a lone UTF-16 surrogate in a PDF's text — as U+FFFD, one for each
 * maximal ill-formed subpart, as Python's decode("utf-8", "replace") does.
 * df_utf8_sanitize applies the same rule to a string of the caller's (to
 * print a file name next to docflow's output, say): a copy to free with
 * df_free; NULL when `s` is NULL or out of memory. Thread-safe.
 */
DF_API char *df_utf8_sanitize(const char *s);

/* ------------------------------------------------------------------ */
/* Batches                                                              */
/* ------------------------------------------------------------------ */

/*
 * A batch extracts many documents in parallel and keeps their results in
 * the order they were added. Work is shared out page by page: each worker
 * thread (the caller of df_batch_run and the threads it starts) opens the
 * next document, and when no document is left it helps with the remaining
 * pages of the others, so a 40-page PDF at the end of a batch keeps every
 * core busy.
 * Each worker uses one Tesseract handle for the whole run (created once,
 * kept in the engine for later runs), runs Tesseract single-threaded, and
 * opens its own handle on a PDF it works on. Pages are decoded, OCRed and
 * their pixels released one at a time: peak memory grows with the number
 * of workers, not with the number or size of the documents.
 *
 * A document that fails becomes an error result and never stops the
 * others. Results do not depend on the number of workers.
 *
 * Thread-safety: one batch is built and run by one thread; while it runs,
 * df_batch_cancel and df_batch_get_progress may be called from any thread
 * (df_batch_cancel also from a signal handler). Several batches may run at
 * once on one shared engine.
 */
typedef struct df_batch df_batch;

typedef struct df_batch_progress {
    size_t docs_total;        /* documents in the batch */
    size_t docs_done;         /* finished, successfully or not */
    size_t docs_failed;       /* of docs_done, those with an error result */
    size_t pages_total;       /* pages of the documents opened so far (grows) */
    size_t pages_done;        /* pages read, plus the pages of a failed or
                                 cancelled document left unread (they are
                                 settled: nothing more will be done on them) */
    double elapsed_seconds;   /* since df_batch_run started */
    double seconds_remaining; /* estimate from the measured time per page and
                                 the pages (known or, for documents not yet
                                 opened, expected) still to do; < 0 until the
                                 first page is done; 0 when finished */
} df_batch_progress;

/* Called after every page and every document. Calls are serialised (never
 * two at once) but come from the worker threads: keep them short. */
typedef void (*df_progress_fn)(void *userdata, const df_batch_progress *progress);

/* Called once per document as soon as its result is final, in completion
 * order (not input order); `index` is its position in the batch. The
 * result stays owned by the batch and valid until df_batch_free. Calls are
 * serialised, from worker threads. */
typedef void (*df_result_fn)(void *userdata, size_t index, const df_result *result);

/* A new, empty batch on `engine` (which must outlive it). NULL when out of
 * memory or engine is NULL. Workers default to the number of processors
 * (omp_get_num_procs). */
DF_API df_batch *df_batch_new(df_engine *engine);
DF_API void df_batch_free(df_batch *batch);

/* Queue a document. The path is copied. df_batch_add_memory does NOT copy
 * the bytes: `data` must stay valid and unchanged until df_batch_run
 * returns; `name` (may be NULL) is copied and used in messages.
 * DF_E_INVALID_ARGUMENT after df_batch_run was called or for NULL
 * arguments; DF_E_NO_MEMORY. Problems with the document itself (missing,
 * unreadable, corrupt) are reported in its result, not here. */
DF_API df_code df_batch_add_file(df_batch *batch, const char *path);
DF_API df_code df_batch_add_memory(df_batch *batch, const void *data, size_t len,
                                   const char *name);

/* Number of worker threads; 0 restores the default (processors).
 * DF_E_INVALID_ARGUMENT for a negative count or above DF_BATCH_MAX_WORKERS. */
#define DF_BATCH_MAX_WORKERS 256
DF_API df_code df_batch_set_workers(df_batch *batch, int workers);
DF_API void df_batch_set_progress(df_batch *batch, df_progress_fn fn, void *userdata);
DF_API void df_batch_set_on_result(df_batch *batch, df_result_fn fn, void *userdata);

/*
 * Process every queued document; returns when all have a result. DF_OK
 * when the batch ran to the end (even if some documents failed: see each
 * result), DF_E_CANCELLED when df_batch_cancel stopped it: documents
 * finished before the cancel keep their results, the others get a
 * `cancelled` error result. DF_E_INVALID_ARGUMENT when called twice.
 * Threads: the calling thread and workers - 1 threads it starts and joins
 * (plain threads, not an OpenMP team); called inside the caller's own
 * active OpenMP parallel region (with nesting disabled) the batch runs on
 * the calling thread only.
 */
DF_API df_code df_batch_run(df_batch *batch);

/* Ask a running batch to stop: no new page is started, Tesseract abandons
 * the page it is reading and MuPDF the PDF page it interprets (within
 * 50 ms). Returns at once. Async-signal-safe
 * (an atomic store): may be called from a SIGINT handler. Calling it before
 * df_batch_run makes the run cancel everything. */
DF_API void df_batch_cancel(df_batch *batch);

/* A consistent snapshot of the progress; callable from any thread while
 * the batch runs, and after. */
DF_API void df_batch_get_progress(df_batch *batch, df_batch_progress *out);

/* Documents queued. */
DF_API size_t df_batch_count(const df_batch *batch);

/* Result of document `index` after df_batch_run returned (owned by the
 * batch; NULL when index is out of range or the batch has not run). */
DF_API const df_result *df_batch_result(const df_batch *batch, size_t index);

#ifdef __cplusplus
}
#endif

#endif /* DOCFLOW_H */
