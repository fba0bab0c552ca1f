/*
 * omp_guard.c — Tesseract single-threaded, without paying libgomp for it;
 * and its line images stored, not deflated.
 *
 * Contents: the guard (df_omp_guard_enter, df_omp_guard_leave) ·
 * forwarding to libgomp (gomp_real) · libgomp's entry points that
 * libtesseract imports (GOMP_parallel, GOMP_parallel_sections,
 * GOMP_sections_next, GOMP_sections_end_nowait) · Leptonica's pixWriteMem,
 * which it also imports (lept_resolve, pixWriteMem, df_line_pngs_stored).
 *
 * 1. One thread. Tesseract 5 opens an OpenMP parallel region for nearly
 * every LSTM step. Measured on 2 cores (OCR of fixtures/invoice.png): from a
 * plain thread 1.9-2.1 s with its team vs 0.6-0.9 s single-threaded; from
 * inside a caller's active region with OMP_MAX_ACTIVE_LEVELS=4, 62-134 s
 * (nested teams). Its regions ask for num_threads(N) explicitly, so
 * omp_set_num_threads cannot help, and OMP_THREAD_LIMIT is read once when
 * libgomp loads. What works is the active-levels ICV: a region is only
 * active (gets more than one thread) while fewer than max-active-levels
 * enclosing regions are active. The guard sets it to the current active
 * level, so every region Tesseract opens below it is inactive, whether we
 * were called from a plain thread (level 0) or from inside an active region
 * (level >= 1). In libgomp (GCC >= 11) this ICV belongs to the calling
 * thread's data environment: other threads are unaffected; the caller's
 * value is restored on the way out. (Wrapping the call in `omp parallel
 * num_threads(1)` does NOT work: a one-thread region is inactive, so the
 * level stays where it was; measured 87-140 s.)
 *
 * 2. No team. An inactive region still goes through libgomp's team
 * machinery: a team allocated and freed and a barrier at its end whose last
 * arrival wakes the waiters with a futex system call, waiters or not. The
 * four gates of LSTM::Forward are a `parallel sections` per time step:
 * 10 SROIE receipts (docflow batch --jobs 1) made 597 585 futex calls, and
 * took 7.75 s of CPU (0.70 s of it in the kernel). So this file defines the
 * four libgomp entry points libtesseract.so imports. The dynamic linker binds
 * libtesseract's calls to the first definition in the process's lookup
 * order: the program when it links libdocflow statically, else
 * libdocflow.so, which comes before the libgomp it pulls in and exports them
 * under libgomp's own version names (lib/docflow.map) so that the versioned
 * references match. On a thread inside the guard, a region that can only get
 * one thread is run as a plain call of its body: with no team the body's
 * omp_get_num_threads() is 1 and omp_get_thread_num() 0, as in a one-thread
 * team, and a `sections` body is handed sections 1..count in order by
 * GOMP_sections_next below. Same receipts: 1 futex call, 6.3-6.6 s of CPU,
 * the same output byte for byte. Anything else — a thread outside the
 * guard, a region that may be active, a call from inside a caller's team of
 * several threads, the application's own OpenMP — goes to libgomp
 * unchanged. If libgomp comes first in the lookup order, nothing here is
 * called and Tesseract is only slower.
 *
 * 3. No deflating. Before its LSTM reads a line, Tesseract 5 stores the
 * line's image in an ImageData as a PNG (ImageData::SetPix calls
 * pixWriteMem(IFF_PNG)) and decodes it again to scale it (GetPix,
 * pixReadMem): the format of its training files, kept at recognition time.
 * zlib at its default level made the writing 3.6 % of all instructions of
 * docflow on six SROIE receipts (callgrind; deflate 2.4 %). The same pixels
 * stored rather than deflated (zlib level 0) cost no deflating: 33.70 G ->
 * 33.14 G instructions on four SROIE receipts (callgrind, the same output);
 * the larger buffer lives only until the line is read.
 * Leptonica has no symbol versions, so libdocflow.so exports pixWriteMem
 * under its own version (an unversioned reference binds to it) and it
 * binds as the GOMP_ functions do. On a thread inside the guard a PNG is
 * written at level 0; every other call, the application's own included,
 * goes to Leptonica's pixWriteMem unchanged. (It lives in this file because
 * a static link pulls in only the archive members the program needs: the
 * guard is always needed, a file of its own would not be.)
 */
#include "ocr/omp_guard.h"

#include <dlfcn.h>
#include <leptonica/allheaders.h>
#include <omp.h>
#include <pthread.h>

/* the calling thread's state: inside a guard? running a sections body? */
static _Thread_local int t_inline;
static _Thread_local size_t t_inlined;
static _Thread_local struct {
    int on;
    unsigned next, count;
} t_sections;

df_omp_guard df_omp_guard_enter(void)
{
    df_omp_guard g = {omp_get_max_active_levels(), t_inline};
    omp_set_max_active_levels(omp_get_active_level());
    t_inline = 1;
    return g;
}

void df_omp_guard_leave(df_omp_guard g)
{
    omp_set_max_active_levels(g.saved_max_active_levels);
    t_inline = g.saved_inline;
}

size_t df_omp_guard_inlined(void)
{
    return t_inlined;
}

/* A region run as a plain call: inside a guard, one that could only get one
 * thread from libgomp anyway, and not inside a team of several threads,
 * whose size and thread number a plain call's body would see as its own
 * (a `parallel for` body would do only this thread's share of the loop). */
static int run_inline(unsigned num_threads)
{
    return t_inline && omp_get_num_threads() == 1 &&
           (num_threads == 1 || omp_get_active_level() >= omp_get_max_active_levels());
}

/* ---- forwarding to libgomp ----------------------------------------------- */

typedef void (*parallel_fn)(void (*)(void *), void *, unsigned, unsigned);
typedef void (*sections_fn)(void (*)(void *), void *, unsigned, unsigned, unsigned);
typedef unsigned (*next_fn)(void);
typedef void (*end_fn)(void);

static struct {
    parallel_fn parallel;
    sections_fn parallel_sections;
    next_fn sections_next;
    end_fn sections_end_nowait;
} gomp;
static pthread_once_t gomp_once = PTHREAD_ONCE_INIT;

static void *gomp_sym(void *lib, const char *name, const char *version)
{
    void *f = dlvsym(RTLD_NEXT, name, version);
    return f ? f : lib ? dlvsym(lib, name, version) : NULL;
}

/* libgomp's own definitions: the next in the lookup order, or (when an
 * unusual load order put libgomp first) from libgomp by name. */
static void gomp_resolve(void)
{
    void *lib = dlopen("libgomp.so.1", RTLD_LAZY | RTLD_NOLOAD);
    *(void **)&gomp.parallel = gomp_sym(lib, "GOMP_parallel", "GOMP_4.0");
    *(void **)&gomp.parallel_sections = gomp_sym(lib, "GOMP_parallel_sections", "GOMP_4.0");
    *(void **)&gomp.sections_next = gomp_sym(lib, "GOMP_sections_next", "GOMP_1.0");
    *(void **)&gomp.sections_end_nowait = gomp_sym(lib, "GOMP_sections_end_nowait", "GOMP_1.0");
    if (lib)
        dlclose(lib); /* RTLD_NOLOAD took a reference: the library stays */
}

static void gomp_real(void)
{
    pthread_once(&gomp_once, gomp_resolve);
}

/* ---- libgomp's entry points ---------------------------------------------- */

#define DF_GOMP_EXPORT __attribute__((visibility("default")))

DF_GOMP_EXPORT void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads,
                                  unsigned flags);
DF_GOMP_EXPORT void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned num_threads,
                                           unsigned count, unsigned flags);
DF_GOMP_EXPORT unsigned GOMP_sections_next(void);
DF_GOMP_EXPORT void GOMP_sections_end_nowait(void);

/* A region libgomp cannot be found for also runs as a plain call: one
 * thread is a team OpenMP allows. */
void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags)
{
    if (!run_inline(num_threads)) {
        gomp_real();
        if (gomp.parallel) {
            gomp.parallel(fn, data, num_threads, flags);
            return;
        }
    }
    t_inlined++;
    fn(data);
}

void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned num_threads, unsigned count,
                            unsigned flags)
{
    if (!run_inline(num_threads)) {
        gomp_real();
        if (gomp.parallel_sections) {
            gomp.parallel_sections(fn, data, num_threads, count, flags);
            return;
        }
    }
    t_inlined++;
    __typeof__(t_sections) outer = t_sections;
    t_sections.on = 1;
    t_sections.next = 1;
    t_sections.count = count;
    fn(data);
    t_sections = outer;
}

/* the next section of the body run as a plain call, 0 when none is left */
unsigned GOMP_sections_next(void)
{
    if (!t_sections.on) {
        gomp_real();
        if (gomp.sections_next)
            return gomp.sections_next();
    }
    return t_sections.next <= t_sections.count ? t_sections.next++ : 0;
}

void GOMP_sections_end_nowait(void)
{
    if (t_sections.on)
        return;
    gomp_real();
    if (gomp.sections_end_nowait)
        gomp.sections_end_nowait();
}

/* ---- Leptonica's pixWriteMem --------------------------------------------- */

typedef l_ok (*write_mem_fn)(l_uint8 **, size_t *, PIX *, l_int32);

static write_mem_fn lept_write_mem;
static _Thread_local size_t t_stored;
static pthread_once_t lept_once = PTHREAD_ONCE_INIT;

/* Leptonica's own definition: the next in the lookup order, or (when an
 * unusual load order put Leptonica first) from liblept by name. */
static void lept_resolve(void)
{
    void *f = dlsym(RTLD_NEXT, "pixWriteMem");
    void *lib = f ? NULL : dlopen("liblept.so.5", RTLD_LAZY | RTLD_NOLOAD);
    if (lib) {
        f = dlsym(lib, "pixWriteMem");
        dlclose(lib); /* RTLD_NOLOAD took a reference: the library stays */
    }
    *(void **)&lept_write_mem = f;
}

__attribute__((visibility("default"))) l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix,
                                                        l_int32 format);

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format)
{
    if (t_inline && format == IFF_PNG && pdata && psize && pix) {
        /* Leptonica takes the zlib level from pix->special (10 + level);
         * 1.82 has no getter, and its struct is in pix.h */
        l_int32 special = pix->special;
        pixSetZlibCompression(pix, 0);
        l_ok rc = pixWriteMemPng(pdata, psize, pix, 0.0f);
        pixSetSpecial(pix, special);
        t_stored += rc == 0;
        return rc;
    }
    pthread_once(&lept_once, lept_resolve);
    if (lept_write_mem)
        return lept_write_mem(pdata, psize, pix, format);
    if (pdata)
        *pdata = NULL;
    return 1; /* Leptonica's error return */
}

size_t df_line_pngs_stored(void)
{
    return t_stored;
}
